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

JSON lines are strict JSON: no NaN, a missing value is null.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
        return _bodyfile(case, target)
    if fmt == "jsonl":
        return _jsonl(case, target, tz)
    if fmt == "custody":
        return _custody(case, target)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


export_case = export  # the public name: `forensics.export` is this module


def _tables(case: Case, fmt: str, folder: Path) -> dict[str, int]:
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
        with open(target, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        pd.DataFrame(
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
        ).to_csv(target, index=False)
    return counts


def _escape(name: str) -> str:
    """mactime decodes %XX: escape % first, then the field separator."""
    return name.replace("%", "%25").replace("|", "%7C").replace("\n", "%0A")


def _epoch(value: str | None) -> int:
    if not value:
        return 0
    return int(dt.datetime.fromisoformat(value).timestamp())


def _bodyfile(case: Case, target: Path) -> dict[str, int]:
    """MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime"""
    files = case.files
    records = case.records
    body: dict[str, dict[str, object]] = {}
    for path, kind, text in zip(records["path"], records["kind"], records["body"], strict=True):
        if kind in ("filesystem", "archive_entry", "object"):
            body.setdefault(path, {})[kind] = json.loads(text)
    lines = 0
    with open(target, "w", encoding="utf-8") as fh:
        row: dict[Any, Any]
        for row in files.to_dict("records"):
            if row["status"] == "gone":
                continue
            meta = body.get(row["path"], {})
            fs = meta.get("filesystem") or {}
            entry = meta.get("archive_entry") or {}
            obj = meta.get("object") or {}
            assert isinstance(fs, dict) and isinstance(entry, dict) and isinstance(obj, dict)
            mtime = (
                fs.get("mtime")
                or obj.get("last_modified")
                or entry.get("ext_mtime")
                or entry.get("ntfs_mtime")
                or entry.get("tar_mtime")
            )
            fields = [
                row["md5"] if isinstance(row["md5"], str) else "0",
                _escape(row["path"]),
                str(fs.get("inode") or 0),
                str(fs.get("mode") or entry.get("mode") or "-"),
                str(fs.get("uid") or 0),
                str(fs.get("gid") or 0),
                str(int(row["size"])) if row["size"] == row["size"] and row["size"] else "0",
                str(_epoch(fs.get("atime") or entry.get("ext_atime") or entry.get("ntfs_atime"))),
                str(_epoch(mtime)),
                str(_epoch(fs.get("ctime") or entry.get("ext_ctime"))),
                str(_epoch(fs.get("birthtime") or entry.get("ntfs_ctime"))),
            ]
            fh.write("|".join(fields) + "\n")
            lines += 1
    return {"lines": lines}


def _jsonl(case: Case, target: Path, tz: str | None) -> dict[str, int]:
    events = case.events_in(tz)
    with open(target, "w", encoding="utf-8") as fh:
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
    out.to_csv(target, index=False)
    return {"files": len(out), "with_problems": int((out["problems"] != "").sum())}
