"""Which time dates each file: the fields that say when a file's content
was last made, and the rule that picks one per file."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


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
    "krita.saved",  # a Krita document's last save, local time, naive
    "harmony.saved_utc",  # a Harmony scene's save (timeMsec), UTC
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
    instant = pd.to_datetime(chosen["utc"], utc=True)
    known = instant.notna()
    # an instant as wall-clock in tz on the whole column; a naive time as written, one by one
    wall = pd.Series(pd.NaT, index=chosen.index, dtype="datetime64[us]")
    wall[known] = instant[known].dt.tz_convert(tz).dt.tz_localize(None).astype("datetime64[us]")
    naive = chosen.loc[~known, "local"].tolist()
    wall[~known] = pd.Series(
        [pd.Timestamp(local) for local in naive], index=wall.index[~known], dtype="datetime64[us]"
    )
    chosen = chosen.assign(time=wall, instant=instant)
    out = regular.merge(chosen[["path", "time", "field", "instant"]], on="path", how="left")
    return out.rename(columns={"field": "basis"})
