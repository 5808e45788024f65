"""Run one extractor over real bytes, as the worker would."""

from __future__ import annotations

import functools
import io
import json
from pathlib import Path

from forensics.extractors.base import Context, Extractor
from forensics.records import FileRef, Note, Record
from forensics.sources import iter_refs

from ..conftest import ROOT, SAMPLES

CORPUS = next(
    (p for p in (ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")) if p.exists()),
    ROOT.parent / "shared" / "corpus",
)
TRUTH = json.loads((SAMPLES / "expected" / "files.json").read_text())["files"]


@functools.cache
def _refs() -> dict[str, FileRef]:
    return {ref.url: ref for ref in iter_refs(SAMPLES / "dump")}


def sample_bytes(url: str) -> bytes:
    """The bytes of a sample file, loose or inside an archive."""
    ref = _refs()[url]
    if ref.payload is not None:
        return ref.payload
    return (SAMPLES / "dump" / url).read_bytes()


def extract(ex: Extractor, data: bytes, name: str = "x") -> list[Record | Note]:
    ref = FileRef(url=name, path=None, payload=data)
    return list(ex.extract(ref, io.BytesIO(data), Context()))


def samples_with(key: str) -> list[str]:
    """Sample urls whose ground truth lists an embedded timestamp `key`."""
    return sorted(url for url, info in TRUTH.items() if key in info["timestamps"])
