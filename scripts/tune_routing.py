#!/usr/bin/env python3
"""Which reader a region goes to: measure the routing of the script
classifier (`annotations/script.py`) and of the rule that settles its
doubtful calls (`reader.route`), on regions the reader cuts from sheets of
the generalization set whose truth note is known.

    .venv/bin/python scripts/tune_routing.py --split tune --seed 400000 [--sheets 200]
    .venv/bin/python scripts/tune_routing.py --split held-out --seed 11 --sheets 40

For each region whose one truth note is Korean or written in Chinese
characters (Chinese, or Japanese in kanji and kana), prints how often the
classifier alone and the rule send it to the wrong reader, and the CER of
the reading each gives. The rule's constants were chosen on the tuning
split (seeds 400000 on, which nothing else uses); the held-out split is
the report.
"""

from __future__ import annotations

import argparse
import io
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import wildsheets  # noqa: E402
from annotations import letters, lev  # noqa: E402  (bench/annotations.py)

Row = tuple[str, str, float, str, float, str, float]


def _regions(job: tuple[int, str]) -> list[Row]:
    """(truth lang, truth text, P(hangul), PP-OCR text, its confidence,
    Hangul text, its confidence) per matched region."""
    from forensics.annotations import reader
    from forensics.annotations.detect import detect
    from forensics.annotations.hangul import hangul_read
    from forensics.annotations.ink import load_palette
    from forensics.annotations.recognise import ppocr_run
    from forensics.annotations.script import script_probabilities

    seed, split = job
    palette = load_palette()
    by = {i.name: i for i in palette}
    sheet = wildsheets.draw(seed, split)
    rgb = np.asarray(Image.open(io.BytesIO(sheet.data)).convert("RGB"))
    out = []
    for region in detect(rgb):
        x0, y0, x1, y1 = region.box
        inside = [
            n
            for n in sheet.notes
            if x0 - 8 <= (n.box[0] + n.box[2]) / 2 <= x1 + 8
            and y0 - 8 <= (n.box[1] + n.box[3]) / 2 <= y1 + 8
        ]
        if len(inside) != 1 or inside[0].lang not in ("ko", "zh-Hans", "zh-Hant", "ja"):
            continue
        note = inside[0]
        ink = reader.region_ink(rgb, region, palette)
        vertical = reader.is_column(region)
        plain, alone = reader.images(rgb, region, vertical, by.get(ink))
        reading, features = ppocr_run(plain)
        p = script_probabilities(alone)["hangul"]
        ko_text, ko_conf = hangul_read(features)
        out.append((note.lang, note.text, p, reading.text, reading.confidence, ko_text, ko_conf))
    return out


def cer(pairs: list[tuple[str, str]]) -> float:
    errors = sum(min(len(letters(t)), lev(letters(t), letters(g))) for t, g in pairs)
    return errors / max(1, sum(len(letters(t)) for t, _ in pairs))


def report(rows: list[Row]) -> None:
    from forensics.annotations.reader import route

    rows = [(*r, route(r[2], r[3], r[4], r[5], r[6])) for r in rows]  # type: ignore[misc]
    korean = [r for r in rows if r[0] == "ko"]
    chinese = [r for r in rows if r[0] != "ko"]
    for label, subset, want in (
        ("Korean", korean, "hangul"),
        ("Chinese characters", chinese, "han"),
    ):
        by_classifier = sum((r[2] >= 0.5) != (want == "hangul") for r in subset)
        by_rule = sum(r[7] != want for r in subset)
        said_classifier = [(r[1], r[5] if r[2] >= 0.5 else r[3]) for r in subset]
        said_rule = [(r[1], r[5] if r[7] == "hangul" else r[3]) for r in subset]
        print(
            f"{label:20s} {len(subset):5d} regions: wrong reader {by_classifier} by the "
            f"classifier, {by_rule} by the rule; "
            f"CER {cer(said_classifier):.3f} -> {cer(said_rule):.3f}"
        )
        for r in subset:
            if r[7] != want:
                print(f"    {r[1]!r} p={r[2]:.2f} han={r[3]!r} {r[4]:.2f} ko={r[5]!r} {r[6]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--split", default="tune")
    ap.add_argument("--seed", type=int, default=400_000)
    ap.add_argument("--sheets", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", help="keep the regions' readings here (a pickle)")
    args = ap.parse_args()
    cache = Path(args.cache) if args.cache else None
    if cache and cache.exists():
        rows = pickle.loads(cache.read_bytes())
    else:
        seeds = [args.seed * (100_003 if args.seed < 1000 else 1) + i for i in range(args.sheets)]
        with ProcessPoolExecutor(args.jobs) as pool:
            rows = [r for rs in pool.map(_regions, [(s, args.split) for s in seeds]) for r in rs]
        if cache:
            cache.write_bytes(pickle.dumps(rows))
    report(rows)


if __name__ == "__main__":
    main()
