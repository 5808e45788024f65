#!/usr/bin/env python3
"""The Hangul reader on our own held-out hands (`scripts/hands.py`
`MINE`: four @fontsource families never trained or tuned on), lines drawn
glyph by glyph as the training hands are, in blue ink on paper: CER read
greedily and with the letter model.

    .venv/bin/python bench/hangul_hands.py [--lines 400] [--cache /tmp/hangul]

(`--cache` is where `scripts/train_hangul_reader.py` keeps the hands'
npm packages.) The nine families the issue keeps for evaluating are not
ours to use and are never drawn here.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from annotations import letters, lev  # noqa: E402


def _line(index: int) -> tuple[object, str]:
    import train_hangul_reader as train

    return train._mine_job(index)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--lines", type=int, default=400)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", default="/tmp/hangul")
    args = ap.parse_args()
    import hands
    import train_hangul_reader as train

    from forensics.annotations.hangul import decode, letter_probabilities

    train.HANDS_CACHE = Path(args.cache) / "hands"
    for family in hands.MINE:
        hands.fetch(family, train.HANDS_CACHE)
    with ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(args.cache,)) as pool:
        lines = list(pool.map(_line, range(args.lines), chunksize=16))
    probabilities = [(letter_probabilities(f.astype("float32")), t) for f, t in lines]  # type: ignore[attr-defined]

    def cer(pairs: list[tuple[str, str]]) -> float:
        errors = sum(min(len(letters(t)), lev(letters(t), letters(g))) for t, g in pairs)
        return errors / max(1, sum(len(letters(t)) for t, _ in pairs))

    greedy = cer([(t, decode(p, 0.0)[0]) for p, t in probabilities])
    with_lm = cer([(t, decode(p)[0]) for p, t in probabilities])
    print(f"our held-out hands ({', '.join(hands.MINE)}), {len(lines)} lines:")
    print(f"  greedy CER {greedy:.3f}, with the letter model {with_lm:.3f}")


def _init(cache: str) -> None:
    import train_hangul_reader as train

    train.HANDS_CACHE = Path(cache) / "hands"


if __name__ == "__main__":
    main()
