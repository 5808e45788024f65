"""Derived tables kept beside the case (store/derived.py): the next process
reads them instead of computing them, reads exactly what it would have
computed, and never a table of an earlier state of the case."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest

import forensics
from forensics.analysis import production
from forensics.store import derived


def _tables(case: forensics.Case) -> dict[str, pd.DataFrame]:
    return {
        "files": case.files,
        "file_times": case.file_times("UTC"),
        "drawings": case.drawings(),
        "entities": case.entities,
    }


def test_kept_tables_are_the_tables_and_a_write_retires_them(
    dump_copy: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "case"
    forensics.scan(dump_copy, folder, executor="serial", ocr=False)
    computed = _tables(forensics.open_case(folder))
    kept = sorted((folder / derived.FOLDER).glob("*.parquet"))
    assert len(kept) == len(computed)  # each kept, once
    again = forensics.open_case(folder)
    calls: list[tuple[object, ...]] = []
    real = derived.load

    def spy(case: Path, state: tuple[object, ...], key: tuple[object, ...]) -> object:
        found = real(case, state, key)
        calls.append((key, found is not None))
        return found

    derived.load = spy  # type: ignore[assignment]
    try:
        read = _tables(again)
    finally:
        derived.load = real  # type: ignore[assignment]
    assert calls and all(hit for _, hit in calls)  # read, not computed
    for name, table in computed.items():
        pd.testing.assert_frame_equal(read[name], table, check_exact=True)
    # any write changes the case's state: the old tables are not read again
    (dump_copy / "late.txt").write_text("a sheet uploaded later\n")
    forensics.scan(dump_copy, folder, executor="serial", ocr=False)
    fresh = forensics.open_case(folder)
    assert "late.txt" in set(fresh.files["path"])
    assert not set(kept) & set((folder / derived.FOLDER).glob("*.parquet"))  # cleared


def test_a_case_where_nothing_can_be_kept_computes_as_before(
    dump_copy: Path, tmp_path: Path
) -> None:
    """Where the tables cannot be written (read-only media; here the folder
    they go in is a file, which stops root too), the views are computed and
    nothing is kept."""
    folder = tmp_path / "case"
    forensics.scan(dump_copy, folder, executor="serial", ocr=False)
    want = forensics.open_case(folder).drawings()
    kept = folder / derived.FOLDER
    shutil.rmtree(kept)
    kept.write_bytes(b"not a folder")
    got = forensics.open_case(folder).drawings()
    pd.testing.assert_frame_equal(got, want)
    assert kept.read_bytes() == b"not a folder"


def test_files_prefetched_in_a_process_of_their_own_are_the_files(
    dump_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "case"
    forensics.scan(dump_copy, folder, executor="serial", ocr=False)
    computed = forensics.open_case(folder).files
    shutil.rmtree(folder / derived.FOLDER)
    case = forensics.open_case(folder)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # other tests' servers run threads
    case.prefetch()
    monkeypatch.undo()
    # this process never computes them: the forked one did, and kept them
    monkeypatch.setattr(production, "parse", lambda *a: pytest.fail("computed here"))
    pd.testing.assert_frame_equal(case.files, computed, check_exact=True)
    assert list((folder / derived.FOLDER).glob("*.parquet"))
