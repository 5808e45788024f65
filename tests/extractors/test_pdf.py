"""PDF info dictionary dates with their offsets."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.dates import parse_pdf_date
from forensics.extractors.exif import ExifRecord
from forensics.extractors.pdf import PdfExtractor, PdfRecord
from forensics.records import RawTime

from .util import TRUTH, extract, sample_bytes, samples_with

EX = PdfExtractor()


def test_sample_storyboard() -> None:
    url = samples_with("PDF ModDate")[0]
    [rec] = extract(EX, sample_bytes(url))
    assert isinstance(rec, PdfRecord)
    stamps = TRUTH[url]["timestamps"]
    assert rec.creation_date == dt.datetime.fromisoformat(stamps["PDF CreationDate"])
    assert rec.mod_date == dt.datetime.fromisoformat(stamps["PDF ModDate"])
    assert rec.producer == "Adobe PDF Library 17.0" and rec.pages == 1
    assert rec.incremental_updates == 0


def test_pdf_dates() -> None:
    kst = dt.timezone(dt.timedelta(hours=9))
    assert parse_pdf_date("D:20240401100000+09'00'") == dt.datetime(2024, 4, 1, 10, tzinfo=kst)
    assert parse_pdf_date("D:20240401100000Z") == dt.datetime(2024, 4, 1, 10, tzinfo=dt.UTC)
    assert parse_pdf_date("D:2024") == dt.datetime(2024, 1, 1)  # noqa: DTZ001
    assert parse_pdf_date("D:20241341") == RawTime("D:20241341")


def test_not_or_broken_pdf() -> None:
    with pytest.raises(NotMyFormat):
        extract(EX, b"hello")
    with pytest.raises(CorruptInput):
        extract(EX, b"%PDF-1.4\n" + bytes(100))


def _photoshop_pdf(exif_tiff: bytes) -> bytes:
    """A one-page PDF as Photoshop saves one: the page's PieceInfo holds the
    image's Photoshop resources, EXIF (resource 1058) among them."""
    irb = b"8BIM" + struct.pack(">H", 1058) + b"\x00\x00" + struct.pack(">I", len(exif_tiff))
    irb += exif_tiff + bytes(len(exif_tiff) % 2)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /PieceInfo << /AdobePhotoshop"
        b" << /LastModified (D:20050718143045-04'00')"
        b" /Private << /ImageResources 4 0 R >> >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(irb) + irb + b"\nendstream",
        b"<< /Producer (Adobe Photoshop for Macintosh) /CreationDate (D:20050718143045-04'00') >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_exif_in_the_photoshop_resources_of_a_page(tmp_path: Path) -> None:
    """ExifTool's `PDF.pdf` case: a photo saved as PDF by Photoshop keeps
    its DateTimeOriginal in the page's Photoshop resources."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0131] = "Adobe Photoshop 7.0"
    exif.get_ifd(0x8769)[0x9003] = "2001:05:19 18:36:41"
    data = _photoshop_pdf(exif.tobytes()[6:])
    records = extract(EX, data, "photo.pdf")
    [rec] = [r for r in records if isinstance(r, ExifRecord)]
    assert rec.source == "PDF page 1 Photoshop resource 1058" and rec.extractor == "pdf"
    assert rec.date_time_original == dt.datetime(2001, 5, 19, 18, 36, 41)  # noqa: DTZ001 - naive as written
    assert rec.software == "Adobe Photoshop 7.0"
    # a damaged resource stream costs the EXIF, not the document's record
    broken = data.replace(b"8BIM", b"8BIX")
    assert [r.KIND for r in extract(EX, broken, "b.pdf")] == ["pdf"]
    if shutil.which("exiftool"):
        path = tmp_path / "photo.pdf"
        path.write_bytes(data)
        out = subprocess.run(
            ["exiftool", "-j", "-G1", "-ExifIFD:DateTimeOriginal", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(out.stdout)[0]["ExifIFD:DateTimeOriginal"] == "2001:05:19 18:36:41"
