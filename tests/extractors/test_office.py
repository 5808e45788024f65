"""OOXML core properties and spreadsheet cells as notes."""

from __future__ import annotations

import datetime as dt

from forensics.extractors.office import OfficeExtractor, OfficeRecord
from forensics.records import Note

from .util import TRUTH, extract, sample_bytes

EX = OfficeExtractor()


def test_daily_worklogs() -> None:
    logs = sorted(u for u in TRUTH if u.endswith(".xlsx"))
    assert len(logs) == 16  # one a day in the zips, one in the 7z
    assert sum(".7z!/" in u for u in logs) == 1
    for url in logs:
        items = extract(EX, sample_bytes(url), url)
        [rec] = [r for r in items if isinstance(r, OfficeRecord)]
        assert rec.document_type == "xlsx" and rec.creator == "studio-pc07"
        assert rec.sheets == ("작업일지",)
        want = dt.datetime.fromisoformat(TRUTH[url]["time"]).astimezone(dt.UTC)
        assert rec.created == want and rec.modified == want
        cells = [n for n in items if isinstance(n, Note)]
        assert all(n.origin == "cell" for n in cells)
        assert "날짜 日期" in {n.text for n in cells}
        assert any(n.text.endswith(".jpg") or n.text.endswith(".png") for n in cells)
