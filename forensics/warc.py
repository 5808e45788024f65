"""The HTTP exchanges of a preserved remote source, as WARC records (ISO
28500, through `warcio`): for each object a scan read from an http(s)://
or s3:// source, and each listing page of a web folder it walked (a
bucket's listings are S3 API answers, not pages; the case keeps each
object's listing entry), a `request` record (the GET) and
a `response` record (the status line, the headers the server sent, the
bytes and the time), so that any web-archive player replays the folder,
its pages and its files, as they were that day. A listing page is read
once more for its record (the walker's HTTP library reads it for its
links and keeps no bytes).

Written by the process that preserved the object (objects.py; the
scanning process for the pages), each into
its own file, `warc/<date>-<pid>.warc.gz` in the case folder, appended
record by record (gzip members, as WARC files are). The body is the bytes
the scan hashed. An S3 object's record is addressed at its endpoint
(`sources/exchange.http_url`: path-style on an endpoint the scan was given, AWS's
bucket host otherwise, `?versionId=` when the bucket is versioned), its
response the status and headers the endpoint sent, as botocore kept them
(lower-cased names; the request's signature is not kept). A
`Content-Encoding` the HTTP client undid is dropped from the stored
headers and `Content-Length` is the body's, so that each record
is what it says. An object read in ranges (a big one) has no single
response: its record carries the headers the listing gave (ETag,
Last-Modified) and says so with `X-Forensics-Assembled: ranged reads`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import urllib.parse
from pathlib import Path

WARC_DIR = "warc"
_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}


def write_exchange(
    case: str | os.PathLike[str],
    url: str,
    body: bytes,
    said: tuple[tuple[str, str], ...],
    listed: dict[str, str] | None = None,
) -> Path:
    """Append the GET of `url` and its response (`said`: (":status", "200
    OK") then the headers, as the server sent them; empty when the object
    was read in ranges, then `listed` gives what the listing said)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    now = dt.datetime.now(dt.UTC)
    folder = Path(case) / WARC_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{now:%Y%m%d}-{os.getpid()}.warc.gz"
    status = next((v for k, v in said if k == ":status"), "200 OK")
    headers = [(k, v) for k, v in said if k != ":status" and k.lower() not in _DROPPED]
    if not said:
        headers = [(k, v) for k, v in (listed or {}).items() if v]
        headers.append(("X-Forensics-Assembled", "ranged reads"))
    headers.append(("Content-Length", str(len(body))))
    parts = urllib.parse.urlsplit(url)
    when = {"WARC-Date": now.isoformat(timespec="seconds").replace("+00:00", "Z")}
    with open(target, "ab") as fh:
        writer = WARCWriter(fh, gzip=True)
        request = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(
                f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1",
                [("Host", parts.netloc)],
                is_http_request=True,
            ),
            warc_headers_dict=when,
        )
        response = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
            warc_headers_dict=when,
        )
        writer.write_record(request)
        writer.write_record(response)
    return target
