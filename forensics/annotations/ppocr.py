"""A second witness of Simplified or Traditional: PaddleOCR's Chinese line
recogniser (PP-OCRv4), which knows both forms of most characters.

Debian's Tesseract models cannot tell the scripts apart: chi_sim has no
Traditional forms in its character set and chi_tra no Simplified ones, so
each reads the other's glyphs as its own forms with full confidence, and
both lack characters of the other script outright (chi_sim has no 褶,
chi_tra no 皱 or 画). Tesseract's float models, which could be fine-tuned
on both sets, are not packaged. PP-OCRv4's recogniser was trained on both
scripts (its dictionary of 6,623 characters holds 減 and 减, 皺 and 皱, 畫
and 画, but not 臉), and its output at each step of the line is a
probability over all of them, so the ratio of the two forms of a character,
where the line holds that character, is direct evidence of which form the
ink shows.

It learned far more Simplified text than Traditional and leans to the
Simplified form whatever the ink (on clean writing of 視 it still often
reads 视), so its log ratio is shifted by `PRIOR`; each character's ratio
is clipped at `CLIP` nats, so that no single misread glyph decides a line.

The model file comes with the `rapidocr-onnxruntime` package (Apache 2.0)
and runs with onnxruntime, one thread per worker process. The package
itself is not imported: its recognition pipeline wants OpenCV, and only
the bare line recogniser is needed here, on lines already found, deskewed
and cut from their ink.
"""

from __future__ import annotations

import functools
import importlib.util
import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image

from .variants import INKED, forms, text_band

MODEL = "models/ch_PP-OCRv4_rec_infer.onnx"
HEIGHT = 48  # pixels: the recogniser's input height
PRIOR = 5.0  # nats the model leans to the Simplified form (see above)
CLIP = 3.0  # nats at most that one character tells
SQUARE = 1.15  # a character is at most this much taller than the column is wide
MIN_PROBABILITY = 0.02  # below this at every step, the line does not hold the character


@functools.cache
def _session() -> tuple[object, dict[str, int]]:
    import onnxruntime as ort

    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("rapidocr-onnxruntime (the PP-OCRv4 model) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # the scan runs one worker per core
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    characters = session.get_modelmeta().custom_metadata_map["character"].split("\n")
    # class 0 is CTC's blank, the last one a space
    index = {ch: i for i, ch in enumerate(["", *characters]) if ch}
    return session, index


def probabilities(line: Image.Image) -> np.ndarray:
    """The recogniser's probabilities for one line (dark writing on light,
    left to right): one row per step along the line, one column per class."""
    session, _ = _session()
    rgb = line.convert("RGB")
    width = max(8, round(rgb.width * HEIGHT / max(rgb.height, 1)))
    pixels = np.asarray(rgb.resize((width, HEIGHT), Image.Resampling.BILINEAR), np.float32)
    tensor = ((pixels / 255 - 0.5) / 0.5).transpose(2, 0, 1)[None]
    name = session.get_inputs()[0].name  # type: ignore[attr-defined]
    return np.asarray(session.run(None, {name: tensor})[0][0])  # type: ignore[attr-defined]


def read(line: Image.Image) -> str:
    """The recogniser's own reading of a line (best class at each step,
    repeats and blanks dropped, as CTC decodes)."""
    _, index = _session()
    characters = {i: ch for ch, i in index.items()}
    best = probabilities(line).argmax(axis=1)
    out, previous = [], 0
    for step in best.tolist():
        if step != previous and step in characters:
            out.append(characters[step])
        previous = step
    return "".join(out)


def known(ch: str) -> bool:
    """Whether the recogniser has this character in its dictionary."""
    return ch in _session()[1]


def pairs_in(texts: Iterable[str]) -> set[tuple[str, str]]:
    """The (Simplified, Traditional) pairs of the characters in `texts` whose
    forms differ and which the recogniser knows both forms of."""
    out = set()
    for text in texts:
        for ch in text:
            simplified, traditional = forms(ch)
            if simplified != traditional and known(simplified) and known(traditional):
                out.add((simplified, traditional))
    return out


def traditional_odds(line: Image.Image, pairs: Iterable[tuple[str, str]]) -> float:
    """Log odds (nats, summed over the pairs) that the line is written in the
    Traditional forms: for each pair, the log ratio of the two forms at the
    step where either is likeliest, shifted by PRIOR and clipped at CLIP. A
    pair that is nowhere likely (the character was misread into the pair by
    Tesseract) tells nothing."""
    pairs = list(pairs)
    if not pairs:
        return 0.0
    _, index = _session()
    table = probabilities(line)
    odds = 0.0
    for simplified, traditional in pairs:
        if simplified not in index or traditional not in index:
            continue
        p_s, p_t = table[:, index[simplified]], table[:, index[traditional]]
        step = int(np.argmax(np.maximum(p_s, p_t)))
        if max(p_s[step], p_t[step]) < MIN_PROBABILITY:
            continue
        ratio = math.log(p_t[step] + 1e-9) - math.log(p_s[step] + 1e-9) + PRIOR
        odds += max(-CLIP, min(CLIP, ratio))
    return odds


def row_of_column(on_side: Image.Image) -> Image.Image:
    """A column of writing, given turned on its side (transposed, as the
    ink's evidence takes it), laid out again as an upright row: the
    recogniser reads rows only, and a column turned as a whole shows it
    every character on its side. Characters are cut where rows of paper
    part the ink, and pieces are joined while they fit in a square as wide
    as the column's writing (意 has paper between 立, 日 and 心). The
    count of characters the models read is not used: in columns they read
    strokes as characters of their own (衣服竹福、福减少)."""
    grey = np.asarray(on_side.convert("L"), np.float64)
    mask = text_band(grey < INKED).T
    column = on_side.convert("L").transpose(Image.Transpose.TRANSPOSE)
    across = np.nonzero(mask.any(axis=0))[0]
    if len(across) == 0:
        return column
    left, right = int(across[0]), int(across[-1]) + 1
    size = right - left
    cuts: list[list[int]] = []
    inked = np.concatenate([[False], mask.any(axis=1), [False]])
    edges = np.flatnonzero(inked[1:] != inked[:-1])
    for top, bottom in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if cuts and bottom - cuts[-1][0] <= SQUARE * size:
            cuts[-1][1] = bottom
        else:
            cuts.append([top, bottom])
    gap = max(4, size // 4)
    tallest = max(bottom - top for top, bottom in cuts)
    # paper all round: ink that touches the edge reads as a stroke (廣)
    row = Image.new("L", (len(cuts) * (size + gap) + gap, tallest + 2 * gap), 255)
    for i, (top, bottom) in enumerate(cuts):
        cell = column.crop((left, top, right, bottom))
        row.paste(cell, (gap + i * (size + gap), gap + (tallest - (bottom - top)) // 2))
    return row
