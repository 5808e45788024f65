"""PNG: header, text chunks (tEXt, zTXt, iTXt), tIME, and bytes hidden after
IEND. EXIF in eXIf is read by the exif extractor and XMP in iTXt by the xmp
extractor; this one also decodes ImageMagick's hex-encoded
"Raw profile type exif" text, a common home for EXIF in converted PNGs.

Chunks are walked by hand (blocks.png_chunks): Pillow drops tIME and
anything after IEND, and stops at the first bad CRC.
"""

from __future__ import annotations

import binascii
import datetime as dt
import email.utils
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, ClassVar

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, RawTime, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .blocks import MAX_BLOCK, inflate, png_chunks
from .dates import parse_exif_datetime, parse_iso8601
from .exif import ExifRecord, read_tiff_exif, record_from_tags
from .liberrors import EXIFREAD_ERRORS

TEXT_LIMIT = 4096  # characters kept of one text value in the record
MAX_TEXT_BYTES = 64 * 2**20  # text inflated from one file's chunks, all together


@dataclass(frozen=True)
class PngRecord(Record):
    KIND: ClassVar[str] = "png"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "modified": TimeField(
            "PNG tIME (last modification)", utc_by_format=True, zone_evidence="utc"
        )
    }

    width: int = 0
    height: int = 0
    bit_depth: int = 0
    color_type: int = 0
    interlace: int = 0
    modified: TimeValue | None = None
    chunks: tuple[str, ...] = ()
    bytes_after_iend: int = 0


@dataclass(frozen=True)
class PngTextRecord(Record):
    """One text chunk; `when` is set when its value is a date."""

    KIND: ClassVar[str] = "png_text"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "when": TimeField("PNG text date", zone_evidence="naive")
    }

    keyword: str = ""
    text: str = ""
    chunk: str = ""
    language: str | None = None
    translated_keyword: str | None = None
    when: TimeValue | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def describe(self, name: str, spec: TimeField) -> TimeField:
        return TimeField(f"PNG {self.chunk} {self.keyword}")

    @classmethod
    def entity_fields(cls, body: dict[str, Any]) -> dict[str, str]:
        """The PNG specification's Author and Software keywords name their
        text's role (section 11.3.4.2); other keywords are free text."""
        role = _ENTITY_KEYWORDS.get(str(body.get("keyword", "")).lower())
        return {"text": role} if role else {}


_ENTITY_KEYWORDS = {"author": "author", "software": "software", "copyright": "copyright"}


def _decode_text(
    ctype: bytes, data: bytes, limit: int = MAX_BLOCK
) -> tuple[str, str, str | None, str | None]:
    """(keyword, text, language, translated keyword) of a text chunk, its
    compressed text inflated to at most `limit` bytes."""
    key, _, rest = data.partition(b"\x00")
    keyword = key.decode("latin-1")
    if ctype == b"tEXt":
        return keyword, rest.decode("latin-1"), None, None
    if ctype == b"zTXt":
        return keyword, inflate(rest[1:], limit).decode("latin-1"), None, None
    compressed = rest[:1] == b"\x01"
    lang, _, rest = rest[2:].partition(b"\x00")
    tkey, _, text = rest.partition(b"\x00")
    raw = inflate(text, limit) if compressed else text
    return (
        keyword,
        raw.decode("utf-8", "replace"),
        lang.decode("latin-1") or None,
        tkey.decode("utf-8", "replace") or None,
    )


def _as_date(text: str) -> TimeValue | None:
    """A text value that is a date, in the shapes writers use: ISO 8601,
    EXIF's colons, or RFC 1123 ("Fri, 19 Sep 2003 18:39:32 GMT"), which the
    PNG specification recommends for Creation Time (11.3.4.2). An RFC 1123
    zone of -0000 means "not known": naive."""
    value = text.strip()
    if len(value) > 40 or len(value) < 10:
        return None
    if not value[:4].isdigit():
        if not value[:1].isalpha() and not value[:2].strip().isdigit():
            return None
        try:
            return email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    parsed = parse_iso8601(value) if value[4] == "-" else parse_exif_datetime(value)
    return parsed if isinstance(parsed, dt.datetime) else None


def _raw_profile(text: str) -> bytes:
    """ImageMagick 'Raw profile type NAME': '\\nNAME\\n  LENGTH\\nHEX...'."""
    lines = text.strip().split("\n", 2)
    if len(lines) < 3:
        return b""
    return binascii.unhexlify("".join(lines[2].split()))


class PngExtractor(Extractor):
    name = "png"
    version = "1.0"
    doc = ExtractorDoc(
        summary="PNG header, tEXt/zTXt/iTXt text (dates among them become timestamps), "
        "tIME, ImageMagick raw EXIF profiles, and data after IEND (flagged).",
        reads="Every chunk header; the text, tIME and IHDR chunks' data.",
        references=("PNG Specification, 3rd edition (W3C)", "ImageMagick png.c raw profiles"),
        limits="Text values are kept up to 4,096 characters in the record.",
    )
    record_kinds = (PngRecord, PngTextRecord, ExifRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head.startswith(b"\x89PNG\r\n\x1a\n")

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        if stream.read(8) != b"\x89PNG\r\n\x1a\n":
            raise NotMyFormat("not a PNG")
        want = {b"IHDR", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
        header: tuple[int, ...] = (0, 0, 0, 0, 0, 0, 0)
        modified: TimeValue | None = None
        names: list[str] = []
        after = 0
        budget = MAX_TEXT_BYTES
        for ctype, data in png_chunks(stream, want):
            names.append(ctype.decode("latin-1"))
            if ctype == b"IHDR" and len(data) >= 13:
                header = struct.unpack(">IIBBBBB", data[:13])
            elif ctype == b"tIME" and len(data) >= 7:
                modified = _time_chunk(data)
            elif ctype in (b"tEXt", b"zTXt", b"iTXt"):
                if data.startswith(b"XML:com.adobe.xmp\x00"):
                    continue  # the xmp extractor's: not inflated twice
                if budget <= 0:
                    continue
                try:
                    decoded = _decode_text(ctype, data, budget)
                except zlib.error as exc:  # a broken zlib stream in one chunk: the others are read
                    ctx.warn("corrupt", f"{ctype.decode()} chunk unreadable: {exc}")
                    continue
                budget -= len(decoded[1])
                yield from self._text(ctype, *decoded, ctx)
                if budget <= 0:
                    ctx.warn(
                        "limit_exceeded",
                        f"text chunks past {MAX_TEXT_BYTES} characters in all: the rest not read",
                    )
            elif ctype == b"<after-IEND>":
                after = len(data)
        yield PngRecord(
            extractor=self.name,
            source="PNG chunks",
            width=header[0],
            height=header[1],
            bit_depth=header[2],
            color_type=header[3],
            interlace=header[6],
            modified=modified,
            chunks=tuple(n for n in names if n != "<after-IEND>"),
            bytes_after_iend=after,
        )
        if "IEND" not in names:
            raise CorruptInput("no IEND chunk: the file is truncated")
        if after:
            raise CorruptInput(f"{after} bytes after IEND (appended data)")

    def _text(
        self,
        ctype: bytes,
        keyword: str,
        text: str,
        lang: str | None,
        tkey: str | None,
        ctx: Context,
    ) -> Iterator[Record]:
        if keyword.startswith("Raw profile type exif") or keyword == "Raw profile type APP1":
            try:
                profile = _raw_profile(text)
                start = profile.find(b"Exif\x00\x00")
                tiff = profile[start + 6 :] if start >= 0 else profile
                tags = read_tiff_exif(tiff)
            except EXIFREAD_ERRORS as exc:  # binascii.Error is a ValueError
                ctx.warn("corrupt", f"PNG {keyword}: raw EXIF profile unreadable: {exc}")
                tags = {}
            if tags:
                yield record_from_tags(tags, f"PNG {keyword}", self.name)
            return
        yield PngTextRecord(
            extractor=self.name,
            source=f"PNG {ctype.decode()}",
            keyword=keyword,
            text=text[:TEXT_LIMIT],
            chunk=ctype.decode(),
            language=lang,
            translated_keyword=tkey,
            when=_as_date(text),
        )


def _time_chunk(data: bytes) -> TimeValue:
    year, month, day, hour, minute, second = struct.unpack(">HBBBBB", data[:7])
    try:
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except ValueError:
        return RawTime(f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}")
