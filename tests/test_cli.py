"""The CLI end to end on the sample dump, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import SAMPLES

EXE = [sys.executable, "-m", "forensics.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.run(
        [*EXE, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600
    )


def test_scan_summary_exit_status_and_timeline(dump_copy: Path, tmp_path: Path) -> None:
    case = tmp_path / "case"
    res = run("scan", str(dump_copy), "-o", str(case), "--jobs", "2", "--no-ocr")
    assert res.returncode == 1, res.stderr  # the sample dump holds hostile files
    assert res.stderr == ""  # no progress bar in a pipe
    truth = json.loads((SAMPLES / "expected" / "files.json").read_text())["files"]
    assert f"files: {len(truth)}" in res.stdout
    assert "image/jpeg" in res.stdout and "limit_exceeded" in res.stdout
    out = tmp_path / "timeline.csv"
    tl = run("timeline", str(case), "--freq", "D", "--tz", "+09:00", "-o", str(out))
    assert tl.returncode == 0, tl.stderr
    want = (SAMPLES / "expected" / "daily.csv").read_text().splitlines()
    first = [",".join(line.split(",")[:5]) for line in out.read_text().splitlines()]
    assert first == [",".join(line.split(",")[:5]) for line in want]  # up to drawings
    printed = run("timeline", str(case), "--tz", "Asia/Seoul")
    assert printed.stdout == out.read_text()
    auto = run("timeline", str(case), "--tz", "auto")
    assert auto.stdout == out.read_text() and "+09:00" in auto.stderr
    weekly = run("timeline", str(case), "--freq", "W", "--tz", "+09:00")
    daily = [line.split(",")[:3] for line in out.read_text().splitlines()[1:]]
    weeks: dict[str, list[int]] = {}
    for i, (_day, files, size) in enumerate(daily):  # the sample starts on a Monday
        acc = weeks.setdefault(daily[i - i % 7][0], [0, 0])
        acc[0] += int(files)
        acc[1] += int(size)
    got = [",".join(line.split(",")[:3]) for line in weekly.stdout.splitlines()[1:]]
    assert got == [f"{k},{f},{b}" for k, (f, b) in weeks.items()]
    zones = run("zones", str(case), "--json")
    assert json.loads(zones.stdout.splitlines()[0])["offset"] == "+09:00"  # JSON lines
    assert run("zones", str(case), "--csv").stdout.splitlines()[1].startswith("+09:00,")
    lines = run("timeline", str(case), "--tz", "+09:00", "--json").stdout.splitlines()
    assert len(lines) == len(want) - 1 and json.loads(lines[0])["period"] == want[1][:10]
    people = run("entities", str(case), "--json").stdout.splitlines()
    assert people and {"role", "value"} <= set(json.loads(people[0]))
    piped = run("export", str(case), "--format", "bodyfile", "-o", "-", cwd=tmp_path)
    assert piped.returncode == 0 and not (tmp_path / "-").exists()
    assert len(piped.stdout.splitlines()) > 100 and "lines" in piped.stderr
    body = tmp_path / "body.txt"
    assert run("export", str(case), "--format", "bodyfile", "-o", str(body)).returncode == 0
    assert all(line.count("|") == 10 for line in body.read_text().splitlines())


def test_clean_source_exits_zero(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("hello")
    res = run("scan", str(src), "-o", str(tmp_path / "case"), "--executor", "serial")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "files: 1" in res.stdout


def test_bad_usage_exits_two(tmp_path: Path) -> None:
    assert run("scan", str(tmp_path / "nowhere"), "-o", str(tmp_path / "c")).returncode == 2
    assert run("scan", str(tmp_path)).returncode == 2  # no -o
    assert run("timeline", str(tmp_path)).returncode == 2  # not a case
    src = tmp_path / "src"
    src.mkdir()
    inside = run("scan", str(src), "-o", str(src / "case"))
    assert inside.returncode == 2 and "inside the evidence" in inside.stderr


def test_extractors_lists_the_registry() -> None:
    res = run("extractors")
    assert res.returncode == 0
    assert "filesystem" in res.stdout and "archive_entry" in res.stdout and "0x5455" in res.stdout


def test_assume_tz_command(tmp_path: Path) -> None:
    import zipfile

    src = tmp_path / "src"
    src.mkdir()
    with zipfile.ZipFile(src / "a.zip", "w") as zf:
        zf.writestr(zipfile.ZipInfo("x.txt", (2024, 4, 1, 23, 30, 0)), "x")
    case = tmp_path / "case"
    assert run("scan", str(src), "-o", str(case), "--assume-tz", "Mars/Base").returncode == 2
    assert run("scan", str(src), "-o", str(case), "--executor", "serial").returncode == 0
    assert run("assume-tz", str(case)).returncode == 2
    res = run("assume-tz", str(case), "+09:00")
    assert res.returncode == 0, res.stderr
    utc_day = run("timeline", str(case), "--tz", "UTC").stdout.splitlines()
    assert any(line.startswith("2024-04-01,1,1,") for line in utc_day[1:])  # 23:30 +09 = 14:30 UTC
    assert run("assume-tz", str(case), "--clear").returncode == 0
