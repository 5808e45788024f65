"""Krita documents: documentinfo.xml and maindoc.xml of a .kra zip."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import pytest

import forensics
from forensics.errors import CorruptInput, NotMyFormat
from forensics.events import events_for
from forensics.extractors.base import Context
from forensics.extractors.krita import KritaExtractor, KritaRecord
from forensics.records import FileRef, Note
from forensics.sniff import sniff

from .util import SAMPLES, TRUTH, extract, sample_bytes

EX = KritaExtractor()
URL = next(u for u in TRUTH if u.endswith(".kra"))


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, replace.get(info.filename, src.read(info)))
    return out.getvalue()


def test_the_sample_key_drawing() -> None:
    items = extract(EX, sample_bytes(URL))
    [rec] = [i for i in items if isinstance(i, KritaRecord)]
    stamps = TRUTH[URL]["timestamps"]
    assert rec.saved == dt.datetime.fromisoformat(stamps["Krita last save date"])
    assert rec.created == dt.datetime.fromisoformat(stamps["Krita creation date"])
    assert (rec.author, rec.company, rec.email) == (
        "김민준",
        "Studio Hanbit",
        "minjun.kim@example.com",
    )
    assert (rec.editing_cycles, rec.editing_seconds, rec.software) == (7, 5400, "Krita 5.1.5")
    assert (rec.width, rec.height, rec.frame_rate, rec.frames, rec.layers) == (320, 180, 24, 48, 3)
    assert [n.text for n in items if isinstance(n, Note)] == ["선화", "채색", "수정 메모"]
    assert all(n.origin == "layer_name" for n in items if isinstance(n, Note))
    # Krita writes local time without an offset: naive, never taken as UTC
    assert {e.zone_basis for e in events_for([rec])} == {"unknown"}


def test_a_case_counts_the_document_once_and_names_its_people(tmp_path: Path) -> None:
    """Renamed, the document is still told by its bytes; it is one drawing
    in the timeline, its members are its parts, and its author, company,
    e-mail and program are entities."""
    dump = tmp_path / "dump"
    dump.mkdir()
    shutil.copy(SAMPLES / "dump" / URL, dump / "key_drawing.bin")
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    files = case.files.set_index("path")
    assert files.loc["key_drawing.bin", "mime"] == "application/x-krita"
    assert files.loc["key_drawing.bin", "work"] == "drawing"
    members = files[files.index.str.startswith("key_drawing.bin!/")]
    assert len(members) == 4 and set(members["work"]) == {"part"}
    day = case.timeline(tz="+09:00")
    assert day["files"].sum() == 1 and day["drawings"].sum() == 1
    found = set(zip(case.entities["role"], case.entities["value"], strict=True))
    assert {
        ("author", "김민준"),
        ("organization", "Studio Hanbit"),
        ("email", "minjun.kim@example.com"),
        ("software", "Krita 5.1.5"),
        ("creator", "minjun"),
    } <= found


def test_sniffed_by_its_mimetype_member_not_its_name() -> None:
    data = sample_bytes(URL)
    assert sniff(data[:65536]) == "application/x-krita"
    plain = _rezip(data, {"mimetype": b"application/x-something-else"})
    assert sniff(plain[:65536]) == "application/zip"


def test_not_krita_damaged_and_hostile() -> None:
    data = sample_bytes(URL)
    with pytest.raises(NotMyFormat):
        extract(EX, b"PK\x03\x04" + b"\x00" * 60)
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "not a drawing")
    with pytest.raises(NotMyFormat):
        extract(EX, other.getvalue())
    with pytest.raises(CorruptInput, match="not well-formed"):
        extract(EX, _rezip(data, {"documentinfo.xml": b"<document-info><about><title>cut"}))
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><document-info>&b;</document-info>'
    )
    with pytest.raises(CorruptInput, match="refused"):
        extract(EX, _rezip(data, {"documentinfo.xml": bomb}))


def _with(data: bytes, extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for name, member in extra.items():
            dst.writestr(name, member)
    return out.getvalue()


def test_the_texts_of_vector_layers_are_notes() -> None:
    """What was typed on a vector (shape) layer is in its content.svg: each
    <text> a note, its spans joined as drawn; a broken SVG is a warning and
    the document is still read."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><text font-family="Noto Sans CJK SC">'
        '<tspan x="0">笔刷：b)_Basic-6 7px</tspan>'
        "</text><text style=\"font-size:12;font-family:'Kamillo Grotesk'\">"
        '<tspan>chat</tspan><tspan fill="#ffea00">.</tspan><tspan>horse</tspan>'
        '</text><text> </text><text><tspan x="0">Sweet</tspan><tspan x="0" dy="57.75">Tooth'
        "</tspan></text></svg>"
    ).encode()
    data = _with(
        sample_bytes(URL),
        {
            "KEY/layers/layer9.shapelayer/content.svg": svg,
            "KEY/layers/layer10.shapelayer/content.svg": b"<svg><text>cut off",
        },
    )
    ctx = Context()
    items = list(EX.extract(FileRef(url="k.kra", path=None), io.BytesIO(data), ctx))
    texts = [n.text for n in items if isinstance(n, Note) and n.origin == "text_layer"]
    assert texts == ["笔刷：b)_Basic-6 7px", "chat.horse", "Sweet\nTooth"]
    [rec] = [i for i in items if isinstance(i, KritaRecord)]
    assert rec.fonts == ("Noto Sans CJK SC", "Kamillo Grotesk")  # as an attribute or a style
    assert [p.kind for p in ctx.problems] == ["corrupt"]


def test_file_layers_name_the_files_they_show(tmp_path: Path) -> None:
    """Krita writes a file layer's source relative to the document's folder,
    absolute when it is on another drive: both kept, the absolute one a path
    whose user is an entity."""
    with zipfile.ZipFile(io.BytesIO(sample_bytes(URL))) as zf:
        main = zf.read("maindoc.xml")
    layers = (
        b'<layer name="bg ref" nodetype="filelayer" source="../../refs/C099_bg.png"'
        b' scale="true" scalingmethod="1" filename="layer9"/>'
        b'<layer name="lo" nodetype="filelayer" source="D:/Users/jihoon/layout/C099_lo.psd"'
        b' filename="layer10"/>'
    )
    end = main.rindex(b"</layers>")
    data = _rezip(sample_bytes(URL), {"maindoc.xml": main[:end] + layers + main[end:]})
    [rec] = [r for r in extract(EX, data) if isinstance(r, KritaRecord)]
    assert rec.file_layers == ("../../refs/C099_bg.png", "D:/Users/jihoon/layout/C099_lo.psd")
    assert rec.file_layer_paths == ("D:/Users/jihoon/layout/C099_lo.psd",)
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "key.kra").write_bytes(data)
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    mine = case.entities[case.entities["path"] == "key.kra"]
    assert ("user", "jihoon") in set(zip(mine["role"], mine["value"], strict=True))
