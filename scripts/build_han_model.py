#!/usr/bin/env python3
"""Build the character statistics that tell Simplified from Traditional
Chinese where the characters are shared (`forensics/hanmodel.py`), and
write them to forensics/models/han.tsv.gz. (Japanese against Chinese is
`forensics/wordmodel.py`, from wordfreq's lists at first use: wordfreq's
data is CC BY-SA, so no table derived from it is committed.)

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python scripts/build_han_model.py

Sources are lexicons shipped in packages, never our own lists: jieba's
dictionary (Simplified Chinese, MIT) and the same words through OpenCC
(Traditional).
Characters count by their words' frequency, pairs by its logarithm
(`weights`). Only half
of each lexicon is used: the words whose SHA-256 starts with an even
byte (`tuning_half`). `bench/language_wild.py` reports on the other half,
which these statistics never saw. The constants of `hanmodel` and
`language` were chosen on a development quarter (`--dev` builds from the
rest of the tuning half into /tmp/han-dev.tsv.gz): judged on the words
they were built from, the statistics look far better than they are, as
a two-character word is its own pair.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "forensics" / "models" / "han.tsv.gz"
JIEBA_TOTAL = 60_101_967  # the sum of jieba's counts
MIN_WEIGHT = 2.0
DEV = False  # bigrams lighter than this are left out: they decide nothing


def tuning_half(word: str) -> bool:
    """The words the model is built from: SHA-256 starts with an even
    byte; with `--dev`, only those whose first byte is 2 mod 4 (the words
    at 0 mod 4 are then the development set its constants were chosen on)."""
    byte = hashlib.sha256(word.encode()).digest()[0]
    return byte % 4 == 2 if DEV else byte % 2 == 0


def han_runs(word: str) -> list[str]:
    runs, cur = [], ""
    for ch in word:
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch == "\u3005":
            cur += ch
        elif cur:
            runs.append(cur)
            cur = ""
    if cur:
        runs.append(cur)
    return runs


def weights(freq: float) -> tuple[float, float]:
    """A word's weight for the character counts and for the pair counts,
    from its frequency (per word of running text). Characters count by the
    frequency itself, as in running text, so that function characters (的,
    和, 請) weigh what they weigh in writing; pairs count by the Zipf value
    less one, so that the everyday vocabulary weighs more without a few
    words swamping the rest. Other mixes did worse on the development
    quarter (bench/RESULTS.md)."""
    return freq * 1e9, max(0.5, math.log10(freq * 1e9) - 1.0)


Weighted = list[tuple[str, tuple[float, float]]]


def jieba_words() -> Weighted:
    import jieba

    out = []
    for line in (Path(jieba.__file__).parent / "dict.txt").read_text("utf-8").splitlines():
        word, freq = [*line.split(" "), "0"][:2]
        if tuning_half(word):
            for run in han_runs(word):
                # jieba's counts are raw: log10 puts them on wordfreq's Zipf-like scale
                out.append((run, weights(max(int(freq or 0), 1) / JIEBA_TOTAL)))
    return out


def counts(words: Weighted) -> tuple[Counter[str], Counter[str]]:
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    for word, (char_weight, pair_weight) in words:
        for ch in word:
            uni[ch] += char_weight
        for a, b in itertools.pairwise(word):
            bi[a + b] += pair_weight
    return uni, bi


def main() -> None:
    import opencc

    global DEV, OUT
    DEV = "--dev" in sys.argv
    if DEV:
        OUT = Path("/tmp/han-dev.tsv.gz")

    # jieba rather than wordfreq's Chinese list: better on the tuning half
    zh = jieba_words()
    s2t = opencc.OpenCC("s2t")
    sources = {
        "zh-Hans": zh,
        "zh-Hant": [(str(s2t.convert(w)), f) for w, f in zh],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime 0: the same inputs give the same bytes
    with (
        open(OUT, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as packed,
        io.TextIOWrapper(packed, encoding="utf-8") as fh,
    ):
        fh.write("# lang\tgram\tweight (scripts/build_han_model.py)\n")
        for lang, words in sources.items():
            uni, bi = counts(words)
            for gram, w in sorted(uni.items()):
                fh.write(f"{lang}\t{gram}\t{w:.1f}\n")
            kept = 0
            for gram, w in sorted(bi.items()):
                if w >= MIN_WEIGHT:
                    fh.write(f"{lang}\t{gram}\t{w:.1f}\n")
                    kept += 1
            print(
                f"{lang}: {len(words)} words, {len(uni)} characters, {kept} bigrams",
                file=sys.stderr,
            )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
