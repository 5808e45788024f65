"""Zip archives' own directory facts."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from forensics.extractors.zipfile_meta import ZipExtractor, ZipRecord

from .util import extract, sample_bytes

EX = ZipExtractor()


def test_upload_zip_and_comment() -> None:
    [rec] = extract(EX, sample_bytes("uploads/2024-04-01.zip"))
    assert isinstance(rec, ZipRecord) and rec.members == 5 and rec.systems == ("Unix",)
    assert rec.first_entry_time is not None and rec.first_entry_time.date() == dt.date(2024, 4, 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.comment = "업로드 4월 1일".encode()
        zf.writestr("a.txt", "x")
    [rec] = extract(EX, buf.getvalue())
    assert isinstance(rec, ZipRecord) and rec.comment == "업로드 4월 1일"
