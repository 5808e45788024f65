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
