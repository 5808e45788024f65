"""Adobe Animate XFL documents (.fla zips, loose DOMDocument.xml)."""

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
from forensics.extractors.animate import AnimateExtractor, AnimateItemRecord, AnimateRecord
from forensics.records import Note
from forensics.sniff import sniff

from .util import SAMPLES, TRUTH, extract, sample_bytes

EX = AnimateExtractor()
URL = next(u for u in TRUTH if u.endswith(".fla"))


def _dom(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("DOMDocument.xml")


def test_the_sample_document_and_its_library() -> None:
    data = sample_bytes(URL)
    assert sniff(data[:65536]) == "application/vnd.adobe.xfl"
    items = extract(EX, data)
    [doc] = [i for i in items if isinstance(i, AnimateRecord)]
    assert doc.saved_by == "Saved by Animate Windows 22.0 build 186"
    assert (doc.width, doc.height, doc.frame_rate, doc.timelines) == (1920, 1080, 24.0, ("C099",))
    bitmap, symbol = [i for i in items if isinstance(i, AnimateItemRecord)]
    want = dt.datetime.fromisoformat(TRUTH[URL]["timestamps"]["Animate sourceLastImported"])
    assert bitmap.imported == want and "Users\\jihoon\\" in (bitmap.source_path or "")
    assert symbol.modified is not None and symbol.item_type == "symbol"
    assert {e.zone_basis for e in events_for([bitmap, symbol])} == {"utc"}
    assert [n.text for n in items if isinstance(n, Note)] == ["배경"]
    # the same document loose, as in an uncompressed XFL folder
    assert sniff(_dom(data)[:4096]) == "application/x-xfl-document"
    assert len(extract(EX, _dom(data))) == len(items)


def test_in_a_case_the_fla_is_one_scene_and_names_its_importer(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    shutil.copy(SAMPLES / "dump" / URL, dump / "cut.fla")
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    files = case.files.set_index("path")
    assert files.loc["cut.fla", "work"] == "scene"
    assert set(files.loc[files.index.str.startswith("cut.fla!/"), "work"]) == {"part"}
    records = case.records
    assert set(records.loc[records["extractor"] == "animate", "path"]) == {"cut.fla"}  # read once
    found = set(zip(case.entities["role"], case.entities["value"], strict=True))
    assert {("user", "jihoon"), ("software", "Saved by Animate Windows 22.0 build 186")} <= found


def test_not_animate_damaged_and_hostile() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b"<svg/>")
    cut = _dom(sample_bytes(URL))[:400]
    with pytest.raises(CorruptInput, match="not well-formed"):
        extract(EX, cut)
    bomb = b'<!DOCTYPE d [<!ENTITY a "aaaa">]><DOMDocument versionInfo="&a;"/>'
    with pytest.raises(CorruptInput, match="refused"):
        extract(EX, bomb)
