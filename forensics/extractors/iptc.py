"""IPTC-IIM: date and time created, digital creation, by-line, caption,
keywords and the rest of the envelope and application records.

From JPEG APP13 (Photoshop 8BIM resource 1028), PSD resource 1028 and TIFF
tag 33723. IIM is a flat list of tagged datasets (0x1C, record, dataset,
length, bytes): it is parsed here by hand, since the Python IPTC libraries
are JPEG-only and write files, which evidence handling forbids.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, RawTime, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .blocks import (
    PHOTOSHOP_JPEG_ID,
    jpeg_segments,
    photoshop_resources,
    psd_resources,
    tiff_ifd0_tag,
)
from .dates import parse_offset

NAMES = {
    (1, 90): "CodedCharacterSet",
    (1, 70): "DateSent",
    (1, 80): "TimeSent",
    (2, 5): "ObjectName",
    (2, 15): "Category",
    (2, 25): "Keywords",
    (2, 40): "SpecialInstructions",
    (2, 55): "DateCreated",
    (2, 60): "TimeCreated",
    (2, 62): "DigitalCreationDate",
    (2, 63): "DigitalCreationTime",
    (2, 65): "OriginatingProgram",
    (2, 70): "ProgramVersion",
    (2, 80): "By-line",
    (2, 85): "By-lineTitle",
    (2, 90): "City",
    (2, 95): "Province-State",
    (2, 100): "Country-PrimaryLocationCode",
    (2, 101): "Country-PrimaryLocationName",
    (2, 103): "OriginalTransmissionReference",
    (2, 105): "Headline",
    (2, 110): "Credit",
    (2, 115): "Source",
    (2, 116): "CopyrightNotice",
    (2, 120): "Caption-Abstract",
    (2, 122): "Writer-Editor",
}


@dataclass(frozen=True)
class IptcRecord(Record):
    KIND: ClassVar[str] = "iptc"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "by_line": "byline",
        "originating_program": "software",
    }
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "date_time_created": TimeField("IPTC DateCreated + TimeCreated"),
        "digital_creation": TimeField("IPTC DigitalCreationDate + DigitalCreationTime"),
        "date_sent": TimeField("IPTC DateSent + TimeSent (envelope)"),
    }

    date_time_created: TimeValue | None = None
    digital_creation: TimeValue | None = None
    date_sent: TimeValue | None = None
    by_line: tuple[str, ...] = ()
    caption: str | None = None
    keywords: tuple[str, ...] = ()
    headline: str | None = None
    originating_program: str | None = None
    datasets: dict[str, str] = field(default_factory=dict)


def parse_iim(data: bytes) -> list[tuple[int, int, bytes]]:
    """(record, dataset, value) in order; stops at the first malformed tag."""
    out, pos = [], 0
    while pos + 5 <= len(data):
        if data[pos] != 0x1C:
            break
        record, dataset = data[pos + 1], data[pos + 2]
        (length,) = struct.unpack_from(">H", data, pos + 3)
        pos += 5
        if length & 0x8000:  # extended dataset: the length's length follows
            size = length & 0x7FFF
            if size > 4:
                break
            length = int.from_bytes(data[pos : pos + size], "big")
            pos += size
        out.append((record, dataset, data[pos : pos + length]))
        pos += length
    return out


def _combine(date: str | None, time: str | None) -> TimeValue | None:
    """IIM 'CCYYMMDD' and 'HHMMSS±HHMM' as one timestamp."""
    if not date:
        return None
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", date.strip())
    if not m:
        return RawTime(f"{date} {time or ''}".strip())
    hour = minute = second = 0
    zone = None
    if time:
        t = re.fullmatch(r"(\d{2}):?(\d{2}):?(\d{2})?([+-]\d{2}:?\d{2})?", time.strip())
        if t:
            hour, minute, second = int(t.group(1)), int(t.group(2)), int(t.group(3) or 0)
            zone = parse_offset(t.group(4))
    try:
        return dt.datetime(
            int(m.group(1)),
            int(m.group(2)),
            int(m.group(3)),
            hour,
            minute,
            second,
            tzinfo=zone,
        )
    except ValueError:
        return RawTime(f"{date} {time or ''}".strip())


def record_from_iim(data: bytes, source: str, extractor: str = "iptc") -> IptcRecord | None:
    sets = parse_iim(data)
    if not sets:
        return None
    utf8 = any((r, d) == (1, 90) and b"\x1b%G" in v for r, d, v in sets)
    values: dict[str, list[str]] = {}
    for record, dataset, raw in sets:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8" if utf8 else "latin-1", "replace")
        name = NAMES.get((record, dataset), f"{record}:{dataset:03d}")
        values.setdefault(name, []).append(text.strip("\x00 "))

    def one(name: str) -> str | None:
        return values.get(name, [None])[0]

    return IptcRecord(
        extractor=extractor,
        source=source,
        date_time_created=_combine(one("DateCreated"), one("TimeCreated")),
        digital_creation=_combine(one("DigitalCreationDate"), one("DigitalCreationTime")),
        date_sent=_combine(one("DateSent"), one("TimeSent")),
        by_line=tuple(values.get("By-line", ())),
        caption=one("Caption-Abstract"),
        keywords=tuple(values.get("Keywords", ())),
        headline=one("Headline"),
        originating_program=one("OriginatingProgram"),
        datasets={k: "; ".join(v)[:500] for k, v in sorted(values.items())},
    )


def iptc_blocks(stream: BinaryIO, head: bytes) -> Iterator[tuple[str, bytes]]:
    if head.startswith(b"\xff\xd8"):
        for marker, payload in jpeg_segments(stream):
            if marker == 0xED and payload.startswith(PHOTOSHOP_JPEG_ID):
                for rid, data in photoshop_resources(payload[len(PHOTOSHOP_JPEG_ID) :]):
                    if rid == 1028:
                        yield "JPEG APP13 resource 1028", data
    elif head.startswith(b"8BPS"):
        for rid, data in psd_resources(stream):
            if rid == 1028:
                yield "PSD resource 1028", data
    elif head[:4] in (b"II*\x00", b"MM\x00*"):
        stream.seek(0)
        value = tiff_ifd0_tag(stream.read(64 * 1024 * 1024), 33723)
        if value:
            yield "TIFF tag 33723", value


class IptcExtractor(Extractor):
    name = "iptc"
    version = "1.0"
    doc = ExtractorDoc(
        summary="IPTC-IIM: date/time created, digital creation, date sent, by-line, caption, "
        "keywords, headline, originating program, every other dataset as text.",
        reads="JPEG APP13 (8BIM 1028), PSD resource 1028, TIFF tag 33723.",
        references=("IPTC Information Interchange Model 4.2",),
        limits="Character sets other than UTF-8 and Latin-1 are decoded as Latin-1.",
    )
    record_kinds = (IptcRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head.startswith((b"\xff\xd8", b"8BPS", b"II*\x00", b"MM\x00*"))

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        head = stream.read(8)
        found = False
        for where, data in list(iptc_blocks(stream, head)):
            record = record_from_iim(data, where, self.name)
            if record is None:
                if data.strip(b"\x00"):
                    raise CorruptInput(f"{where}: not IIM data")
                continue
            found = True
            yield record
        if not found:
            raise NotMyFormat("no IPTC")
