"""Observations store changes, not copies (issue 26): a file's row, with
its records, events, notes and problems, is stored once and holds from
the observation that saw it appear or change until one saw it change
again or go; `case.at(k)` is the source as observation k saw it."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import zipfile
from pathlib import Path

import forensics


def _rows(case: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{case / 'case.sqlite'}?mode=ro", uri=True)
    try:
        return {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("file_rows", "record_rows", "event_rows", "note_rows")
        }
    finally:
        con.close()


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2024, 4, 1, 9, 0, 0)), data)


def _day(src: Path, day: int) -> None:
    """The source as a server held it on each day: files added, corrected,
    renamed and deleted, a member of an upload changed."""
    if day == 1:
        src.mkdir()
        (src / "a.txt").write_text("a, first\n")
        (src / "b.txt").write_text("b\n")
        _zip(src / "upload.zip", {"c.txt": b"c\n", "d.txt": b"d\n"})
    elif day == 2:
        (src / "a.txt").write_text("a, corrected\n")
        (src / "b.txt").unlink()
        (src / "e.txt").write_text("e\n")
        _zip(src / "upload.zip", {"c.txt": b"c, corrected\n", "d.txt": b"d\n"})
    elif day == 3:
        (src / "e.txt").rename(src / "f.txt")


def _state(case: forensics.Case) -> dict[str, str | None]:
    files = case.files[case.files["status"] != "gone"]
    return dict(zip(files["path"], files["sha256"], strict=True))


def test_unchanged_rescans_write_nothing(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _day(src, 1)
    for i in range(40):
        (src / f"sheet_{i:02d}.txt").write_text(f"sheet {i}\n")
    case_dir = tmp_path / "case"
    first = forensics.scan(src, case_dir, executor="serial", ocr=False)
    rows = _rows(case_dir)
    for _ in range(5):
        again = forensics.scan(src, case_dir, executor="serial", ocr=False)
    assert _rows(case_dir) == rows  # five observations, not one row more
    assert len(again.observations) == 6
    assert set(again.files["status"]) == {"unchanged"}
    assert _state(again) == _state(first)
    counts = again.manifest["counts"]
    assert counts["by_status"] == {"unchanged": len(first.files)}
    assert counts["reconciliation"]["balanced"] and again.verify()["ok"]
    # the records and events of the latest state are the first scan's
    assert again.records.drop(columns="observation").equals(
        first.records.drop(columns="observation")
    )


def test_at_k_is_the_source_as_it_was_that_day(tmp_path: Path) -> None:
    src, case_dir = tmp_path / "src", tmp_path / "case"
    days = {}
    for day in (1, 2, 3):
        _day(src, day)
        forensics.scan(src, case_dir, executor="serial", ocr=False)
        shutil.copytree(src, tmp_path / f"day{day}")
        days[day] = forensics.scan(
            tmp_path / f"day{day}", tmp_path / f"alone{day}", executor="serial", ocr=False
        )
    case = forensics.open_case(case_dir)
    ids = list(case.observations["id"])
    assert len(ids) == 3
    for day, k in zip((1, 2, 3), ids, strict=True):
        then = case.at(k)
        assert _state(then) == _state(days[day]), day
        kinds = ["path", "extractor", "kind"]
        mine = then.records[then.records["kind"] != "filesystem"][kinds]
        alone = days[day].records[days[day].records["kind"] != "filesystem"][kinds]
        assert mine.reset_index(drop=True).equals(alone.reset_index(drop=True)), day
    assert _state(case) == _state(case.at(ids[-1]))
    gone = case.at(ids[1]).files.set_index("path")["status"]
    assert gone["b.txt"] == "gone" and "b.txt" not in set(case.at(ids[2]).files["path"])
    changes = case.changes(since=ids[0])
    seen = {
        (int(o), p, s)
        for o, p, s in zip(changes["observation"], changes["path"], changes["status"], strict=True)
    }
    assert {
        (ids[1], "a.txt", "changed"),
        (ids[1], "b.txt", "gone"),
        (ids[1], "e.txt", "new"),
        (ids[1], "upload.zip", "changed"),
        (ids[1], "upload.zip!/c.txt", "changed"),
        (ids[2], "e.txt", "gone"),
        (ids[2], "f.txt", "new"),
    } <= seen
    a = changes[(changes["path"] == "a.txt")].iloc[0]
    assert a["previous_sha256"] == hashlib.sha256(b"a, first\n").hexdigest()
    assert "upload.zip!/d.txt" not in set(changes.loc[changes["status"] == "changed", "path"])


OLD = Path(__file__).parent / "data" / "schema2_case"  # written by the schema-2 code (7572c43)


def test_a_case_of_the_copying_layout_opens_and_upgrades(tmp_path: Path) -> None:
    """Two scans by the code that copied unchanged rows (a.txt corrected,
    b.txt deleted, c.txt added, keep.txt kept): it opens as it is, read
    only, and a writer upgrades it to rows valid over ranges."""
    from forensics.store.schema import connect

    case_dir = tmp_path / "old"
    shutil.copytree(OLD, case_dir)
    before = forensics.open_case(case_dir)
    assert before.verify()["ok"]
    want = {"a.txt": "changed", "b.txt": "gone", "c.txt": "new", "keep.txt": "unchanged"}
    assert dict(zip(before.files["path"], before.files["status"], strict=True)) == want
    connect(case_dir).close()  # what a scan into it does first
    after = forensics.open_case(case_dir)
    assert dict(zip(after.files["path"], after.files["status"], strict=True)) == want
    first, second = list(after.observations["id"])
    assert _state(after.at(first)) == {
        "a.txt": hashlib.sha256(b"a, first\n").hexdigest(),
        "b.txt": hashlib.sha256(b"b\n").hexdigest(),
        "keep.txt": hashlib.sha256(b"kept\n").hexdigest(),
    }
    assert _state(after.at(second)) == _state(before)
    assert after.changes().equals(before.changes())


def test_the_commands_read_a_case_as_an_observation_left_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from forensics.cli import main

    src, case_dir = tmp_path / "src", tmp_path / "case"
    for day in (1, 2):
        _day(src, day)
        forensics.scan(src, case_dir, executor="serial", ocr=False)
    first, second = list(forensics.open_case(case_dir).observations["id"])
    runner = CliRunner()
    totals = []
    for k in (first, second):
        run = runner.invoke(main, ["timeline", str(case_dir), "--observation", str(k)])
        assert run.exit_code == 0, run.output
        lines = run.output.splitlines()
        column = lines[0].split(",").index("bytes")
        totals.append(sum(int(float(line.split(",")[column])) for line in lines[1:]))
    # day 1: a, b and the upload's c and d; day 2: a and c corrected, d, e (b gone)
    assert totals == [9 + 2 + 2 + 2, 13 + 13 + 2 + 2]
    run = runner.invoke(main, ["zones", str(case_dir), "--observation", "99"])
    assert run.exit_code == 2 and "no observation 99" in run.output
