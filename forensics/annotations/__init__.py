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

from ..records import Note
from .ink import Ink, coverage, ink_masks, load_palette
from .ocr import (
    Line,
    Reading,
    cut_line,
    printed_lines,
    read_lines,
    read_printed,
    strength,
    text_lines,
)
from .pairing import link_pairs

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


def _notes(lines: list[Line], readings: list[Reading | None], origin: str) -> list[Note]:
    """A note for each line that was read."""
    return [
        Note(
            text=r.text,
            lang=r.lang,
            confidence=r.confidence,
            ink=line.ink,
            box=line.box,
            origin=origin,
            source=f"tesseract {r.model}",
        )
        for line, r in zip(lines, readings, strict=True)
        if r is not None
    ]


def analyse(
    source: str | os.PathLike[str] | bytes | Image.Image,
    palette: tuple[Ink, ...] | None = None,
    time_limit: float = TIME_LIMIT,
    printed: bool = True,
) -> SheetReading:
    """Ink coverage, and every note in the inks (and printed text), with pairs."""
    start = time.monotonic()
    deadline = start + time_limit
    rgb = _load(source)
    inks = palette or load_palette()
    masks = ink_masks(rgb, inks)
    lines: list[Line] = []
    for ink in inks:
        # lines are found on a laxer mask than the coverage one: thin pen
        # strokes lose chroma at their edges, and the long strokes a lax mask
        # lets in (construction lines) are dropped as non-writing anyway
        for box, vertical in text_lines(strength(rgb, ink) >= 0.6 * 70):
            lines.append(Line(box, ink.name, cut_line(rgb, box, ink, vertical), vertical))
    notes = _notes(lines, read_lines(lines, deadline), "ocr")
    if printed:
        plines = printed_lines(rgb)
        notes += _notes(plines, read_printed(plines, deadline), "printed")
    notes.sort(key=lambda n: ((n.box or (0, 0, 0, 0))[1], (n.box or (0, 0, 0, 0))[0]))
    return SheetReading(
        tuple(link_pairs(notes)), coverage(masks), len(lines), round(time.monotonic() - start, 3)
    )


def read_annotations(
    source: str | os.PathLike[str] | bytes | Image.Image,
    palette: tuple[Ink, ...] | None = None,
    time_limit: float = TIME_LIMIT,
) -> list[Note]:
    """Every note written on a sheet: its text, language, ink, box and pair."""
    return list(analyse(source, palette, time_limit).notes)


__all__ = ["SheetReading", "analyse", "load_palette", "read_annotations"]
