"""Exports: Timesketch times round-trip through pandas, bodyfile lines have
11 fields with | and % escaped, every view goes to CSV and Parquet."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

import forensics


def test_exports(dump_copy: Path, tmp_path: Path) -> None:
    (dump_copy / "misc" / "odd|name%20.txt").write_text("x")
    case = forensics.scan(
        dump_copy, tmp_path / "case", executor="serial", ocr=False, assume_tz="+09:00"
    )
    ts = tmp_path / "ts.csv"
    counts = forensics.export_case(case, "timesketch", ts)
    table = pd.read_csv(ts)
    assert {"message", "datetime", "timestamp_desc"} <= set(table.columns)
    assert table["datetime"].str.contains(r"[+-]\d\d:\d\d$").all()  # always an offset
    ours = case.events.dropna(subset=["utc"])["utc"].sort_values().reset_index(drop=True)
    theirs = pd.to_datetime(table["datetime"], utc=True).sort_values().reset_index(drop=True)
    assert counts["events"] == len(ours) and (theirs == ours).all()
    jl = tmp_path / "ts.jsonl"
    forensics.export_case(case, "timesketch-jsonl", jl)
    first = json.loads(jl.read_text().splitlines()[0])
    assert first["datetime"].endswith("+00:00")
    body = tmp_path / "body.txt"
    forensics.export_case(case, "bodyfile", body)
    lines = body.read_text().splitlines()
    assert len(lines) == len(case.files) and all(line.count("|") == 10 for line in lines)
    assert any("odd%7Cname%2520.txt" in line for line in lines)
    for fmt in ("csv", "parquet"):
        out = tmp_path / fmt
        forensics.export_case(case, fmt, out)
        files = (
            pd.read_csv(out / "files.csv")
            if fmt == "csv"
            else pd.read_parquet(out / "files.parquet")
        )
        assert len(files) == len(case.files)


def _strict(line: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"not JSON: {name}")

    return json.loads(line, parse_constant=refuse)


def test_every_event_is_exported_and_json_lines_are_strict(dump_copy: Path, tmp_path: Path) -> None:
    case = forensics.scan(dump_copy, tmp_path / "case", executor="serial", ocr=False)
    events = case.events
    naive = int(events["utc"].isna().sum())
    assert naive, "the samples hold naive times (zip DOS times, EXIF without an offset)"
    ts = tmp_path / "ts.csv"
    counts = forensics.export_case(case, "timesketch", ts)
    table = pd.read_csv(ts)
    assert len(table) == len(events) == counts["events"]
    assert counts["zone_unknown"] + counts["unparsable"] == naive
    assert int(table["zone_unknown"].sum()) == counts["zone_unknown"]
    assert table["datetime"].str.contains(r"[+-]\d\d:\d\d$").all()
    # with the best zone found, the naive times are read in it
    auto = forensics.export_case(case, "timesketch", tmp_path / "auto.csv", tz="auto")
    assert auto["events"] == len(events) and auto["zone_unknown"] == 0
    assert auto["zone_assumed"] == naive - counts["unparsable"]
    for fmt in ("timesketch-jsonl", "jsonl"):
        out = tmp_path / f"{fmt}.jsonl"
        forensics.export_case(case, fmt, out)
        rows = [_strict(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(rows) == len(events)


_MTIMES = (  # the case's modification times of a file, wherever it was found
    "filesystem.mtime",
    "object.last_modified",
    "archive_entry.ext_mtime",
    "archive_entry.ntfs_mtime",
    "archive_entry.tar_mtime",
    "archive_entry.entry_mtime",
    "archive_entry.gzip_mtime",
    "archive_entry.dos_time",
    "archive_entry.local_mtime",
)


def test_mactime_dates_every_member_the_case_dates(dump_copy: Path, tmp_path: Path) -> None:
    """Sleuth Kit's own mactime reads the bodyfile of the samples: every
    file and archive member with a modification time in the case (7z and
    RAR entry times, gzip's, zip DOS times in the assumed zone) is listed
    at one of its times, and the RAR member of the issue at its own."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("mactime") is None:
        pytest.skip("Sleuth Kit's mactime is not installed (scripts/system-deps.sh installs it)")
    case = forensics.scan(
        dump_copy, tmp_path / "case", executor="serial", ocr=False, assume_tz="+09:00"
    )
    body = tmp_path / "body.txt"
    counts = forensics.export_case(case, "bodyfile", body)
    run = subprocess.run(
        ["mactime", "-b", str(body), "-d", "-y", "-z", "UTC"],
        capture_output=True,
        text=True,
        check=True,
    )
    listed: dict[str, set[pd.Timestamp]] = {}
    for row in pd.read_csv(io.StringIO(run.stdout)).itertuples(index=False):
        if "m" in str(row.Type) and not str(row.Date).startswith("0000"):
            listed.setdefault(str(row[7]), set()).add(pd.Timestamp(row.Date))
    events = case.events
    dated = events[events["field"].isin(_MTIMES) & events["utc"].notna()]
    want = dated.groupby("path")["utc"].agg(set).to_dict()
    gone = set(case.files.loc[case.files["status"] == "gone", "path"])
    want = {p: t for p, t in want.items() if p not in gone}
    assert len(want) > 100 and counts["dated"] >= len(want)
    missing = sorted(p for p, times in want.items() if not listed.get(p, set()) & times)
    assert not missing, missing[:5]
    members = [p for p in want if "!/" in p]
    kinds = {p.rsplit("!/", 1)[0].rsplit(".", 1)[-1] for p in members}  # their archive
    assert {"rar", "7z", "zip", "gz"} <= kinds, kinds
    rar = "uploads/2024-04-18_KMR_KEY.rar!/수정본/KMR_S01_EP12_SC016_C005_KEY_v04.jpg"
    assert listed[rar] == {pd.Timestamp("2024-04-18T05:47:15Z")}
    assert counts["zone_unknown"] == 0 and counts["zone_assumed"] > 0  # DOS times, in +09:00
