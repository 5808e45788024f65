"""The change volume per period: files, bytes, drawings new and revised,
documents, videos, notes by language, ink coverage."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..events import as_zone
from .times import file_times

if TYPE_CHECKING:
    import pandas as pd

# Period frequencies: hours, days, weeks starting on Monday.
FREQS = {"H": "h", "D": "D", "W": "W-SUN"}


VOLUME_COUNTS = (
    "files",
    "bytes",
    "archives",
    "drawings",
    "new_drawings",
    "revisions",
    "scenes",
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
    times: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The rows `volume` counts: one per dated regular file (gone files
    left out), with its time, basis, period, work type, whether it was read
    (`read`: its bytes were hashed), `is_revision` and the `by` columns.
    `times`: the files' times in `tz` by `time_basis`, when the caller has
    them already (`Case.file_times`, kept beside the case)."""

    zone = as_zone(tz)
    if freq.upper() not in FREQS:
        raise ValueError(f"frequency must be one of {', '.join(FREQS)}, not {freq!r}")
    pfreq = FREQS[freq.upper()]
    if times is None:
        times = file_times(files, events, zone, time_basis, observed)
    times = times.dropna(subset=["time"])
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
    saves: pd.DataFrame | None = None,
    times: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Change volume per period (and per `by` group). Every period between
    the first and the last present appears, zeros included, so that charts
    do not lie; `period` is the period's start as a Timestamp in `tz`.

    Counted by what the work is (worktypes.py): `files` are content files
    (an archive is transport: its members count, not itself; a Krita
    document's members are its parts, not counted again) and `bytes`
    their sizes, of the files whose bytes were read only (a member the
    limits refused declared a size nobody read); `archives` arrived in the
    period; `drawings` (images, PSD, CLIP) split into `new_drawings` and
    `revisions` by revisions.py's rule; `documents`, `videos`, `texts` and
    `others` beside them; notes and notes by language of the files' notes;
    the mean ink coverage of the sheets read.

    `files` may carry production columns (show, stage...), `work`,
    `is_revision` (False for a drawing's first version) and `lang` (the
    file's main note language) for grouping; `notes` has path and lang;
    `coverage` has path and ink_coverage.

    `saves` (saves.py: path, time, user, host, saves, editing_seconds) are
    counted at their own times, not their files': a scene's history puts
    each save on its day. Grouped by "user" or "host", a save goes by its
    own user and machine; by a files column, by its file's value."""
    import pandas as pd

    zone = as_zone(tz)
    times = per_file(files, events, freq, zone, by, time_basis, observed, times)
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
    content = ~work.isin(("archive", "part"))
    times = times.assign(
        files=content.astype(int),
        bytes=times["size"].where(content & times["read"], 0).fillna(0),
        archives=(work == "archive").astype(int),
        drawings=(work == "drawing").astype(int),
        revisions=times["is_revision"].astype(int),
        scenes=(work == "scene").astype(int),
        documents=(work == "document").astype(int),
        videos=(work == "video").astype(int),
        texts=(work == "text").astype(int),
        others=(work == "other").astype(int),
    )
    times["new_drawings"] = times["drawings"] - times["revisions"]
    keys = ["period", *by]
    columns = ["period", *by, *VOLUME_COUNTS, *note_cols, "ink_coverage", *SAVE_COUNTS]
    saved = _saves_per_period(saves, times, zone, pfreq, by)
    if times.empty and saved.empty:
        return pd.DataFrame({c: [] for c in columns})
    grouped = times.groupby(keys, dropna=False).agg(
        ink_coverage=("ink_coverage", "mean"),
        **{c: (c, "sum") for c in (*VOLUME_COUNTS, *note_cols)},
    )
    periods = pd.concat([times["period"], saved["period"]])
    full = pd.period_range(periods.min(), periods.max(), freq=pfreq)
    index: pd.Index
    if by:
        groups = sorted(
            set(times[list(by)].itertuples(index=False, name=None))
            | set(saved[list(by)].itertuples(index=False, name=None))
        )
        index = pd.MultiIndex.from_tuples([(p, *g) for p in full for g in groups], names=keys)
    else:
        index = pd.Index(full, name="period")
    grouped = grouped.reindex(index)
    per_save = saved.groupby(keys, dropna=False)[list(SAVE_COUNTS)].sum()
    grouped = grouped.join(per_save.reindex(index))
    counts_cols = [*VOLUME_COUNTS, *note_cols, *SAVE_COUNTS]
    grouped[counts_cols] = grouped[counts_cols].fillna(0).astype("int64")
    grouped["ink_coverage"] = grouped["ink_coverage"].fillna(0.0).round(6)
    out = grouped.reset_index()
    out["period"] = period_starts(out["period"], zone)
    return out[columns]


SAVE_COUNTS = ("saves", "editing_seconds")


def _saves_per_period(
    saves: pd.DataFrame | None,
    times: pd.DataFrame,
    zone: dt.tzinfo,
    pfreq: str,
    by: tuple[str, ...],
) -> pd.DataFrame:
    """One row per save with an instant: its period in `zone`, its `by`
    values (its own user and host; other columns from its file's row)."""
    import pandas as pd

    if saves is None or not len(saves):
        return pd.DataFrame({c: [] for c in ("period", *by, *SAVE_COUNTS)})
    rows = saves.dropna(subset=["time"]).copy()
    rows["period"] = rows["time"].dt.tz_convert(zone).dt.tz_localize(None).dt.to_period(pfreq)
    of_file = times.drop_duplicates("path").set_index("path")
    for column in by:
        if column in ("user", "host"):
            rows[column] = rows[column].fillna("")
        else:
            rows[column] = rows["path"].map(of_file[column]).fillna("")
    rows["saves"] = rows["saves"].fillna(0).astype("int64")
    rows["editing_seconds"] = rows["editing_seconds"].fillna(0).astype("int64")
    return rows[["period", *by, *SAVE_COUNTS]]


def period_starts(periods: pd.Series, zone: dt.tzinfo) -> pd.DatetimeIndex:
    """Each period's start as a Timestamp in `zone` (at a DST change, the
    first of an ambiguous hour; a missing hour moves forward)."""
    import pandas as pd

    try:  # one call for a column of periods of one frequency
        starts = pd.PeriodIndex(periods).to_timestamp(how="start")
    except (TypeError, ValueError):  # periods of mixed frequencies, or none
        starts = pd.DatetimeIndex([p.start_time for p in periods])
    return starts.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
