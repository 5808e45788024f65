"""EXIF from every carrier: JPEG APP1, TIFF, PNG eXIf, WebP, HEIC and the
PSD EXIF resource (1058).

exifread parses the TIFF structure (without MakerNotes: they are the slow,
fragile part and carry no dates we use); where it fails (it raises on some
real HEIC and TIFF files) Pillow, with pillow-heif for HEIC, tries again.
EXIF times are naive unless OffsetTime* gives their offset; GPS date and
time are UTC by the standard.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, ClassVar

import exifread

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, RawTime, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .blocks import (
    EXIF_JPEG_ID,
    heif_exif_tiff,
    heif_items,
    jpeg_segments,
    png_chunks,
    psd_resources,
)
from .dates import parse_exif_datetime
from .liberrors import EXIFREAD_ERRORS, PILLOW_ERRORS
from .makernote import MAKERS_READ, MakerNoteRecord, maker_note_records

logging.getLogger("exifread").setLevel(logging.CRITICAL)
logging.getLogger("PIL").setLevel(logging.CRITICAL)  # what it logs about bad bytes: problems

EXIF_MIMES = {
    "image/jpeg",
    "image/tiff",
    "image/png",
    "image/webp",
    "image/heic",
    "image/heif",
    "image/avif",
    "image/vnd.adobe.photoshop",
    "image/x-canon-cr2",
    "image/x-nikon-nef",
}


@dataclass(frozen=True)
class ExifRecord(Record):
    KIND: ClassVar[str] = "exif"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "software": "software",
        "artist": "author",
        "copyright": "copyright",
        "host_computer": "host",
        "make": "device",
        "model": "device",
    }
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "date_time": TimeField("EXIF DateTime (ModifyDate)", zone_evidence="naive"),
        "date_time_original": TimeField("EXIF DateTimeOriginal", zone_evidence="naive"),
        "date_time_digitized": TimeField("EXIF DateTimeDigitized (CreateDate)"),
        "gps_date_time": TimeField("EXIF GPS date and time", utc_by_format=True),
        "thumbnail_date_time": TimeField("EXIF IFD1 DateTime (thumbnail)"),
    }

    make: str | None = None
    model: str | None = None
    software: str | None = None
    artist: str | None = None
    copyright: str | None = None
    description: str | None = None
    host_computer: str | None = None
    date_time: TimeValue | None = None
    date_time_original: TimeValue | None = None
    date_time_digitized: TimeValue | None = None
    offset_time: str | None = None
    offset_time_original: str | None = None
    offset_time_digitized: str | None = None
    gps_latitude: float | None = None
    gps_longitude: float | None = None
    gps_altitude: float | None = None
    gps_date_time: TimeValue | None = None
    thumbnail_date_time: TimeValue | None = None
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    tags: dict[str, str] = field(default_factory=dict)


def _text(tags: dict[str, Any], *names: str) -> str | None:
    for name in names:
        if name in tags:
            value = str(tags[name].printable if hasattr(tags[name], "printable") else tags[name])
            value = value.strip("\x00 ")
            if value:
                return value
    return None


def _int(tags: dict[str, Any], *names: str) -> int | None:
    for name in names:
        tag = tags.get(name)
        values = getattr(tag, "values", None)
        if values and isinstance(values, list | tuple):
            with contextlib.suppress(TypeError, ValueError):
                return int(values[0])
    return None


def _ratio(value: Any) -> float:
    num = getattr(value, "num", None)
    if num is not None:
        den = value.den or 1
        return float(num) / float(den)
    return float(value)


def _gps_coordinate(tags: dict[str, Any], key: str, ref_key: str) -> float | None:
    tag = tags.get(key)
    values = getattr(tag, "values", None)
    if not values or len(values) < 3:
        return None
    try:
        deg, minutes, sec = (_ratio(v) for v in values[:3])
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = deg + minutes / 60 + sec / 3600
    ref = _text(tags, ref_key) or ""
    return -result if ref.upper().startswith(("S", "W")) else result


def _gps_time(tags: dict[str, Any]) -> TimeValue | None:
    date = _text(tags, "GPS GPSDate")
    stamp = getattr(tags.get("GPS GPSTimeStamp"), "values", None)
    if not date:
        return None
    if not stamp or len(stamp) < 3:
        value = parse_exif_datetime(date)
        return value if isinstance(value, RawTime) else None  # a date alone is no instant
    try:
        h, m, s = (_ratio(v) for v in stamp[:3])
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    whole = int(s)
    micro = round((s - whole) * 1_000_000)
    text = f"{date} {int(h):02d}:{int(m):02d}:{whole:02d}.{micro:06d}"
    value = parse_exif_datetime(text)
    return value.replace(tzinfo=dt.UTC) if isinstance(value, dt.datetime) else value


_KNOWN = {
    "Image Make",
    "Image Model",
    "Image Software",
    "Image Artist",
    "Image Copyright",
    "Image ImageDescription",
    "Image HostComputer",
    "Image DateTime",
    "EXIF DateTimeOriginal",
    "EXIF DateTimeDigitized",
    "EXIF SubSecTime",
    "EXIF SubSecTimeOriginal",
    "EXIF SubSecTimeDigitized",
    "EXIF OffsetTime",
    "EXIF OffsetTimeOriginal",
    "EXIF OffsetTimeDigitized",
    "GPS GPSDate",
    "GPS GPSTimeStamp",
    "Thumbnail DateTime",
}


def record_from_tags(tags: dict[str, Any], source: str, extractor: str = "exif") -> ExifRecord:
    """An ExifRecord from exifread-style tag names ("Image DateTime", ...)."""
    off = _text(tags, "EXIF OffsetTime", "EXIF Tag 0x9010")
    off_orig = _text(tags, "EXIF OffsetTimeOriginal", "EXIF Tag 0x9011")
    off_dig = _text(tags, "EXIF OffsetTimeDigitized", "EXIF Tag 0x9012")
    other = {}
    for key, value in tags.items():
        if key in _KNOWN or key.startswith(("JPEGThumbnail", "TIFFThumbnail", "MakerNote")):
            continue
        text = str(getattr(value, "printable", value))
        if len(text) <= 200:
            other[key] = text
    return ExifRecord(
        extractor=extractor,
        source=source,
        make=_text(tags, "Image Make"),
        model=_text(tags, "Image Model"),
        software=_text(tags, "Image Software"),
        artist=_text(tags, "Image Artist"),
        copyright=_text(tags, "Image Copyright"),
        description=_text(tags, "Image ImageDescription"),
        host_computer=_text(tags, "Image HostComputer"),
        date_time=parse_exif_datetime(
            _text(tags, "Image DateTime"), _text(tags, "EXIF SubSecTime"), off
        ),
        date_time_original=parse_exif_datetime(
            _text(tags, "EXIF DateTimeOriginal"), _text(tags, "EXIF SubSecTimeOriginal"), off_orig
        ),
        date_time_digitized=parse_exif_datetime(
            _text(tags, "EXIF DateTimeDigitized"), _text(tags, "EXIF SubSecTimeDigitized"), off_dig
        ),
        offset_time=off,
        offset_time_original=off_orig,
        offset_time_digitized=off_dig,
        gps_latitude=_gps_coordinate(tags, "GPS GPSLatitude", "GPS GPSLatitudeRef"),
        gps_longitude=_gps_coordinate(tags, "GPS GPSLongitude", "GPS GPSLongitudeRef"),
        gps_altitude=_gps_altitude(tags),
        gps_date_time=_gps_time(tags),
        thumbnail_date_time=parse_exif_datetime(_text(tags, "Thumbnail DateTime")),
        width=_int(tags, "EXIF ExifImageWidth", "Image ImageWidth"),
        height=_int(tags, "EXIF ExifImageLength", "Image ImageLength"),
        orientation=_int(tags, "Image Orientation"),
        tags=dict(sorted(other.items())),
    )


def _gps_altitude(tags: dict[str, Any]) -> float | None:
    values = getattr(tags.get("GPS GPSAltitude"), "values", None)
    if not values:
        return None
    try:
        alt = _ratio(values[0])
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    ref = getattr(tags.get("GPS GPSAltitudeRef"), "values", None)
    return -alt if ref and ref[0] == 1 else alt


def read_tiff_exif(data: bytes | BinaryIO) -> dict[str, Any]:
    """exifread's tags of a TIFF structure (or of a whole file it knows)."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    return dict(exifread.process_file(stream, details=False, extract_thumbnail=False))


_PIL_IFDS = {0x8769: "EXIF", 0x8825: "GPS"}


def read_with_pillow(stream: BinaryIO) -> dict[str, Any]:
    """The same tag names from Pillow (with pillow-heif for HEIC/AVIF)."""
    from PIL import ExifTags, Image

    with contextlib.suppress(ImportError):
        import pillow_heif

        pillow_heif.register_heif_opener()
    stream.seek(0)
    with Image.open(stream) as img:
        exif = img.getexif()
    out: dict[str, Any] = {}
    for tag, value in exif.items():
        out[f"Image {ExifTags.TAGS.get(tag, f'Tag 0x{tag:04X}')}"] = _PilTag(value)
    for ifd_id, prefix in _PIL_IFDS.items():
        names = ExifTags.GPSTAGS if prefix == "GPS" else ExifTags.TAGS
        for tag, value in exif.get_ifd(ifd_id).items():
            out[f"{prefix} {names.get(tag, f'Tag 0x{tag:04X}')}"] = _PilTag(value)
    with contextlib.suppress(KeyError, AttributeError):
        for tag, value in exif.get_ifd(ExifTags.IFD.IFD1).items():
            out[f"Thumbnail {ExifTags.TAGS.get(tag, tag)}"] = _PilTag(value)
    return out


class _PilTag:
    """Pillow values dressed as exifread tags (`printable`, `values`)."""

    def __init__(self, value: Any) -> None:
        if isinstance(value, bytes):
            value = value.decode("latin-1", "replace")
        self.values = list(value) if isinstance(value, tuple) else [value]
        self.printable = str(value)

    def __str__(self) -> str:
        return self.printable


# Raw formats that are not TIFF files, whose EXIF exifread does not find:
# Fujifilm RAF (an embedded JPEG's APP1), Sigma X3F (the same), Minolta MRW
# (a TIFF block in its TTW section), Panasonic RW2 (a TIFF whose magic is 0x55
# instead of 42). ExifTool reads their IFD0 and ExifIFD dates; so do we, from
# the embedded block. Their maker-note sections are not read.
_RAW_MAGIC = (b"FUJIFILMCCD-RAW", b"FOVb", b"\x00MRM", b"IIU\x00")
_RAW_SCAN = 64 * 2**20  # bytes searched for the embedded block
_TIFF_HEADERS = (b"II*\x00\x08\x00\x00\x00", b"MM\x00*\x00\x00\x00\x08")


def raw_exif_block(stream: BinaryIO) -> tuple[str, bytes] | None:
    """(where, TIFF bytes) of a raw file's embedded EXIF, if found."""
    stream.seek(0)
    data = stream.read(_RAW_SCAN)
    if data.startswith(b"IIU\x00"):
        return "RW2 (TIFF, magic 0x55)", b"II*\x00" + data[4:]
    at = data.find(EXIF_JPEG_ID + b"II*\x00")
    if at < 0:
        at = data.find(EXIF_JPEG_ID + b"MM\x00*")
    if at >= 0:
        return f"embedded EXIF at {at}", data[at + len(EXIF_JPEG_ID) :]
    for header in _TIFF_HEADERS:
        if (at := data.find(header, 1)) >= 0:
            return f"embedded TIFF at {at}", data[at:]
    return None


def exif_blocks(ref: FileRef, mime: str, stream: BinaryIO) -> Iterator[tuple[str, bytes | None]]:
    """(where, TIFF bytes) of each EXIF block; None bytes means: the whole
    file is the carrier (TIFF, HEIC, WebP)."""
    if mime == "image/jpeg":
        for marker, payload in jpeg_segments(stream):
            if marker == 0xE1 and payload.startswith(EXIF_JPEG_ID):
                yield "JPEG APP1", payload[len(EXIF_JPEG_ID) :]
    elif mime == "image/png":
        for ctype, data in png_chunks(stream, {b"eXIf"}):
            if ctype == b"eXIf":
                yield "PNG eXIf", data
    elif mime == "image/vnd.adobe.photoshop":
        for rid, data in psd_resources(stream):
            if rid == 1058:
                yield "PSD resource 1058", data
    elif mime == "raw":
        if found := raw_exif_block(stream):
            yield found
    else:
        yield mime, None


class ExifExtractor(Extractor):
    name = "exif"
    version = "1.0"
    doc = ExtractorDoc(
        summary="EXIF: camera and software, DateTime / Original / Digitized with SubSecTime* "
        "and OffsetTime*, GPS position and UTC time, image size.",
        reads="JPEG APP1, TIFF (and raw formats built on it), PNG eXIf, WebP, HEIC/AVIF "
        "(the Exif item through our own iinf/iloc walk where exifread refuses it), "
        "PSD resource 1058; the EXIF embedded in Fujifilm RAF, Sigma X3F, Minolta MRW and "
        "Panasonic RW2 raw files.",
        references=("CIPA DC-008-2023 (Exif 3.0)", "TIFF 6.0", "PNG 3rd ed. eXIf"),
        limits="Maker notes: Nikon (PowerUpTime, WorldTime's zone), Canon (TimeInfo's "
        "zone), Casio and Ricoh dates only (makernote.py). Only IFD0, ExifIFD, GPS and IFD1 "
        "are read; "
        "further IFDs of multi-page TIFFs give their DateTime only.",
    )
    record_kinds = (ExifRecord, MakerNoteRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return mime in EXIF_MIMES or head.startswith(_RAW_MAGIC)

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        mime = _mime_of(stream)
        found = False
        for where, block in list(exif_blocks(ref, mime, stream)):
            try:
                if block is not None:
                    tags = read_tiff_exif(block)
                else:
                    stream.seek(0)
                    tags = read_tiff_exif(stream)
            except EXIFREAD_ERRORS:  # exifread fails on some real files: Pillow's turn
                tags = {}
            if not tags and block is None and (tiff := _heif_exif(stream)) is not None:
                with contextlib.suppress(*EXIFREAD_ERRORS):
                    tags = read_tiff_exif(tiff)
                    where = "HEIF Exif item" if tags else where
            if not tags:
                try:
                    tags = read_with_pillow(io.BytesIO(block) if block else stream)
                except PILLOW_ERRORS as exc:
                    if block is not None:
                        raise CorruptInput(f"EXIF block in {where} unreadable: {exc}") from exc
                    tags = {}
            if tags:
                found = True
                yield record_from_tags(tags, where, self.name)
                if block is not None:
                    yield from maker_note_records(block)
                elif str(tags.get("Image Make", "")).strip().lower().startswith(MAKERS_READ):
                    yield from maker_note_records(_tiff_head(stream))  # a TIFF-based raw
        if mime == "other":
            for page, value in _later_tiff_pages(stream):
                found = True
                yield ExifRecord(extractor=self.name, source=f"TIFF IFD{page}", date_time=value)
        if not found:
            raise NotMyFormat("no EXIF")


def _later_tiff_pages(stream: BinaryIO, limit: int = 64) -> Iterator[tuple[int, TimeValue]]:
    """DateTime of a multi-page TIFF's pages after the second (exifread reads
    IFD0 and IFD1 only), through Pillow's page iterator."""
    from PIL import Image

    stream.seek(0)
    if stream.read(4) not in (b"II*\x00", b"MM\x00*"):
        return
    stream.seek(0)
    try:
        with Image.open(stream) as img:
            # Seek page by page: asking n_frames first walks every IFD of the
            # chain (quadratic in Pillow on a TIFF of 200,000 chained IFDs).
            for page in range(2, limit):
                img.seek(page)
                value = parse_exif_datetime(img.getexif().get(306))
                if value is not None:
                    yield page, value
    except EOFError:  # past the last page
        return
    except PILLOW_ERRORS:  # a damaged later page ends the walk, not the file
        return


_MAKER_NOTE_SCAN = 16 * 2**20  # bytes of a TIFF file its maker note is looked for in


def _tiff_head(stream: BinaryIO) -> bytes:
    """The start of a file that is a TIFF, where its maker note is looked
    for (empty for other carriers)."""
    stream.seek(0)
    head = stream.read(4)
    if head not in (b"II*\x00", b"MM\x00*"):
        return b""
    stream.seek(0)
    return stream.read(_MAKER_NOTE_SCAN)


def _heif_exif(stream: BinaryIO) -> bytes | None:
    """The TIFF bytes of a HEIF/AVIF file's Exif item, found by our own item
    walk (`blocks.heif_items`), for the files exifread refuses."""
    stream.seek(0)
    if stream.read(12)[4:8] != b"ftyp":
        return None
    try:
        for payload in heif_items(stream, b"Exif"):
            if (tiff := heif_exif_tiff(payload)) is not None:
                return tiff
    except (ValueError, IndexError, struct.error, OSError):
        return None
    return None


def _mime_of(stream: BinaryIO) -> str:
    """The carrier, from its signature (cheaper than sniffing again)."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"8BPS"):
        return "image/vnd.adobe.photoshop"
    if head.startswith(_RAW_MAGIC):
        return "raw"
    return "other"
