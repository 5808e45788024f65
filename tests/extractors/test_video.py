"""MP4 movie and track header times (UTC since 1904)."""

from __future__ import annotations

import datetime as dt
import struct

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.video import VideoExtractor, VideoRecord
from forensics.timeline import events_for

from .util import TRUTH, extract, sample_bytes

EX = VideoExtractor()
URL = next(u for u in TRUTH if u.endswith(".mp4"))


def test_sample_animatic() -> None:
    records = extract(EX, sample_bytes(URL))
    assert [r.box for r in records if isinstance(r, VideoRecord)] == ["mvhd", "tkhd", "mdhd"]
    want = dt.datetime.fromisoformat(TRUTH[URL]["timestamps"]["QuickTime CreateDate"])
    for rec in records:
        assert isinstance(rec, VideoRecord) and rec.created == want and rec.brand == "isom"
    assert records[0].duration_seconds == 12.0 and records[1].track == 1
    assert {e.zone_basis for e in events_for(records)} == {"utc"}


def test_zero_time_is_the_1904_default_and_flagged() -> None:
    data = bytearray(sample_bytes(URL))
    mvhd = data.index(b"mvhd")
    data[mvhd + 8 : mvhd + 16] = bytes(8)
    events = events_for(extract(EX, bytes(data)))
    assert events[0].local == "1904-01-01T00:00:00" and events[0].flag == "epoch_default"


def test_not_video_and_truncated() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, struct.pack(">I4s", 16, b"ftyp") + b"isom" + bytes(4))
    with pytest.raises(CorruptInput):
        extract(EX, sample_bytes(URL)[:60])
