"""How likely a run of Chinese characters is as Japanese, Simplified or
Traditional Chinese: character and character-pair statistics of lexicons
shipped in packages (wordfreq's Japanese list, jieba's dictionary and its
OpenCC Traditional forms), built by `scripts/build_han_model.py` into
`models/han.tsv.gz` (about 0.5 MB).

The national character sets (`language.han_langs`) decide when they can:
a character only one language writes. This model decides the rest, the
text whose every character all three languages write (時間, 中国, 問題):
which language uses those characters, and those pairs of characters, more.
A smoothed bigram model: P(b | a) mixes the pair's weight with the
character's own probability (a Dirichlet prior of `PAIR_PRIOR`), and a
character a language's lexicon never holds gets `UNSEEN` of a share.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import itertools
import math

LANGS = ("ja", "zh-Hans", "zh-Hant")
# in units of the lightest character's weight in the language's lexicon
# (the weights' scale is the builder's choice):
UNSEEN = 0.5  # weight of a character a lexicon lacks
PAIR_PRIOR = (
    65536.0  # how much a pair leans on its second character's own probability (dev quarter)
)
VOCABULARY = 30000  # characters assumed possible, for the unseen share


@functools.cache
def _tables() -> dict[str, tuple[dict[str, float], dict[str, float], float, float]]:
    uni: dict[str, dict[str, float]] = {lang: {} for lang in LANGS}
    bi: dict[str, dict[str, float]] = {lang: {} for lang in LANGS}
    data = importlib.resources.files("forensics").joinpath("models/han.tsv.gz").read_bytes()
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        lang, gram, weight = line.split("\t")
        (uni if len(gram) == 1 else bi)[lang][gram] = float(weight)
    out = {}
    for lang in LANGS:
        unit = min(uni[lang].values())
        out[lang] = (
            uni[lang],
            bi[lang],
            sum(uni[lang].values()) + UNSEEN * unit * VOCABULARY,
            unit,
        )
    return out


def log_likelihood(text: str, lang: str) -> float:
    uni, bi, total, unit = _tables()[lang]
    prior = PAIR_PRIOR * unit

    def p(ch: str) -> float:
        return (uni.get(ch, 0.0) + UNSEEN * unit) / total

    score = math.log(p(text[0]))
    for a, b in itertools.pairwise(text):
        pair = bi.get(a + b, 0.0)
        score += math.log((pair + prior * p(b)) / (uni.get(a, 0.0) + prior))
    return score


def han_scores(han: str, langs: tuple[str, ...] = LANGS) -> dict[str, float]:
    """Each language's probability for a run of Chinese characters, among
    `langs` (equal priors), from the bigram model."""
    if not han:
        return {lang: 1 / len(langs) for lang in langs}
    logs = {lang: log_likelihood(han, lang) for lang in langs}
    top = max(logs.values())
    exp = {lang: math.exp(v - top) for lang, v in logs.items()}
    total = sum(exp.values())
    return {lang: v / total for lang, v in exp.items()}
