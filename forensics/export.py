"""Exports of a case for other tools: CSV and Parquet of every view,
Timesketch CSV and JSONL, a Sleuth Kit bodyfile, JSON lines of events, and
the custody list (every file with its hashes, times and problems).

Timesketch reads a CSV time without an offset as UTC and a JSONL one in the
server's zone, so `datetime` always carries its offset here. Every event is
written. A naive time is read in the zone the analyst gives (`tz`: an
offset, an IANA name, or "auto" for the best candidate of `Case.zones`),
else in the case's assumed zone; one left without a zone is written as its
wall-clock time marked `+00:00` with `zone_unknown` true and the message
saying so (Timesketch needs an instant for every event), and a time that
could not be parsed at 1970-01-01 with its text in the message. The counts
returned say how many of each kind were written.

JSON lines are strict JSON: no NaN, a missing value is null. Every
export that is one file goes to standard output when its path is `-`.

The bodyfile holds, for each file, every time the case holds for it in its
MACB column (`_MACB`: the filesystem's, a bucket's LastModified, and an
archive member's zip, tar, 7z, RAR, gzip, DOS and local times), a naive
time read in `tz` or the case's assumed zone, else as UTC and counted as
`zone_unknown` in the counts returned (a bodyfile has no place to say so).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from .analysis.case import Case

FORMATS = ("csv", "parquet", "timesketch", "timesketch-jsonl", "bodyfile", "jsonl", "custody")
VIEWS = ("files", "records", "events", "notes", "problems", "observations")


def export(case: Case, fmt: str, path: str | Path, tz: str | None = None) -> dict[str, int]:
    """Write the case in `fmt` (one of `FORMATS`) at `path` (a folder for
    csv and parquet); returns counts of what was written. `tz` is the zone
    naive times are read in for the Timesketch and JSON lines exports
    (default: the case's assumed zone; "auto": the best zone found)."""
    target = Path(path)
    if fmt in ("csv", "parquet"):
        return _tables(case, fmt, target)
    if fmt in ("timesketch", "timesketch-jsonl"):
        return _timesketch(case, target, jsonl=fmt == "timesketch-jsonl", tz=tz)
    if fmt == "bodyfile":
        return _bodyfile(case, target, tz)
    if fmt == "jsonl":
        return _jsonl(case, target, tz)
    if fmt == "custody":
        return _custody(case, target)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


export_case = export  # the public name: `forensics.export` is this module


STDOUT = "-"


@contextlib.contextmanager
def _open_text(target: Path) -> Iterator[TextIO]:
    """The export's file, or standard output for `-` (left open)."""
    if str(target) == STDOUT:
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(target, "w", encoding="utf-8", newline="") as fh:
        yield fh


def _tables(case: Case, fmt: str, folder: Path) -> dict[str, int]:
    if str(folder) == STDOUT:
        raise ValueError(f"{fmt} writes a folder of tables, one per view: give a folder, not -")
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for view in VIEWS:
        df = getattr(case, view)
        for column in df.columns:  # lists and dicts (production fields are plain)
            if df[column].dtype == object:
                df[column] = df[column].map(
                    lambda v: (
                        json.dumps(v, ensure_ascii=False)
                        if isinstance(v, list | dict | tuple)
                        else v
                    )
                )
        if fmt == "csv":
            df.to_csv(folder / f"{view}.csv", index=False)
        else:
            df.to_parquet(folder / f"{view}.parquet", index=False)
        counts[view] = len(df)
    return counts


def _plain(value: Any) -> Any:
    """A value as strict JSON has it: NaN, NaT and NA become None."""
    import pandas as pd

    if value is None or (not isinstance(value, list | dict | tuple | str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


_EPOCH = "1970-01-01T00:00:00.000000+00:00"


def _timesketch_rows(case: Case, tz: str | None) -> tuple[list[dict[str, object]], dict[str, int]]:
    import pandas as pd

    events = case.events_in(tz)
    sha = dict(zip(case.files["path"], case.files["sha256"], strict=True))
    rows = []
    counts = {"events": 0, "zone_known": 0, "zone_assumed": 0, "zone_unknown": 0, "unparsable": 0}
    ev: dict[Any, Any]
    for ev in events.to_dict("records"):
        message = f"{ev['description']}: {ev['path']}"
        unknown = False
        if pd.notna(ev["utc"]):
            when = ev["utc"].isoformat(timespec="microseconds")  # one format: pandas infers it
            counts["zone_assumed" if ev["zone_basis"] == "assumed" else "zone_known"] += 1
        elif ev["flag"] != "unparsable" and pd.notna(pd.Timestamp(ev["local"])):
            when = pd.Timestamp(ev["local"]).isoformat(timespec="microseconds") + "+00:00"
            message += " (zone unknown: the time as written, marked UTC)"
            unknown = True
            counts["zone_unknown"] += 1
        else:
            when = _EPOCH
            message += f" (unparsable time: {ev['local']!r})"
            counts["unparsable"] += 1
        counts["events"] += 1
        rows.append(
            {
                "message": message,
                "datetime": when,
                "timestamp_desc": ev["description"],
                "path": ev["path"],
                "sha256": _plain(sha.get(ev["path"])),
                "zone_unknown": unknown,
                **{
                    k: _plain(ev[k])
                    for k in ("extractor", "field", "local", "offset", "zone_basis", "flag")
                },
            }
        )
    return rows, counts


def _timesketch(case: Case, target: Path, jsonl: bool, tz: str | None) -> dict[str, int]:
    import pandas as pd

    rows, counts = _timesketch_rows(case, tz)
    if jsonl:
        with _open_text(target) as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        frame = pd.DataFrame(
            rows,
            columns=[
                "message",
                "datetime",
                "timestamp_desc",
                "path",
                "sha256",
                "zone_unknown",
                "extractor",
                "field",
                "local",
                "offset",
                "zone_basis",
                "flag",
            ],
        )
        with _open_text(target) as fh:
            frame.to_csv(fh, index=False)
    return counts


def _escape(name: str) -> str:
    """mactime decodes %XX: escape % first, then the field separator."""
    return name.replace("%", "%25").replace("|", "%7C").replace("\n", "%0A")


# which of the case's times fills each of the bodyfile's MACB columns, in
# order of preference: the filesystem's, a bucket's, then an archive
# entry's (the precise UTC ones before the naive DOS and local times)
_MACB: dict[str, tuple[str, ...]] = {
    "atime": (
        "filesystem.atime",
        "archive_entry.ext_atime",
        "archive_entry.ntfs_atime",
        "archive_entry.pax_atime",
        "archive_entry.entry_atime",
    ),
    "mtime": (
        "filesystem.mtime",
        "object.last_modified",
        "archive_entry.ext_mtime",
        "archive_entry.ntfs_mtime",
        "archive_entry.tar_mtime",
        "archive_entry.entry_mtime",
        "archive_entry.gzip_mtime",
        "archive_entry.dos_time",
        "archive_entry.local_mtime",
    ),
    "ctime": (
        "filesystem.ctime",
        "archive_entry.ext_ctime",
        "archive_entry.pax_ctime",
        "archive_entry.entry_ctime",
    ),
    "crtime": (
        "filesystem.birthtime",
        "archive_entry.ntfs_ctime",
        "archive_entry.entry_birthtime",
    ),
}


def _macb(case: Case, tz: str | None) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Each file's MACB times as Unix seconds, from the case's events: an
    instant as it is; a naive time (a zip's DOS time, RAR 4's local time)
    in `tz` or the case's assumed zone, else its wall-clock time read as
    UTC and counted as `zone_unknown`."""
    import pandas as pd

    wanted = {field: (slot, rank) for slot, fs in _MACB.items() for rank, field in enumerate(fs)}
    events = case.events_in(tz)
    events = events[events["field"].isin(wanted) & (events["flag"] != "unparsable")]
    best: dict[tuple[str, str], tuple[int, int, str]] = {}
    for path, field, utc, local, basis in zip(
        events["path"],
        events["field"],
        events["utc"],
        events["local"],
        events["zone_basis"],
        strict=True,
    ):
        if pd.notna(utc):
            seconds, how = int(utc.timestamp()), "assumed" if basis == "assumed" else "known"
        elif pd.notna(moment := pd.Timestamp(local)):
            seconds, how = int(moment.tz_localize("UTC").timestamp()), "unknown"
        else:
            continue
        slot, rank = wanted[field]
        if (path, slot) not in best or rank < best[(path, slot)][0]:
            best[(path, slot)] = (rank, seconds, how)
    times: dict[str, dict[str, int]] = {}
    counts = {"zone_known": 0, "zone_assumed": 0, "zone_unknown": 0}
    for (path, slot), (_, seconds, how) in best.items():
        times.setdefault(path, {})[slot] = seconds
        counts[f"zone_{how}"] += 1
    return times, counts


def _bodyfile(case: Case, target: Path, tz: str | None = None) -> dict[str, int]:
    """MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime,
    one line per file the case holds (not those gone), every time it holds
    for the file in its MACB column (`_MACB`); 0 where it holds none."""
    files = case.files
    records = case.records
    meta: dict[str, dict[str, Any]] = {}
    for path, kind, text in zip(records["path"], records["kind"], records["body"], strict=True):
        if kind in ("filesystem", "archive_entry"):
            meta.setdefault(path, {}).update(
                {k: v for k, v in json.loads(text).items() if k in ("inode", "mode", "uid", "gid")}
            )
    times, counts = _macb(case, tz)
    lines = dated = 0
    with _open_text(target) as fh:
        row: dict[Any, Any]
        for row in files.to_dict("records"):
            if row["status"] == "gone":
                continue
            own = meta.get(row["path"], {})
            when = times.get(row["path"], {})
            size = row["size"]
            fields = [
                row["md5"] if isinstance(row["md5"], str) else "0",
                _escape(row["path"]),
                str(own.get("inode") or 0),
                str(own.get("mode") or "-"),
                str(own.get("uid") or 0),
                str(own.get("gid") or 0),
                str(int(size)) if size == size and size else "0",
                *(str(when.get(slot, 0)) for slot in ("atime", "mtime", "ctime", "crtime")),
            ]
            fh.write("|".join(fields) + "\n")
            lines += 1
            dated += bool(when)
    return {"lines": lines, "dated": dated, **counts}


def _jsonl(case: Case, target: Path, tz: str | None) -> dict[str, int]:
    events = case.events_in(tz)
    with _open_text(target) as fh:
        for ev in events.to_dict("records"):
            row = {k: _plain(v) for k, v in ev.items()}
            fh.write(json.dumps(row, ensure_ascii=False, allow_nan=False, default=str) + "\n")
    return {"events": len(events)}


def _custody(case: Case, target: Path) -> dict[str, int]:
    """The list an analyst attaches to a report: one line per file of the
    latest observation (gone files included, with their last hashes), its
    size and hashes, its filesystem or archive-entry times as recorded, and
    its problems."""
    import pandas as pd

    from .extractors.archive import ArchiveEntryRecord
    from .extractors.filesystem import FilesystemRecord
    from .extractors.objects import ObjectRecord

    kinds = (FilesystemRecord, ArchiveEntryRecord, ObjectRecord)
    wanted = {k.KIND: tuple(k.TIME_FIELDS) for k in kinds}
    files = case.files
    records = case.records
    times: dict[str, dict[str, str]] = {}
    for path, kind, text in zip(records["path"], records["kind"], records["body"], strict=True):
        if kind in wanted:
            body = json.loads(text)
            for key in wanted[kind]:
                if body.get(key) not in (None, ""):
                    times.setdefault(path, {})[f"{kind}.{key}"] = str(body[key])
    problems: dict[str, list[str]] = {}
    table = case.problems
    for row in table.itertuples(index=False):
        problems.setdefault(str(row.path), []).append(f"{row.severity} {row.kind}: {row.message}")
    out = pd.DataFrame(
        {
            "path": files["path"],
            "container": files["container"],
            "kind": files["kind"],
            "status": files["status"],
            "size": files["size"].astype("Int64"),
            "md5": files["md5"],
            "sha1": files["sha1"],
            "sha256": files["sha256"],
            "mime": files["mime"],
            "times": [
                "; ".join(f"{k}={v}" for k, v in sorted(times.get(p, {}).items()))
                for p in files["path"]
            ],
            "problems": [" | ".join(problems.get(p, [])) for p in files["path"]],
            "observation": files["observation"],
        }
    )
    with _open_text(target) as fh:
        out.to_csv(fh, index=False)
    return {"files": len(out), "with_problems": int((out["problems"] != "").sum())}
