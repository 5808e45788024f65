"""Whether a remote object's bytes, as read, are the object its listing
described: the check the worker makes after hashing (a local file's is
its size and mtime, pipeline.py)."""

from __future__ import annotations

import re
from typing import BinaryIO

from ..records import RemoteObject


def changed(obj: RemoteObject, stream: BinaryIO, hashed: int, md5: str) -> str | None:
    """How the bytes read differ from the object listed, if they do: another
    size, another ETag in the response, or (a single-part upload's ETag is
    the MD5 of its bytes) an ETag that is not their MD5."""
    response = getattr(stream, "response", {}) or {}
    said = str(response.get("ETag") or "").strip('"') or None
    why = []
    if obj.size is not None and hashed != obj.size:
        why.append(f"{obj.size} bytes when listed, {hashed} read")
    if obj.etag and said and said != obj.etag:
        why.append(f"ETag {obj.etag} when listed, {said} when read")
    etag = said or obj.etag
    # SSE-KMS and SSE-C objects have ETags that are not their MD5
    plain = response.get("ServerSideEncryption") in (None, "AES256") and not response.get(
        "SSECustomerAlgorithm"
    )
    if (
        obj.protocol == "s3"
        and plain
        and etag
        and re.fullmatch(r"[0-9a-f]{32}", etag)
        and (etag != md5)
    ):
        why.append(f"ETag {etag} is not the MD5 of the bytes read ({md5})")
    if not why:
        return None
    return (
        "the object changed between listing and reading: "
        + "; ".join(why)
        + (" (the hashes are of the bytes read)")
    )
