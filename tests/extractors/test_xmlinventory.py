"""The inventory of every production XML document (xml_inventory)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import forensics
from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.base import Context
from forensics.extractors.xmlinventory import XmlInventoryExtractor, XmlInventoryRecord
from forensics.records import FileRef
from forensics.sniff import sniff

from .util import SAMPLES, TRUTH, extract

EX = XmlInventoryExtractor()

# a Pencil2D document of a version no reader was written for: a sound
# layer's clips, a plug-in's element, paths in attributes and in a list
NEWER = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PencilDocument>\n<document>\n'
    b' <projectdata><fps value="24"/></projectdata>\n <object>\n'
    b'  <layer name="Sound" type="4" id="5">'
    b'<sound frame="1" name="voice_take3" src="D:\\Users\\mina\\Recordings\\take3.wav"/>'
    b'<sound frame="40" name="voice_take4" src="005.040.wav"/>'
    b'<param name="volume">0.8</param></layer>\n'
    b'  <layer name="Line" type="2" id="2"><image src="002.001.vec" frame="1"/></layer>\n'
    b" </object>\n <plugin><searchPaths>.;/home/mina/brushes;relative/dir</searchPaths>"
    b"<studioLabel>Line test for cut 12</studioLabel></plugin>\n</document>\n"
)


def test_a_document_of_a_version_no_reader_knows_loses_nothing() -> None:
    assert sniff(NEWER[:4096]) == "application/x-pencil2d-document"
    [rec] = extract(EX, NEWER)
    assert isinstance(rec, XmlInventoryRecord)
    assert rec.root == "document"
    assert (rec.elements["layer"], rec.elements["sound"], rec.elements["image"]) == (2, 2, 1)
    assert {"Sound", "voice_take3", "voice_take4", "005.040.wav", "Line"} <= set(rec.names)
    assert "Line test for cut 12" in rec.names  # an element whose name says it is a label
    assert "24" not in rec.names  # a value is not a name
    assert "volume" not in rec.names  # nor a parameter's name: the format's own word
    assert rec.paths == ("D:\\Users\\mina\\Recordings\\take3.wav", "/home/mina/brushes")


def test_in_a_case_the_paths_name_the_user(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "cut12.pcl").write_bytes(NEWER)
    sifz = next(u for u in TRUTH if u.endswith(".sifz"))
    shutil.copy(SAMPLES / "dump" / sifz, dump / "cut.sifz")
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    ents = case.entities[case.entities["extractor"] == "xml_inventory"]
    assert ("user", "mina") in set(zip(ents["role"], ents["value"], strict=True))
    kinds = case.records.groupby("path")["kind"].agg(set)
    assert {"pencil2d", "xml_inventory"} <= kinds["cut12.pcl"]
    [member] = [p for p in kinds.index if p.startswith("cut.sifz!/")]
    assert {"synfig", "xml_inventory"} <= kinds[member]
    assert case.problems.empty


def test_not_xml_hostile_and_a_merge_left_in_it() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b"PK\x03\x04 not xml")
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE tnz [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><tnz>&b;</tnz>'
    )
    with pytest.raises(CorruptInput):
        extract(EX, bomb)
    line = b'  <layer name="Line" type="2" id="2"><image src="002.001.vec" frame="1"/></layer>\n'
    merged = NEWER.replace(
        line,
        b"<<<<<<< HEAD\n"
        + line
        + b"=======\n"
        + line.replace(b'"Line"', b'"Line v2"')
        + b">>>>>>> theirs\n",
    )
    ctx = Context()
    [rec] = EX.extract(FileRef(url="x", path=None), io.BytesIO(merged), ctx)
    assert isinstance(rec, XmlInventoryRecord)
    assert {"Line", "Line v2"} <= set(rec.names) and rec.elements["layer"] == 3
    assert ctx.problems == []  # the format reader says it once, not this record


def test_an_opentoonz_scene_as_tostream_writes_it(tmp_path: Path) -> None:
    """TOStream writes a value's `&` bare: the scene is still inventoried,
    and no problem is raised for what its format reader reads well."""
    tnz = (
        b'<tnz framecount="0" version="71.0">\n  <generator>\n    "OpenToonz 1.4"\n'
        b'  </generator>\n  <properties><outputs><output name="main">'
        b'<property name="Compression Type" type="enum" value="Lempel-Ziv & Welch encoding"/>'
        b"</output></outputs></properties>\n"
        b'  <levelSet><levels/><folder name="Cast" type="default"/></levelSet>\n</tnz>\n'
    )
    [rec] = extract(EX, tnz)
    assert isinstance(rec, XmlInventoryRecord)
    assert "Cast" in rec.names and rec.elements["folder"] == 1
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "test.tnz").write_bytes(tnz)
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    assert case.problems.empty
    assert {"opentoonz", "xml_inventory"} <= set(case.records["kind"])
