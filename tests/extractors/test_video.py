"""MP4 movie and track header times (UTC since 1904)."""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

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


def test_a_heif_image_sequence_gives_its_movie_times(tmp_path: Path) -> None:
    """A HEIC that also holds a movie box (an image sequence: a burst, a
    Live Photo): the still's EXIF and the movie's QuickTime times, which
    ExifTool reports as QuickTime:CreateDate and the tool used to skip
    (the video extractor looked at video/* types only)."""
    import json
    import shutil
    import subprocess

    from forensics.extractors import registry
    from forensics.pipeline import extract_one
    from forensics.records import FileRef

    from ..test_conformance import CORPUS

    still = CORPUS / "exif-samples" / "heic" / "IMG_5195.HEIC"
    if not still.exists():
        pytest.skip("the shared corpus is not here")
    movie = sample_bytes(URL)
    moov = movie.index(b"moov") - 4
    (size,) = struct.unpack(">I", movie[moov : moov + 4])
    path = tmp_path / "burst.heic"
    path.write_bytes(still.read_bytes() + movie[moov : moov + size])
    res = extract_one(FileRef(url=path.name, path=str(path)), tuple(registry()))
    assert res.mime == "image/heic"
    kinds = {r.KIND for r in res.records}
    assert {"exif", "video"} <= kinds
    (mvhd,) = [r for r in res.records if isinstance(r, VideoRecord) and r.box == "mvhd"]
    if shutil.which("exiftool"):
        out = subprocess.run(
            [
                "exiftool",
                "-j",
                "-G1",
                "-QuickTime:CreateDate",
                "-d",
                "%Y-%m-%dT%H:%M:%S",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        said = json.loads(out.stdout)[0]
        value = next(v for k, v in said.items() if k.endswith(":CreateDate"))
        assert mvhd.created is not None
        assert mvhd.created.strftime("%Y-%m-%dT%H:%M:%S") == value
