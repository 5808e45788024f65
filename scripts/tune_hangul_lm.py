#!/usr/bin/env python3
"""Choose the Hangul reader's beam search settings (`params.LM`) on
tuning fonts only: the Korean regions the reader cuts from tuning-font
sheets of the generalization set (`bench/wildsheets.py`, seeds 300000
on, which nothing else uses), read greedily and with the letter model at
each weight and bonus of a grid.

    .venv/bin/python scripts/tune_hangul_lm.py [--sheets 80] [--cache /tmp/hangul-lm.pickle]

Prints the CER (as `bench/annotations.py` counts it) of each setting.
With `--unseen`, the letter model is built without half of wordfreq's
Korean words (those whose SHA-256 starts with an odd byte), so that about
half of the sheets' wordfreq words are words it never saw.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from annotations import letters, lev  # noqa: E402  (bench/annotations.py)


def regions(seed: int) -> list[tuple[object, str]]:
    from train_hangul_reader import _sheet_job

    from forensics.annotations.hangul import letter_probabilities

    return [(letter_probabilities(f.astype("float32")), t) for f, t, _ in _sheet_job(seed)]


def cer(pairs: list[tuple[str, str]]) -> float:
    errors = sum(min(len(letters(t)), lev(letters(t), letters(g))) for t, g in pairs)
    return errors / max(1, sum(len(letters(t)) for t, _ in pairs))


def held_out(word: str) -> bool:
    return hashlib.sha256(word.encode()).digest()[0] % 2 == 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sheets", type=int, default=80)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", default="/tmp/hangul-lm.pickle")
    ap.add_argument("--unseen", action="store_true")
    ap.add_argument("--weights", default="0,0.2,0.35,0.5,0.75,1.0")
    ap.add_argument("--bonuses", default="0,0.5,1.0,1.5,2.0")
    args = ap.parse_args()
    from forensics.annotations import hangul, hangul_lm

    cache = Path(args.cache)
    start = time.monotonic()
    if cache.exists():
        data = pickle.loads(cache.read_bytes())
    else:
        with ProcessPoolExecutor(args.jobs) as pool:
            seeds = range(300_000, 300_000 + args.sheets)
            data = [r for rs in pool.map(regions, seeds) for r in rs]
        cache.write_bytes(pickle.dumps(data))
    print(f"{len(data)} Korean regions ({time.monotonic() - start:.0f} s)", flush=True)
    if args.unseen:
        hangul_lm.restrict(lambda w: not held_out(w))
    greedy = cer([(t, hangul.decode(p, 0.0)[0]) for p, t in data])
    print(f"greedy: CER {greedy:.4f}", flush=True)
    import dataclasses

    from forensics.annotations import params

    for bonus in map(float, args.bonuses.split(",")):
        for weight in map(float, args.weights.split(",")):
            if not weight:
                continue
            hangul_lm.LM = dataclasses.replace(params.LM, bonus=bonus)  # type: ignore[misc]
            t0 = time.monotonic()
            said = [(t, hangul.decode(p, weight)[0]) for p, t in data]
            print(
                f"weight {weight:.2f} bonus {bonus:.1f}: CER {cer(said):.4f} "
                f"({(time.monotonic() - t0) / len(data) * 1000:.1f} ms a line)",
                flush=True,
            )


if __name__ == "__main__":
    main()
