"""PDF (pypdf): the document information dictionary (CreationDate, ModDate,
Producer, Creator, Author, Title), page count, encryption, and how many
times the file was saved incrementally (each update appends an %%EOF). The
XMP metadata stream is read by the xmp extractor.

A PDF saved by Photoshop keeps the image's Photoshop resources in each
page's `/PieceInfo /AdobePhotoshop /Private /ImageResources` stream; the
EXIF among them (resource 1058) is read here, as ExifTool reads it, with
the photo's own DateTimeOriginal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, ClassVar

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .blocks import MAX_BLOCK, photoshop_resources
from .dates import parse_pdf_date
from .exif import ExifRecord, read_tiff_exif, record_from_tags
from .liberrors import EXIFREAD_ERRORS, pypdf_errors

logging.getLogger("pypdf").setLevel(logging.CRITICAL)
SCAN_BYTES = 64 * 1024 * 1024
MAX_PAGES = 1000  # pages whose Photoshop resources are looked for


@dataclass(frozen=True)
class PdfRecord(Record):
    KIND: ClassVar[str] = "pdf"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "author": "author",
        "creator": "software",
        "producer": "software",
    }
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "creation_date": TimeField("PDF CreationDate"),
        "mod_date": TimeField("PDF ModDate", zone_evidence="naive"),
    }

    version: str | None = None
    creation_date: TimeValue | None = None
    mod_date: TimeValue | None = None
    producer: str | None = None
    creator: str | None = None
    author: str | None = None
    title: str | None = None
    subject: str | None = None
    pages: int | None = None
    encrypted: bool = False
    incremental_updates: int = 0
    info: dict[str, str] = field(default_factory=dict)


class PdfExtractor(Extractor):
    name = "pdf"
    version = "1.0"
    doc = ExtractorDoc(
        summary="PDF info dictionary dates (D:YYYYMMDDHHmmSS+HH'mm'), Producer, Creator, "
        "Author, Title; pages; encryption; incremental updates.",
        reads="The trailer and document information dictionary, via pypdf (lenient mode); "
        "the EXIF in pages' Photoshop resources (PieceInfo AdobePhotoshop ImageResources).",
        references=("ISO 32000-2:2020 14.3.3 and 7.9.4 (dates)",),
        limits="Encrypted files: only what is readable without the password. Photoshop "
        f"resources are looked for on the first {MAX_PAGES} pages.",
    )
    record_kinds = (PdfRecord, ExifRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head[:1024].lstrip().startswith(b"%PDF") or mime == "application/pdf"

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        from pypdf import PdfReader

        stream.seek(0)
        head = stream.read(1024)
        if b"%PDF" not in head:
            raise NotMyFormat("not a PDF")
        stream.seek(0)
        updates = stream.read(SCAN_BYTES).count(b"%%EOF")
        stream.seek(0)
        try:
            reader = PdfReader(stream, strict=False)
            encrypted = reader.is_encrypted
            raw = reader.trailer.get("/Info")
            info = {str(k): str(v) for k, v in (raw.get_object() if raw else {}).items()}
            pages = None if encrypted else len(reader.pages)
            version = reader.pdf_header.lstrip("%PDF-") or None
        except pypdf_errors() as exc:
            raise CorruptInput(f"pypdf could not read it: {type(exc).__name__}: {exc}") from exc
        yield PdfRecord(
            extractor=self.name,
            source="PDF info dictionary",
            version=version,
            creation_date=parse_pdf_date(info.get("/CreationDate")),
            mod_date=parse_pdf_date(info.get("/ModDate")),
            producer=info.get("/Producer"),
            creator=info.get("/Creator"),
            author=info.get("/Author"),
            title=info.get("/Title"),
            subject=info.get("/Subject"),
            pages=pages,
            encrypted=bool(encrypted),
            incremental_updates=max(updates - 1, 0),
            info={k: v[:500] for k, v in sorted(info.items())},
        )
        if encrypted:
            return
        try:
            found = list(_photoshop_exif(reader))
        except pypdf_errors() as exc:
            ctx.warn("corrupt", f"page Photoshop resources unreadable: {type(exc).__name__}: {exc}")
            return
        for where, block in found:
            try:
                tags = read_tiff_exif(block)
            except EXIFREAD_ERRORS as exc:
                ctx.warn("corrupt", f"{where}: EXIF unreadable: {type(exc).__name__}: {exc}")
                continue
            if tags:
                yield record_from_tags(tags, where, self.name)


def _photoshop_exif(reader: Any) -> Iterator[tuple[str, bytes]]:
    """(where, TIFF bytes) of the EXIF resource of each page's Photoshop
    resources."""
    for number, page in enumerate(reader.pages[:MAX_PAGES], 1):
        piece = page.get("/PieceInfo")
        photoshop = piece.get_object().get("/AdobePhotoshop") if piece else None
        private = photoshop.get_object().get("/Private") if photoshop else None
        resources = private.get_object().get("/ImageResources") if private else None
        if resources is None:
            continue
        data = resources.get_object().get_data()
        if len(data) > MAX_BLOCK:
            continue
        for rid, block in photoshop_resources(data):
            if rid == 1058:
                yield f"PDF page {number} Photoshop resource 1058", block
