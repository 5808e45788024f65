"""An object's HTTP exchange as a WARC record states it (warc.py): the
address it was read from (`http_url`) and what the server said (`said_fields`:
the status line and the headers), for a web folder and for a bucket alike."""

from __future__ import annotations

import http
import urllib.parse
from typing import Any

from ..records import RemoteObject


def http_url(obj: RemoteObject) -> str:
    """The HTTP address an object was read from: a web object's own; an S3
    object's on its endpoint (path-style on an endpoint the scan named,
    AWS's virtual-host style otherwise), with the version read."""
    if obj.protocol != "s3":
        return obj.path
    bucket, _, key = obj.path.partition("/")
    options = dict(obj.options)
    endpoint = options.get("endpoint_url")
    key = urllib.parse.quote(key)
    if endpoint:
        url = f"{str(endpoint).rstrip('/')}/{bucket}/{key}"
    else:
        region = options.get("region")
        url = f"https://{bucket}.s3{'.' + str(region) if region else ''}.amazonaws.com/{key}"
    return url + (f"?versionId={urllib.parse.quote(obj.version_id)}" if obj.version_id else "")


def said_fields(said: dict[str, Any]) -> list[tuple[str, str]]:
    """What an HTTP server said, as (name, value) pairs a ref can carry:
    its status line first, then its headers. An S3 answer is botocore's
    parsed dict; the HTTP status and headers it came as are in its
    `ResponseMetadata` (names lower-cased, as botocore keeps them)."""
    meta = said.get("ResponseMetadata")
    if isinstance(meta, dict) and "HTTPHeaders" in meta:
        status = int(meta.get("HTTPStatusCode") or 200)
        try:
            line = f"{status} {http.HTTPStatus(status).phrase}"
        except ValueError:
            line = str(status)
        return [
            (":status", line),
            *((str(k), str(v)) for k, v in meta["HTTPHeaders"].items()),
        ]
    if "headers" not in said:
        return []
    return [
        (":status", f"{said.get('status', 200)} {said.get('reason', '')}".strip()),
        *((str(k), str(v)) for k, v in said["headers"]),
    ]
