"""The case: views, manifest, resume after SIGKILL, observations."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import forensics

from .case_views import assert_same_case

SLOW_SCAN = """
import sys, time, forensics
forensics.scan(sys.argv[1], sys.argv[2], executor="serial", ocr=False, batch_size=4,
               on_result=lambda r: time.sleep(0.05))
"""


def _rows(case: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{case / 'case.sqlite'}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM file_rows").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_resume_after_sigkill_gives_the_same_case(dump_copy: Path, tmp_path: Path) -> None:
    whole = forensics.scan(dump_copy, tmp_path / "whole", executor="serial", ocr=False)
    total = len(whole.files)
    killed = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_SCAN, str(dump_copy), str(killed)])
    deadline = time.monotonic() + 120
    while _rows(killed) < total // 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = _rows(killed)
    assert 0 < done_before < total, "the scan was not killed halfway"
    resumed = forensics.scan(dump_copy, killed, executor="serial", ocr=False)
    assert len(resumed.observations) == 1 and resumed.manifest["resumed"] is True
    assert resumed.files["path"].is_unique
    assert_same_case(whole, resumed)


def test_views_columns_and_manifest(dump_copy: Path, tmp_path: Path) -> None:
    case = forensics.scan(dump_copy, tmp_path / "c", executor="serial", ocr=False)
    assert {
        "path",
        "container",
        "size",
        "md5",
        "sha1",
        "sha256",
        "mime",
        "ext_mismatch",
        "status",
        "observation",
    } <= set(case.files.columns)
    assert {"path", "extractor", "kind", "body"} <= set(case.records.columns)
    assert {"path", "utc", "local", "offset", "zone_basis", "description", "extractor"} <= set(
        case.events.columns
    )
    assert {"path", "text", "lang", "confidence", "ink", "box", "origin", "pair"} <= set(
        case.notes.columns
    )
    assert {"path", "severity", "extractor", "kind", "message"} <= set(case.problems.columns)
    assert {"id", "source", "started", "finished", "counts"} <= set(case.observations.columns)
    con = sqlite3.connect(tmp_path / "c" / "case.sqlite")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    import hashlib

    assert (
        manifest["case_sha256"]
        == hashlib.sha256((tmp_path / "c" / "case.sqlite").read_bytes()).hexdigest()
    )
    assert manifest["extractors"]["archive_entry"] and manifest["counts"]["files"] == len(
        case.files
    )
    # naive DOS times stay naive: no UTC, zone unknown
    dos = case.events[case.events["field"] == "archive_entry.dos_time"]
    assert len(dos) and dos["utc"].isna().all() and (dos["zone_basis"] == "unknown").all()
    body = json.loads(case.records[case.records["kind"] == "archive_entry"]["body"].iloc[0])
    assert "ext_mtime" in body or "ntfs_mtime" in body


def test_rescan_is_a_new_observation(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("keep.txt", "change.txt", "drop.txt"):
        (src / name).write_text(name)
    forensics.scan(src, tmp_path / "c", executor="serial", ocr=False)
    (src / "change.txt").write_text("changed")
    (src / "drop.txt").unlink()
    (src / "add.txt").write_text("new")
    case = forensics.scan(src, tmp_path / "c", executor="serial", ocr=False)
    status = dict(zip(case.files["path"], case.files["status"], strict=True))
    assert status == {
        "add.txt": "new",
        "change.txt": "changed",
        "drop.txt": "gone",
        "keep.txt": "unchanged",
    }
    assert list(case.observations["id"]) == [1, 2]


def test_evidence_is_not_modified(dump_copy: Path, tmp_path: Path) -> None:
    """Not its bytes, and not even its access times (read with O_NOATIME).
    A symbolic link's own atime is the exception: Linux may update it when
    its target is read, and readlink has no O_NOATIME."""

    def times() -> dict[str, tuple[int, int | None]]:
        return {
            str(p): (p.lstat().st_mtime_ns, None if p.is_symlink() else p.lstat().st_atime_ns)
            for p in sorted(dump_copy.rglob("*"))
        }

    def contents() -> dict[str, bytes]:
        return {
            str(p): p.read_bytes()
            for p in sorted(dump_copy.rglob("*"))
            if p.is_file() and not p.is_symlink()
        }

    before_bytes = contents()
    before_times = times()  # after our own read, which may bump atime
    forensics.scan(dump_copy, tmp_path / "c", executor="serial", ocr=False)
    assert times() == before_times
    assert contents() == before_bytes


def test_assumed_zone_is_applied_on_read_and_can_change(dump_copy: Path, tmp_path: Path) -> None:
    case = forensics.scan(
        dump_copy, tmp_path / "c", executor="serial", ocr=False, assume_tz="+09:00"
    )
    ev = case.events
    dos = ev[ev["field"] == "archive_entry.dos_time"]
    assert (dos["zone_basis"] == "assumed").all() and (dos["offset"] == "+09:00").all()
    ext = ev[ev["field"] == "archive_entry.ext_mtime"].set_index("path")["utc"]
    # the artists' DOS wall clock read in +09:00 is the UTC instant of 0x5455, to 2 s
    for path, utc in dos.set_index("path")["utc"].items():
        if path in ext.index:
            assert abs((utc - ext[path]).total_seconds()) < 2
    explicit = ev[ev["zone_basis"] == "explicit"]
    # EXIF OffsetTime and XMP carry +09:00; OOXML writes its dates in UTC ("Z")
    assert set(explicit["offset"]) == {"+09:00", "+00:00"}
    case.assume_tz(None)
    assert (case.events.query("field == 'archive_entry.dos_time'")["zone_basis"] == "unknown").all()


def test_pyongyang_history_in_assumed_zone(tmp_path: Path) -> None:
    import zipfile

    src = tmp_path / "src"
    src.mkdir()
    with zipfile.ZipFile(src / "a.zip", "w") as zf:
        zf.writestr(zipfile.ZipInfo("2016.txt", (2016, 6, 1, 12, 0, 0)), "x")
        zf.writestr(zipfile.ZipInfo("2019.txt", (2019, 6, 1, 12, 0, 0)), "y")
    case = forensics.scan(
        src, tmp_path / "c", executor="serial", ocr=False, assume_tz="Asia/Pyongyang"
    )
    dos = case.events.query("field == 'archive_entry.dos_time'").set_index("path")
    assert dos.loc["a.zip!/2016.txt", "offset"] == "+08:30"
    assert dos.loc["a.zip!/2019.txt", "offset"] == "+09:00"
    assert str(dos.loc["a.zip!/2016.txt", "utc"]) == "2016-06-01 03:30:00+00:00"


def test_changes_and_observed_time_basis(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("one")
    forensics.scan(src, tmp_path / "c", executor="serial", ocr=False)
    (src / "a.txt").write_text("two")
    (src / "b.txt").write_text("new")
    case = forensics.scan(src, tmp_path / "c", executor="serial", ocr=False)
    changes = case.changes(since=1)
    assert sorted(zip(changes["path"], changes["status"], strict=True)) == [
        ("a.txt", "changed"),
        ("b.txt", "new"),
    ]
    import hashlib

    changed = changes.set_index("path")
    assert changed.loc["a.txt", "previous_sha256"] == hashlib.sha256(b"one").hexdigest()
    assert changed.loc["a.txt", "sha256"] == hashlib.sha256(b"two").hexdigest()
    assert changed.loc["a.txt", "previous_size"] == 3
    assert changed["previous_sha256"].isna()["b.txt"]
    observed = case.timeline(freq="D", tz="UTC", time_basis="observed")
    assert observed["files"].sum() == 2
    # an id as pandas gives it (a numpy integer) is an id, not an empty answer
    first = case.observations["id"].min()
    assert type(first).__module__ == "numpy"
    assert case.changes(since=first).equals(changes)
    with pytest.raises(TypeError, match="observation id"):
        case.changes(since="1")  # type: ignore[arg-type]
    from click.testing import CliRunner

    from forensics.cli import main

    run = CliRunner().invoke(main, ["changes", str(tmp_path / "c"), "--json", "--since", "1"])
    assert run.exit_code == 0, run.output
    lines = [json.loads(line) for line in run.output.splitlines()]
    assert sorted((r["path"], r["status"]) for r in lines) == [
        ("a.txt", "changed"),
        ("b.txt", "new"),
    ]
    started = case.observations.iloc[-1]["started"].strftime("%Y-%m-%d")
    assert observed.iloc[-1]["period"].strftime("%Y-%m-%d") == started


def test_notebook_summary(tmp_path: Path) -> None:
    src = tmp_path / "dump<1>"
    src.mkdir()
    (src / "a.txt").write_text("x")
    case = forensics.scan(src, tmp_path / "c", executor="serial", ocr=False)
    from forensics.report.notebook import summary_html

    html = summary_html(case)
    assert html.startswith("<table>") and "files</th><td style='text-align:left'>1 (" in html
    assert "dump&lt;1&gt;" in html and "dump<1>" not in html  # the source is escaped


def test_a_second_source_is_refused_unless_asked_and_counted_once(
    dump_copy: Path, tmp_path: Path
) -> None:
    from forensics.errors import UsageError

    case = forensics.scan(dump_copy, tmp_path / "case", executor="serial", ocr=False)
    counted = ["files", "bytes", "drawings", "new_drawings", "revisions"]
    before = case.timeline(tz="+09:00")[counted].sum()
    with pytest.raises(UsageError, match="another source"):
        forensics.scan(dump_copy / "KMR", tmp_path / "case", executor="serial", ocr=False)
    assert case.sources == [str(dump_copy.resolve())]  # nothing was added
    both = forensics.scan(
        dump_copy / "KMR", tmp_path / "case", executor="serial", ocr=False, add_source=True
    )
    assert both.sources == [str(dump_copy.resolve()), str((dump_copy / "KMR").resolve())]
    assert set(both.files["source"]) == set(both.sources)
    after = both.timeline(tz="+09:00")[counted].sum()
    assert (after == before).all()  # KMR's files are the first source's bytes: counted once


def test_a_rescan_reads_only_what_changed(dump_copy: Path, tmp_path: Path) -> None:
    """Unchanged files (size and mtime) are not read again: their rows, and
    their members' for an archive, are copied as unchanged; a changed file
    is read; --verify reads everything."""
    import os

    case_dir = tmp_path / "case"

    def scan(**options: bool) -> tuple[forensics.Case, list[str]]:
        """A scan of the dump into the case, and the urls the worker read."""
        read: list[str] = []
        opened = forensics.scan(
            dump_copy,
            case_dir,
            executor="serial",
            ocr=False,
            on_result=lambda r: read.append(r.ref.url),
            **options,
        )
        return opened, read

    def regular(view: pd.DataFrame) -> pd.DataFrame:  # a link is read again, and its atime moves
        kept = view[view["path"] != "hostile/passwd_link"].drop(columns="observation")
        return kept.reset_index(drop=True)

    first, read = scan()
    views = {v: regular(getattr(first, v)) for v in ("records", "events")}
    total = len(read)
    again, read = scan()
    assert read == ["hostile/passwd_link"]  # only what is not a regular file
    assert set(again.files["status"]) == {"unchanged"}
    assert len(again.records) == len(first.records) and len(again.events) == len(first.events)
    for view, was in views.items():
        assert regular(getattr(again, view)).equals(was), view
    assert again.manifest["counts"]["reconciliation"]["balanced"]
    # one loose file and one upload change: only they (and the upload's members) are read
    sheet = next(p for p in sorted((dump_copy / "KMR").rglob("*.jpg")))
    with open(sheet, "ab") as fh:
        fh.write(b"\0")
    upload = dump_copy / "uploads" / "2024-04-02.zip"
    st = upload.stat()
    os.utime(upload, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    third, read = scan()
    rel = sheet.relative_to(dump_copy).as_posix()
    assert rel in read and "uploads/2024-04-02.zip" in read
    assert all(
        u in (rel, "hostile/passwd_link") or u.startswith("uploads/2024-04-02.zip") for u in read
    )
    status = third.files.set_index("path")["status"]
    assert status[rel] == "changed" and status["uploads/2024-04-02.zip"] == "unchanged"
    _verified, read = scan(verify=True)
    assert len(read) == total


def test_a_scan_configuration_is_one_object_or_the_same_keywords(tmp_path: Path) -> None:
    """`ScanConfig` and keywords give the same case and the same recorded
    parameters; an unknown setting, or both forms at once, is refused."""
    from forensics.errors import UsageError

    src = tmp_path / "dump"
    src.mkdir()
    (src / "a.txt").write_text("修正 note")
    limits = forensics.Limits(max_depth=2)
    config = forensics.ScanConfig(ocr=False, executor="serial", limits=limits)
    by_config = forensics.scan(src, tmp_path / "one", config)
    by_words = forensics.scan(src, tmp_path / "two", ocr=False, executor="serial", limits=limits)
    assert_same_case(by_config, by_words)
    assert by_config.manifest["parameters"] == by_words.manifest["parameters"]
    assert by_config.manifest["parameters"]["limits"]["max_depth"] == 2
    with pytest.raises(UsageError, match="unknown scan setting"):
        forensics.scan(src, tmp_path / "three", ocr=False, max_deph=2)
    with pytest.raises(UsageError, match="not both"):
        forensics.scan(src, tmp_path / "four", config, ocr=True)


def test_every_time_column_is_typed_and_every_count_an_integer(tmp_path: Path) -> None:
    """Times are tz-aware datetime64 (naive only in columns named for it),
    counts integers, confidences floats: what pandas users compute on."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("a\n")
    forensics.scan(src, tmp_path / "case", executor="serial", ocr=False)
    (src / "a.txt").write_text("a, corrected\n")
    (src / "b.txt").write_text("b\n")
    case = forensics.scan(src, tmp_path / "case", executor="serial", ocr=False)

    def kind(df: pd.DataFrame, column: str) -> str:
        return str(df[column].dtype)

    scans = case.observations
    assert kind(scans, "started") == kind(scans, "finished") == "datetime64[us, UTC]"
    changes = case.changes()
    assert kind(changes, "started") == kind(changes, "modified") == "datetime64[us, UTC]"
    assert kind(changes, "previous_size") == "Int64" and kind(changes, "notes_added") == "Int64"
    assert changes["previous_sha256"].dropna().map(type).eq(str).all()
    who = case.entity_summary()
    assert kind(who, "first_seen") == kind(who, "last_seen") == "datetime64[us, UTC]"
    assert kind(who, "first_written") == "datetime64[us]"  # naive on purpose, and named so
    assert kind(case.events, "utc") == "datetime64[us, UTC]"
    assert kind(case.notes, "confidence") == kind(case.notes, "pair_score") == "Float64"
    assert kind(case.files, "size") == "int64" and kind(case.files, "observation") == "int64"
