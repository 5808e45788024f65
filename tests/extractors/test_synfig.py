"""Synfig documents (.sif, and .sifz through the walker)."""

from __future__ import annotations

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.synfig import SynfigExtractor, SynfigRecord, seconds
from forensics.records import Note
from forensics.sniff import sniff

from .util import TRUTH, extract, sample_bytes

EX = SynfigExtractor()
URL = next(u for u in TRUTH if u.endswith(".sifz!/KMR_S01_EP12_SC099_C099_fx"))


def test_the_sample_read_out_of_its_gzip() -> None:
    data = sample_bytes(URL)
    assert sniff(data[:4096]) == "application/x-synfig"
    items = extract(EX, data)
    [rec] = [i for i in items if isinstance(i, SynfigRecord)]
    assert (rec.name, rec.description, rec.width, rec.height, rec.fps) == (
        "KMR EP12 C099 fx",
        "빛 효과",
        1920,
        1080,
        24.0,
    )
    assert rec.duration_seconds == 2.0 and rec.layers == 2
    assert rec.imported == ("C:/Users/sora.lee/Desktop/KMR_C099_BG.png",)
    assert [n.text for n in items if isinstance(n, Note)] == ["배경", "glow"]


def test_synfig_times() -> None:
    assert seconds("2s", 24) == 2.0 and seconds("48f", 24) == 2.0
    assert seconds("1m 2s 12f", 24) == 62.5 and seconds("48f", None) is None
    assert seconds("nonsense", 24) is None


def test_not_synfig_damaged_and_hostile() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b"<svg></svg>")
    with pytest.raises(CorruptInput, match="not well-formed"):
        extract(EX, sample_bytes(URL)[:300])
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE canvas [<!ENTITY a "aaaaaaaaaa">]>'
        b"<canvas><name>&a;</name></canvas>"
    )
    with pytest.raises(CorruptInput, match="refused"):
        extract(EX, bomb)
