"""Digital exposure sheets (XDTS, TDTS, nas .xps)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.timesheet import (
    TimesheetExtractor,
    TimesheetRecord,
    TimesheetSignatureRecord,
)
from forensics.records import Note
from forensics.sniff import sniff

from .util import TRUTH, extract, sample_bytes

EX = TimesheetExtractor()
URL = next(u for u in TRUTH if u.endswith(".xdts"))


def test_the_sample_sheet() -> None:
    items = extract(EX, sample_bytes(URL))
    [rec] = [i for i in items if isinstance(i, TimesheetRecord)]
    assert (rec.format, rec.version, rec.cut, rec.scene, rec.duration) == ("xdts", 5, "99", "4", 48)
    assert rec.sheets == ("KMR_EP12_C099",)
    assert rec.tracks == (("cell", "A"), ("cell", "BG"), ("dialog", "S1"), ("camerawork", "CAM"))
    # dialogue and camera work are text; cell numbers are timing, not notes
    assert [n.text for n in items if isinstance(n, Note)] == ["여기서 멈춰!", "PAN"]
    assert sniff(sample_bytes(URL)[:4096]) == "application/x-exposure-sheet"


def test_a_toei_sheet_keeps_every_header_field() -> None:
    body = {"header": {"cut": "12", "episode": "5", "creator": {"name": "Sato"}}, "version": 10}
    data = b"toeiDigitalTimeSheet Save Data\n" + json.dumps(body).encode()
    [rec] = extract(EX, data)
    assert isinstance(rec, TimesheetRecord) and rec.format == "tdts" and rec.cut == "12"
    assert ("creator.name", "Sato") in rec.header and ("episode", "5") in rec.header


def test_not_a_sheet_and_a_damaged_one() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b'{"timeTables": []}')
    cut = sample_bytes(URL)[:200]
    with pytest.raises(CorruptInput, match="not JSON"):
        extract(EX, cut)
    deep = b"exchangeDigitalTimeSheet Save Data\n" + b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(CorruptInput):
        extract(EX, deep)


NAS = next(u for u in TRUTH if u.endswith(".xps"))


def test_a_nas_sheet_its_people_and_its_approvals() -> None:
    data = sample_bytes(NAS)
    assert sniff(data[:4096]) == "application/x-exposure-sheet"
    items = extract(EX, data)
    [rec] = [i for i in items if isinstance(i, TimesheetRecord)]
    assert (rec.format, rec.title, rec.episode, rec.scene, rec.cut) == (
        "nas",
        "KMR",
        "12",
        "4",
        "99",
    )
    assert (rec.duration, rec.frame_rate) == (48, 24.0)  # TIME=2+00 at 24 frames a second
    assert (rec.create_user, rec.create_email) == ("minji", "minji.kim@studio-kmr.example")
    assert (rec.update_user, rec.update_email) == ("seojun", "seojun.lee@studio-kmr.example")
    assert isinstance(rec.updated, dt.datetime) and rec.updated.tzinfo is None
    assert rec.updated == dt.datetime.fromisoformat(TRUTH[NAS]["time"]).replace(tzinfo=None)
    assert isinstance(rec.created, dt.datetime) and rec.created < rec.updated
    stamps = [i for i in items if isinstance(i, TimesheetSignatureRecord)]
    assert [(s.label, s.name, s.email) for s in stamps] == [
        ("-済-", "seojun", "seojun.lee@studio-kmr.example"),
        ("作監", "박지훈", "jihoon.park@studio-kmr.example"),
    ]
    assert {s.stage for s in stamps} == {"0//LO:1"}
    assert all(s.signed is not None and s.signed.date() == rec.updated.date() for s in stamps)
    # the dialogue down its frames, and the memo after [END]
    assert [n.text for n in items if isinstance(n, Note)] == [
        "여기서멈춰",
        "배경 수정 부탁드립니다",
    ]


def test_an_old_nas_sheet_in_shift_jis() -> None:
    text = "nasTIME-SHEET 0.4\n##CUT=3\n##CREATE_USER=たぬき\n##CREATE_TIME=2005/05/05\n"
    [rec] = extract(EX, text.encode("cp932"))
    assert isinstance(rec, TimesheetRecord) and rec.create_user == "たぬき"
    assert rec.created == dt.datetime(2005, 5, 5)  # noqa: DTZ001 - a local date, as written
