"""PNG chunks: text, tIME (UTC), raw EXIF profiles, data after IEND."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

import pytest

from forensics.errors import CorruptInput
from forensics.events import events_for
from forensics.extractors.base import Context
from forensics.extractors.png import PngExtractor, PngRecord, PngTextRecord

from .util import CORPUS, TRUTH, extract, sample_bytes, samples_with

EX = PngExtractor()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I4s", len(data), kind) + data + struct.pack(">I", zlib.crc32(kind + data))


def test_samples_match_the_generator() -> None:
    for url in [
        u for u in samples_with("PNG tIME") if "PNG Creation Time" in TRUTH[u]["timestamps"]
    ]:
        records = extract(EX, sample_bytes(url))
        [png] = [r for r in records if isinstance(r, PngRecord)]
        assert png.modified == dt.datetime.fromisoformat(TRUTH[url]["timestamps"]["PNG tIME"])
        texts = {r.keyword: r for r in records if isinstance(r, PngTextRecord)}
        assert texts["Comment"].text == "수정 완료" and texts["Comment"].chunk == "iTXt"
        created = texts["Creation Time"].when
        assert (
            isinstance(created, dt.datetime)
            and created.strftime("%Y:%m:%d %H:%M:%S")
            == TRUTH[url]["timestamps"]["PNG Creation Time"]
        )
        kinds = {e.field: e.zone_basis for e in events_for(records)}
        assert kinds["png.modified"] == "utc" and kinds["png_text.when"] == "unknown"


def test_after_iend_is_flagged_and_kept() -> None:
    url = samples_with("PNG tIME")[0]
    data = sample_bytes(url) + b"hidden payload"
    items = []
    with pytest.raises(CorruptInput, match="after IEND"):
        for item in EX.extract(None, __import__("io").BytesIO(data), Context()):  # type: ignore[arg-type]
            items.append(item)
    [png] = [r for r in items if isinstance(r, PngRecord)]
    assert png.bytes_after_iend == len(b"hidden payload")


def test_ztxt_and_truncation() -> None:
    head = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
    body = _chunk(b"zTXt", b"date:create\x00\x00" + zlib.compress(b"2024-04-01T10:00:00+09:00"))
    records = extract(EX, head + body + _chunk(b"IEND", b""))
    [text] = [r for r in records if isinstance(r, PngTextRecord)]
    assert text.when == dt.datetime(2024, 4, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    with pytest.raises(CorruptInput, match="truncated"):
        extract(EX, head + body)


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
def test_imagemagick_dates_in_real_files() -> None:
    hits = 0
    for path in sorted((CORPUS / "pillow").glob("*.png")):
        try:
            records = extract(EX, path.read_bytes())
        except CorruptInput:
            continue
        hits += any(
            isinstance(r, PngTextRecord) and r.keyword == "date:create" and r.when for r in records
        )
    assert hits >= 5


@pytest.mark.parametrize(
    ("written", "want"),
    [
        ("Fri, 19 Sep 2003 18:39:32 GMT", dt.datetime(2003, 9, 19, 18, 39, 32, tzinfo=dt.UTC)),
        (
            "19 Sep 2003 18:39:32 +0900",
            dt.datetime(2003, 9, 19, 18, 39, 32, tzinfo=dt.timezone(dt.timedelta(hours=9))),
        ),
        # RFC 2822's -0000: the zone is not known
        ("Fri 19 Sep 2003 18:39:32 -0000", dt.datetime(2003, 9, 19, 18, 39, 32)),  # noqa: DTZ001 - naive
    ],
)
def test_creation_time_in_the_rfc_1123_form_the_png_spec_recommends(
    written: str, want: dt.datetime
) -> None:
    import io

    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Creation Time", written)
    info.add_text("Comment", "Fri is not a date")
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG", pnginfo=info)
    texts = {r.keyword: r for r in extract(EX, buf.getvalue()) if isinstance(r, PngTextRecord)}
    assert texts["Creation Time"].when == want
    assert texts["Comment"].when is None
