"""IPTC-IIM from JPEG APP13 (samples) and PSD resources (real files)."""

from __future__ import annotations

import datetime as dt

import pytest

from forensics.errors import NotMyFormat
from forensics.extractors.iptc import IptcExtractor, IptcRecord, parse_iim

from .util import CORPUS, TRUTH, extract, sample_bytes, samples_with

EX = IptcExtractor()


def test_samples_match_the_generator() -> None:
    urls = samples_with("IPTC DateCreated")
    assert urls
    for url in urls:
        [rec] = extract(EX, sample_bytes(url))
        assert isinstance(rec, IptcRecord)
        assert rec.date_time_created == dt.datetime.fromisoformat(
            TRUTH[url]["timestamps"]["IPTC DateCreated"]
        )
        assert rec.keywords == ("layout", "retake")
        assert rec.caption == "수정 부탁드립니다 / 请修改" and rec.by_line


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
def test_psd_resource_1028() -> None:
    [rec] = extract(EX, (CORPUS / "psd-tools" / "gray0.psd").read_bytes())
    assert isinstance(rec, IptcRecord) and rec.source == "PSD resource 1028"


def test_malformed_iim_stops_cleanly() -> None:
    assert parse_iim(b"\x1c\x02\x37\x00\x08202404") == [(2, 55, b"202404")]
    assert parse_iim(b"\x1c\x02\x37\xff\xff") == []
    with pytest.raises(NotMyFormat):
        extract(EX, b"\xff\xd8\xff\xd9")
