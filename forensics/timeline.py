"""Events (one per timestamp) and the change volume per period.

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
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .records import RawTime, Record, TimeValue

if TYPE_CHECKING:  # pandas is imported where a DataFrame is made: writers and
    import pandas as pd  # workers never need it, and it costs a third of a second

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


# The fields that say when a file's content was last made, and the rule
# that picks one per file (README, "The timeline"): an explicit offset beats
# a time the format defines as UTC, which beats an assumed or unknown zone;
# the filesystem mtime comes last (on a server copy it is the upload time),
# and an archive member's own entry time beats the archive's mtime (a
# member has no filesystem time at all).
EMBEDDED_FIELDS = (
    "exif.date_time",
    "pdf.mod_date",
    "png.modified",
    "office.modified",
    "video.modified",
    "video_tag.when",  # a phone's recording time with its offset (QuickTime keys)
    "asf.created",  # a WMV's creation date, UTC
    "xmp.modify_date",
    "iptc.date_time_created",
    "riff.when",  # a camera's recording time in an AVI (IDIT), naive
)
ENTRY_FIELDS = (
    "archive_entry.entry_mtime",
    "archive_entry.ext_mtime",
    "archive_entry.ntfs_mtime",
    "archive_entry.tar_mtime",
    "archive_entry.gzip_mtime",
    "archive_entry.dos_time",
    "archive_entry.local_mtime",
)
# a remote object's LastModified is its server copy's mtime (when it was uploaded)
FILESYSTEM_FIELDS = ("filesystem.mtime", "object.last_modified")
TIME_BASES = ("best", "mtime", "embedded", "observed")
_ZONE_RANK = {"explicit": 0, "utc": 1, "assumed": 2, "unknown": 3}

# Period frequencies: hours, days, weeks starting on Monday.
FREQS = {"H": "h", "D": "D", "W": "W-SUN"}


def _candidates(events: pd.DataFrame, basis: str) -> pd.DataFrame:
    fields = {
        "best": EMBEDDED_FIELDS + ENTRY_FIELDS + FILESYSTEM_FIELDS,
        "mtime": ENTRY_FIELDS + FILESYSTEM_FIELDS,
        "embedded": EMBEDDED_FIELDS,
    }[basis]
    ranked = events[events["field"].isin(fields) & (events["flag"] != "unparsable")].copy()
    order = {f: i for i, f in enumerate(fields)}
    ranked["rank_zone"] = ranked["zone_basis"].map(_ZONE_RANK).fillna(3)
    ranked.loc[ranked["field"].isin(FILESYSTEM_FIELDS), "rank_zone"] = 9
    if basis == "mtime":
        ranked["rank_zone"] = 0
    ranked["rank_field"] = ranked["field"].map(order)
    return ranked.sort_values(["path", "rank_zone", "rank_field"]).drop_duplicates("path")


def file_times(
    files: pd.DataFrame,
    events: pd.DataFrame,
    tz: dt.tzinfo,
    basis: str = "best",
    observed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One time per regular file, by the rule above, as wall-clock in `tz`.

    `basis` is best, mtime (filesystem and archive entry times only),
    embedded (times written inside the file only) or observed (when a scan
    first saw the file as it is: `observed` gives path and utc). A naive
    time (zone unknown, none assumed) is read as wall-clock in `tz`: the
    analyst who asks for the timeline in +09:00 is saying the naive times
    are that zone's too. Columns: path, size, time (naive wall-clock in tz),
    basis (the event field used), instant (UTC, NaT when the zone is unknown)."""
    import pandas as pd

    if basis not in TIME_BASES:
        raise ValueError(f"time basis must be one of {', '.join(TIME_BASES)}, not {basis!r}")
    regular = files[(files["kind"] == "file") & (files["status"] != "gone")][["path", "size"]]
    if basis == "observed":
        chosen = (
            observed if observed is not None else pd.DataFrame({"path": [], "utc": []})
        ).assign(field="observation", local="", flag=None)
    else:
        chosen = _candidates(events, basis)
    wall: list[object] = []
    for utc, local in zip(chosen["utc"], chosen["local"], strict=True):
        if pd.notna(utc):
            wall.append(pd.Timestamp(utc).tz_convert(tz).tz_localize(None))
        else:
            wall.append(pd.Timestamp(local))
    chosen = chosen.assign(
        time=pd.Series(wall, index=chosen.index, dtype="datetime64[us]"),
        instant=pd.to_datetime(chosen["utc"], utc=True),
    )
    out = regular.merge(chosen[["path", "time", "field", "instant"]], on="path", how="left")
    return out.rename(columns={"field": "basis"})


VOLUME_COUNTS = (
    "files",
    "bytes",
    "archives",
    "drawings",
    "new_drawings",
    "revisions",
    "documents",
    "videos",
    "texts",
    "others",
)


def per_file(
    files: pd.DataFrame,
    events: pd.DataFrame,
    freq: str = "D",
    tz: str | dt.tzinfo = "UTC",
    by: tuple[str, ...] = (),
    time_basis: str = "best",
    observed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The rows `volume` counts: one per dated regular file (gone files
    left out), with its time, basis, period, work type, whether it was read
    (`read`: its bytes were hashed), `is_revision` and the `by` columns."""

    zone = parse_zone(tz) if isinstance(tz, str) else tz
    if freq.upper() not in FREQS:
        raise ValueError(f"frequency must be one of {', '.join(FREQS)}, not {freq!r}")
    pfreq = FREQS[freq.upper()]
    times = file_times(files, events, zone, time_basis, observed).dropna(subset=["time"])
    wanted = dict.fromkeys(("is_revision", "work", "sha256", "source", "observation", *by))
    extra = [c for c in wanted if c in files.columns and c not in times.columns]
    times = times.merge(files[["path", *extra]], on="path", how="left")
    for column in by:
        if column not in times.columns:
            raise ValueError(f"cannot group by {column!r}: not a column of the files view")
        times[column] = times[column].fillna("")
    if "is_revision" not in times.columns:
        times["is_revision"] = False
    if "work" not in times.columns:
        times["work"] = "other"
    times["read"] = times["sha256"].notna() if "sha256" in times.columns else True
    times["is_revision"] = times["is_revision"].fillna(False).astype(bool) & (
        times["work"] == "drawing"
    )
    times["period"] = times["time"].dt.to_period(pfreq)
    return once_across_sources(times)


def once_across_sources(times: pd.DataFrame) -> pd.DataFrame:
    """A case of several sources (scans with `add_source`) counts a file
    whose bytes are in more than one of them once, in the source scanned
    first; copies inside one source stay files of their own."""
    if "source" not in times.columns or times["source"].nunique() < 2:
        return times
    if "observation" in times.columns:
        ranks = times["source"].map(times.groupby("source")["observation"].min())
    else:
        ranks = times["source"].map({s: n for n, s in enumerate(sorted(set(times["source"])))})
    first = ranks.groupby(times["sha256"]).transform("min")
    later = times["sha256"].notna() & (ranks > first)
    return times[~later]


def volume(
    files: pd.DataFrame,
    events: pd.DataFrame,
    freq: str = "D",
    tz: str | dt.tzinfo = "UTC",
    by: tuple[str, ...] = (),
    time_basis: str = "best",
    notes: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
    observed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Change volume per period (and per `by` group). Every period between
    the first and the last present appears, zeros included, so that charts
    do not lie; `period` is the period's start as a Timestamp in `tz`.

    Counted by what the work is (worktypes.py): `files` are content files
    (an archive is transport: its members count, not itself) and `bytes`
    their sizes, of the files whose bytes were read only (a member the
    limits refused declared a size nobody read); `archives` arrived in the
    period; `drawings` (images, PSD, CLIP) split into `new_drawings` and
    `revisions` by revisions.py's rule; `documents`, `videos`, `texts` and
    `others` beside them; notes and notes by language of the files' notes;
    the mean ink coverage of the sheets read.

    `files` may carry production columns (show, stage...), `work`,
    `is_revision` (False for a drawing's first version) and `lang` (the
    file's main note language) for grouping; `notes` has path and lang;
    `coverage` has path and ink_coverage."""
    import pandas as pd

    zone = parse_zone(tz) if isinstance(tz, str) else tz
    times = per_file(files, events, freq, zone, by, time_basis, observed)
    pfreq = FREQS[freq.upper()]
    note_langs: list[str] = []
    if notes is not None and len(notes):
        counts = notes.groupby(["path", "lang"]).size().unstack(fill_value=0)
        note_langs = sorted(counts.columns)
        counts.columns = [f"notes_{c}" for c in counts.columns]
        counts["notes"] = counts.sum(axis=1)
        times = times.merge(counts, left_on="path", right_index=True, how="left")
    else:
        times["notes"] = 0
    if coverage is not None and len(coverage):
        times = times.merge(coverage[["path", "ink_coverage"]], on="path", how="left")
    else:
        times["ink_coverage"] = float("nan")
    note_cols = ["notes", *[f"notes_{lang}" for lang in note_langs]]
    times[note_cols] = times[note_cols].fillna(0)
    work = times["work"]
    content = work != "archive"
    times = times.assign(
        files=content.astype(int),
        bytes=times["size"].where(content & times["read"], 0).fillna(0),
        archives=(work == "archive").astype(int),
        drawings=(work == "drawing").astype(int),
        revisions=times["is_revision"].astype(int),
        documents=(work == "document").astype(int),
        videos=(work == "video").astype(int),
        texts=(work == "text").astype(int),
        others=(work == "other").astype(int),
    )
    times["new_drawings"] = times["drawings"] - times["revisions"]
    keys = ["period", *by]
    columns = ["period", *by, *VOLUME_COUNTS, *note_cols, "ink_coverage"]
    if times.empty:
        return pd.DataFrame({c: [] for c in columns})
    grouped = times.groupby(keys, dropna=False).agg(
        ink_coverage=("ink_coverage", "mean"),
        **{c: (c, "sum") for c in (*VOLUME_COUNTS, *note_cols)},
    )
    full = pd.period_range(times["period"].min(), times["period"].max(), freq=pfreq)
    index: pd.Index
    if by:
        groups = sorted(set(times[list(by)].itertuples(index=False, name=None)))
        index = pd.MultiIndex.from_tuples([(p, *g) for p in full for g in groups], names=keys)
    else:
        index = pd.Index(full, name="period")
    grouped = grouped.reindex(index)
    counts_cols = [*VOLUME_COUNTS, *note_cols]
    grouped[counts_cols] = grouped[counts_cols].fillna(0).astype("int64")
    grouped["ink_coverage"] = grouped["ink_coverage"].fillna(0.0).round(6)
    out = grouped.reset_index()
    out["period"] = period_starts(out["period"], zone)
    return out[columns]


def period_starts(periods: Iterable[pd.Period], zone: dt.tzinfo) -> pd.DatetimeIndex:
    """Each period's start as a Timestamp in `zone` (at a DST change, the
    first of an ambiguous hour; a missing hour moves forward)."""
    import pandas as pd

    starts = pd.DatetimeIndex([p.start_time for p in periods])
    return starts.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
