"""EXIF on the samples (against their ground truth) and on real camera files."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from forensics.errors import NotMyFormat
from forensics.events import events_for
from forensics.extractors.exif import ExifExtractor, ExifRecord
from forensics.extractors.makernote import MakerNoteRecord
from forensics.records import RawTime
from tests.oracle import wall_clock

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


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _heif(exif_item: bytes, construction: str = "file") -> bytes:
    """A minimal AVIF: ftyp, meta (hdlr, iinf with one Exif item, iloc
    version 1), and the item in mdat at a base offset (construction method 0)
    or in the meta's idat (method 1)."""
    full = b"\x00\x00\x00\x00"
    infe = _box(b"infe", b"\x02\x00\x00\x00" + struct.pack(">HH", 1, 0) + b"Exif" + b"\x00")
    iinf = _box(b"iinf", full + struct.pack(">H", 1) + infe)
    hdlr = _box(b"hdlr", full + b"\x00" * 4 + b"pict" + b"\x00" * 13)
    ftyp = _box(b"ftyp", b"avif\x00\x00\x00\x00avifmif1")
    method = 0 if construction == "file" else 1

    def iloc(base: int) -> bytes:  # 4-byte offsets, lengths and base offset
        item = struct.pack(">HHHIHII", 1, method, 0, base, 1, 0, len(exif_item))
        return _box(b"iloc", b"\x01\x00\x00\x00\x44\x40" + struct.pack(">H", 1) + item)

    idat = _box(b"idat", exif_item) if method == 1 else b""
    meta_len = len(_box(b"meta", full + hdlr + iinf + iloc(0) + idat))
    base = len(ftyp) + meta_len + 8 if method == 0 else 0
    meta = _box(b"meta", full + hdlr + iinf + iloc(base) + idat)
    return ftyp + meta + _box(b"mdat", exif_item if method == 0 else b"")


@pytest.mark.parametrize("construction", ["file", "idat"])
def test_heif_exif_items_that_exifread_refuses_are_read_by_our_item_walk(
    construction: str,
) -> None:
    """An AVIF whose iloc places its Exif item by a base offset, or in idat
    (as metadata-extractor's "Issue 649.avif"): exifread's HEIC reader drops
    both and asserts on the bytes it lands on; ExifTool reads the item, and
    so do we."""
    from PIL import Image

    exif = Image.Exif()
    exif[306] = "2015:10:11 14:41:44"
    tiff = exif.tobytes()[6:]  # Pillow writes "Exif\0\0" first
    data = _heif(b"\x00\x00\x00\x06Exif\x00\x00" + tiff, construction)
    with pytest.raises(AssertionError):  # the refusal this reader is for
        import exifread

        exifread.process_file(io.BytesIO(data), details=False)
    [rec] = [r for r in extract(EX, data, "a.avif") if isinstance(r, ExifRecord)]
    assert rec.source == "HEIF Exif item"
    assert rec.date_time == dt.datetime(2015, 10, 11, 14, 41, 44)  # noqa: DTZ001 - naive as written
    # an item whose own TIFF-header offset is wrong is read at its TIFF header
    right = _heif(b"\x00\x00\x00\x02Exif\x00\x00" + tiff, construction)
    assert [r.date_time for r in extract(EX, right, "b.avif") if isinstance(r, ExifRecord)] == [
        rec.date_time
    ]
    with pytest.raises(NotMyFormat):
        extract(EX, data[: len(data) // 2], "c.avif")


_MAKER_GROUPS = re.compile(r"^(Nikon|Casio|Ricoh)$")
_MINUTE = re.compile(r"^\d{4}:\d\d:\d\d \d\d:\d\d")


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="no exiftool")
@pytest.mark.parametrize(
    "path",
    [
        RAW / "Casio2.jpg",
        RAW / "Ricoh.jpg",
        RAW / "Ricoh2.jpg",
        CORPUS / "exif-samples" / "jpg" / "tests" / "32-lens_data.jpeg",  # a Nikon D3000
    ],
    ids=lambda p: p.name,
)
def test_maker_note_dates_are_the_ones_exiftool_reads(path: Path) -> None:
    if not path.exists():
        pytest.skip("the shared corpus is not here")
    out = subprocess.run(
        ["exiftool", "-j", "-G1", "-a", "-TimeZone#", "-DaylightSavings#", "-all", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    (said,) = json.loads(out.stdout)
    # to the minute: ExifTool prints Casio's FirmwareDate without seconds
    theirs = {
        f"{v[:4]}-{v[5:7]}-{v[8:10]}T{v[11:16]}"
        for k, v in said.items()
        if _MAKER_GROUPS.match(k.split(":")[0]) and isinstance(v, str) and _MINUTE.match(v)
    } - {"0000-00-00T00:00"}
    records = extract(EX, path.read_bytes())
    notes = [r for r in records if isinstance(r, MakerNoteRecord)]
    ours = {e.local[:16] for e in events_for(notes)}
    assert theirs and theirs <= ours, (sorted(theirs), sorted(ours))
    assert {e.zone_basis for e in events_for(notes)} == {"unknown"}  # the camera's clock
    if "Nikon:TimeZone" in said:  # the zone the camera was set to
        [world] = [r for r in notes if r.tag == "WorldTime"]
        assert world.camera_utc_offset_minutes == said["Nikon:TimeZone"]
        assert world.daylight_saving == bool(said["Nikon:DaylightSavings"])


def test_a_damaged_maker_note_costs_its_dates_only() -> None:
    data = bytearray((RAW / "Ricoh2.jpg").read_bytes())
    at = data.index(b"Ricoh")
    data[at + 8 : at + 8 + 2 + 12 * 9] = b"\xff" * (2 + 12 * 9)  # its IFD overwritten
    records = extract(EX, bytes(data))
    assert [r.KIND for r in records] == ["exif"]
    assert not [r for r in records if isinstance(r, MakerNoteRecord)]


@pytest.mark.parametrize(
    "name", ["jpg/hdr/canon_hdr_NO.jpg", "jpg/tests/32-lens_data.jpeg"], ids=["Canon", "Nikon"]
)
def test_the_zone_the_camera_was_set_to(name: str) -> None:
    """Canon TimeInfo and Nikon WorldTime, against ExifTool's view in the corpus."""
    path = CORPUS / "exif-samples" / name
    if not path.exists():
        pytest.skip("the shared corpus is not here")
    truth = json.loads((CORPUS / "exiftool-truth" / "exif-samples.json").read_text())
    [said] = [e for e in truth if e["SourceFile"] == f"exif-samples/{name}"]
    maker = "Canon" if "canon" in name else "Nikon"
    [zone] = [
        r
        for r in extract(EX, path.read_bytes())
        if isinstance(r, MakerNoteRecord) and r.camera_utc_offset_minutes is not None
    ]
    assert zone.maker == maker
    assert zone.camera_utc_offset_minutes == said[f"{maker}:TimeZone"]
    assert zone.daylight_saving == bool(said[f"{maker}:DaylightSavings"])
    assert events_for([zone]) == []  # a setting, not an event
