"""Parsers for the date formats that metadata is written in. Each returns an
aware datetime when the text carries an offset, a naive one when it does
not, a `RawTime` when the text is there but is no valid date (kept as
written), and None only when there is no text at all."""

from __future__ import annotations

import datetime as dt
import re

from ..records import RawTime, TimeValue

_EXIF = re.compile(
    r"\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,9}))?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_ISO = re.compile(
    r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?)?)?\s*$"
)
_PDF = re.compile(
    r"\s*D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(Z|[+-]\d{2}'?\d{2}'?|[+-]\d{2})?"
)


def parse_offset(text: str | None) -> dt.tzinfo | None:
    """'+09:00', '+0900', '-05', 'Z' (and PDF's +09'00') as a fixed zone."""
    if not text:
        return None
    t = text.strip().replace("'", "")
    if t in ("Z", "z"):
        return dt.UTC
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?", t)
    if not m:
        return None
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return dt.timezone(dt.timedelta(minutes=minutes if m.group(1) == "+" else -minutes))


def _build(parts: list[str | None], frac: str | None, zone: dt.tzinfo | None) -> dt.datetime:
    year, month, day, hour, minute, second = (int(p) if p else 0 for p in parts)
    micro = int((frac or "0")[:6].ljust(6, "0"))
    return dt.datetime(year, month or 1, day or 1, hour, minute, second, micro, tzinfo=zone)


def parse_exif_datetime(
    text: str | bytes | None, subsec: str | None = None, offset: str | None = None
) -> TimeValue | None:
    """EXIF 'YYYY:MM:DD HH:MM:SS', with SubSecTime* and OffsetTime* if given."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    if text is None:
        return None
    text = text.strip("\x00 \t\r\n")
    if not text:
        return None
    m = _EXIF.match(text)
    if not m:
        return RawTime(text)
    frac = m.group(7) or (
        subsec.strip("\x00 ") if subsec and subsec.strip("\x00 ").isdigit() else None
    )
    zone = parse_offset(m.group(8)) or parse_offset(offset)
    try:
        return _build([m.group(i) for i in range(1, 7)], frac, zone)
    except ValueError:
        return RawTime(text)


def parse_iso8601(text: str | None) -> TimeValue | None:
    """XMP and ISO 8601 dates ('2024-04-01T10:00:00.5+09:00', '2024-04',
    '2024-04-01T10:00Z'). Date-only values are kept as naive midnight."""
    if text is None or not text.strip():
        return None
    m = _ISO.match(text)
    if not m:
        return parse_exif_datetime(text)  # some writers use EXIF's colons in XMP
    try:
        return _build([m.group(i) for i in range(1, 7)], m.group(7), parse_offset(m.group(8)))
    except ValueError:
        return RawTime(text.strip())


def parse_pdf_date(text: str | None) -> TimeValue | None:
    """PDF 'D:YYYYMMDDHHmmSSOHH'mm'' (every part after the year optional)."""
    if text is None or not str(text).strip():
        return None
    m = _PDF.match(str(text))
    if not m:
        return RawTime(str(text).strip())
    try:
        return _build([m.group(i) for i in range(1, 7)], None, parse_offset(m.group(7)))
    except ValueError:
        return RawTime(str(text).strip())


FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)


def parse_filetime(ticks: int) -> dt.datetime | None:
    """A Windows FILETIME (100 ns ticks since 1601, UTC): zip NTFS extra
    fields, ASF, OLE property sets. Zero means "not set"; a count past the
    year 9999 is no time either."""
    if not ticks:
        return None
    try:
        return FILETIME_EPOCH + dt.timedelta(microseconds=ticks // 10)
    except OverflowError:
        return None
