"""OpenToonz scenes (.tnz) and level histories (.hst)."""

from __future__ import annotations

import datetime as dt
import shutil
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
    assert scene.camera_resolution == (1920, 1080) and scene.level_names == ("A", "BG")
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
