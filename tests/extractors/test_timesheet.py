"""Digital exposure sheets (XDTS, TDTS)."""

from __future__ import annotations

import json

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.timesheet import TimesheetExtractor, TimesheetRecord
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
