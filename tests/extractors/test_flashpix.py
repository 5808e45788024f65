"""FlashPix extension lists of JPEG APP2 FPXR segments."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import struct
import subprocess

import pytest

from forensics.errors import NotMyFormat
from forensics.events import events_for
from forensics.extractors.flashpix import FlashPixExtractor, FlashPixRecord, fpxr_streams

from .util import SAMPLES, TRUTH, extract, sample_bytes

EX = FlashPixExtractor()
URL = next(u for u in TRUTH if "FlashPix ExtensionCreateDate" in TRUTH[u]["timestamps"])


def test_the_sample_kodak_photo() -> None:
    [rec] = extract(EX, sample_bytes(URL))
    assert isinstance(rec, FlashPixRecord)
    want = dt.datetime.fromisoformat(TRUTH[URL]["timestamps"]["FlashPix ExtensionCreateDate"])
    assert (rec.extension, rec.name, rec.application) == (1, "Screen nail", "Picoss")
    assert rec.created == want and rec.modified == want
    assert rec.streams == ("Extension List",)
    events = events_for([rec])
    assert {e.zone_basis for e in events} == {"utc"} and len(events) == 2


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_exiftool_reads_the_same_dates() -> None:
    """The generator's FPXR writer and our reader against ExifTool's reader."""
    out = subprocess.run(
        ["exiftool", "-j", "-FlashPix:all", str(SAMPLES / "dump" / URL)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "UTC"},  # ExifTool shows FILETIMEs in the local zone
    )
    said = json.loads(out.stdout)[0]
    [rec] = extract(EX, sample_bytes(URL))
    assert isinstance(rec, FlashPixRecord) and rec.created is not None
    assert said["ExtensionCreateDate"] == rec.created.strftime("%Y:%m:%d %H:%M:%S")
    assert said["CreatingApplication"] == rec.application


def _segments(data: bytes) -> list[bytes]:
    out, pos = [], 2
    while data[pos : pos + 2] != b"\xff\xda" and pos < len(data):
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if data[pos + 1] == 0xE2:
            out.append(data[pos + 4 : pos + 2 + length])
        pos += 2 + length
    return out


def test_a_stream_spread_over_segments_with_an_overlap_is_joined() -> None:
    contents, whole = _segments(sample_bytes(URL))
    stream = whole[13:]
    # three fragments: the first at a nonzero offset (as some cameras write),
    # the next overlapping it by 8 bytes, the last following on
    head = b"FPXR\x00\x00\x02" + struct.pack(">HI", 0, 5)
    mid = b"FPXR\x00\x00\x02" + struct.pack(">HI", 0, 40 - 8)
    tail = b"FPXR\x00\x00\x02" + struct.pack(">HI", 0, 90)
    parts = [head + stream[:40], mid + stream[32:90], tail + stream[90:]]
    joined = fpxr_streams(iter([contents, *parts]))
    assert joined == fpxr_streams(iter([contents, whole]))
    assert joined["Extension List"] == stream


def test_not_flashpix_and_damaged_segments() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, next(sample_bytes(u) for u in sorted(TRUTH) if u.endswith("v01.jpg")))
    contents, whole = _segments(sample_bytes(URL))
    # a stream before any contents list, and a cut contents list: nothing, no crash
    assert fpxr_streams(iter([whole, contents[:12]])) == {}
    # a stream cut short is kept as far as it goes; its property set then gives what it holds
    cut = fpxr_streams(iter([contents, whole[:60]]))
    assert len(cut["Extension List"]) == 47
