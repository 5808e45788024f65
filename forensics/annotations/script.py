"""Which script a text region is written in (Hangul, Han or kana, Latin):
a small convolutional classifier that routes the region to its recogniser.

PP-OCR's dictionaries have no Hangul and it reads a Korean line as a few
confident Han or Latin characters, so its own confidence cannot say that
a line is Korean; Tesseract's `kor` model reads Han as Hangul-like junk.
The classifier looks at the region's ink-alone image itself: windows of
`WIDTH` x `HEIGHT` pixels along the line, logits averaged. It was trained
by `scripts/train_script_classifier.py` on lines rendered in the tuning
fonts of the generalization set (never the held-out ones); its weights
(about 100 KB) ship in the package as ONNX and run with onnxruntime.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from .detect import session

CLASSES = ("hangul", "cjk", "latin")
HEIGHT, WIDTH = 32, 128
MODEL = "models/script.onnx"


def windows(img: Image.Image) -> list[np.ndarray]:
    """The line scaled to HEIGHT, cut into WIDTH-wide windows (half
    overlapping; a short line is padded with paper), as float32 in 0-1
    with writing high."""
    grey = img.convert("L")
    width = max(1, round(grey.width * HEIGHT / max(grey.height, 1)))
    arr = (
        1.0 - np.asarray(grey.resize((width, HEIGHT), Image.Resampling.BILINEAR), np.float32) / 255
    )
    if width < WIDTH:
        arr = np.pad(arr, ((0, 0), (0, WIDTH - width)))
        width = WIDTH
    starts = list(range(0, width - WIDTH + 1, WIDTH // 2))
    if starts[-1] != width - WIDTH:
        starts.append(width - WIDTH)
    return [np.ascontiguousarray(arr[:, s : s + WIDTH]) for s in starts[:8]]


def script_probabilities(img: Image.Image) -> dict[str, float]:
    """Probability of each class for a line image (dark writing on paper)."""
    x = np.stack(windows(img))[:, None]
    sess = session("forensics", "annotations/" + MODEL)
    logits = np.asarray(sess.run(None, {"x": x})[0]).mean(axis=0)  # type: ignore[attr-defined]
    p = np.exp(logits - logits.max())
    p /= p.sum()
    return {c: float(v) for c, v in zip(CLASSES, p, strict=True)}
