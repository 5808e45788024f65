"""The bytes of a case row read again from its source, read-only: a local
file, a remote object (the version the scan listed, reached as the scan
reached it), or an archive member, found by walking its top-level file in
memory within the default limits. What the report's thumbnails show."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ..records import RemoteObject
from .evidence import open_readonly
from .kinds import archive_kind_in
from .limits import Budget, Limits, Reading
from .remote import fetch, is_remote
from .walk import walk_archive


def read_again(
    source: str,
    path: str,
    listed: dict[str, Any] | None = None,
    reach: tuple[tuple[str, Any], ...] = (),
) -> bytes:
    """The bytes of the case row `path` of a scan of `source`. For a
    remote source, `listed` is the top-level object's `object` record (its
    url and version id) and `reach` how the scan reached the source
    (endpoint, region, profile, anonymous access). KeyError when the row's
    bytes cannot be had from the source any more."""
    top, _, _ = path.partition("!/")
    try:
        data = _top_bytes(source, top, listed, reach)
    except OSError as exc:
        raise KeyError(f"{path}: not readable from the source any more ({exc})") from exc
    if "!/" not in path:
        return data
    return member_bytes(data, path)


def member_bytes(data: bytes, path: str) -> bytes:
    """The bytes of the archive member `path` ("top!/member") of the
    top-level file whose bytes are `data`, walked in memory within the
    default limits; KeyError when it holds no such member."""
    top = path.partition("!/")[0]
    limits = Limits()
    with io.BytesIO(data) as held:
        kind = archive_kind_in(held)
        if kind:
            reading = Reading(limits, Budget(limits.max_total_bytes))
            for ref in walk_archive(held, kind, top, (), len(data), reading):
                if ref.url == path and ref.payload is not None:
                    return ref.payload
    raise KeyError(f"{path}: not readable from the source any more")


def _top_bytes(
    source: str, top: str, listed: dict[str, Any] | None, reach: tuple[tuple[str, Any], ...]
) -> bytes:
    if is_remote(source):
        if not listed or not listed.get("url"):
            raise KeyError(f"{top}: the case holds no listing of this object")
        url = str(listed["url"])
        protocol = url.split("://", 1)[0]
        obj = RemoteObject(
            protocol=protocol,
            path=url[len("s3://") :] if protocol == "s3" else url,
            options=reach,
            version_id=listed.get("version_id"),
        )
        return fetch(obj)[0]
    root = Path(source)
    target = root if root.is_file() else root / top
    with open_readonly(os.fspath(target)) as fh:
        return fh.read()
