"""Simplified or Traditional: a look at the ink of the characters whose two
forms differ.

Tesseract cannot tell: chi_sim has no Traditional forms in its character
set (no 視, 點, 臉, 頭, 這) and chi_tra no Simplified ones (no 视, 点, 脸,
头, 这), so each model reads the other's glyphs as its own forms, with full
confidence. The forms differ in how much writing they hold (點 has 17
strokes, 点 9; 視 11, 视 8), and within one line one pen draws every stroke
about as thick, so a character's share of the line's ink says which form
was written. `traditional_evidence` cuts the line into its characters and
compares each differing character's share with the share the Simplified and
the Traditional form take in reference fonts (Noto Sans and Serif CJK,
which draw even strokes); a font is only a yardstick for stroke length
here, never a template of the writer's hand.

Ink share cannot tell forms that hold about the same writing (视/視: 8 and
11 strokes, but the Simplified 见 is drawn wide and heavy). Their shapes
differ in their closed counters: 見 has the three of 目, 见 none; 顏 has
頁's, 颜 only 页's one. A counter count is a property of the character,
not of the font, so the reference fonts give it too. A hand leaves some
counters open and a small one fills with ink, so each of the reference's
counters is taken to survive with a chance `HOLE_KEPT`, and a stray one
(two strokes that cross) to appear at a rate `HOLE_STRAY`; the evidence is
the log-likelihood ratio of the count found under the two forms.

The two forms of a character come from OpenCC's character tables.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
from importlib import resources
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

# (file, index of the Simplified face, index of the Traditional face)
REFERENCE_FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, 3),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2, 3),
)
INKED = 170  # grey level below which a pixel of a line image is writing
HOLE_KEPT = 0.6  # chance that a counter of the reference form stays closed in writing
HOLE_STRAY = 0.15  # closed counters per character that the reference does not have
HOLE_WEIGHT = 0.2  # of a counter count's log-likelihood ratio, against the ink share's term
MIN_HOLE = 3  # pixels: a smaller gap in a line image is a speck of paper in the ink


@functools.cache
def _table(name: str) -> dict[str, str]:
    """First choice of each character in one of OpenCC's character tables."""
    text = resources.files("opencc").joinpath("dictionary", name).read_text(encoding="utf-8")
    table = {}
    for row in text.splitlines():
        key, _, values = row.partition("\t")
        if len(key) == 1 and values:
            table[key] = values.split(" ")[0]
    return table


def forms(text: str) -> tuple[str, str]:
    """The text written in Simplified and in Traditional characters."""
    to_s, to_t = _table("TSCharacters.txt"), _table("STCharacters.txt")
    return "".join(to_s.get(ch, ch) for ch in text), "".join(to_t.get(ch, ch) for ch in text)


@functools.cache
def _fonts(traditional: bool) -> tuple[ImageFont.FreeTypeFont, ...]:
    return tuple(
        ImageFont.truetype(path, 64, index=t if traditional else s)
        for path, s, t in REFERENCE_FONTS
        if Path(path).exists()
    )


@functools.lru_cache(maxsize=256)  # images: the figures drawn from them are cached longer
def _rendered(ch: str, traditional: bool) -> tuple[np.ndarray, ...]:
    """One character in each reference font, white on black at 64 px."""
    out = []
    for font in _fonts(traditional):
        img = Image.new("L", (100, 100), 0)
        ImageDraw.Draw(img).text((10, 10), ch, fill=255, font=font)
        out.append(np.asarray(img))
    return tuple(out)


@functools.lru_cache(maxsize=8192)
def reference_ink(ch: str, traditional: bool) -> float:
    """Ink of one character in the reference fonts (mean pixel mass at 64 px)."""
    masses = [float(img.sum(dtype=np.float64)) / 255 for img in _rendered(ch, traditional)]
    return sum(masses) / len(masses) if masses else 0.0


def holes(mask: np.ndarray, min_area: int = MIN_HOLE) -> int:
    """Closed counters of a character: background regions that do not
    reach the edge of its cell."""
    from scipy import ndimage

    labels, count = ndimage.label(~mask)
    if count == 0:
        return 0
    edge = set(
        np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])).tolist()
    )
    sizes = ndimage.sum(np.ones(mask.shape), labels, range(1, count + 1))
    return sum(1 for i in range(1, count + 1) if i not in edge and sizes[i - 1] >= min_area)


@functools.lru_cache(maxsize=8192)
def reference_holes(ch: str, traditional: bool) -> int:
    """Closed counters of one character that every reference font closes
    (the fewest): where fonts differ, as in 減 (one in Sans, two in Serif,
    where strokes touch or not), the extra counter is the font's, not the
    character's."""
    counts = [holes(img > 128, 6) for img in _rendered(ch, traditional)]
    return min(counts) if counts else 0


def _holes_likelihood(found: int, reference: int) -> float:
    """Chance of finding `found` counters in writing of a form with
    `reference` of them: each kept with HOLE_KEPT, strays by Poisson."""
    total = 0.0
    for kept in range(min(found, reference) + 1):
        stray = found - kept
        total += (
            math.comb(reference, kept)
            * HOLE_KEPT**kept
            * (1 - HOLE_KEPT) ** (reference - kept)
            * math.exp(-HOLE_STRAY)
            * HOLE_STRAY**stray
            / math.factorial(stray)
        )
    return max(total, 1e-6)


def text_band(mask: np.ndarray) -> np.ndarray:
    """The writing of a line without the specks, stray strokes and ruled lines
    around it: components mostly inside the band of rows where the ink is."""
    from scipy import ndimage

    rows = mask.sum(axis=1).astype(np.float64)
    if not rows.any():
        return mask
    labels, count = ndimage.label(rows > 0.2 * rows.max())
    if count > 1:
        sums = ndimage.sum(rows, labels, range(1, count + 1))
        ys = np.nonzero(labels == int(np.argmax(sums)) + 1)[0]
    else:
        ys = np.nonzero(labels)[0]
    height = ys[-1] + 1 - ys[0]
    top, bottom = max(0, int(ys[0] - 0.15 * height)), int(ys[-1] + 1 + 0.15 * height)
    parts, n = ndimage.label(mask, structure=np.ones((3, 3), bool))
    keep = np.zeros(n + 1, bool)
    for i, region in enumerate(ndimage.find_objects(parts), 1):
        if region is None:
            continue
        ys_i = np.nonzero(parts[region] == i)[0] + region[0].start
        h = region[0].stop - region[0].start
        w = region[1].stop - region[1].start
        ruled = w > 2.5 * height and len(ys_i) < 0.15 * h * w  # an underline, not a character
        inside = float(((ys_i >= top) & (ys_i < bottom)).mean())
        keep[i] = inside > 0.6 and h <= 1.3 * height and not ruled
    return keep[parts]


def cells(mask: np.ndarray, n: int) -> list[tuple[int, int]]:
    """Column spans of n characters: cuts at the emptiest columns near an even
    pitch (CJK characters are about as wide as each other)."""
    columns = mask.sum(axis=0).astype(np.float64)
    xs = np.nonzero(columns)[0]
    if len(xs) == 0 or n < 1:
        return []
    x0, x1 = int(xs[0]), int(xs[-1]) + 1
    pitch = (x1 - x0) / n
    cuts = [x0]
    for i in range(1, n):
        expected = x0 + i * pitch
        low = int(max(cuts[-1] + pitch * 0.5, expected - pitch * 0.35))
        high = int(min(x1 - 1, expected + pitch * 0.35))
        if high <= low:
            cuts.append(int(expected))
            continue
        cand = np.arange(low, high + 1)
        cost = columns[cand] / columns.max() + 0.5 * np.abs(cand - expected) / pitch
        cuts.append(int(cand[np.argmin(cost)]))
    cuts.append(x1)
    return list(itertools.pairwise(cuts))


def misplaced(first: str, second: str) -> tuple[frozenset[int], frozenset[int]]:
    """Positions (without spaces) in two readings of one line where a
    character whose forms differ stands against a different character
    whose forms do not: one model saw a character the same in both scripts
    there (眼), so the other's variant (賬, a misreading) says nothing of
    the script. Readings are aligned in their Traditional forms."""
    a = "".join(ch for ch in first if not ch.isspace())
    b = "".join(ch for ch in second if not ch.isspace())
    drop_a: set[int] = set()
    drop_b: set[int] = set()
    matcher = difflib.SequenceMatcher(None, forms(a)[1], forms(b)[1], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        if i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if _same_forms(b[j]):
                    drop_a.add(i)
                if _same_forms(a[i]):
                    drop_b.add(j)
        else:  # 有眼 against 賬: the stretch one model read has no variant
            if all(_same_forms(ch) for ch in b[j1:j2]):
                drop_a.update(range(i1, i2))
            if all(_same_forms(ch) for ch in a[i1:i2]):
                drop_b.update(range(j1, j2))
    return frozenset(drop_a), frozenset(drop_b)


def _same_forms(ch: str) -> bool:
    simplified, traditional = forms(ch)
    return simplified == traditional


def traditional_evidence(
    image: Image.Image, text: str, ignore: frozenset[int] = frozenset()
) -> float:
    """How much more the ink of a line (black writing on white) looks like
    the Traditional forms of `text` than the Simplified ones: above 0 for
    Traditional, below for Simplified, 0 when the forms are the same or
    the line cannot be cut into its characters. For each character whose
    forms differ (but those at the positions in `ignore`, counted without
    spaces): its share of the line's ink against each form's share, and its
    closed counters against each form's."""
    chars = [ch for ch in text if not ch.isspace()]
    simplified, traditional = forms("".join(chars))
    if simplified == traditional:
        return 0.0
    grey = np.asarray(image.convert("L"), np.float64)
    mask = text_band(grey < INKED)
    spans = cells(mask, len(chars))
    amount = np.where(mask, 255 - grey, 0)
    total = float(amount.sum())
    ink_s = sum(reference_ink(ch, False) for ch in simplified)
    ink_t = sum(reference_ink(ch, True) for ch in traditional)
    if not spans or total <= 0 or ink_s <= 0 or ink_t <= 0:
        return 0.0
    evidence = 0.0
    for i, ((left, right), s, t) in enumerate(zip(spans, simplified, traditional, strict=True)):
        if s == t or i in ignore:
            continue
        share = max(float(amount[:, left:right].sum()) / total, 1e-4)
        share_s = reference_ink(s, False) / ink_s
        share_t = reference_ink(t, True) / ink_t
        if share_s <= 0 or share_t <= 0:
            continue
        evidence += abs(math.log(share / share_s)) - abs(math.log(share / share_t))
        found = holes(mask[:, left:right])
        evidence += HOLE_WEIGHT * math.log(
            _holes_likelihood(found, reference_holes(t, True))
            / _holes_likelihood(found, reference_holes(s, False))
        )
    return evidence
