"""A case has one writer at a time, and a writer that cannot write says
why plainly (issue 26: a watch holds its case for weeks)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import forensics
from forensics.cli import main
from forensics.errors import DiskFull
from forensics.store.lock import CaseBusy
from forensics.store.writer import CaseWriter


def _source(tmp_path: Path, n: int = 30) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(n):
        (src / f"sheet_{i:03d}.txt").write_text(f"sheet {i}\n")
    return src


def test_a_second_writer_is_refused_at_once_with_who_holds_the_case(tmp_path: Path) -> None:
    src, case = _source(tmp_path), tmp_path / "case"
    forensics.scan(src, case, executor="serial", ocr=False)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from forensics.store.lock import CaseLock\n"
            f"with CaseLock({str(case)!r}):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        (src / "late.txt").write_text("added while the case is held\n")
        start = time.monotonic()
        with pytest.raises(CaseBusy, match=f"by process {holder.pid} "):
            forensics.scan(src, case, executor="serial", ocr=False)
        assert time.monotonic() - start < 5  # refused at once, nothing read
        run = CliRunner().invoke(main, ["scan", str(src), "-o", str(case), "--no-ocr"])
        assert run.exit_code == 2 and f"process {holder.pid}" in run.output
    finally:
        holder.kill()
        holder.wait()
    opened = forensics.open_case(case)
    assert opened.verify()["ok"]  # the first scan's case stays whole
    assert "late.txt" not in set(opened.files["path"])
    # the holder died: the kernel dropped its lock, and the next scan runs
    again = forensics.scan(src, case, executor="serial", ocr=False)
    assert "late.txt" in set(again.files["path"])


def test_a_full_disk_says_so_and_the_rerun_resumes_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk is made to fill (SQLite's SQLITE_FULL, as a full disk gives
    it) on the second batch; the scan stops with a plain message, and the
    same scan again finishes the case as one uninterrupted scan would."""
    src = _source(tmp_path, 60)
    real = CaseWriter._insert
    calls = {"n": 0}

    def filling(self: CaseWriter, res: object) -> None:
        calls["n"] += 1
        if calls["n"] == 25:
            raise sqlite3.OperationalError("database or disk is full")
        real(self, res)  # type: ignore[arg-type]

    monkeypatch.setattr(CaseWriter, "_insert", filling)
    case = tmp_path / "case"
    with pytest.raises(DiskFull, match=f"no space left .* {case}"):
        forensics.scan(src, case, executor="serial", ocr=False, batch_size=20)
    monkeypatch.setattr(CaseWriter, "_insert", real)
    resumed = forensics.scan(src, case, executor="serial", ocr=False, batch_size=20)
    whole = forensics.scan(src, tmp_path / "whole", executor="serial", ocr=False)
    assert len(resumed.observations) == 1
    key = ["path", "sha256", "status"]
    assert (
        resumed.files[key]
        .sort_values("path")
        .reset_index(drop=True)
        .equals(whole.files[key].sort_values("path").reset_index(drop=True))
    )
    assert resumed.verify()["ok"]
