"""One worker, many executors: the same case whatever runs it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import forensics
from forensics.records import FileResult

from .case_views import assert_same_case


def test_serial_process_and_dask_give_identical_cases(dump_copy: Path, tmp_path: Path) -> None:
    serial = forensics.scan(dump_copy, tmp_path / "serial", executor="serial", ocr=False)
    process = forensics.scan(dump_copy, tmp_path / "process", executor="process", jobs=2, ocr=False)
    assert_same_case(serial, process)
    dask = forensics.scan(dump_copy, tmp_path / "dask", executor="dask", jobs=2, ocr=False)
    assert_same_case(serial, dask)
    assert len(serial.files) > 100


def test_a_dask_cluster_with_ocr_gives_the_serial_case(dump_copy: Path, tmp_path: Path) -> None:
    """Two Dask workers read notes on the sheets (OCR on, the models loaded
    in each worker) and return them as they complete: the case is the one a
    single process makes."""
    import shutil

    part = tmp_path / "part"
    for sub in ("KMR", "misc", "uploads/2024-04-01.zip"):
        src, dest = dump_copy / sub, part / sub
        dest.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest)
    serial = forensics.scan(part, tmp_path / "serial", executor="serial")
    dask = forensics.scan(part, tmp_path / "dask", executor="dask", jobs=2)
    assert_same_case(serial, dask)
    assert len(serial.notes) >= 10 and len(serial.files) >= 15


def test_dask_keeps_a_bounded_number_in_flight_and_salvages_failed_tasks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The executor alone, on a cluster of threads: never more refs
    submitted than allowed, and a task that raises is its file's row."""
    from dask.distributed import Client, LocalCluster, as_completed

    from forensics.run import executors
    from forensics.run.executors import _as_completed

    monkeypatch.setattr(executors, "BATCH_FILES", 3)
    from forensics.pipeline import Worker
    from forensics.records import FileRef

    for i in range(30):
        (tmp_path / f"{i:02d}.txt").write_text(f"note {i}")
    refs = [FileRef(url=p.name, path=str(p)) for p in sorted(tmp_path.glob("*.txt"))]
    submitted = 0
    returned = 0
    most = 0

    def counted() -> Iterator[FileRef]:
        nonlocal submitted, most
        for ref in refs:
            submitted += 1
            most = max(most, submitted - returned)
            yield ref

    class Failing(Worker):
        def __call__(self, ref: FileRef) -> FileResult:
            if ref.url == "07.txt":
                raise RuntimeError("boom")
            return super().__call__(ref)

    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False)
    out = []
    with cluster, Client(cluster) as client:
        for res in _as_completed(client, as_completed, Failing(()), counted(), 4):
            returned += 1
            out.append(res)
    assert most <= 4 + 3 and sorted(r.ref.url for r in out) == [r.url for r in refs]
    (failed,) = [r for r in out if r.ref.url == "07.txt"]
    assert [p.kind for p in failed.problems] == ["worker_crashed"] and "boom" in failed.problems[
        0
    ].message
    assert all(r.hashes is not None for r in out if r.ref.url != "07.txt")


def test_a_scan_cut_short_resumes_on_dask_into_the_same_case(
    dump_copy: Path, tmp_path: Path
) -> None:
    whole = forensics.scan(dump_copy, tmp_path / "whole", executor="serial", ocr=False)

    class Stop(Exception):
        pass

    seen = 0

    def stop_at_forty(_result: FileResult) -> None:
        nonlocal seen
        seen += 1
        if seen == 40:
            raise Stop

    cut = tmp_path / "cut"
    with pytest.raises(Stop):
        forensics.scan(
            dump_copy,
            cut,
            executor="dask",
            jobs=2,
            ocr=False,
            batch_size=4,
            on_result=stop_at_forty,
        )
    resumed = forensics.scan(dump_copy, cut, executor="dask", jobs=2, ocr=False)
    assert resumed.manifest["resumed"] is True and len(resumed.observations) == 1
    assert_same_case(whole, resumed)
