"""Perceptual hashes: the same drawing re-encoded stays within a few bits,
another drawing does not."""

from __future__ import annotations

import io

from PIL import Image

from forensics.analysis.revisions import PHASH_DISTANCE, _hamming
from forensics.extractors.perceptual import PerceptualHashExtractor, PerceptualHashRecord

from .util import extract, sample_bytes, samples_with

EX = PerceptualHashExtractor()


def test_reencoded_sheet_keeps_its_hash() -> None:
    urls = samples_with("EXIF DateTime")[:2]
    original = sample_bytes(urls[0])
    buf = io.BytesIO()
    Image.open(io.BytesIO(original)).resize((800, 566)).save(buf, "JPEG", quality=40)
    [a] = extract(EX, original)
    [b] = extract(EX, buf.getvalue())
    [c] = extract(EX, sample_bytes(urls[1]))
    assert isinstance(a, PerceptualHashRecord) and isinstance(b, PerceptualHashRecord)
    assert isinstance(c, PerceptualHashRecord)
    assert (a.width, a.height) == (1000, 707)
    assert _hamming(a.phash, b.phash) <= PHASH_DISTANCE < _hamming(a.phash, c.phash)
