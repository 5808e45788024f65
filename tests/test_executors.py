"""One worker, many executors: the same case whatever runs it."""

from __future__ import annotations

from pathlib import Path

import forensics

from .case_views import assert_same_case


def test_serial_process_and_dask_give_identical_cases(dump_copy: Path, tmp_path: Path) -> None:
    serial = forensics.scan(dump_copy, tmp_path / "serial", executor="serial", ocr=False)
    process = forensics.scan(dump_copy, tmp_path / "process", executor="process", jobs=2, ocr=False)
    assert_same_case(serial, process)
    dask = forensics.scan(dump_copy, tmp_path / "dask", executor="dask", jobs=2, ocr=False)
    assert_same_case(serial, dask)
    assert len(serial.files) > 100
