"""AVI / WAV: the IDIT recording time and LIST INFO."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import struct
import subprocess

import pytest

from forensics.errors import NotMyFormat
from forensics.events import events_for
from forensics.extractors.base import Context
from forensics.extractors.riff import RiffExtractor, RiffRecord, parse_riff_date
from forensics.records import FileRef, RawTime

from .util import SAMPLES, TRUTH, extract, sample_bytes

EX = RiffExtractor()
URL = next(u for u in TRUTH if u.endswith(".avi"))


def test_the_sample_acting_reference() -> None:
    records = extract(EX, sample_bytes(URL))
    by_chunk = {r.chunk: r for r in records if isinstance(r, RiffRecord)}
    written = TRUTH[URL]["timestamps"]["RIFF DateTimeOriginal"]
    want = dt.datetime.strptime(written, "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007 - naive as written
    assert by_chunk["IDIT"].when == want and by_chunk["IDIT"].form == "AVI"
    assert by_chunk["ISFT"].software == "CanonMVI06"
    [event] = events_for([by_chunk["IDIT"]])
    assert event.zone_basis == "unknown" and event.description == "RIFF AVI recording time (IDIT)"


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="no exiftool")
def test_exiftool_reads_the_sample_as_we_do() -> None:
    out = subprocess.run(
        ["exiftool", "-j", "-RIFF:all", str(SAMPLES / "dump" / URL)],
        capture_output=True,
        text=True,
        check=True,
    )
    said = json.loads(out.stdout)[0]
    [idit] = [r for r in extract(EX, sample_bytes(URL)) if r.chunk == "IDIT"]
    assert isinstance(idit.when, dt.datetime)
    assert said["DateTimeOriginal"] == idit.when.strftime("%Y:%m:%d %H:%M:%S")
    assert said["Software"] == "CanonMVI06"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("MON SEP 10 20:52:00 2012\n", dt.datetime(2012, 9, 10, 20, 52)),  # noqa: DTZ001 - Canon
        ("Mon Mar 10 15:04:43 2003", dt.datetime(2003, 3, 10, 15, 4, 43)),  # noqa: DTZ001
        ("2009/10/27 12:14:34", dt.datetime(2009, 10, 27, 12, 14, 34)),  # noqa: DTZ001 - Pentax
        ("2005:08:17 11:42:43", dt.datetime(2005, 8, 17, 11, 42, 43)),  # noqa: DTZ001
        ("2003-03-10", dt.datetime(2003, 3, 10)),  # noqa: DTZ001 - ICRD, a date alone
    ],
)
def test_the_date_layouts_cameras_write(text: str, want: dt.datetime) -> None:
    assert parse_riff_date(text) == want


def test_impossible_dates_are_kept_as_written() -> None:
    assert parse_riff_date("2009/13/45 12:14:34") == RawTime("2009/13/45 12:14:34")
    assert parse_riff_date("yesterday") == RawTime("yesterday")


def test_not_riff_a_cut_clip_and_a_lying_chunk() -> None:
    data = sample_bytes(URL)
    with pytest.raises(NotMyFormat):
        extract(EX, b"RIFF" + data[4:8] + b"WEBPVP8 ")
    at = data.index(b"IDIT")

    def read(data: bytes) -> tuple[list[str], list[str]]:
        ctx = Context()
        records = list(EX.extract(FileRef(url="a.avi", path=None), io.BytesIO(data), ctx))
        return [r.chunk for r in records], [p.kind for p in ctx.problems]

    # cut after the IDIT: it is read; cut inside it: it is not, and neither
    # is a problem beyond the truncation
    assert read(data[: at + 34]) == (["IDIT"], ["truncated"])
    assert read(data[: at + 20]) == ([], ["truncated"])
    # a chunk claiming more than its list holds is flagged, not read past
    lying = bytearray(data)
    lying[at + 4 : at + 8] = struct.pack("<I", 10_000_000)
    chunks, problems = read(bytes(lying))
    assert "IDIT" not in chunks and chunks == ["ISFT"] and problems == ["corrupt"]
