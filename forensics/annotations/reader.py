"""A sheet's notes: regions found by the detector, each given its ink from
the ink masks, cut upright, read by the recogniser of its script.

The ink masks no longer decide where text is (`detect.py` does); they say
which ink a region is written in (or printed black, or pencil) and how
much of the sheet each ink covers.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..language import script_of
from .columns import row_of_column
from .detect import Region, cut, detect
from .forms import as_written, counts, is_chinese
from .hangul import hangul_read
from .ink import Ink, hue_chroma, in_hue, ink_darkness
from .params import INKS, RECOGNISER, ROUTING
from .recognise import Reading, ppocr_run
from .script import script_probabilities

PRINTED, PENCIL = "black", "pencil"


@dataclass(frozen=True)
class Found:
    """A region read: where, in what ink, its text and by which reader."""

    region: Region
    ink: str
    vertical: bool
    reading: Reading


def region_ink(rgb: np.ndarray, region: Region, palette: tuple[Ink, ...]) -> str:
    """The ink a region is written in. Its written pixels are those far in
    colour from its paper (the median pixel: most of a text box is paper);
    the hued ones among them have a chroma clearly above the paper's. The
    palette ink whose hue window holds most hued pixels wins if they are
    at least `INKS.share` of the written ones; otherwise the writing is
    printed black or pencil by how dark it is, unless the light the
    writing lets through on average (its mean colour over the paper's) is
    hued. Hue, not the palette's minimum chroma, decides here: a faded or
    ballpoint stroke blurred by JPEG keeps its hue long after its chroma
    has fallen under the mask's."""
    x0, y0, x1, y1 = region.box
    part = rgb[y0:y1, x0:x1].reshape(-1, 3).astype(np.float32)
    if part.size == 0:
        return PENCIL
    paper = np.median(part, axis=0)
    written = np.linalg.norm(part - paper, axis=1) >= INKS.written
    total = int(written.sum())
    if total == 0:
        return PENCIL
    pixels = part[written].astype(np.uint8)[None]
    hue, chroma = hue_chroma(pixels)
    hue, chroma = hue[0], chroma[0].astype(np.float32)
    hued = chroma >= float(paper.max() - paper.min()) + INKS.chroma
    best, count = "", 0
    for ink in palette:
        n = int((hued & in_hue(hue, ink.hue)).sum())
        if n > count:
            best, count = ink.name, n
    if best and count >= INKS.share * total:
        return best
    # a thin or faint stroke under JPEG: each pixel's chroma is smeared
    # away, but the writing as a whole still filters the paper's light
    # towards its ink's hue, where print and pencil filter it evenly
    passed = np.clip(part[written].mean(axis=0) / np.maximum(paper, 1) * 255, 0, 255)
    mean_hue, mean_chroma = hue_chroma(passed.astype(np.uint8)[None, None])
    if float(mean_chroma[0, 0]) >= INKS.mean_chroma:
        for ink in palette:
            if in_hue(mean_hue[0], ink.hue)[0]:
                return ink.name
    lum = pixels[0].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    if float(np.percentile(lum, 10)) < INKS.dark:
        return PRINTED
    return PENCIL


def is_column(region: Region) -> bool:
    """Whether a region is a column written top to bottom: its long side is
    near vertical (notes are rotated by far less than 45 degrees)."""
    return abs(region.angle) > 45 and region.width >= 1.5 * region.height


def images(
    rgb: np.ndarray, region: Region, vertical: bool, ink: Ink | None
) -> tuple[Image.Image, Image.Image]:
    """The region cut upright, twice: as it is on the sheet (for the
    recognisers: PP-OCR was trained on text among clutter and reads it
    better so, as the tuning fonts showed) and as its ink alone, dark on
    paper, pencil and construction lines removed (for the script
    classifier). A column is laid out as a row."""
    if vertical:  # cut as a tall image: across the column is the region's height
        angle = region.angle - 90 if region.angle > 0 else region.angle + 90
        turned = Region(region.cx, region.cy, region.height, region.width, angle, region.score)
        plain = cut(rgb, turned, RECOGNISER.pad)
    else:
        plain = cut(rgb, region, RECOGNISER.pad)
    if ink is not None:
        amount = ink_darkness(np.asarray(plain.convert("RGB")), ink)
        alone = Image.fromarray((255 - amount * 255).astype(np.uint8))
    else:
        alone = plain.convert("L")
    if vertical:
        size = max(1, round(region.height))
        # the plain cut's clutter would join characters: the row is laid out from the ink
        alone = row_of_column(alone, size)
        plain = alone.convert("RGB")
    return plain, alone


def _han_like(text: str) -> float:
    """Share of a reading's letters that are Chinese characters or kana:
    what PP-OCR gives for a line it can read; its reading of Hangul is a
    few Han, kana and Latin letters mixed."""
    scripts = [script_of(c) for c in text if c.isalpha()]
    return sum(s in ("Han", "Kana") for s in scripts) / len(scripts) if scripts else 0.0


def route(
    p_hangul: float, han: str, han_confidence: float, korean: str, ko_confidence: float
) -> str:
    """Which reading of a region to keep, `hangul` or `han`. The script
    classifier decides alone where it is sure (P(hangul) outside
    `ROUTING.unsure`..`ROUTING.sure`); between, both readings are weighed:
    the Hangul reader's confidence, moved by the classifier's lean
    (`ROUTING.lean` per unit of P(hangul) from even), against PP-OCR's
    confidence times the share of its letters that are Han or kana."""
    if p_hangul >= ROUTING.sure:
        return "hangul"
    if p_hangul < ROUTING.unsure:
        return "han"
    korean_score = ko_confidence + ROUTING.lean * (p_hangul - 0.5)
    return "hangul" if korean_score > han_confidence * _han_like(han) else "han"


def read_regions(
    rgb: np.ndarray, palette: tuple[Ink, ...], deadline: float, printed: bool = True
) -> list[Found]:
    """Every region of the sheet read, in reading order. PP-OCR reads every
    region; where the script classifier says Hangul (PP-OCR has none and is
    confidently wrong on it), the Hangul reader reads the features PP-OCR's
    backbone computed for the line."""
    out = []
    by_name = {ink.name: ink for ink in palette}
    for region in detect(rgb):
        if time.monotonic() > deadline:
            raise TimeoutError("OCR time limit")
        ink = region_ink(rgb, region, palette)
        if ink == PRINTED and not printed:
            continue
        vertical = is_column(region)
        plain, alone = images(rgb, region, vertical, by_name.get(ink))
        reading, features = ppocr_run(plain)
        p = script_probabilities(alone)["hangul"]
        if p >= ROUTING.unsure:
            text, confidence = hangul_read(features)
            if route(p, reading.text, reading.confidence, text, confidence) == "hangul":
                reading = Reading(text, confidence, "hangul")
        if reading.text:
            out.append(Found(region, ink, vertical, reading))
    return in_forms_written(out)


def in_forms_written(found: list[Found]) -> list[Found]:
    """Each Chinese line in the script it was written in (`forms`), in the
    light of the sheet's other Chinese lines. Japanese lines take no part:
    Japanese writes many forms only Traditional Chinese keeps (線, 見) and
    some only Simplified has (写, 会)."""
    chinese = [f.reading.model != "hangul" and is_chinese(f.reading.text) for f in found]
    own = [counts(f.reading.text) if c else (0, 0) for f, c in zip(found, chinese, strict=True)]
    trad, simp = sum(t for t, _ in own), sum(s for _, s in own)
    out = []
    for f, c, (t, s) in zip(found, chinese, own, strict=True):
        if c:
            f = dataclasses.replace(f, reading=as_written(f.reading, (trad - t, simp - s)))
        out.append(f)
    return out
