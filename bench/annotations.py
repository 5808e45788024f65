#!/usr/bin/env python3
"""Reading the notes on sheets we did not draw for the samples: character
error rate by language, notes found, sheet language, pairs and seconds per
sheet, on the generalization set (`bench/wildsheets.py`), for the tuning
fonts and, apart, the held-out fonts (the headline), against plain
Tesseract (whole sheet, every CJK model, langdetect per line) and PP-OCR
as it comes (the same detector and recogniser on the plain sheet: no ink
separation, no Hangul recogniser) in the same run.

    apt-get install tesseract-ocr tesseract-ocr-kor tesseract-ocr-chi-sim \
        tesseract-ocr-chi-tra tesseract-ocr-jpn     # for the plain-Tesseract baseline
    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/annotations.py [--seed 11] [--sheets 60] [--jobs 2] [--natural]

A truth note is matched to the regions read whose centre falls inside its
box (grown 8 px); CER counts letters only (spaces and punctuation
removed) and a missed note counts as all wrong. A sheet's language is
right when the language most of its notes were read in (a Korean note
paired with a Chinese one is its translation and does not count; a `zh`
note counts for the script of the sheet's other Chinese notes) is the
truth's; `zh` answers a Chinese sheet whose characters have the same
forms in both scripts.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import wildsheets  # noqa: E402

Found = list[tuple[tuple[int, ...], str, str, int]]  # box, text, language, pair


def letters(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text)


def lev(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
            prev = cur
    return row[-1]


def ours(data: bytes, printed: bool = False) -> tuple[Found, float]:
    from forensics.annotations import analyse

    start = time.perf_counter()
    sheet = analyse(data, printed=printed)
    found = [(n.box, n.text, n.lang, n.pair or 0) for n in sheet.notes if n.box]
    return found, time.perf_counter() - start


def ppocr_plain(data: bytes) -> tuple[Found, float]:
    """PP-OCR as it comes: its detector and recogniser on the sheet itself."""
    import numpy as np
    from PIL import Image

    from forensics.annotations.detect import cut, detect
    from forensics.annotations.recognise import ppocr_read
    from forensics.language import detect_language

    start = time.perf_counter()
    rgb = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    found: Found = []
    for region in detect(rgb):
        text = ppocr_read(cut(rgb, region, 0.12)).text
        if text:
            found.append((region.box, text, detect_language(text).lang, 0))
    return found, time.perf_counter() - start


def plain(data: bytes) -> tuple[Found, float]:
    """Plain Tesseract, whole sheet, every CJK model; langdetect per line."""
    import pytesseract
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException
    from PIL import Image

    DetectorFactory.seed = 0
    start = time.perf_counter()
    out = pytesseract.image_to_data(
        Image.open(io.BytesIO(data)),
        lang="kor+chi_sim+chi_tra+jpn",
        output_type=pytesseract.Output.DICT,
    )
    lines: dict[tuple[int, ...], list[tuple[int, int, int, int, str]]] = {}
    for i, text in enumerate(out["text"]):
        if str(text).strip():
            key = (out["page_num"][i], out["block_num"][i], out["par_num"][i], out["line_num"][i])
            x, y, w, h = out["left"][i], out["top"][i], out["width"][i], out["height"][i]
            lines.setdefault(key, []).append((x, y, x + w, y + h, str(text)))
    found: Found = []
    for words in lines.values():
        box = (
            min(w[0] for w in words),
            min(w[1] for w in words),
            max(w[2] for w in words),
            max(w[3] for w in words),
        )
        text = "".join(w[4] for w in words)
        try:
            guess = detect(text)
            lang = {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}.get(guess, guess)
        except LangDetectException:
            lang = "und"
        found.append((box, text, lang, 0))
    return found, time.perf_counter() - start


def _inside(found_box: tuple[int, ...], box: tuple[int, ...], grow: int = 8) -> bool:
    cx, cy = (found_box[0] + found_box[2]) / 2, (found_box[1] + found_box[3]) / 2
    return box[0] - grow <= cx <= box[2] + grow and box[1] - grow <= cy <= box[3] + grow


def _same_forms(text: str) -> bool:
    return wildsheets.traditional(text) == text and _simplified(text) == text


def _simplified(text: str) -> str:
    return str(wildsheets._opencc("t2s").convert(text))  # type: ignore[attr-defined]


def sheet_language(said: list[str]) -> str:
    """The language most notes were read in (as the truth counts them:
    zh-Hans and zh-Hant apart); a `zh` note, whose characters leave the
    script open, counts for the script the sheet's other Chinese notes
    mostly have, or stays `zh`."""
    scripts = Counter(s for s in said if s in ("zh-Hans", "zh-Hant"))
    script = scripts.most_common(1)[0][0] if scripts else "zh"
    votes = Counter(script if s == "zh" else s for s in said)
    return max(sorted(votes), key=lambda s: votes[s]) if votes else "und"


class Tally:
    def __init__(self) -> None:
        self.errors: Counter[str] = Counter()
        self.letters: Counter[str] = Counter()
        self.notes = self.found = 0
        self.sheets = self.sheets_right = 0
        self.pairs_true = self.pairs_said = self.pairs_right = 0
        self.seconds = 0.0

    def add(self, sheet: wildsheets.Sheet, found: Found, seconds: float) -> None:
        self.seconds += seconds
        hits_of = {}
        for i, note in enumerate(sheet.notes):
            hits = sorted(
                (f for f in found if _inside(f[0], note.box)),
                key=lambda f: f[0][1] if note.vertical else f[0][0],
            )
            hits_of[i] = hits
            want = letters(note.text)
            got = letters("".join(h[1] for h in hits))
            self.errors[note.lang] += min(len(want), lev(want, got)) if hits else len(want)
            self.letters[note.lang] += len(want)
            self.notes += 1
            self.found += bool(hits)
        # the sheet's language, as an analyst would read it off the notes
        said = [f[2] for f in found if not (f[3] and f[2] == "ko") and not f[2].startswith("und")]
        if sheet.language:
            self.sheets += 1
            answer = sheet_language(said)
            main = [n for n in sheet.notes if n.lang == sheet.language]
            ambiguous = sheet.language.startswith("zh") and all(_same_forms(n.text) for n in main)
            self.sheets_right += answer == sheet.language or (ambiguous and answer.startswith("zh"))
        # pairs: a truth pair is found when its two notes' hits share a pair number
        truth_pairs = {n.pair for n in sheet.notes if n.pair}
        self.pairs_true += len(truth_pairs)
        said_pairs = {f[3] for f in found if f[3]}
        self.pairs_said += len(said_pairs)
        for pid in truth_pairs:
            a, b = (i for i, n in enumerate(sheet.notes) if n.pair == pid)
            shared = {h[3] for h in hits_of[a] if h[3]} & {h[3] for h in hits_of[b] if h[3]}
            self.pairs_right += bool(shared)

    def line(self, label: str) -> str:
        total = sum(self.letters.values())
        per = "  ".join(
            f"{lang} {self.errors[lang] / self.letters[lang]:.3f}"
            for lang in ("ko", "zh-Hans", "zh-Hant", "ja", "en")
            if self.letters[lang]
        )
        pairs = ""
        if self.pairs_true:
            precision = self.pairs_right / self.pairs_said if self.pairs_said else 0.0
            pairs = f"  pairs P {precision:.2f} R {self.pairs_right / self.pairs_true:.2f}"
        return (
            f"{label:26s} CER {sum(self.errors.values()) / max(total, 1):.3f} ({per})  "
            f"found {self.found / max(self.notes, 1):.3f}  sheet language "
            f"{self.sheets_right / max(self.sheets, 1):.3f}{pairs}  "
            f"{self.seconds / max(self.sheets, 1):.2f} s/sheet"
        )


def _job(args: tuple[str, int, str, bool]) -> tuple[str, wildsheets.Sheet, Found, float]:
    reader, seed, split, natural = args
    wildsheets.NATURAL = natural
    sheet = wildsheets.draw(seed, split)
    readers = {
        "forensics": ours,
        "forensics+printed": functools.partial(ours, printed=True),
        "ppocr": ppocr_plain,
        "tesseract": plain,
    }
    found, seconds = readers[reader](sheet.data)
    return reader, sheet, found, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--sheets", type=int, default=60, help="sheets per split")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--readers",
        default="forensics,ppocr,tesseract",
        help="of forensics, forensics+printed (regions read as printed black kept), ppocr, "
        "tesseract",
    )
    ap.add_argument(
        "--natural",
        action="store_true",
        help="pairs are natural Korean translations (bench/natural_pairs.py), not readings",
    )
    ap.add_argument("--splits", default="tune,held-out")
    args = ap.parse_args()
    wildsheets.NATURAL = args.natural
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    readers = args.readers.split(",")
    print(
        f"generalization set, seed {args.seed}, {args.sheets} sheets per split, "
        f"{args.jobs} processes (s/sheet is per process)"
    )
    for split in args.splits.split(","):
        fonts = sorted(
            {f.family for f in wildsheets.fonts() if wildsheets.split_of(f.family) == split}
        )
        print(f"\n{split} fonts ({len(fonts)}): {', '.join(fonts)}")
        jobs = [
            (r, args.seed * 100_003 + i, split, args.natural)
            for r in readers
            for i in range(args.sheets)
        ]
        tallies = {r: Tally() for r in readers}
        with ProcessPoolExecutor(args.jobs) as pool:
            for reader, sheet, found, seconds in pool.map(_job, jobs, chunksize=2):
                tallies[reader].add(sheet, found, seconds)
        for r in readers:
            print(tallies[r].line(f"{split} / {r}"))


if __name__ == "__main__":
    main()
