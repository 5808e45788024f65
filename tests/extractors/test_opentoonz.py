"""OpenToonz scenes (.tnz) and level histories (.hst)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
from pathlib import Path

import pytest

import forensics
from forensics.errors import NotMyFormat
from forensics.events import events_for
from forensics.extractors.base import Context
from forensics.extractors.opentoonz import (
    OpenToonzExtractor,
    OpenToonzRecord,
    OpenToonzSaveRecord,
    parse_saved,
)
from forensics.records import FileRef, RawTime
from forensics.sniff import sniff

from .util import SAMPLES, TRUTH, extract, sample_bytes

EX = OpenToonzExtractor()
SCENE = next(u for u in TRUTH if u.endswith(".tnz"))
HISTORY = next(u for u in TRUTH if u.endswith(".hst"))


def _saves(items: list[object]) -> list[OpenToonzSaveRecord]:
    return [i for i in items if isinstance(i, OpenToonzSaveRecord)]


@pytest.mark.parametrize("url", [SCENE, HISTORY])
def test_every_save_of_the_sample_with_its_machine_and_user(url: str) -> None:
    items = extract(EX, sample_bytes(url))
    saves = _saves(items)
    stamps = TRUTH[url]["timestamps"]
    assert [s.saved for s in saves] == [
        dt.datetime.fromisoformat(stamps[f"OpenToonz save {n}"]) for n in (1, 2, 3)
    ]
    assert [(s.number, s.machine, s.user) for s in saves] == [
        (1, "KMR-ANIM07", "jihoon"),
        (2, "KMR-ANIM07", "jihoon"),
        (3, "KMR-CHK02", "sora.lee"),
    ]
    # the saving machine's clock, to the minute, with no zone: naive
    assert {e.zone_basis for e in events_for(saves)} == {"unknown"}
    if url == HISTORY:
        assert [s.frames for s in saves] == ["1-12", "4, 9", "9"]


def test_the_scene_names_its_program_levels_and_camera() -> None:
    [scene] = [i for i in extract(EX, sample_bytes(SCENE)) if isinstance(i, OpenToonzRecord)]
    assert (scene.generator, scene.format_version, scene.frame_count) == (
        "OpenToonz 1.7.1",
        "71.1",
        48,
    )
    assert (scene.camera_width, scene.camera_height) == (1920, 1080)
    assert scene.level_names == ("A", "BG") and scene.level_count == 2
    assert scene.level_paths[0].startswith("C:/Users/jihoon/")


def test_in_a_case_saves_are_events_and_the_people_entities(tmp_path: Path) -> None:
    """Renamed, a scene is still a scene; each save is an event, its
    machines and users (and the user whose disk a level path names) are
    entities, and the scene counts as scene work."""
    dump = tmp_path / "dump"
    dump.mkdir()
    shutil.copy(SAMPLES / "dump" / SCENE, dump / "renamed.txt")
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    files = case.files.set_index("path")
    assert files.loc["renamed.txt", "mime"] == "application/x-opentoonz-scene"
    assert files.loc["renamed.txt", "work"] == "scene"
    assert case.timeline(tz="+09:00")["scenes"].sum() == 1
    events = case.events
    assert (events["field"] == "opentoonz_save.saved").sum() == 3
    found = set(
        zip(case.entities["role"], case.entities["value"], case.entities["field"], strict=True)
    )
    assert {
        ("host", "KMR-ANIM07", "machine"),
        ("host", "KMR-CHK02", "machine"),
        ("user", "sora.lee", "user"),
        ("user", "jihoon", "level_paths"),
        ("software", "OpenToonz 1.7.1", "generator"),
    } <= found


def test_sniffed_by_content() -> None:
    assert sniff(sample_bytes(SCENE)[:4096]) == "application/x-opentoonz-scene"
    assert sniff(sample_bytes(HISTORY)[:4096]) == "text/x-opentoonz-history"
    assert sniff(b"<html><body>not a scene</body></html>") != "application/x-opentoonz-scene"


def test_dates_as_qt_writes_them_in_other_languages() -> None:
    assert parse_saved("28 Oct 25   15:24") == dt.datetime(2025, 10, 28, 15, 24)  # noqa: DTZ001
    assert parse_saved("05 4월 24   14:13") == dt.datetime(2024, 4, 5, 14, 13)  # noqa: DTZ001
    assert parse_saved("31 Feb 24   10:00") == RawTime("31 Feb 24 10:00")  # kept, not dropped


def test_damaged_and_hostile_scenes_keep_their_history() -> None:
    """A scene cut short, or one declaring entities (a bomb), is read from
    its text: the history survives, with a `corrupt` problem."""
    data = sample_bytes(SCENE)
    cut = data[: data.index(b"</levelSet>")] + data[data.index(b"<history>") :]
    bomb = data.replace(
        b'<tnz framecount="48"',
        b'<!DOCTYPE tnz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<tnz framecount="48"',
    ).replace(b'"A"', b"&b;")
    for damaged in (cut, bomb):
        ctx = Context()
        items = list(
            EX.extract(FileRef(url="s.tnz", path=None, payload=damaged), _io(damaged), ctx)
        )
        assert len(_saves(items)) == 3
        assert [p.kind for p in ctx.problems] == ["corrupt"]
    with pytest.raises(NotMyFormat):
        extract(EX, b"<html>no</html>")


def _io(data: bytes):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(data)


# As OpenToonz 1.4 writes them (the layout of public scenes): a bare & in a
# value, backslashes escaped in quoted paths, the main output's frame rate.
TOSTREAM = b"""<tnz framecount="100" version="71.0">
  <generator>
    "OpenToonz 1.4"
  </generator>
  <properties>
    <outputs>
      <output name="main">
        <fps>
          24
        </fps>
        <path>
          "+outputs\\\\C099 take.png"
        </path>
        <formatsProperties>
          <formatProperties ext="tif">
            <property name="Compression Type" type="enum" value="Lempel-Ziv & Welch encoding"/>
          </formatProperties>
        </formatsProperties>
      </output>
    </outputs>
  </properties>
  <levelSet>
    <levels>
      <level id='1'>
        "B Hand"
        <path>
          "+drawings\\\\Walking\\\\R Hand.pli"
        </path>
      </level>
    </levels>
  </levelSet>
  <history>
    "| #    DATE:       Time:   MACHINE:    USER:           |"
    "| #1   18 Nov 20   11:31   PRATIK      Administrator   |"
  </history>
</tnz>
"""


def test_a_scene_as_opentoonz_writes_it_reads_as_xml() -> None:
    ctx = Context(extractor="opentoonz")
    ref = FileRef(url="x.tnz", path=None, payload=TOSTREAM)
    import io

    items = list(EX.extract(ref, io.BytesIO(TOSTREAM), ctx))
    assert not ctx.problems  # a bare & is how TOStream writes, not damage
    [rec] = [i for i in items if isinstance(i, OpenToonzRecord)]
    assert rec.level_names == ("B Hand",)
    assert rec.level_paths == ("+drawings\\Walking\\R Hand.pli",)
    assert rec.output_path == "+outputs\\C099 take.png" and rec.fps == 24.0
    assert [s.machine for s in items if isinstance(s, OpenToonzSaveRecord)] == ["PRATIK"]


def test_a_palette_a_project_and_the_levels() -> None:
    palette = (
        b"<palette id='1'>\n  <version>\n    71 0 \n  </version>\n  <styles>\n"
        b"    <style>\n      color_0 3 255 255 255 0 \n    </style>\n"
        b"    <style>\n      color_1 3 255 21 36 255 \n    </style>\n  </styles>\n"
        b"  <stylepages>\n    <page>\n      <name>\n        colors \n      </name>\n"
        b"    </page>\n  </stylepages>\n</palette>\n"
    )
    [pal] = extract(EX, palette)
    assert isinstance(pal, OpenToonzRecord)
    assert (pal.document, pal.format_version, pal.styles, pal.pages) == (
        "palette",
        "71 0",
        2,
        ("colors",),
    )
    project = (
        b"<project>\n  <version>\n    70 1 \n  </version>\n  <folders>\n"
        b'    <folder name="drawings" path="drawings" useScenePath="yes"/>\n'
        b'    <folder name="outputs" path="D:\\KMR\\outputs"/>\n  </folders>\n'
        b'  <sceneProperties>\n    <outputs>\n      <output name="main">\n'
        b"        <fps>\n          24 \n        </fps>\n      </output>\n    </outputs>\n"
        b"  </sceneProperties>\n</project>\n"
    )
    assert sniff(project) == "application/x-opentoonz-project"
    [proj] = extract(EX, project)
    assert isinstance(proj, OpenToonzRecord) and proj.document == "project"
    assert proj.folders == (("drawings", "drawings"), ("outputs", "D:\\KMR\\outputs"))
    assert (proj.format_version, proj.fps) == ("70 1", 24.0)
    harmony = b'<project source="Harmony Premium (HarmonyPremium.exe) version 22.0.3">'
    assert sniff(harmony) != "application/x-opentoonz-project"
    raster = b"TLV14B1aOpenToonz 1.4 CM(f1)\x00\x00\x00" + bytes(40)
    vector = b"PLIMG\x00\x14\x00OpenToonz 1.4 CM(f1)\x00\x00\x00" + bytes(40)
    assert (sniff(raster), sniff(vector)) == ("application/x-toonz-tlv", "application/x-toonz-pli")
    for data, document in ((raster, "raster level"), (vector, "vector level")):
        [level] = extract(EX, data)
        assert isinstance(level, OpenToonzRecord)
        assert (level.document, level.generator) == (document, "OpenToonz 1.4 CM(f1)")


def test_a_raster_levels_frames_and_a_palettes_brushes() -> None:
    """A TLV 1.4 header: the creator in 40 bytes, then the header's size,
    the frames' width and height and their number; a palette style that
    paints with a MyPaint brush names its file."""
    creator = b"OpenToonz 1.7.1 CM(f1)".ljust(40, b"\0")
    header = b"TLV14B1a" + creator + struct.pack("<6i", 16, 1920, 1080, 13, 2453757, 2453926)
    [level] = extract(EX, header + b"LZO " + bytes(64))
    assert isinstance(level, OpenToonzRecord)
    assert (level.generator, level.frame_width, level.frame_height, level.frame_count) == (
        "OpenToonz 1.7.1 CM(f1)",
        1920,
        1080,
        13,
    )
    nonsense = b"TLV14B1a" + creator + struct.pack("<4i", 16, -5, 1 << 30, 13)
    [odd] = extract(EX, nonsense + bytes(64))
    assert isinstance(odd, OpenToonzRecord) and odd.frame_width is None
    palette = (
        b"<palette id='1'>\n  <version>\n    71 0 \n  </version>\n  <styles>\n"
        b'    <style>\n      color_1 4001 "experimental\\\\basic.myb"0 0 0 255 0 \n    </style>\n'
        b'    <style>\n      color_2 4001 "experimental\\\\basic.myb"0 0 0 255 0 \n    </style>\n'
        b"  </styles>\n</palette>\n"
    )
    [pal] = extract(EX, palette)
    assert isinstance(pal, OpenToonzRecord)
    assert (pal.styles, pal.brushes) == (2, ("experimental\\basic.myb",))


def test_a_studio_palettes_name_is_the_time_it_was_made(tmp_path: Path) -> None:
    """StudioPalette names a palette `time()` "_" `rand()`: an instant (UTC),
    an event; a level palette's styles copied from a studio palette carry
    that palette's name in their global names."""
    studio = (
        b"<palette name='1612345678_41'>\n  <version>\n    71 0 \n  </version>\n  <styles>\n"
        b"    <style>\n      color_1 3 255 21 36 255 \n    </style>\n  </styles>\n</palette>\n"
    )
    [pal] = extract(EX, studio)
    assert isinstance(pal, OpenToonzRecord)
    assert pal.palette_created == dt.datetime(2021, 2, 3, 9, 47, 58, tzinfo=dt.UTC)
    level = (
        b"<palette id='1'>\n  <styles>\n"
        b"    <style>\n      color_1|+1612345678_41-3 3 255 21 36 255 \n    </style>\n"
        b"    <style>\n      color_2|-1500000000_7-1 3 0 0 0 255 \n    </style>\n"
        b"  </styles>\n</palette>\n"
    )
    [lev] = extract(EX, level)
    assert isinstance(lev, OpenToonzRecord)
    assert lev.palette_created is None
    assert lev.studio_palettes == ("1612345678_41", "1500000000_7")
    [odd] = extract(EX, studio.replace(b"1612345678_41", b"4102444800_1"))  # 2100: a counter
    assert isinstance(odd, OpenToonzRecord) and odd.palette_created is None
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "studio.tpl").write_bytes(studio)
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    events = case.events[case.events["path"] == "studio.tpl"]
    assert dt.datetime(2021, 2, 3, 9, 47, 58, tzinfo=dt.UTC) in set(events["utc"])


def _pli_tag(kind: int, body: bytes) -> bytes:
    """A PLI tag: its type in the low six bits of the first byte, the
    length's width (16 bits: 2) in the high two, then the length."""
    return bytes([0x80 | kind]) + struct.pack("<H", len(body)) + body


def _pli_style(number: int, name: str) -> bytes:
    raw = name.encode()
    return bytes([0x40 | 20, 7 + len(raw)]) + struct.pack("<HHBH", number, 0, 6, len(raw)) + raw


def test_a_vector_levels_history_and_style_names(tmp_path: Path) -> None:
    """As OpenToonz writes a .pli: the header, then a text tag holding the
    level's history (here in Brazilian Portuguese: "out" is October, with a
    machine and a user run together in their fixed columns) and a style tag
    per style, each named."""
    creator = b"OpenToonz 1.4 CM(f1)"
    history = (
        b"| #    DATE:       Time:   MACHINE:    USER:          FRAMES MODIFIED:     |"
        b"| #1   01 out 20   17:54   XPS         orozimbo       6                    |"
        b"| #2   02 out 20   09:05   DESKTOP-M3I9Grandkids      1-3                  |"
    )
    data = (
        b"PLIMG\x00"
        + struct.pack("<H", len(creator))
        + creator
        + b"\x00\x00\x00\x00\x0e\x00\x02\x01\x0f"
        + _pli_tag(4, history)
        + _pli_style(1, "skin")
        + _pli_style(2, "라인")
    )
    assert sniff(data) == "application/x-toonz-pli"
    out = extract(EX, data)
    [level] = [r for r in out if isinstance(r, OpenToonzRecord)]
    assert (level.document, level.generator, level.saves) == ("vector level", creator.decode(), 2)
    assert level.style_names == ("skin", "라인")
    assert [(s.saved, s.machine, s.user, s.frames) for s in _saves(out)] == [
        (dt.datetime(2020, 10, 1, 17, 54), "XPS", "orozimbo", "6"),  # noqa: DTZ001
        (dt.datetime(2020, 10, 2, 9, 5), "DESKTOP-M3I9", "Grandkids", "1-3"),  # noqa: DTZ001
    ]
    ctx = Context()
    cut = data[:-4]  # the last style tag runs past the end
    ref = FileRef(url="x.pli", path=None, payload=cut)
    items = list(EX.extract(ref, io.BytesIO(cut), ctx))
    [short] = [r for r in items if isinstance(r, OpenToonzRecord)]
    assert (short.saves, short.style_names) == (2, ("skin",))
    assert [p.kind for p in ctx.problems] == ["corrupt"]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "L.pli").write_bytes(data)
    case = forensics.scan(tmp_path / "in", tmp_path / "case", executor="serial", ocr=False)
    users = case.entities[case.entities["role"] == "user"]["value"].tolist()
    assert sorted(set(users)) == ["Grandkids", "orozimbo"]


@pytest.mark.parametrize(
    ("written", "month"),
    [
        ("07 out 20   19:08", 10),  # Portuguese
        ("10 mar. 21   23:43", 3),  # Spanish
        ("01 juil. 22   10:00", 7),  # French: juin and juil. share their first three
        ("01 juin 22   10:00", 6),
        ("03 März 21   10:00", 3),  # German
        ("12 paź 21   09:00", 10),  # Polish
        ("05 дек. 19   11:11", 12),  # Russian
        ("28 10月 25   15:24", 10),  # Japanese, Chinese: by the digits
    ],
)
def test_the_months_of_other_languages(written: str, month: int) -> None:
    saved = parse_saved(written)
    assert isinstance(saved, dt.datetime) and saved.month == month
