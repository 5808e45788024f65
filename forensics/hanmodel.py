"""How likely a run of Chinese characters is as Simplified or Traditional
Chinese: character and character-pair statistics of jieba's dictionary
and its OpenCC Traditional forms, built by `scripts/build_han_model.py`
into `models/han.tsv.gz`. (Japanese against Chinese is `wordmodel`.)

The national character sets (`language.han_langs`) decide when they can:
a character only one script writes. This model decides the rest, the
text whose every character both write (中国, 時間): which script uses
those characters, and those pairs of characters, more. A smoothed bigram
model: P(b | a) mixes the pair's weight with the character's own
probability (a Dirichlet prior of `PAIR_PRIOR`), and a character a
lexicon never holds gets `UNSEEN` of a share.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import math
from pathlib import Path

from .usercache import kept_table

LANGS = ("zh-Hans", "zh-Hant")
# in units of the lightest character's weight in the language's lexicon
# (the weights' scale is the builder's choice):
UNSEEN = 0.5  # weight of a character a lexicon lacks
PAIR_PRIOR = (
    65536.0  # how much a pair leans on its second character's own probability (dev quarter)
)
VOCABULARY = 30000  # characters assumed possible, for the unseen share


@functools.cache
def _tables() -> dict[str, tuple[dict[str, float], dict[str, float], float, float]]:
    """The model's tables, kept parsed in the user's cache (`usercache`:
    0.08 s to parse in every worker, a third of that to load), named by
    the model file's size and modification time."""
    source = Path(__file__).parent / "models" / "han.tsv.gz"
    st = source.stat()
    grams = kept_table(
        f"han-model-{st.st_size}-{st.st_mtime_ns}", lambda: _parse(source.read_bytes())
    )
    uni, bi = grams["uni"], grams["bi"]
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


def _parse(data: bytes) -> dict[str, dict[str, dict[str, float]]]:
    uni: dict[str, dict[str, float]] = {lang: {} for lang in LANGS}
    bi: dict[str, dict[str, float]] = {lang: {} for lang in LANGS}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        lang, gram, weight = line.split("\t")
        (uni if len(gram) == 1 else bi)[lang][gram] = float(weight)
    return {"uni": uni, "bi": bi}


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
