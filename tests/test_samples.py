"""The committed samples are exactly what the generator draws, and a scan of
them finds every file the generator wrote, with the times it set."""

from __future__ import annotations

import filecmp
import json
import os
from pathlib import Path

import pandas as pd

import forensics

from .conftest import SAMPLES


def _tree(root: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


def test_regeneration_is_byte_identical(regenerated: Path) -> None:
    for sub in ("dump", "expected"):
        fresh, committed = _tree(regenerated / sub), _tree(SAMPLES / sub)
        assert sorted(fresh) == sorted(committed), sub
        differ = [name for name in fresh if fresh[name] != committed[name]]
        assert not differ, f"regenerated {sub} differs from the committed one: {differ}"
    assert not filecmp.dircmp(regenerated / "dump", SAMPLES / "dump").diff_files


def test_dump_is_small_and_varied() -> None:
    truth = json.loads((SAMPLES / "expected" / "files.json").read_text())["files"]
    on_disk = sum(
        p.stat().st_size
        for p in (SAMPLES / "dump").rglob("*")
        if p.is_file() and not p.is_symlink()
    )
    assert 80 <= len(truth) <= 200  # the production software files (issue 25) took it past 150
    assert on_disk < 10 * 1024 * 1024
    notes = json.loads((SAMPLES / "expected" / "notes.json").read_text())
    langs = {n["lang"] for ns in notes.values() for n in ns}
    assert {"ko", "zh-Hans", "zh-Hant", "ja"} <= langs
    assert any(n["pair"] for ns in notes.values() for n in ns)


def test_every_file_has_exactly_one_row(dump_copy: Path, tmp_path: Path) -> None:
    truth = json.loads((SAMPLES / "expected" / "files.json").read_text())["files"]
    case = forensics.scan(dump_copy, tmp_path / "case", executor="serial", ocr=False)
    files = case.files
    assert files["path"].is_unique
    assert sorted(files["path"]) == sorted(truth)
    by_path = files.set_index("path")
    for url, info in truth.items():
        row = by_path.loc[url]
        assert row["kind"] == info["kind"], url
        if info["sha256"]:
            assert row["sha256"] == info["sha256"], url
            assert row["size"] == info["size"], url


def _daily(case: forensics.Case, columns: list[str]) -> str:
    table = case.timeline(freq="D", tz="+09:00")
    table["period"] = table["period"].dt.strftime("%Y-%m-%d")
    return str(table[columns].to_csv(index=False))


def test_daily_volume_is_the_generators_truth(scanned_samples: Path) -> None:
    """Files, bytes, archives, drawings, new drawings and revisions per day,
    exactly: no archive counted as work, no refused byte, the redraw saved
    under a new name found as a revision by its pixels."""
    want = (SAMPLES / "expected" / "daily.csv").read_text()
    case = forensics.open_case(scanned_samples / "case")
    assert _daily(case, want.splitlines()[0].split(",")) == want
    # every cell traceable: the files behind the revisions of a day
    revised = case.timeline_files("2024-04-12", tz="+09:00", work="drawing")
    assert revised["is_revision"].sum() == 1
    assert revised[revised["is_revision"]]["path"].str.contains("retakes/").all()


def test_daily_volume_without_pixels(dump_copy: Path, tmp_path: Path) -> None:
    """The metadata-only scan (no pixel hashes) still counts files, bytes,
    archives and drawings right; only pixel-matched revisions need pixels."""
    case = forensics.scan(dump_copy, tmp_path / "case", executor="serial", ocr=False)
    columns = ["period", "files", "bytes", "archives", "drawings"]
    want = pd.read_csv(SAMPLES / "expected" / "daily.csv")[columns].to_csv(index=False)
    assert _daily(case, columns) == want


def test_every_file_time_is_the_one_the_generator_set(dump_copy: Path, tmp_path: Path) -> None:
    """Each file's best time (its basis too) is the instant the generator wrote."""
    import datetime as dt

    import pandas as pd

    from forensics.analysis.times import file_times

    truth = json.loads((SAMPLES / "expected" / "files.json").read_text())["files"]
    case = forensics.scan(dump_copy, tmp_path / "case", executor="serial", ocr=False)
    zone = dt.timezone(dt.timedelta(hours=9))
    times = file_times(case.files, case.events, zone).set_index("path")
    for url, info in truth.items():
        if info["kind"] != "file":
            continue
        if info["time"] is None:  # a file that carries no time (a Pencil2D member): none made up
            assert pd.isna(times.loc[url, "time"]) and pd.isna(times.loc[url, "basis"]), url
            continue
        want = dt.datetime.fromisoformat(info["time"]).astimezone(zone).replace(tzinfo=None)
        assert times.loc[url, "time"] == pd.Timestamp(want), url
        assert times.loc[url, "basis"] == info["time_basis"], url


def test_daily_volume_of_another_seed_and_zone(tmp_path: Path) -> None:
    """Not only the committed dump: another seed, drawn for UTC+8, every
    column of its truth (files, bytes, archives, drawings, new, revisions)."""
    import subprocess
    import sys

    out = tmp_path / "other"
    args = ["--out", str(out), "--seed", "11", "--offset", "+08:00"]
    subprocess.run(
        [sys.executable, str(SAMPLES / "make_samples.py"), *args],
        check=True,
        capture_output=True,
    )
    case = forensics.scan(out / "dump", tmp_path / "case", jobs=2)  # pixels too: redraws
    want = (out / "expected" / "daily.csv").read_text()
    columns = want.splitlines()[0].split(",")
    table = case.timeline(freq="D", tz="+08:00")
    table["period"] = table["period"].dt.strftime("%Y-%m-%d")
    assert table[columns].to_csv(index=False) == want
    assert table["revisions"].sum() == 4  # the chains: two versions, a version, a redraw
