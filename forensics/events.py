"""Events: one per timestamp a record holds.

This is the only module that turns records into events: each record kind
declares its datetime fields in `TIME_FIELDS`, and `events_for` reads them.
A naive time stays naive: its `utc` is empty and its zone basis `unknown`
unless an assumed zone is given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .records import RawTime, Record, TimeValue

ZoneBasis = str  # explicit | assumed | utc | unknown


@dataclass(frozen=True)
class Event:
    field: str  # record kind and field name: "archive_entry.ext_mtime"
    description: str
    extractor: str
    local: str  # wall-clock time as written, ISO 8601 without offset
    offset: str | None  # "+09:00" when known
    utc: str | None  # ISO 8601 with "+00:00", None when the zone is unknown
    zone_basis: ZoneBasis
    flag: str | None = None  # unparsable, epoch_default, far_future, implausible

    def row(self) -> tuple[str, str, str, str, str | None, str | None, str, str | None]:
        """The values in column order (dataclasses.astuple deep-copies: slow)."""
        return (
            self.field,
            self.description,
            self.extractor,
            self.local,
            self.offset,
            self.utc,
            self.zone_basis,
            self.flag,
        )


def parse_zone(text: str) -> dt.tzinfo:
    """'+09:00', '-0530', 'UTC', 'Z' or an IANA name such as 'Asia/Pyongyang'."""
    value = text.strip()
    if value.upper() in ("UTC", "Z", "GMT"):
        return dt.UTC
    m = re.fullmatch(r"(?:UTC)?([+-])(\d{1,2}):?(\d{2})?", value)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        delta = dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        if delta > dt.timedelta(hours=14):
            raise ValueError(f"offset out of range: {text!r}")
        return dt.timezone(sign * delta)
    try:
        return ZoneInfo(value)
    except (KeyError, ValueError) as exc:
        raise ValueError(f"not a UTC offset or time zone name: {text!r}") from exc


def as_zone(tz: str | dt.tzinfo) -> dt.tzinfo:
    """A zone given as text (see `parse_zone`) or as a tzinfo, as a tzinfo."""
    return parse_zone(tz) if isinstance(tz, str) else tz


def format_offset(delta: dt.timedelta | None) -> str | None:
    if delta is None:
        return None
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


# Values that tools write when they know no better: QuickTime's and the
# Mac's zero, the Unix epoch, DOS's first day, Windows' FILETIME zero.
_DEFAULT_INSTANTS = {
    dt.datetime(1904, 1, 1),  # noqa: DTZ001 - compared as wall-clock
    dt.datetime(1970, 1, 1),  # noqa: DTZ001
    dt.datetime(1980, 1, 1),  # noqa: DTZ001
    dt.datetime(1601, 1, 1),  # noqa: DTZ001
}


def time_flag(value: TimeValue, now: dt.datetime | None = None) -> str | None:
    """Why a timestamp should not be trusted as is, if it should not."""
    if isinstance(value, RawTime):
        return "unparsable"
    wall = value.replace(tzinfo=None)
    if wall.replace(microsecond=0) in _DEFAULT_INSTANTS:
        return "epoch_default"
    if wall.year < 1900:
        return "implausible"
    now = now or dt.datetime.now(dt.UTC)
    if wall.year > now.year + 1:
        return "far_future"
    return None


def make_event(
    record: Record,
    name: str,
    description: str,
    utc_by_format: bool,
    value: TimeValue,
    assume_tz: dt.tzinfo | None = None,
) -> Event:
    field = f"{record.KIND}.{name}"
    flag = time_flag(value)
    if isinstance(value, RawTime):
        return Event(field, description, record.extractor, value.text, None, None, "unknown", flag)
    if value.tzinfo is None:
        local = value.isoformat()
        if assume_tz is None:
            return Event(field, description, record.extractor, local, None, None, "unknown", flag)
        return assume(
            Event(field, description, record.extractor, local, None, None, "unknown", flag),
            assume_tz,
        )
    return Event(
        field,
        description,
        record.extractor,
        value.replace(tzinfo=None).isoformat(),
        format_offset(value.utcoffset()),
        value.astimezone(dt.UTC).isoformat(),
        "utc" if utc_by_format else "explicit",
        flag,
    )


def assume(event: Event, zone: dt.tzinfo) -> Event:
    """An unknown-zone event read as wall-clock time in `zone` (an IANA zone
    gives each instant its offset of the day, e.g. Pyongyang's +08:30 years)."""
    if event.zone_basis not in ("unknown", "assumed") or event.flag == "unparsable":
        return event
    utc, offset = localize(event.local, zone)
    return dataclasses.replace(event, offset=offset, utc=utc, zone_basis="assumed")


def localize(local: str, zone: dt.tzinfo) -> tuple[str, str | None]:
    """(UTC instant, offset) of a wall-clock ISO time read in `zone`."""
    aware = dt.datetime.fromisoformat(local).replace(tzinfo=zone)
    return aware.astimezone(dt.UTC).isoformat(), format_offset(aware.utcoffset())


def events_for(records: Iterable[Record], assume_tz: dt.tzinfo | None = None) -> list[Event]:
    """Every timestamp the records hold, as events, in record order."""
    return [
        make_event(rec, name, spec.description, spec.utc_by_format, value, assume_tz)
        for rec in records
        for name, spec, value in rec.times()
    ]
