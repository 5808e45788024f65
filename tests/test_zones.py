"""Time zones of the people behind the files: samples in +09:00, a dump
drawn in +08:00, and Pyongyang's +08:30 years."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import forensics

from .conftest import SAMPLES


def test_samples_point_to_plus_nine(dump_copy: Path, tmp_path: Path) -> None:
    case = forensics.scan(dump_copy, tmp_path / "case", executor="serial", ocr=False)
    zones = case.zones()
    best = zones.iloc[0]
    assert best["offset"] == "+09:00"
    assert best["explicit"] > 20 and best["reconciled"] > 20
    assert {"Asia/Pyongyang", "Asia/Seoul", "Asia/Tokyo"} <= set(best["zones"])
    matrix = case.activity("+09:00")
    assert matrix[["Sat", "Sun"]].to_numpy().sum() == 0  # the samples' weekly rest
    assert matrix.loc[0:6].to_numpy().sum() == 0  # and quiet nights


def test_a_dump_drawn_in_plus_eight(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            str(SAMPLES / "make_samples.py"),
            "--out",
            str(tmp_path),
            "--offset",
            "+08:00",
            "--seed",
            "3",
        ],
        check=True,
        capture_output=True,
    )
    case = forensics.scan(tmp_path / "dump", tmp_path / "case", executor="serial", ocr=False)
    best = case.zones().iloc[0]
    assert best["offset"] == "+08:00" and "Asia/Shanghai" in best["zones"]


def _zip_with_times(path: Path, local: tuple[int, ...], utc_seconds: int) -> None:
    import struct

    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("cut.png", local)  # type: ignore[arg-type]
        info.extra = struct.pack("<HHBi", 0x5455, 5, 1, utc_seconds)
        zf.writestr(info, b"x")


def test_pyongyang_half_hour_years(tmp_path: Path) -> None:
    import datetime as dt

    src = tmp_path / "src"
    src.mkdir()
    for day in range(1, 6):  # a working week in June 2016, written at 10:00 +08:30
        local = dt.datetime(2016, 6, day + 5, 10, 0, 0)  # noqa: DTZ001
        utc = local - dt.timedelta(hours=8, minutes=30)
        _zip_with_times(
            src / f"day{day}.zip",
            local.timetuple()[:6],
            int(utc.replace(tzinfo=dt.UTC).timestamp()),
        )
    case = forensics.scan(src, tmp_path / "case", executor="serial", ocr=False)
    best = case.zones().iloc[0]
    assert best["offset"] == "+08:30"
    assert best["zones"] == ["Asia/Pyongyang"]  # the only zone at +08:30 in 2016
