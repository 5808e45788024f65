"""CLIP STUDIO .clip: the chunk container and its SQLite database."""

from __future__ import annotations

import struct

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.clip import ClipExtractor, ClipRecord
from forensics.records import Note

from .util import TRUTH, extract, sample_bytes

EX = ClipExtractor()
URL = next(u for u in TRUTH if u.endswith(".clip"))


def test_sample_canvas_layers_and_preview() -> None:
    items = extract(EX, sample_bytes(URL))
    [rec] = [r for r in items if isinstance(r, ClipRecord)]
    assert rec.chunks == ("CHNKHead", "CHNKExta", "CHNKSQLi", "CHNKFoot")
    assert (rec.canvas_width, rec.canvas_height, rec.resolution) == (1000, 707, 350.0)
    assert rec.layer_names == ("用紙", "線画", "수정", "影指定")
    assert rec.preview_size == (200, 141) and rec.preview_bytes > 100
    assert [n.text for n in items if isinstance(n, Note)] == list(rec.layer_names)


def test_broken_containers() -> None:
    data = sample_bytes(URL)
    with pytest.raises(NotMyFormat):
        extract(EX, b"PK" + data[2:])
    with pytest.raises(CorruptInput):
        extract(EX, data[: len(data) // 2])
    sqli = data.index(b"CHNKSQLi")
    size = struct.unpack(">Q", data[sqli + 8 : sqli + 16])[0]
    garbage = data[: sqli + 16] + bytes(size) + data[sqli + 16 + size :]
    with pytest.raises(CorruptInput, match="SQLite"):
        extract(EX, garbage)
