"""Custody: names kept losslessly and unique, the reconciliation, the
manifest's hash after every write, the custody list, and exit statuses."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import forensics
from forensics.cli import main
from forensics.pipeline import extract_one
from forensics.records import PROBLEM_KINDS
from forensics.sources import escape_name, iter_refs


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture()
def awkward(tmp_path: Path) -> Path:
    """Names that broke scans: not UTF-8, read two ways, duplicated."""
    dump = tmp_path / "dump"
    dump.mkdir()
    with open(os.fsencode(dump) + b"/\xb1\xd7\xb8\xb2.jpg", "wb") as fh:  # 그림 in cp949
        fh.write(b"not utf-8 name\n")
    (dump / "a.zip").write_bytes(_zip([("b.txt", b"member\n")]))
    (dump / "a.zip!").mkdir()
    (dump / "a.zip!" / "b.txt").write_bytes(b"loose\n")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (dump / "same.zip").write_bytes(_zip([("same.txt", b"one\n"), ("same.txt", b"two\n")]))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        link = tarfile.TarInfo("passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(link)
        info = tarfile.TarInfo("passwd")
        info.size = 5
        tf.addfile(info, io.BytesIO(b"root\n"))
    (dump / "links.tar").write_bytes(buf.getvalue())
    return dump


def test_escape_name_is_lossless_and_never_reads_as_a_member() -> None:
    name = os.fsdecode(b"bad_\xff\xfe.jpg")
    assert escape_name(name) == ("bad_%FF%FE.jpg", b"bad_\xff\xfe.jpg")
    assert escape_name("a.zip!") == ("a.zip%21", None)
    assert escape_name("그림.jpg") == ("그림.jpg", None)


def test_awkward_names_each_get_one_row(awkward: Path, tmp_path: Path) -> None:
    case = forensics.scan(awkward, tmp_path / "case", ocr=False, executor="serial")
    files = case.files
    assert files["path"].is_unique
    assert sorted(files["path"]) == sorted(
        [
            "%B1%D7%B8%B2.jpg",
            "a.zip",
            "a.zip!/b.txt",
            "a.zip%21/b.txt",
            "links.tar",
            "links.tar!/passwd",
            "links.tar!/passwd;2",
            "same.zip",
            "same.zip!/same.txt",
            "same.zip!/same.txt;2",
        ]
    )
    by_path = dict(zip(files["path"], files["sha256"], strict=True))
    assert by_path["same.zip!/same.txt;2"] == hashlib.sha256(b"two\n").hexdigest()
    assert by_path["a.zip%21/b.txt"] == hashlib.sha256(b"loose\n").hexdigest()
    problems = case.problems
    undecodable = problems[problems["kind"] == "undecodable_name"]
    assert list(undecodable["path"]) == ["%B1%D7%B8%B2.jpg"]
    message = undecodable["message"].iloc[0]
    assert "b1d7b8b2" in message and "cp949: 그림.jpg" in message  # raw bytes and a reading
    dupes = problems[problems["kind"] == "duplicate_name"]
    assert sorted(dupes["path"]) == ["links.tar!/passwd;2", "same.zip!/same.txt;2"]
    rec = case.manifest["counts"]["reconciliation"]
    assert rec["balanced"] and rec["missing"] == 0 and sum(rec["walked"].values()) == 10
    assert set(problems["kind"]) <= set(PROBLEM_KINDS)


def test_custody_export_and_verify(awkward: Path, tmp_path: Path) -> None:
    case_dir = tmp_path / "case"
    case = forensics.scan(awkward, case_dir, ocr=False, executor="serial")
    out = tmp_path / "custody.csv"
    forensics.export_case(case, "custody", out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == len(case.files)
    loose = next(r for r in rows if r["path"] == "a.zip%21/b.txt")
    assert loose["sha1"] == hashlib.sha1(b"loose\n").hexdigest() and loose["size"] == "6"
    assert "filesystem.mtime=" in loose["times"]
    member = next(r for r in rows if r["path"] == "same.zip!/same.txt;2")
    assert "archive_entry.dos_time=" in member["times"] and "duplicate_name" in member["problems"]
    assert case.verify()["ok"]
    case.assume_tz("Asia/Pyongyang")  # a later write: the manifest follows it
    assert case.verify()["ok"]
    manifest = case.manifest
    # every write sealed, in order, and the last seal is the case as it is
    assert [s["why"].split(" ")[0] for s in manifest["seals"]] == ["scan", "assume-tz"]
    assert manifest["seals"][-1]["case_sha256"] == manifest["case_sha256"]
    assert manifest["seals"][0]["case_sha256"] != manifest["case_sha256"]
    assert manifest["scans"][-1]["complete"] and manifest["user"] and "noatime" in manifest
    runner = CliRunner()
    assert runner.invoke(main, ["verify", str(case_dir)]).exit_code == 0
    with open(case_dir / "case.sqlite", "r+b") as fh:  # tamper with the case file
        fh.seek(-1, os.SEEK_END)
        last = fh.read(1)
        fh.seek(-1, os.SEEK_END)
        fh.write(bytes([last[0] ^ 0xFF]))
    assert runner.invoke(main, ["verify", str(case_dir)]).exit_code == 1


def test_exit_statuses(awkward: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "note.txt").write_text("수정\n")
    ok = runner.invoke(main, ["scan", str(clean), "-o", str(tmp_path / "c0"), "--no-ocr"])
    assert ok.exit_code == 0, ok.output
    assert "reconciled: 1 entries walked (file 1), 1 rows" in ok.output
    problem = runner.invoke(main, ["scan", str(awkward), "-o", str(tmp_path / "c1"), "--no-ocr"])
    assert problem.exit_code == 1, problem.output
    bad_zone = runner.invoke(
        main, ["scan", str(clean), "-o", str(tmp_path / "c2"), "--assume-tz", "Mars/Olympus"]
    )
    assert bad_zone.exit_code == 2
    inside = runner.invoke(main, ["scan", str(clean), "-o", str(clean / "case")])
    assert inside.exit_code == 2 and not (clean / "case").exists()
    (tmp_path / "c3").mkdir()
    (tmp_path / "c3" / "case.sqlite").write_bytes(b"not a database at all" * 100)
    failed = runner.invoke(main, ["scan", str(clean), "-o", str(tmp_path / "c3"), "--no-ocr"])
    assert failed.exit_code == 3, failed.output
    assert "the scan failed" in failed.output


def test_a_file_that_changes_while_read_says_so(tmp_path: Path) -> None:
    f = tmp_path / "growing.log"
    f.write_bytes(b"x" * 100)
    listed = next(iter(iter_refs(f)))
    with open(f, "ab") as fh:
        fh.write(b"y" * 50)  # it grows between listing and reading
    res = extract_one(listed)
    [p] = [p for p in res.problems if p.kind == "changed_during_read"]
    assert "100 bytes when listed" in p.message and "150 hashed" in p.message


def test_a_file_swapped_for_a_fifo_does_not_block(tmp_path: Path) -> None:
    f = tmp_path / "sheet.jpg"
    f.write_bytes(b"\xff\xd8\xff")
    listed = next(iter(iter_refs(f)))
    f.unlink()
    os.mkfifo(f)  # open() on it would wait forever for a writer
    res = extract_one(listed)
    assert res.hashes is None
    assert [p.kind for p in res.problems if p.extractor == "pipeline"] == ["changed_during_read"]


def test_an_unfinished_case_says_so(tmp_path: Path, awkward: Path) -> None:
    case_dir = tmp_path / "case"
    forensics.scan(awkward, case_dir, ocr=False, executor="serial")
    import sqlite3

    con = sqlite3.connect(case_dir / "case.sqlite")
    con.execute("UPDATE observations SET finished = NULL")
    con.commit()
    con.close()
    res = CliRunner().invoke(main, ["changes", str(case_dir)])
    assert "did not finish" in res.output
    assert not forensics.open_case(case_dir).complete
