"""Reading the notes written on sketches: ink separation, OCR and pairs.

`read_annotations(path_or_image)` is the public entry point; `analyse`
also returns how much of the sheet each ink covers."""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ..language import detect_language, script_of
from ..records import Note
from .context import in_context
from .ink import Ink, coverage, ink_masks, load_palette
from .pairing import link_pairs
from .params import NOTES
from .reader import PRINTED, Found, read_regions

MAX_PIXELS = 60_000_000  # a sheet scanned at 600 dpi is ~35 Mpx; beyond is a bomb
TIME_LIMIT = 120.0


@dataclass(frozen=True)
class SheetReading:
    notes: tuple[Note, ...]
    coverage: dict[str, float]
    lines: int
    seconds: float


def _load(source: str | os.PathLike[str] | bytes | Image.Image) -> np.ndarray:
    if isinstance(source, Image.Image):
        img = source
    elif isinstance(source, bytes):
        img = Image.open(io.BytesIO(source))
    else:
        img = Image.open(Path(source))
    if img.width * img.height > MAX_PIXELS:
        raise ValueError(f"{img.width}x{img.height} pixels: over the {MAX_PIXELS} pixel limit")
    return np.asarray(img.convert("RGB"))


def _language(found: Found) -> tuple[str, float]:
    """A note's language and the detector's confidence; printed Latin text
    (a cut header: `KMR S01 EP12`) is not given one from a few letters."""
    text = found.reading.text
    if found.ink == PRINTED:
        cjk = any(script_of(c) in ("Hangul", "Kana", "Han") for c in text)
        if not cjk and sum(c.isalpha() for c in text) < NOTES.printed_letters:
            return "und", 0.0
    guess = detect_language(text)
    return guess.lang, guess.confidence


def _note(found: Found) -> Note:
    lang, lang_confidence = _language(found)
    return Note(
        text=found.reading.text,
        lang=lang,
        confidence=round(found.reading.confidence, 3),
        lang_confidence=lang_confidence,
        ink=found.ink,
        box=found.region.box,
        origin="printed" if found.ink == PRINTED else "ocr",
        source=found.reading.model,
    )


def analyse(
    source: str | os.PathLike[str] | bytes | Image.Image,
    palette: tuple[Ink, ...] | None = None,
    time_limit: float = TIME_LIMIT,
    printed: bool = True,
) -> SheetReading:
    """Ink coverage, and every note on the sheet (in an ink, in pencil, and
    printed black unless `printed` is off), with translation pairs."""
    start = time.monotonic()
    rgb = _load(source)
    inks = palette or load_palette()
    found = read_regions(rgb, inks, start + time_limit, printed)
    notes = [_note(f) for f in found]
    notes.sort(key=lambda n: ((n.box or (0, 0, 0, 0))[1], (n.box or (0, 0, 0, 0))[0]))
    return SheetReading(
        tuple(link_pairs(in_context(notes))),
        coverage(ink_masks(rgb, inks)),
        len(found),
        round(time.monotonic() - start, 3),
    )


def read_annotations(
    source: str | os.PathLike[str] | bytes | Image.Image,
    palette: tuple[Ink, ...] | None = None,
    time_limit: float = TIME_LIMIT,
) -> list[Note]:
    """Every note written on a sheet: its text, language, ink, box and pair."""
    return list(analyse(source, palette, time_limit).notes)


__all__ = ["SheetReading", "analyse", "load_palette", "read_annotations"]
