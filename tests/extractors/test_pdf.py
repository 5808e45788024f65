"""PDF info dictionary dates with their offsets."""

from __future__ import annotations

import datetime as dt

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.dates import parse_pdf_date
from forensics.extractors.pdf import PdfExtractor, PdfRecord
from forensics.records import RawTime

from .util import TRUTH, extract, sample_bytes, samples_with

EX = PdfExtractor()


def test_sample_storyboard() -> None:
    url = samples_with("PDF ModDate")[0]
    [rec] = extract(EX, sample_bytes(url))
    assert isinstance(rec, PdfRecord)
    stamps = TRUTH[url]["timestamps"]
    assert rec.creation_date == dt.datetime.fromisoformat(stamps["PDF CreationDate"])
    assert rec.mod_date == dt.datetime.fromisoformat(stamps["PDF ModDate"])
    assert rec.producer == "Adobe PDF Library 17.0" and rec.pages == 1
    assert rec.incremental_updates == 0


def test_pdf_dates() -> None:
    kst = dt.timezone(dt.timedelta(hours=9))
    assert parse_pdf_date("D:20240401100000+09'00'") == dt.datetime(2024, 4, 1, 10, tzinfo=kst)
    assert parse_pdf_date("D:20240401100000Z") == dt.datetime(2024, 4, 1, 10, tzinfo=dt.UTC)
    assert parse_pdf_date("D:2024") == dt.datetime(2024, 1, 1)  # noqa: DTZ001
    assert parse_pdf_date("D:20241341") == RawTime("D:20241341")


def test_not_or_broken_pdf() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b"hello")
    with pytest.raises(CorruptInput):
        extract(EX, b"%PDF-1.4\n" + bytes(100))
