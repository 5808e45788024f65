"""The annotations extractor: notes, coverage, and the cache by hash."""

from __future__ import annotations

from pathlib import Path

from forensics.config import ScanConfig
from forensics.extractors.annotations import AnnotationRecord, AnnotationsExtractor
from forensics.records import Note

from .util import extract, sample_bytes, samples_with


def test_notes_coverage_and_cache(tmp_path: Path) -> None:
    ex = AnnotationsExtractor().configure(ScanConfig(cache_dir=str(tmp_path)))
    assert isinstance(ex, AnnotationsExtractor)
    assert AnnotationsExtractor().configure(ScanConfig(ocr=False)) is None
    url = samples_with("EXIF DateTime")[0]
    first = extract(ex, sample_bytes(url))
    [record] = [r for r in first if isinstance(r, AnnotationRecord)]
    assert not record.cached and record.notes == len([n for n in first if isinstance(n, Note)])
    assert sum(record.ink_coverage.values()) > 0
    assert list((tmp_path / "ocr").rglob("*.json"))
    again = extract(ex, sample_bytes(url))
    [cached] = [r for r in again if isinstance(r, AnnotationRecord)]
    assert cached.cached
    assert [n for n in again if isinstance(n, Note)] == [n for n in first if isinstance(n, Note)]
