"""After Effects projects (.aep RIFX, .aepx XML)."""

from __future__ import annotations

import io
import struct

import pytest

from forensics.errors import CorruptInput
from forensics.extractors.aftereffects import AfterEffectsExtractor, AfterEffectsRecord
from forensics.extractors.base import Context
from forensics.extractors.xmp import XmpExtractor, XmpRecord
from forensics.records import FileRef
from forensics.sniff import sniff

from .util import TRUTH, extract, sample_bytes

EX = AfterEffectsExtractor()
URL = next(u for u in TRUTH if u.endswith(".aep"))


def test_the_sample_project_its_footage_and_its_xmp() -> None:
    data = sample_bytes(URL)
    assert sniff(data[:65536]) == "application/vnd.adobe.aftereffects.project"
    [rec] = extract(EX, data)
    assert isinstance(rec, AfterEffectsRecord) and rec.format == "aep"
    assert rec.footage_paths == ("C:\\Users\\minjun\\Desktop\\KMR_C099_key.psd",)
    [xmp] = [r for r in extract(XmpExtractor(), data) if isinstance(r, XmpRecord)]
    assert xmp.creator_tool == "Adobe After Effects 2024 (Windows)"
    assert xmp.modify_date is not None
    assert xmp.modify_date.isoformat() == TRUTH[URL]["timestamps"]["XMP xmp:ModifyDate"]


def test_an_aepx_names_its_footage() -> None:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<AfterEffectsProject xmlns="http://www.adobe.com/products/aftereffects">'
        b'<Fold><Item><fileReference platform="Win" fullpath="\\\\NAS01\\kmr\\bg.psd"/>'
        b"</Item></Fold></AfterEffectsProject>"
    )
    assert sniff(xml) == "application/vnd.adobe.aftereffects.projectx"
    [rec] = extract(EX, xml)
    assert isinstance(rec, AfterEffectsRecord) and rec.footage_paths == ("\\\\NAS01\\kmr\\bg.psd",)


def test_a_chunk_lying_about_its_size_keeps_what_came_before() -> None:
    data = bytearray(sample_bytes(URL))
    alas = data.index(b"Alas")
    data[alas + 4 : alas + 8] = struct.pack(">I", 10_000_000)  # past its parent
    ctx = Context()
    ref = FileRef(url="x.aep", path=None, payload=bytes(data))
    [rec] = list(EX.extract(ref, io.BytesIO(bytes(data)), ctx))
    assert isinstance(rec, AfterEffectsRecord) and rec.footage_paths == ()
    assert [p.kind for p in ctx.problems] == ["corrupt"]


def test_a_damaged_aepx() -> None:
    with pytest.raises(CorruptInput, match="not well-formed"):
        extract(EX, b"<AfterEffectsProject><Fold>")
