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


class _Pipe(io.BytesIO):
    """Written as to a pipe: zipfile puts the sizes in data descriptors."""

    def seek(self, *_: object) -> int:
        raise io.UnsupportedOperation("a pipe")


def test_a_pencil2d_066_project_names_itself_and_its_camera() -> None:
    """Pencil2D 0.6.6 writes a stored `mimetype` member first, its sizes in a
    data descriptor (the local header says 0); the camera layer holds the
    frame's size; a keyframe may name a file the .pclx lacks."""
    main = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PencilDocument>\n<document>\n'
        b' <projectdata><fps value="12"/></projectdata>\n <object>\n'
        b'  <layer name="Camera Layer" type="5" width="1920" height="1080" id="1">'
        b'<camera frame="1" dx="0" dy="0" s="1" r="0"/></layer>\n'
        b'  <layer name="Line" type="2" id="2"><image src="002.001.vec" frame="1"/>'
        b'<image src="002.009.vec" frame="9"/></layer>\n'
        b'  <layer name="Colour" type="1" id="3"><image src="003.001.png" frame="1"/></layer>\n'
        b" </object>\n <version>0.6.6</version>\n</document>\n"
    )
    buf = _Pipe()
    with zipfile.ZipFile(buf, "w") as zf:
        with zf.open("mimetype", "w") as out:  # streamed: the sizes come after
            out.write(b"application/x-pencil2d-pclx")
        zf.writestr("data/002.001.vec", b"<vec/>", zipfile.ZIP_DEFLATED)
        zf.writestr("data/002.009.vec", b"<vec/>", zipfile.ZIP_DEFLATED)
        zf.writestr("main.xml", main, zipfile.ZIP_DEFLATED)
    data = buf.getvalue()
    assert data[6] & 0x08 and data[18:22] == b"\0\0\0\0"  # the size is not in the header
    assert sniff(data[:65536]) == "application/x-pencil2d"
    [rec] = [i for i in extract(EX, data) if isinstance(i, Pencil2dRecord)]
    assert (rec.version, rec.fps, rec.layer_count) == ("0.6.6", 12, 3)
    assert (rec.camera_width, rec.camera_height) == (1920, 1080)
    assert rec.keyframe_files == ("002.001.vec", "002.009.vec", "003.001.png")
    assert rec.missing_files == ("003.001.png",)
    # another zip that names itself so is still taken at its word only for the known types
    other = _Pipe()
    with zipfile.ZipFile(other, "w") as zf:
        with zf.open("mimetype", "w") as out:
            out.write(b"application/x-made-up")
        zf.writestr("main.xml", b"<a/>")
    assert sniff(other.getvalue()) != "application/x-pencil2d"
