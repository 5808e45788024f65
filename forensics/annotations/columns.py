"""A column of writing (top to bottom) laid out as a row: PP-OCR reads rows
only, and a column turned as a whole shows it every character on its side.
Characters are cut where rows of paper part the ink, and pieces are joined
while they fit in a square as wide as the column's writing (意 has paper
between 立, 日 and 心)."""

from __future__ import annotations

import numpy as np
from PIL import Image

from .params import COLUMNS


def row_of_column(column: Image.Image, size: int) -> Image.Image:
    """The upright column image (dark writing on light) as a row; `size` is
    the column's width (the detector's), a character's height at most."""
    grey = column.convert("L")
    mask = np.asarray(grey) < COLUMNS.inked
    if not mask.any():
        return grey
    left = max(0, (grey.width - size) // 2)
    right = min(grey.width, left + size)
    cuts: list[list[int]] = []
    inked = np.concatenate([[False], mask.any(axis=1), [False]])
    edges = np.flatnonzero(inked[1:] != inked[:-1])
    for top, bottom in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if cuts and bottom - cuts[-1][0] <= COLUMNS.square * size:
            cuts[-1][1] = bottom
        else:
            cuts.append([top, bottom])
    gap = max(4, size // 4)
    tallest = max(bottom - top for top, bottom in cuts)
    row = Image.new("L", (len(cuts) * (size + gap) + gap, tallest + 2 * gap), 255)
    for i, (top, bottom) in enumerate(cuts):
        cell = grey.crop((left, top, right, bottom))
        row.paste(cell, (gap + i * (size + gap), gap + (tallest - (bottom - top)) // 2))
    return row
