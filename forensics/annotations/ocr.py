"""Text lines in the correction ink, read with the right Tesseract model.

1. Lines: connected components of the ink masks, without the strokes that
   are not writing (a component longer than `MAX_GLYPH` pixels and sparse:
   arrows, circles, underlines), grouped into lines by a wide, short
   dilation.
2. Each line is cut from the darkness of the pixels in the ink's hue (so
   pencil and construction lines under it vanish; see `ink_darkness`),
   deskewed by the rotation that gives the sharpest row profile, scaled to
   a fixed height and padded.
3. Each of the CJK models reads all the lines of a sheet in one Tesseract
   run (a list of images, one page each, page segmentation 7: one line),
   so a sheet costs four model loads, not four per line. Per line, the
   reading with the best character-weighted confidence wins, helped when
   its text is in the model's own language, held back by the share of its
   characters outside the model's script (a misreading mixes in Latin
   letters and digits), and helped when the Japanese model finds kana. A
   Japanese reading in kanji only wins only with words only Japanese uses
   (目線): jpn writes its own forms for Traditional glyphs it lacks (顔
   for 顏).
4. Simplified against Traditional: each Chinese model knows only its own
   forms and reads the other's glyphs as them with full confidence, so the
   choice between the two readings adds the ink's own evidence (how much
   writing the characters whose forms differ hold, and how many closed
   counters, `variants.py`) to the models' scores, where the Simplified
   reading has a small head start (the more common writing). When the two
   readings are the same words in each model's forms, the models' scores
   are left out: only the ink decides. A second recogniser that knows
   both forms (PP-OCRv4, `ppocr.py`) gives its odds of the Traditional
   forms of the characters the two readings hold; it outweighs the
   models' scores, which say more about which model knows the characters
   of a line (chi_sim has no 褶) than about the script it is written in.

Printed black text (a cut header, a title block) is read the same way from
the near-black pixels, with the English model, as origin `printed`.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from ..language import detect_language, japanese_by_words, script_of
from . import ppocr
from .ink import Ink, hue_chroma, in_hue
from .variants import forms, misplaced, traditional_evidence

MODELS = {"kor": "ko", "chi_sim": "zh-Hans", "chi_tra": "zh-Hant", "jpn": "ja"}
SIMPLIFIED_HEAD_START = 5.0
LANGUAGE_BONUS = 10.0
KANA_BONUS = 25.0
MIN_KANA = 2  # the Japanese model sprinkles single kana over Korean handwriting
JUNK_PENALTY = 60.0  # per share of characters outside the model's own script
EVIDENCE_WEIGHT = 80.0  # score points per unit of `traditional_evidence`
ODDS_WEIGHT = 10.0  # score points per nat of `ppocr.traditional_odds`
MIN_CONFIDENCE = 25.0  # a reading below this is not text (circles, hatching)
MIN_LINE = 15  # pixels a line must measure both ways (a narrow glyph may join a column)
MIN_DENSITY = 0.06  # share of a line's box that is ink: writing 0.12 and up, stray
# construction-line fragments under 0.03 (measured on the generator's sheets)
MAX_GLYPH = 60  # pixels: a sparse component longer than this is a stroke, not writing
LINE_HEIGHT = 80  # pixels a line (half of it margin) is scaled to before reading
GATE_SHARE = 0.4  # of the ink's minimum chroma: where the ink is, for the line image
PAD = 20


@dataclass(frozen=True)
class Line:
    box: tuple[int, int, int, int]
    ink: str
    image: Image.Image  # black text on white, ready for Tesseract
    vertical: bool = False  # a column written top to bottom


@dataclass(frozen=True)
class Reading:
    text: str
    lang: str
    confidence: float
    model: str


def _components(mask: np.ndarray) -> np.ndarray:
    """The mask without strokes that are not writing, and without specks."""
    from scipy import ndimage

    labels, count = ndimage.label(mask, structure=np.ones((3, 3), bool))
    keep = np.zeros(count + 1, bool)
    for i, region in enumerate(ndimage.find_objects(labels), 1):
        if region is None:
            continue
        h = region[0].stop - region[0].start
        w = region[1].stop - region[1].start
        if h * w < 6:
            continue
        if max(h, w) > MAX_GLYPH and (labels[region] == i).sum() / (h * w) < 0.2:
            continue
        keep[i] = True
    return keep[labels]


def line_boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom) of the text lines in one ink's mask."""
    from scipy import ndimage

    clean = _components(mask)
    grown = ndimage.binary_dilation(clean, structure=np.ones((5, 41), bool))
    labels, _count = ndimage.label(grown)
    boxes = []
    for i, region in enumerate(ndimage.find_objects(labels), 1):
        if region is None:
            continue
        ys, xs = np.nonzero(clean[region] & (labels[region] == i))
        if len(ys) == 0:
            continue
        box = (
            int(region[1].start + xs.min()),
            int(region[0].start + ys.min()),
            int(region[1].start + xs.max() + 1),
            int(region[0].start + ys.max() + 1),
        )
        h, w = box[3] - box[1], box[2] - box[0]
        dense = clean[box[1] : box[3], box[0] : box[2]].mean() >= MIN_DENSITY
        if (
            dense and max(h, w) >= MIN_LINE and min(h, w) >= 4
        ):  # narrow glyphs (し) may join a column
            boxes.append(box)
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _stacked(a: tuple[int, int, int, int], b: tuple[int, int, int, int], em: float = 0) -> bool:
    """Whether glyph box b sits right under glyph box a, as in a column
    whose characters are about `em` pixels (small kana leave a gap as tall
    as the character they do not fill)."""
    overlap = min(a[2], b[2]) - max(a[0], b[0])
    gap = b[1] - a[3]
    size = max(a[3] - a[1], b[3] - b[1], a[2] - a[0], b[2] - b[0], em)
    return overlap >= 0.5 * min(a[2] - a[0], b[2] - b[0]) and -0.2 * size <= gap <= 1.2 * size


def text_lines(mask: np.ndarray) -> list[tuple[tuple[int, int, int, int], bool]]:
    """Lines of one ink's mask as (box, vertical). Lines are found across
    (`line_boxes`); glyph-sized boxes stacked one under another are then
    joined into a column (a flat glyph too, when it is no wider than the
    glyphs over or under it), and a box at least twice as tall as it is
    wide is a column."""
    boxes = line_boxes(mask)
    upright = {i for i, b in enumerate(boxes) if b[2] - b[0] <= 1.5 * (b[3] - b[1])}
    sizes = [max(boxes[i][2] - boxes[i][0], boxes[i][3] - boxes[i][1]) for i in upright]
    em = float(np.median(sizes)) if sizes else 0.0
    # a flat glyph (一, パ) joins a column when it is no wider than a glyph
    # stacked with it: a line written across is wider than any of them
    flat = [
        i
        for i, b in enumerate(boxes)
        if i not in upright
        and any(
            b[2] - b[0] <= 1.3 * (boxes[j][2] - boxes[j][0])
            and (_stacked(boxes[j], b, em) or _stacked(b, boxes[j], em))
            for j in upright
        )
    ]
    glyphs = sorted(upright.union(flat), key=lambda i: boxes[i][1])
    column_of = {i: i for i in glyphs}
    for n, i in enumerate(glyphs):
        for j in glyphs[n + 1 :]:
            if column_of[j] == j and _stacked(boxes[i], boxes[j], em):
                column_of[j] = column_of[i]
    members: dict[int, list[int]] = {}
    for i in glyphs:
        members.setdefault(column_of[i], []).append(i)
    out = [(b, False) for i, b in enumerate(boxes) if i not in column_of and _whole(b)]
    for group in members.values():
        parts = [boxes[i] for i in group]
        union = (
            min(b[0] for b in parts),
            min(b[1] for b in parts),
            max(b[2] for b in parts),
            max(b[3] for b in parts),
        )
        # a lone long stroke (a construction line the lax mask lets in) is
        # too narrow to be a column of writing
        tall = union[3] - union[1] >= 2 * (union[2] - union[0])
        if tall and _whole(union):
            out.append((union, True))
        else:
            out += [(b, False) for b in parts if _whole(b)]
    return sorted(out, key=lambda item: (item[0][1], item[0][0]))


def _whole(box: tuple[int, int, int, int]) -> bool:
    return box[3] - box[1] >= MIN_LINE and box[2] - box[0] >= MIN_LINE


def strength(rgb: np.ndarray, ink: Ink) -> np.ndarray:
    """Ink strength scaled so that the ink's minimum chroma is about 70."""
    hue, chroma = hue_chroma(rgb)
    return np.where(in_hue(hue, ink.hue), chroma * (70.0 / ink.min_chroma), 0.0)


def _deskew(img: Image.Image) -> Image.Image:
    best, score = 0.0, -1.0
    for angle in np.arange(-4.0, 4.5, 0.5):
        rows = (
            np.asarray(
                img.rotate(
                    float(angle), resample=Image.Resampling.BICUBIC, fillcolor=255, expand=True
                )
            )
            < 128
        ).sum(axis=1)
        s = float((rows.astype(np.int64) ** 2).sum())
        if s > score:
            best, score = float(angle), s
    return img.rotate(best, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=True)


def ink_darkness(rgb: np.ndarray, ink: Ink) -> np.ndarray:
    """How much of the ink each pixel holds (0-1): the pixel's darkness
    against the paper, where the ink's hue is.

    The shape comes from luminance, not chroma: JPEG keeps chroma at half
    resolution, so a thin pen stroke's chroma is smeared and weak while its
    luminance is sharp. The hue (from 0.4 of the ink's minimum chroma,
    grown by two pixels to cover that smear) only says where the ink is,
    so pencil and line art under and beside the writing stay out."""
    from scipy import ndimage

    hue, chroma = hue_chroma(rgb)
    gate = np.where(in_hue(hue, ink.hue), np.clip(chroma / (GATE_SHARE * ink.min_chroma), 0, 1), 0)
    gate = ndimage.grey_dilation(gate, size=(5, 5))
    lum = rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    dark = np.clip(np.percentile(lum, 90) - lum, 0, None) * gate
    inked = gate > 0.5
    full = float(np.percentile(dark[inked], 95)) * 0.8 if inked.any() else 1.0
    return np.clip(dark / max(full, 1.0), 0, 1)


def cut_line(
    rgb: np.ndarray, box: tuple[int, int, int, int], ink: Ink, vertical: bool = False
) -> Image.Image:
    """The line as black writing on white, graded by how much ink each pixel
    holds, deskewed, scaled to LINE_HEIGHT across (a column: LINE_HEIGHT
    wide) and padded."""
    x0, y0, x1, y1 = box
    margin = max(10, (x1 - x0 if vertical else y1 - y0) // 2)
    top, left = max(0, y0 - margin), max(0, x0 - margin)
    amount = ink_darkness(rgb[top : y1 + margin, left : x1 + margin], ink)
    grey = (255 - amount * 255).astype(np.uint8)
    if vertical:  # deskewed as a line on its side, then stood up again
        img = _deskew(Image.fromarray(grey.T)).transpose(Image.Transpose.TRANSPOSE)
        factor = LINE_HEIGHT / max(img.width, 1)
        size = (LINE_HEIGHT, max(1, round(img.height * factor)))
    else:
        img = _deskew(Image.fromarray(grey))
        factor = LINE_HEIGHT / max(img.height, 1)
        size = (max(1, round(img.width * factor)), LINE_HEIGHT)
    return ImageOps.expand(img.resize(size, Image.Resampling.LANCZOS), PAD, fill=255)


def printed_lines(rgb: np.ndarray) -> list[Line]:
    """Near-black printed text (headers, title blocks): pencil is greyer."""
    grey = rgb.min(axis=2)
    _hue, chroma = hue_chroma(rgb)
    mask = (grey < 60) & (chroma < 30)
    lines = []
    for box in line_boxes(mask):
        x0, y0, x1, y1 = box
        if x1 - x0 < 3 * (y1 - y0):  # printed lines are long; lone marks are drawing
            continue
        part = rgb[max(0, y0 - 4) : y1 + 4, max(0, x0 - 4) : x1 + 4].min(axis=2)
        img = Image.fromarray(part)
        factor = 40 / max(img.height, 1)
        img = img.resize((max(1, round(img.width * factor)), 40), Image.Resampling.LANCZOS)
        lines.append(Line(box, "black", ImageOps.expand(img, PAD, fill=255)))
    return lines


def tesseract_pages(
    images: list[Image.Image], model: str, timeout: float, psm: int = 7
) -> dict[int, list[tuple[str, float]]]:
    """(word, confidence) per image, reading them all in one Tesseract run."""
    if not images:
        return {}
    with tempfile.TemporaryDirectory(prefix="forensics-ocr-") as tmp:
        paths = []
        for i, image in enumerate(images):
            path = os.path.join(tmp, f"{i:04d}.png")
            image.save(path)
            paths.append(path)
        listing = os.path.join(tmp, "lines.txt")
        with open(listing, "w") as fh:
            fh.write("\n".join(paths) + "\n")
        result = subprocess.run(
            ["tesseract", listing, "stdout", "-l", model, "--psm", str(psm), "tsv"],
            capture_output=True,
            text=True,
            timeout=max(timeout, 1.0),
            check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    pages: dict[int, list[tuple[str, float]]] = {}
    for row in csv.reader(io.StringIO(result.stdout), delimiter="\t", quoting=csv.QUOTE_NONE):
        if len(row) < 12 or row[0] != "5" or not row[11].strip():
            continue
        pages.setdefault(int(row[1]) - 1, []).append((row[11], float(row[10])))
    return pages


def _join(words: list[tuple[str, float]], model: str) -> str:
    sep = " " if model in ("kor", "eng") else ""
    return sep.join(w for w, _ in words).strip()


def _weighted(words: list[tuple[str, float]]) -> float:
    chars = sum(len(w) for w, _ in words)
    return sum(c * len(w) for w, c in words) / chars if chars else 0.0


def _own(ch: str, model: str) -> bool:
    script = script_of(ch)
    if model == "kor":
        return "\uac00" <= ch <= "\ud7a3"  # whole syllables: lone jamo are misreadings
    if model == "jpn":
        return script in ("Han", "Kana")
    return script == "Han"


def junk(text: str, model: str) -> float:
    """Share of the characters read that are not of the model's script: a
    Chinese model's reading of Korean or kana comes out as Han mixed with
    Latin letters and digits ("4栓太总Fnm"), which a real note rarely is."""
    chars = [ch for ch in text if not ch.isspace()]
    return sum(not _own(ch, model) for ch in chars) / len(chars) if chars else 1.0


def _kana(text: str) -> int:
    return sum(script_of(ch) == "Kana" for ch in text)


def _language(model: str, detected: str) -> str:
    """The model that read a line best knows its script; between the two
    Chinese models, the characters read decide Simplified or Traditional,
    and words only Japanese uses (目線, 色指定) make a Han-only line Japanese."""
    lang = MODELS[model]
    if detected == "ja" or (lang.startswith("zh") and detected.startswith("zh")):
        return detected
    return lang


def choose(
    candidates: dict[str, list[tuple[str, float]]],
    image: Image.Image | None = None,
    vertical: bool = False,
) -> Reading | None:
    """The best reading of one line among the models' readings; with the
    line's image, Simplified against Traditional is weighed with the ink
    and with a recogniser that knows both forms. A column's image comes
    turned on its side (transposed), so that its characters lie along x."""
    scores: dict[str, tuple[float, Reading]] = {}
    for model, words in candidates.items():
        if not words:
            continue
        text = _join(words, model)
        guess = detect_language(text)
        conf = _weighted(words)
        score = conf + (LANGUAGE_BONUS if guess.lang == MODELS.get(model) else 0.0)
        score -= JUNK_PENALTY * junk(text, model)
        if model == "chi_sim":
            score += SIMPLIFIED_HEAD_START
        if model == "jpn" and _kana(text) >= MIN_KANA:
            score += KANA_BONUS  # kana only come from the Japanese model's reading
        scores[model] = (score, Reading(text, _language(model, guess.lang), round(conf, 1), model))
    if not scores:
        return None
    ranked = sorted(scores.values(), key=lambda item: item[0], reverse=True)
    best = ranked[0][1]
    if (
        best.model == "jpn"
        and len(ranked) > 1
        and not _kana(best.text)
        and not japanese_by_words(best.text)
    ):
        # the Japanese model writes its own forms for glyphs it lacks (顔 for
        # 顏): a reading of it in kanji only, without words only Japanese
        # uses, is no evidence of Japanese
        best = ranked[1][1]
    chinese = ("chi_sim", "chi_tra")
    if image is not None and best.model in chinese and scores.keys() >= set(chinese):
        simplified, traditional = scores["chi_sim"][1].text, scores["chi_tra"][1].text
        if forms(simplified)[1] == forms(traditional)[1]:
            # the same words, each model in its own forms: as each reads the
            # other's glyphs with full confidence, their scores say nothing
            margin = -SIMPLIFIED_HEAD_START
        else:
            margin = scores["chi_tra"][0] - scores["chi_sim"][0]
        # where the readings differ, each places the characters differently;
        # a variant one model read where the other saw a character the same
        # in both scripts is a misreading (眼 read 賬) and left out
        drop_s, drop_t = misplaced(simplified, traditional)
        evidence = traditional_evidence(image, simplified, drop_s) + traditional_evidence(
            image, traditional, drop_t
        )
        margin += EVIDENCE_WEIGHT * evidence / 2
        pairs = ppocr.pairs_in((simplified, traditional))
        if pairs:
            row = ppocr.row_of_column(image) if vertical else image
            margin += ODDS_WEIGHT * ppocr.traditional_odds(row, pairs)
        best = scores["chi_tra" if margin > 0 else "chi_sim"][1]
    if best.model == "chi_sim":
        # Japanese kanji are mostly the Traditional forms (線, not 线): a
        # line that is Japanese by its words once written so is Japanese
        written = forms(best.text)[1]
        if japanese_by_words(written) and detect_language(written).lang == "ja":
            best = replace(best, text=written, lang="ja")
    if best.confidence < MIN_CONFIDENCE or not best.text:
        return None
    return best


def _read_all(
    images: list[Image.Image], deadline: float, vertical: bool = False
) -> list[dict[str, list[tuple[str, float]]]]:
    """Every CJK model's words for each image; columns with the vertical
    models (page segmentation 5: one block of vertical text)."""
    pages = {}
    for model in MODELS:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("OCR time limit reached")
        if vertical:
            pages[model] = tesseract_pages(images, f"{model}_vert", left, psm=5)
        else:
            pages[model] = tesseract_pages(images, model, left)
    return [{m: pages[m].get(i, []) for m in MODELS} for i in range(len(images))]


def read_lines(lines: list[Line], deadline: float) -> list[Reading | None]:
    """Readings for ink lines (all CJK models) in order. A line that no
    model read at all is read once more with its strokes thickened by a
    pixel each side: Tesseract's layout analysis drops writing whose strokes
    are thin for its size (a fine pen's Kai-style brush strokes) as noise."""
    candidates: list[dict[str, list[tuple[str, float]]]] = [{} for _ in lines]
    for vertical in (False, True):
        todo = [i for i, line in enumerate(lines) if line.vertical == vertical]
        if not todo:
            continue
        found = _read_all([lines[i].image for i in todo], deadline, vertical)
        unread = [i for i, c in zip(todo, found, strict=True) if not any(c.values())]
        for i, c in zip(todo, found, strict=True):
            candidates[i] = c
        if unread:
            thick = [lines[i].image.filter(ImageFilter.MinFilter(3)) for i in unread]
            for i, again in zip(unread, _read_all(thick, deadline, vertical), strict=True):
                candidates[i] = again
    # the ink's evidence cuts a line into characters across: a column is
    # turned on its side for it (each character's share of ink is the same)
    readings = [
        choose(
            c,
            line.image.transpose(Image.Transpose.TRANSPOSE) if line.vertical else line.image,
            line.vertical,
        )
        for c, line in zip(candidates, lines, strict=True)
    ]
    return [
        replace(r, model=f"{r.model}_vert") if r is not None and line.vertical else r
        for r, line in zip(readings, lines, strict=True)
    ]


def read_printed(lines: list[Line], deadline: float) -> list[Reading | None]:
    left = deadline - time.monotonic()
    if left <= 0 or not lines:
        return [None] * len(lines)
    pages = tesseract_pages([line.image for line in lines], "eng", left)
    out: list[Reading | None] = []
    for i in range(len(lines)):
        words = pages.get(i, [])
        text = _join(words, "eng")
        conf = _weighted(words)
        out.append(
            Reading(text, detect_language(text).lang, round(conf, 1), "eng")
            if text and conf >= MIN_CONFIDENCE
            else None
        )
    return out
