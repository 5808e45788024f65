"""EXIF on the samples (against their ground truth) and on real camera files."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from forensics.errors import NotMyFormat
from forensics.extractors.exif import ExifExtractor, ExifRecord
from forensics.oracle import wall_clock
from forensics.records import RawTime
from forensics.timeline import events_for

from .util import CORPUS, TRUTH, extract, sample_bytes, samples_with

EX = ExifExtractor()


def test_sample_jpegs_match_the_generator() -> None:
    urls = samples_with("EXIF DateTime")
    assert len(urls) > 40
    for url in urls:
        [rec] = [r for r in extract(EX, sample_bytes(url)) if isinstance(r, ExifRecord)]
        stamps = TRUTH[url]["timestamps"]
        assert isinstance(rec.date_time, dt.datetime)
        assert rec.date_time.strftime("%Y:%m:%d %H:%M:%S") == stamps["EXIF DateTime"]
        assert rec.software and rec.date_time_original is not None
        if "EXIF OffsetTime" in stamps:  # explicit offset: an aware time
            assert rec.offset_time == stamps["EXIF OffsetTime"]
            assert rec.date_time.utcoffset() == dt.timedelta(hours=9)
            assert events_for([rec])[0].zone_basis == "explicit"
        else:  # no offset: naive, zone unknown
            assert rec.date_time.tzinfo is None
            assert events_for([rec])[0].zone_basis == "unknown"


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
def test_real_camera_files() -> None:
    iphone = next((CORPUS / "exif-samples").rglob("iphone_13_pro_max.HEIC"))
    [rec] = extract(EX, iphone.read_bytes())
    assert isinstance(rec, ExifRecord)
    assert rec.date_time_original == dt.datetime(
        2022, 2, 16, 12, 55, 41, 762000, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert rec.make == "Apple"
    gps = [
        extract(EX, p.read_bytes())
        for p in sorted((CORPUS / "exif-samples" / "jpg" / "gps").glob("*.jpg"))
    ]
    with_position = [r for rs in gps for r in rs if isinstance(r, ExifRecord) and r.gps_latitude]
    assert with_position, "no GPS position read from the gps samples"


def test_impossible_dates_are_kept_as_written() -> None:
    from forensics.extractors.dates import parse_exif_datetime

    assert parse_exif_datetime("0000:00:00 00:00:00") == RawTime("0000:00:00 00:00:00")
    assert parse_exif_datetime("2017:08:21 15:08:70") == RawTime("2017:08:21 15:08:70")
    assert parse_exif_datetime("2024:04:01 10:00:00", "5", "+09:00") == dt.datetime(
        2024, 4, 1, 10, 0, 0, 500000, tzinfo=dt.timezone(dt.timedelta(hours=9))
    )
    assert parse_exif_datetime("") is None


def test_not_exif() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b"\xff\xd8\xff\xdb\x00\x04\x00\x00\xff\xd9")


RAW = Path(__file__).resolve().parent.parent / "data" / "exiftool"


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="no exiftool")
@pytest.mark.parametrize("name", ["FujiFilm.raf", "Minolta.mrw", "SigmaDP2.x3f", "Panasonic.rw2"])
def test_raw_files_that_are_not_tiff_give_the_dates_exiftool_reads(name: str) -> None:
    """ExifTool's own raw test files: the EXIF that exifread does not find
    (embedded in a JPEG preview, a TTW block, a TIFF with another magic)."""
    path = RAW / name
    out = subprocess.run(
        ["exiftool", "-j", "-G1", "-n", "-IFD0:all", "-ExifIFD:all", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    (said,) = json.loads(out.stdout)
    dates = {
        k: wall
        for k, v in said.items()
        if k.startswith(("IFD0:", "ExifIFD:")) and isinstance(v, str) and (wall := wall_clock(v))
    }
    assert dates, "ExifTool reports IFD0 / ExifIFD dates for this file"
    events = events_for(extract(ExifExtractor(), path.read_bytes()))
    ours = {e.local[:19] for e in events}
    for tag, wall in dates.items():
        assert wall in ours, (tag, wall, sorted(ours))
