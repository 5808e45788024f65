"""Pencil2D projects (.pclx, .pcl)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

import forensics
from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.pencil2d import Pencil2dExtractor, Pencil2dRecord
from forensics.records import Note
from forensics.sniff import sniff

from .util import SAMPLES, TRUTH, extract, sample_bytes

EX = Pencil2dExtractor()
URL = next(u for u in TRUTH if u.endswith(".pclx"))


def _main(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("main.xml")


def test_the_sample_rough() -> None:
    data = sample_bytes(URL)
    assert sniff(data[:65536]) == "application/x-pencil2d"
    items = extract(EX, data)
    [rec] = [i for i in items if isinstance(i, Pencil2dRecord)]
    assert (rec.fps, rec.mark_in, rec.mark_out, rec.keyframes, rec.last_frame) == (24, 1, 48, 3, 13)
    assert rec.layers == (("camera", "Camera Layer"), ("bitmap", "러프"))
    assert rec.member_times_zero is True  # miniz writes no member time
    assert [n.text for n in items if isinstance(n, Note)] == ["Camera Layer", "러프"]
    # an old loose .pcl is the same main.xml
    assert sniff(_main(data)[:4096]) == "application/x-pencil2d-document"
    assert len(extract(EX, _main(data))) == len(items)


def test_in_a_case_nothing_is_dated_1980(tmp_path: Path) -> None:
    """The members' zero DOS times date nothing: the project is one scene
    dated by its own file, its members are parts without a time."""
    dump = tmp_path / "dump"
    dump.mkdir()
    shutil.copy(SAMPLES / "dump" / URL, dump / "rough.pclx")
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    files = case.files.set_index("path")
    assert files.loc["rough.pclx", "work"] == "scene"
    assert set(files.loc[files.index.str.startswith("rough.pclx!/"), "work"]) == {"part"}
    times = case.file_times("UTC").set_index("path")["time"].dropna()
    assert not (times.dt.year < 1990).any()
    assert set(case.records.loc[case.records["extractor"] == "pencil2d", "path"]) == {"rough.pclx"}


def test_not_pencil2d_and_damaged() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b"<document/>")
    with pytest.raises(CorruptInput, match="not well-formed"):
        extract(EX, _main(sample_bytes(URL))[:120])
