"""Dates in camera maker notes, which the exif extractor reads beside the
standard IFDs: Nikon's PowerUpTime (when the camera was switched on) and
WorldTime, Canon's TimeInfo (the zone the camera was set to, in minutes,
and daylight saving), Casio's FirmwareDate, Ricoh's RicohDate and
manufacture dates. The zone is kept as data; it does not date the EXIF
times, which stay naive as written.

Read by hand from the maker-note IFD, as ExifTool's Nikon.pm, Casio.pm and
Ricoh.pm lay them out: exifread decodes maker notes only with
`details=True`, thirty to a hundred times slower than without, and reads
Nikon's PowerUpTime at the wrong place (all zeros). Maker-note times are
the camera's clock with no zone: naive.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from ..records import RawTime, Record, TimeField, TimeValue
from .dates import parse_exif_datetime

_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
MAX_ENTRIES = 1000  # an IFD claiming more is damaged
MAKERS_READ = ("nikon", "canon", "casio", "ricoh")  # Make prefixes whose notes are read


@dataclass(frozen=True)
class MakerNoteRecord(Record):
    """A date, or the camera's zone setting, from a maker note."""

    KIND: ClassVar[str] = "maker_note"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {"when": TimeField("maker note date")}

    maker: str = ""
    tag: str = ""
    when: TimeValue | None = None
    # the zone the camera was set to (Nikon WorldTime): minutes east of UTC
    camera_utc_offset_minutes: int | None = None
    daylight_saving: bool | None = None

    def describe(self, name: str, spec: TimeField) -> TimeField:
        return TimeField(f"{self.maker} maker note {self.tag}")


def _ifd(data: bytes, at: int, order: str, base: int) -> dict[int, tuple[int, int, bytes, int]]:
    """tag -> (type, count, value bytes, where the value starts) of the IFD
    at `at`; value offsets are relative to `base`. Entries whose value lies
    outside the data are left out."""
    if at < 0 or at + 2 > len(data):
        return {}
    (count,) = struct.unpack_from(order + "H", data, at)
    out = {}
    for n in range(min(count, MAX_ENTRIES)):
        pos = at + 2 + 12 * n
        if pos + 12 > len(data):
            break
        tag, kind, number = struct.unpack_from(order + "HHI", data, pos)
        size = _SIZES.get(kind, 1) * number
        start = pos + 8
        if size > 4:
            (offset,) = struct.unpack_from(order + "I", data, pos + 8)
            start = base + offset
            if start < 0 or start + size > len(data):
                continue
        out[tag] = (kind, number, data[start : start + size], start)
    return out


def _tiff_order(data: bytes, at: int = 0) -> str | None:
    head = data[at : at + 4]
    return "<" if head == b"II*\x00" else ">" if head == b"MM\x00*" else None


def maker_note(tiff: bytes) -> tuple[str, bytes, int, str, int] | None:
    """(Make, the whole TIFF, the maker note's offset in it, the TIFF's byte
    order, the maker note's length) of an EXIF block, if it has one."""
    order = _tiff_order(tiff)
    if order is None or len(tiff) < 8:
        return None
    (first,) = struct.unpack_from(order + "I", tiff, 4)
    ifd0 = _ifd(tiff, first, order, 0)
    make = ifd0.get(0x010F, (0, 0, b"", 0))[2].split(b"\x00", 1)[0].decode("latin-1").strip()
    pointer = ifd0.get(0x8769)
    if pointer is None or len(pointer[2]) != 4:
        return None
    (exif_at,) = struct.unpack(order + "I", pointer[2])
    entry = _find_entry(tiff, exif_at, order, 0x927C)
    if entry is None:
        return None
    return make, tiff, entry[0], order, entry[1]


def _find_entry(data: bytes, at: int, order: str, wanted: int) -> tuple[int, int] | None:
    """(offset, byte count) of a tag's value (UNDEFINED) in the IFD at `at`."""
    if at < 0 or at + 2 > len(data):
        return None
    (count,) = struct.unpack_from(order + "H", data, at)
    for n in range(min(count, MAX_ENTRIES)):
        pos = at + 2 + 12 * n
        if pos + 12 > len(data):
            return None
        tag, _kind, number = struct.unpack_from(order + "HHI", data, pos)
        if tag == wanted:
            if number <= 4:
                return pos + 8, number
            (offset,) = struct.unpack_from(order + "I", data, pos + 8)
            return (offset, number) if offset + min(number, 16) <= len(data) else None
    return None


def _wall(year: int, month: int, day: int, hh: int, mm: int, ss: int) -> TimeValue:
    try:
        return dt.datetime(year, month, day, hh, mm, ss)  # noqa: DTZ001 - the camera's clock, no zone
    except ValueError:
        return RawTime(f"{year:04d}:{month:02d}:{day:02d} {hh:02d}:{mm:02d}:{ss:02d}")


def _bcd(byte: int) -> int:
    return (byte >> 4) * 10 + (byte & 15)


def _nikon(tiff: bytes, at: int) -> Iterator[MakerNoteRecord]:
    # type 3: "Nikon\0", version, then a TIFF of its own; offsets from its header
    if tiff[at : at + 6] != b"Nikon\x00" or (order := _tiff_order(tiff, at + 10)) is None:
        return
    base = at + 10
    (first,) = struct.unpack_from(order + "I", tiff, base + 4)
    tags = _ifd(tiff, base + first, order, base)
    power = tags.get(0x00B6)
    if power and len(power[2]) >= 7:
        raw = power[2]
        (year,) = struct.unpack(">H", raw[:2])  # big-endian whatever the note's order
        if year:
            yield MakerNoteRecord(
                extractor="exif",
                source="Nikon maker note",
                maker="Nikon",
                tag="PowerUpTime",
                when=_wall(year, *raw[2:7]),
            )
    world = tags.get(0x0024)
    if world and len(world[2]) >= 3:
        (zone,) = struct.unpack(order + "h", world[2][:2])
        if -14 * 60 <= zone <= 14 * 60:
            yield MakerNoteRecord(
                extractor="exif",
                source="Nikon maker note",
                maker="Nikon",
                tag="WorldTime",
                camera_utc_offset_minutes=zone,
                daylight_saving=bool(world[2][2]),
            )


def _casio(tiff: bytes, at: int, order: str) -> Iterator[MakerNoteRecord]:
    # type 2: "QVC\0\0\0", then an IFD whose offsets count from the TIFF header
    if tiff[at : at + 6] != b"QVC\x00\x00\x00":
        return
    firmware = _ifd(tiff, at + 6, order, 0).get(0x2001)
    if firmware:
        parts = [p for p in firmware[2].split(b"\x00") if p]
        digits = b"".join(parts).decode("latin-1")
        if len(digits) >= 10 and digits[:10].isdigit():  # YYMMDDhhmm
            year = int(digits[:2])
            year += 1900 if year >= 70 else 2000
            value = _wall(
                year, int(digits[2:4]), int(digits[4:6]), int(digits[6:8]), int(digits[8:10]), 0
            )
            yield MakerNoteRecord(
                extractor="exif",
                source="Casio maker note",
                maker="Casio",
                tag="FirmwareDate",
                when=value,
            )


def _ricoh(tiff: bytes, at: int) -> Iterator[MakerNoteRecord]:
    # "Ricoh" or "RICOH" and three bytes, then a big-endian IFD whose offsets
    # count from the TIFF header
    if tiff[at : at + 5].upper() != b"RICOH":
        return
    tags = _ifd(tiff, at + 8, ">", 0)
    info = tags.get(0x1001)  # ImageInfo: the shot's time in BCD at byte 6
    if info and len(info[2]) >= 13 and info[2][6] in (0x19, 0x20):
        d = [_bcd(b) for b in info[2][6:13]]
        when = _wall(d[0] * 100 + d[1], *d[2:7])
        yield MakerNoteRecord(
            extractor="exif", source="Ricoh maker note", maker="Ricoh", tag="RicohDate", when=when
        )
    sub = tags.get(0x2001)  # "[Ricoh Camera Info]": an IFD of its own, offsets from its start
    if sub and sub[2].startswith(b"[Ricoh Camera Info]\x00"):
        inner = _ifd(tiff, sub[3] + 20, ">", sub[3])
        for tag, name in ((0x0004, "ManufactureDate1"), (0x0005, "ManufactureDate2")):
            found = inner.get(tag)
            text = found[2].split(b"\x00", 1)[0].decode("latin-1").strip() if found else ""
            if text and not text.startswith("0000"):
                yield MakerNoteRecord(
                    extractor="exif",
                    source="Ricoh maker note",
                    maker="Ricoh",
                    tag=name,
                    when=parse_exif_datetime(text),
                )


def _canon(tiff: bytes, at: int, order: str, length: int) -> Iterator[MakerNoteRecord]:
    # No header: an IFD in the TIFF's byte order, offsets from the TIFF
    # header. Software that moves the note leaves Canon's footer, a TIFF
    # magic and the note's original offset, by which ExifTool shifts them.
    base = 0
    footer = tiff[at + length - 8 : at + length]
    if len(footer) == 8 and footer[:4] in (b"II*\x00", b"MM\x00*"):
        (original,) = struct.unpack(("<" if footer[0] == 0x49 else ">") + "I", footer[4:])
        base = at - original
    info = _ifd(tiff, at, order, base).get(0x0035)  # TimeInfo: size, zone, city, DST
    if info and info[0] in (4, 9) and len(info[2]) >= 16:
        _size, zone, _city, dst = struct.unpack(order + "4i", info[2][:16])
        if -14 * 60 <= zone <= 14 * 60:
            yield MakerNoteRecord(
                extractor="exif",
                source="Canon maker note",
                maker="Canon",
                tag="TimeInfo",
                camera_utc_offset_minutes=zone,
                daylight_saving=bool(dst),
            )


def maker_note_records(tiff: bytes) -> Iterator[MakerNoteRecord]:
    """The maker-note records of one EXIF block (none if it has no maker
    note, or one of a maker not read here)."""
    try:
        found = maker_note(tiff)
        if found is None:
            return
        make, data, at, order, length = found
        maker = make.lower()
        if maker.startswith("nikon"):
            yield from _nikon(data, at)
        elif maker.startswith("casio"):
            yield from _casio(data, at, order)
        elif maker.startswith("ricoh"):
            yield from _ricoh(data, at)
        elif maker.startswith("canon"):
            yield from _canon(data, at, order, length)
    except (struct.error, ValueError, IndexError):
        return
