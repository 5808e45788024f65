"""Events (one per timestamp) and the change volume per period.

This is the only module that turns records into events: each record kind
declares its datetime fields in `TIME_FIELDS`, and `events_for` reads them.
A naive time stays naive: its `utc` is empty and its zone basis `unknown`
unless an assumed zone is given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd

from .records import Record

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


def format_offset(delta: dt.timedelta | None) -> str | None:
    if delta is None:
        return None
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def make_event(
    record: Record,
    name: str,
    description: str,
    utc_by_format: bool,
    value: dt.datetime,
    assume_tz: dt.tzinfo | None = None,
) -> Event:
    field = f"{record.KIND}.{name}"
    if value.tzinfo is None:
        if assume_tz is None:
            return Event(
                field, description, record.extractor, value.isoformat(), None, None, "unknown"
            )
        aware = value.replace(tzinfo=assume_tz)
        return Event(
            field,
            description,
            record.extractor,
            value.isoformat(),
            format_offset(aware.utcoffset()),
            aware.astimezone(dt.UTC).isoformat(),
            "assumed",
        )
    return Event(
        field,
        description,
        record.extractor,
        value.replace(tzinfo=None).isoformat(),
        format_offset(value.utcoffset()),
        value.astimezone(dt.UTC).isoformat(),
        "utc" if utc_by_format else "explicit",
    )


def events_for(records: Iterable[Record], assume_tz: dt.tzinfo | None = None) -> list[Event]:
    """Every timestamp the records hold, as events, in record order."""
    return [
        make_event(rec, name, spec.description, spec.utc_by_format, value, assume_tz)
        for rec in records
        for name, spec, value in rec.times()
    ]


# Which event dates a file, best first: a UTC time written by the archiver
# beats the archiver's naive DOS time, which beats the filesystem's mtime
# (on a server copy, the mtime is often the upload time, not the work time).
FILE_TIME_PRIORITY = (
    "archive_entry.ext_mtime",
    "archive_entry.ntfs_mtime",
    "archive_entry.tar_mtime",
    "archive_entry.gzip_mtime",
    "archive_entry.dos_time",
    "filesystem.mtime",
)

# Period frequencies: hours, days, weeks starting on Monday.
FREQS = {"H": "h", "D": "D", "W": "W-SUN"}


def file_times(files: pd.DataFrame, events: pd.DataFrame, tz: dt.tzinfo) -> pd.DataFrame:
    """One time per regular file, by FILE_TIME_PRIORITY, as wall-clock in `tz`.

    A naive time (zone unknown, none assumed) is read as wall-clock in `tz`:
    the analyst who asks for the timeline in +09:00 is saying the naive times
    are that zone's too. Columns: path, size, time (naive wall-clock in tz),
    basis (the event field used)."""
    regular = files[(files["kind"] == "file") & (files["status"] != "gone")][["path", "size"]]
    ranked = events[events["field"].isin(FILE_TIME_PRIORITY)].copy()
    ranked["rank"] = ranked["field"].map({f: i for i, f in enumerate(FILE_TIME_PRIORITY)})
    ranked = ranked.sort_values(["path", "rank"]).drop_duplicates("path")
    wall = []
    for utc, local in zip(ranked["utc"], ranked["local"], strict=True):
        if pd.notna(utc):
            wall.append(pd.Timestamp(utc).tz_convert(tz).tz_localize(None))
        else:
            wall.append(pd.Timestamp(local))
    ranked["time"] = pd.Series(wall, index=ranked.index, dtype="datetime64[us]")
    out = regular.merge(ranked[["path", "time", "field"]], on="path", how="left")
    return out.rename(columns={"field": "basis"})


def volume(
    files: pd.DataFrame, events: pd.DataFrame, freq: str = "D", tz: str | dt.tzinfo = "UTC"
) -> pd.DataFrame:
    """Files and bytes per period, every period between the first and the
    last present (zeros included, so that charts do not lie)."""
    zone = parse_zone(tz) if isinstance(tz, str) else tz
    if freq.upper() not in FREQS:
        raise ValueError(f"frequency must be one of {', '.join(FREQS)}, not {freq!r}")
    pfreq = FREQS[freq.upper()]
    times = file_times(files, events, zone).dropna(subset=["time"])
    if times.empty:
        return pd.DataFrame({"period": [], "files": [], "bytes": []})
    periods = times["time"].dt.to_period(pfreq)
    grouped = times.groupby(periods).agg(files=("path", "count"), bytes=("size", "sum"))
    full = pd.period_range(grouped.index.min(), grouped.index.max(), freq=pfreq)
    grouped = grouped.reindex(full, fill_value=0)
    fmt = "%Y-%m-%d %H:00" if pfreq == "h" else "%Y-%m-%d"
    return pd.DataFrame(
        {
            "period": [p.start_time.strftime(fmt) for p in grouped.index],
            "files": grouped["files"].astype("int64").to_numpy(),
            "bytes": grouped["bytes"].fillna(0).astype("int64").to_numpy(),
        }
    )
