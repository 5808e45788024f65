"""Exports: Timesketch times round-trip through pandas, bodyfile lines have
11 fields with | and % escaped, every view goes to CSV and Parquet."""

from __future__ import annotations

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
