"""Events from declared time fields, zones, and the volume per period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from forensics.analysis.timeline import volume
from forensics.events import events_for, parse_zone
from forensics.extractors.archive import ArchiveEntryRecord

KST = dt.timezone(dt.timedelta(hours=9))


def test_parse_zone() -> None:
    assert parse_zone("+09:00") == KST
    assert parse_zone("+0830").utcoffset(None) == dt.timedelta(hours=8, minutes=30)
    assert parse_zone("-05:00").utcoffset(None) == dt.timedelta(hours=-5)
    assert parse_zone("UTC") is dt.UTC
    pyongyang = parse_zone("Asia/Pyongyang")
    assert dt.datetime(2016, 1, 1, tzinfo=pyongyang).utcoffset() == dt.timedelta(
        hours=8, minutes=30
    )
    with pytest.raises(ValueError):
        parse_zone("Mars/Olympus")
    with pytest.raises(ValueError):
        parse_zone("+15:00")


def test_naive_times_stay_naive_unless_a_zone_is_assumed() -> None:
    rec = ArchiveEntryRecord(
        extractor="archive_entry",
        source="zip entry",
        dos_time=dt.datetime(2024, 4, 1, 10, 0),  # noqa: DTZ001
        ext_mtime=dt.datetime(2024, 4, 1, 1, 0, 0, 500, tzinfo=dt.UTC),
    )
    dos, ext = events_for([rec])
    assert (dos.utc, dos.offset, dos.zone_basis) == (None, None, "unknown")
    assert ext.utc == "2024-04-01T01:00:00.000500+00:00" and ext.zone_basis == "utc"
    assumed, _ = events_for([rec], assume_tz=KST)
    assert (assumed.utc, assumed.offset, assumed.zone_basis) == (
        "2024-04-01T01:00:00+00:00",
        "+09:00",
        "assumed",
    )
    explicit = ArchiveEntryRecord(
        extractor="x", source="y", tar_mtime=dt.datetime(2024, 4, 1, 10, 0, tzinfo=KST)
    )
    [ev] = events_for([explicit])
    assert ev.local == "2024-04-01T10:00:00" and ev.offset == "+09:00"


def test_volume_fills_empty_periods_and_prefers_entry_times() -> None:
    files = pd.DataFrame(
        {
            "path": ["a", "b", "c", "z"],
            "size": [10, 20, 30, 5],
            "kind": ["file", "file", "file", "symlink"],
            "status": ["new"] * 4,
        }
    )
    events = pd.DataFrame(
        {
            "path": ["a", "a", "b", "c", "z"],
            "field": [
                "filesystem.mtime",
                "archive_entry.ext_mtime",
                "archive_entry.dos_time",
                "filesystem.mtime",
                "filesystem.mtime",
            ],
            "utc": [
                "2024-05-01T00:00:00+00:00",
                "2024-04-01T14:59:00+00:00",
                None,
                "2024-04-04T15:00:00+00:00",
                "2024-04-02T00:00:00+00:00",
            ],
            "local": ["", "", "2024-04-01T23:00:00", "", ""],
            "flag": [None] * 5,
            "zone_basis": ["utc", "utc", "unknown", "utc", "utc"],
        }
    )
    table = volume(files, events, "D", "+09:00")[["period", "files", "bytes"]]
    assert str(table["period"].dt.tz) == "UTC+09:00"
    table["period"] = table["period"].dt.strftime("%Y-%m-%d")
    assert table.to_dict("records") == [
        {"period": "2024-04-01", "files": 2, "bytes": 30},
        {"period": "2024-04-02", "files": 0, "bytes": 0},
        {"period": "2024-04-03", "files": 0, "bytes": 0},
        {"period": "2024-04-04", "files": 0, "bytes": 0},
        {"period": "2024-04-05", "files": 1, "bytes": 30},
    ]
    hourly = volume(files, events, "H", "UTC")
    first = hourly["period"].iloc[0]
    assert first == pd.Timestamp("2024-04-01 14:00", tz="UTC") and hourly["files"].sum() == 3
    with pytest.raises(ValueError):
        volume(files, events, "M", "UTC")


def test_untrustworthy_times_are_flagged_not_dropped() -> None:
    from forensics.events import time_flag
    from forensics.records import RawTime

    assert time_flag(RawTime("0000:00:00 00:00:00")) == "unparsable"
    assert time_flag(dt.datetime(1904, 1, 1, tzinfo=dt.UTC)) == "epoch_default"
    assert time_flag(dt.datetime(1970, 1, 1)) == "epoch_default"  # noqa: DTZ001
    assert time_flag(dt.datetime(2999, 1, 1)) == "far_future"  # noqa: DTZ001
    assert time_flag(dt.datetime(1850, 1, 1)) == "implausible"  # noqa: DTZ001
    assert time_flag(dt.datetime(2024, 4, 1, 10, 0, 0, 123456)) is None  # noqa: DTZ001
    rec = ArchiveEntryRecord(extractor="x", source="y", tar_mtime=RawTime("garbage"))  # type: ignore[arg-type]
    [ev] = events_for([rec])
    assert (ev.local, ev.utc, ev.flag) == ("garbage", None, "unparsable")


def test_note_counts_are_annotations_unless_asked(dump_copy: Path, tmp_path: Path) -> None:
    import forensics
    from forensics.records import ANNOTATION_ORIGINS

    case = forensics.scan(dump_copy, tmp_path / "case", executor="serial", ocr=False)
    notes = case.notes
    written = notes[notes["origin"].isin(ANNOTATION_ORIGINS)]
    assert 0 < len(written) < len(notes)  # text layers and layer names, and path words, cells
    assert case.timeline(freq="D")["notes"].sum() == len(written)
    assert case.timeline(freq="D", note_origins=None)["notes"].sum() == len(notes)


def test_saves_count_on_their_own_days_by_machine_and_user(tmp_path: Path) -> None:
    """An OpenToonz scene's history puts each save on its day, by its
    machine and user; one save seen twice (a scene and its backup copy) is
    one; a Krita document's editing time counts on its last save's day."""
    import shutil

    import forensics

    from .conftest import SAMPLES

    dump = tmp_path / "dump"
    scene = SAMPLES / "dump" / "KMR" / "EP12" / "scene"
    (dump / "backups").mkdir(parents=True)
    shutil.copy(scene / "KMR_S01_EP12_SC099_C099.tnz", dump)
    shutil.copy(scene / "KMR_S01_EP12_SC099_C099.tnz", dump / "backups" / "C099_1.tnz")
    shutil.copy(
        SAMPLES / "dump" / "KMR" / "EP12" / "key" / "KMR_S01_EP12_SC099_C099_KEY_v01.kra", dump
    )
    case = forensics.scan(dump, tmp_path / "case", executor="serial", ocr=False)
    saves = case.saves("+09:00")
    history = saves[saves["kind"] == "opentoonz_save"]
    assert len(history) == 3 and set(history["path"]) == {"KMR_S01_EP12_SC099_C099.tnz"}
    assert (saves["zone_basis"] == "assumed").all()
    by_host = case.timeline(by="host", tz="+09:00")
    per_day = {
        (str(p.date()), h): n
        for p, h, n in zip(by_host["period"], by_host["host"], by_host["saves"], strict=True)
        if n
    }
    assert per_day == {
        ("2024-04-05", "KMR-ANIM07"): 1,
        ("2024-04-08", "KMR-ANIM07"): 1,
        ("2024-04-10", ""): 1,  # the Krita document's save names no machine
        ("2024-04-11", "KMR-CHK02"): 1,
    }
    by_user = case.timeline(by="user", tz="+09:00")
    krita = by_user[by_user["user"] == "김민준"]
    assert krita["editing_seconds"].sum() == 5400 and krita["saves"].sum() == 1
    # the view leaves a naive save without an instant until a zone is given;
    # the timeline reads it in its own zone, as it does the files' times
    assert case.saves()["time"].isna().all()
    assert case.timeline()["saves"].sum() == 4
