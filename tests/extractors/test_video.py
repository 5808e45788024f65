"""MP4 movie and track header times (UTC since 1904)."""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.events import events_for
from forensics.extractors.video import VideoExtractor, VideoRecord, VideoTagRecord

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


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _item(kind: bytes, text: str) -> bytes:
    return _box(kind, _box(b"data", struct.pack(">II", 1, 0) + text.encode()))


def _with_metadata(movie: bytes) -> bytes:
    """The sample animatic with the tags phones and editors write: an
    iPhone's QuickTime keys (recording time with its offset, make, model,
    software), an Android `udta/date`, a QuickTime `©day` and an iTunes
    `ilst` `©day` under `udta/meta`."""
    keys = [b"com.apple.quicktime.creationdate", b"com.apple.quicktime.make"]
    keys += [b"com.apple.quicktime.model", b"com.apple.quicktime.software"]
    entries = b"".join(struct.pack(">I", 8 + len(k)) + b"mdta" + k for k in keys)
    values = ["2019-07-24T11:25:40+0300", "Apple", "iPhone 6", "12.3"]
    ilst = b"".join(_item(struct.pack(">I", i + 1), v) for i, v in enumerate(values))
    hdlr = _box(b"hdlr", bytes(8) + b"mdta" + bytes(13))
    meta = _box(
        b"meta",
        hdlr
        + _box(b"keys", bytes(4) + struct.pack(">I", len(keys)) + entries)
        + _box(b"ilst", ilst),
    )
    day = b"2018-03-02T08:15:00Z"
    udta_meta = _box(
        b"meta",
        bytes(4)
        + _box(b"hdlr", bytes(8) + b"mdir" + bytes(13))
        + _box(b"ilst", _item(b"\xa9day", "2017-05-06T07:08:09+02:00")),
    )
    udta = _box(
        b"udta",
        _box(b"date", b"2020-11-20T15:04:02+0100")
        + _box(b"\xa9day", struct.pack(">HH", len(day), 0x55C4) + day)
        + udta_meta,
    )
    at = movie.index(b"moov") - 4
    (size,) = struct.unpack(">I", movie[at : at + 4])
    moov = movie[at + 8 : at + size] + meta + udta
    return movie[:at] + _box(b"moov", moov) + movie[at + size :]


def test_phone_and_editor_metadata_dates_with_their_offsets(tmp_path: Path) -> None:
    """ExifTool reports these as Keys:CreationDate, UserData:DateTimeOriginal,
    UserData:ContentCreateDate and ItemList:ContentCreateDate; each is an
    event here with the offset the file gives."""
    import json
    import shutil
    import subprocess

    data = _with_metadata(sample_bytes(URL))
    records = extract(EX, data)
    tags = {(r.box, r.tag): r for r in records if isinstance(r, VideoTagRecord)}
    creation = tags[("moov/meta/keys", "com.apple.quicktime.creationdate")]
    assert creation.when == dt.datetime(
        2019, 7, 24, 11, 25, 40, tzinfo=dt.timezone(dt.timedelta(hours=3))
    )
    assert tags[("moov/meta/keys", "com.apple.quicktime.model")].device == "iPhone 6"
    assert tags[("moov/meta/keys", "com.apple.quicktime.software")].software == "12.3"
    assert tags[("moov/udta", "date")].value == "2020-11-20T15:04:02+0100"
    assert tags[("moov/udta", "©day")].when == dt.datetime(2018, 3, 2, 8, 15, tzinfo=dt.UTC)
    assert tags[("moov/udta/meta/ilst", "©day")].when is not None
    events = [e for e in events_for(records) if e.field == "video_tag.when"]
    assert len(events) == 4 and {e.zone_basis for e in events} == {"explicit"}
    # the movie's own header times are still there
    assert [r.box for r in records if isinstance(r, VideoRecord)] == ["mvhd", "tkhd", "mdhd"]
    if shutil.which("exiftool"):
        path = tmp_path / "phone.mov"
        path.write_bytes(data)
        out = subprocess.run(
            ["exiftool", "-j", "-G1", "-a", "-d", "%Y-%m-%dT%H:%M:%S%z", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        said = json.loads(out.stdout)[0]
        theirs = {
            v
            for k, v in said.items()
            if k.split(":")[0] in ("Keys", "UserData", "ItemList") and "Date" in k
        }
        ours = {e.utc for e in events}
        assert len(theirs) == 4
        for value in theirs:
            when = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
            assert when.astimezone(dt.UTC).isoformat() in ours
