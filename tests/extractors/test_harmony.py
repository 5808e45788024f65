"""Toon Boom Harmony scenes (.xstage, .aux, PALETTE_LIST) and drawings (.tvg)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

import forensics
from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.base import Context
from forensics.extractors.harmony import HarmonyDrawingRecord, HarmonyExtractor, HarmonyRecord
from forensics.records import FileRef, Note
from forensics.sniff import sniff

from .util import SAMPLES, TRUTH, extract, sample_bytes

EX = HarmonyExtractor()
SCENE = next(u for u in TRUTH if u.endswith(".xstage"))
AUX = next(u for u in TRUTH if u.endswith(".aux"))
PALETTES = next(u for u in TRUTH if u.endswith("PALETTE_LIST"))
DRAWING = next(u for u in TRUTH if u.endswith(".tvg"))


def _one(data: bytes) -> HarmonyRecord | HarmonyDrawingRecord:
    [rec] = [r for r in extract(EX, data) if not isinstance(r, Note)]
    assert isinstance(rec, HarmonyRecord | HarmonyDrawingRecord)
    return rec


def test_the_scene_its_save_in_two_clocks_and_its_user() -> None:
    data = sample_bytes(SCENE)
    assert sniff(data[:65536]) == "application/x-toonboom-harmony-scene"
    items = extract(EX, data)
    [rec] = [r for r in items if isinstance(r, HarmonyRecord)]
    assert (rec.product, rec.product_version, rec.build) == ("Harmony Premium", "22.0.3", "19258")
    assert rec.build_date == "2023-01-18 14:01:29"
    assert rec.generator is not None and rec.generator.endswith("2023-01-18 14:01:29")
    assert rec.element_count == 1
    assert (rec.user, rec.real_user) == ("hyejin", "hyejin.park")
    assert rec.saved_utc is not None and rec.saved_utc.isoformat() == TRUTH[SCENE]["time"]
    # the local clock and the instant of one save: the machine's offset
    assert isinstance(rec.saved, dt.datetime) and rec.saved.tzinfo is None
    offset = rec.saved - rec.saved_utc.replace(tzinfo=None, microsecond=0)
    assert offset == dt.timedelta(hours=9)
    assert (rec.scene_names, rec.frame_count, rec.elements, rec.drawings) == (
        ("Top",),
        48,
        (("A", 2),),
        2,
    )
    assert rec.paths == ("D:/KMR/EP12/audio/C099_dialogue.wav",)
    assert [n.text for n in items if isinstance(n, Note)] == ["원화 A", "SOUND"]


def test_the_scene_version_and_the_palette_list() -> None:
    aux = _one(sample_bytes(AUX))
    assert isinstance(aux, HarmonyRecord) and aux.document == "scene version"
    assert isinstance(aux.modified, dt.datetime) and aux.elements == (("A", 2),)
    palettes = _one(sample_bytes(PALETTES))
    assert isinstance(palettes, HarmonyRecord)
    assert palettes.palette_paths == ("C:/Users/hyejin.park/Documents/KMR/palette-library/KMR.plt",)


def test_the_drawing_names_its_host_and_its_licence() -> None:
    data = sample_bytes(DRAWING)
    assert sniff(data[:65536]) == "application/x-toonboom-tvg"
    rec = _one(data)
    assert isinstance(rec, HarmonyDrawingRecord)
    assert (rec.host, rec.product, rec.licence_id) == (
        "KMR-ANIM-07",
        "Harmony Premium",
        "WEB_51730288",
    )
    assert rec.licence_issuer == "licenser.toonboom.com"
    assert rec.licence_valid_from == dt.datetime(2024, 1, 8, 2, 0, tzinfo=dt.UTC)
    assert rec.licence_valid_to == dt.datetime(2034, 1, 8, 2, 0, tzinfo=dt.UTC)


def test_an_old_drawing_compressed_whole() -> None:
    """Harmony 12 and older (format 0x3f0) deflate everything after the header."""
    import struct
    import zlib

    info = b"TVCIUNCOF\0\0\0\0\0@A\x02\0@\0\x01\0\0\0\0Mario-PC - unknown host type (3):\0Stage\0"
    packed = zlib.compress(info + b"\0" * 5000)
    data = b"OTVGfull" + struct.pack("<II", 0x3F0, 2) + b"ZLIB"
    data += struct.pack("<II", len(packed), len(info) + 5000) + packed
    rec = _one(data)
    assert isinstance(rec, HarmonyDrawingRecord) and rec.compressed
    assert (rec.host, rec.product, rec.licence_id) == ("Mario-PC", "Stage", None)


def test_a_truncated_drawing_keeps_what_it_has() -> None:
    data = sample_bytes(DRAWING)
    ctx = Context(extractor="harmony")
    cut = data[: data.index(b"-----END")]
    [rec] = list(EX.extract(FileRef(url="x", path=None, payload=cut), io.BytesIO(cut), ctx))
    assert isinstance(rec, HarmonyDrawingRecord) and rec.format_version == 0x3F1
    assert rec.licence_id is None and rec.host is None
    assert {p.kind for p in ctx.problems} == {"corrupt"}


def test_not_harmony_and_hostile() -> None:
    pom = b'<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"/>'
    assert sniff(pom) != "application/x-toonboom-harmony-scene"
    with pytest.raises(NotMyFormat):
        extract(EX, pom)
    bomb = (
        b'<!DOCTYPE project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
        b'<project source="Harmony Premium (HarmonyPremium.exe) version 22.0.3" '
        b'username="&b;"/>'
    )
    assert sniff(bomb) == "application/x-toonboom-harmony-scene"
    with pytest.raises(CorruptInput, match="refused"):
        extract(EX, bomb)


def test_in_a_case(tmp_path: Path) -> None:
    """The scene is dated by its UTC save, its drawing counts as a drawing,
    and the people and machines are entities with their roles."""
    dump = tmp_path / "dump"
    folder = SAMPLES / "dump" / Path(SCENE).parent
    shutil.copytree(folder, dump)
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    files = case.files.set_index("path")
    scene, drawing = Path(SCENE).name, str(Path(DRAWING).relative_to(Path(SCENE).parent))
    assert (files.loc[scene, "work"], files.loc[drawing, "work"]) == ("scene", "drawing")
    times = case.file_times("UTC").set_index("path")
    assert times.loc[scene, "basis"] == "harmony.saved_utc"
    found = set(zip(case.entities["role"], case.entities["value"], strict=True))
    assert {
        ("user", "hyejin"),
        ("user", "hyejin.park"),
        ("host", "KMR-ANIM-07"),
        ("software", "Harmony Premium"),
        ("licence", "WEB_51730288"),
    } <= found
    assert not (case.problems["severity"] == "error").any()


def test_as_other_copies_write_them() -> None:
    """A macOS palette list links without quotes; Storyboard Pro writes the
    same element tables; a drawing may name its host bare (or by a number)."""
    palettes = (
        b"ToonBoomAnimationInc PaletteList 1\n"
        b"palette-library/KMR LINK /Users/hyejin/Documents/KMR/palette-library/KMR.plt\n"
    )
    pal = _one(palettes)
    assert isinstance(pal, HarmonyRecord)
    assert pal.palette_paths == ("/Users/hyejin/Documents/KMR/palette-library/KMR.plt",)
    table = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<elements  source="Storyboard Pro (Storyboard '
        b'Pro) version 25.0.1 build 24106 2025-07-25 02:54:57" version="2501" build="24106" '
        b'date="Fri Oct 31 18:29:12 2025" timeMsec="1761906552635" username="hyejin" '
        b'realUsername="\xed\x98\x9c\xec\xa7\x84">\n'
        b' <element id="1" elementName="Draw"/>\n</elements>\n'
    )
    assert sniff(table) == "application/x-toonboom-harmony"
    rec = _one(table)
    assert isinstance(rec, HarmonyRecord) and rec.document == "element table"
    assert (rec.product, rec.product_version, rec.real_user) == ("Storyboard Pro", "25.0.1", "혜진")
    assert rec.saved_utc == dt.datetime(2025, 10, 31, 10, 29, 12, 635000, tzinfo=dt.UTC)
    drawing = sample_bytes(DRAWING)
    bare = drawing.replace(b"KMR-ANIM-07 - unknown host type (12):", b"-1451844580")
    bare = bare.replace(b"Harmony Premium\0", b"Solo\0")
    rec = _one(bare)
    assert isinstance(rec, HarmonyDrawingRecord)
    assert (rec.host, rec.host_type, rec.product) == ("-1451844580", None, "Solo")
    palette = (
        b"ToonBoomAnimationInc PaletteFile 2\n"
        b"Solid    Black    0x0b 0 0 0 255\n"
        b'Solid    "Gray 90%"    0x0c 25 25 25 255\n'
        b"Solid    Potato_Line    0x0ac743b4b7704f0b 103  71  25 255\n"
    )
    rec = _one(palette)
    assert isinstance(rec, HarmonyRecord)
    assert (rec.colours, rec.colour_names) == (3, ("Black", "Gray 90%", "Potato_Line"))
    assert rec.colour_ids == ("0x0ac743b4b7704f0b",)  # Harmony's 64-bit ids only
