"""What a remote source says of each object: an S3 listing's ETag, version
id, LastModified, storage class and owner, or a web server's ETag and
Last-Modified. The remote counterpart of `filesystem`: stat-only, it reads
the listing the ref carries (`RemoteObject`), not the bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..errors import NotMyFormat
from ..records import FileRef, Note, Record, TimeField
from .base import Context, Extractor, ExtractorDoc


@dataclass(frozen=True)
class ObjectRecord(Record):
    KIND: ClassVar[str] = "object"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        # S3 and HTTP both define the time as UTC (ISO 8601 Z; RFC 9110 GMT)
        "last_modified": TimeField("Object last modified (LastModified)", utc_by_format=True),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"owner": "user"}

    url: str = ""
    size: int | None = None
    etag: str | None = None
    version_id: str | None = None
    last_modified: dt.datetime | None = None
    storage_class: str | None = None
    owner: str | None = None
    multipart: bool | None = None  # an S3 ETag of the form md5-N: uploaded in N parts


class ObjectExtractor(Extractor):
    name = "object"
    version = "1.0"
    doc = ExtractorDoc(
        summary="A remote object's listing: ETag, version id, LastModified, storage class, "
        "owner (S3); ETag and Last-Modified (HTTP).",
        reads="The S3 ListObjectsV2 / ListObjectVersions entry of the object, or the HTTP "
        "HEAD response of a file in a web folder's listing.",
        references=(
            "Amazon S3 API Reference: ListObjectsV2, ListObjectVersions, GetObject",
            "RFC 9110 8.8 (Last-Modified, ETag)",
        ),
        limits="Times are the server's, to the second (S3 LastModified is when the object "
        "was last written, not when its content was made). An S3 ETag is the MD5 of the bytes "
        "only for single-part uploads without SSE-KMS; the worker checks that it is. A web "
        "server without ETag is identified on rescans by Last-Modified and size only.",
    )
    record_kinds = (ObjectRecord,)
    needs_bytes = False

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return ref.remote is not None and not ref.container

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        obj = ref.remote
        if obj is None or ref.container:
            raise NotMyFormat("not a remote object")
        when = dt.datetime.fromisoformat(obj.last_modified) if obj.last_modified else None
        scheme = "s3" if obj.protocol == "s3" else obj.protocol
        yield ObjectRecord(
            extractor=self.name,
            source="S3 listing" if obj.protocol == "s3" else "HTTP HEAD",
            url=f"s3://{obj.path}" if scheme == "s3" else obj.path,
            size=obj.size,
            etag=obj.etag,
            version_id=obj.version_id,
            last_modified=when,
            storage_class=obj.storage_class,
            owner=obj.owner,
            multipart=("-" in obj.etag) if obj.protocol == "s3" and obj.etag else None,
        )
