"""Evidence of translation that does not depend on shared readings: the
concepts of the production's correction vocabulary (`vocabulary.toml`)
that a Chinese note and a Korean note both name.

A translator for a Korean studio mostly writes native Korean: 手臂缩短 is
팔 길이 줄이기, not 수비축단, and the Sino-Korean readings (`pairing.py`)
find nothing. Each concept the Chinese note names and the Korean note
names too is evidence; `lexicon_score` is the share of the Chinese note's
concepts found in the Korean, each weighted by how specific its matched
terms are (a one-character term such as 大 or 보 is found by chance far
more often than 手臂 or 그림자).

No package ships a Chinese-Korean dictionary under a licence we can use
(CC-CEDICT gives Chinese-English; no Korean-English lexicon is packaged on
PyPI), so the vocabulary is our own, written from production practice.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from ..hanconvert import convert

# the weight of a concept matched only through one-character (Chinese) or
# one-syllable (Korean) terms, against 1 for longer ones
SHORT_WEIGHT = 0.5


@functools.cache
def _vocabulary() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    data = tomllib.loads(
        resources.files("forensics.annotations").joinpath("vocabulary.toml").read_text("utf-8")
    )
    return tuple(
        (name, tuple(c["zh"]), tuple(c["ko"])) for name, c in sorted(data["concepts"].items())
    )


def _found(text: str, terms: tuple[str, ...]) -> int:
    """The length of the longest term found in the text (0: none)."""
    return max((len(t) for t in terms if t in text), default=0)


def _concepts(text: str, side: int) -> dict[str, float]:
    """The concepts a text names through the terms of one side (1: the
    Chinese, 2: the Korean), each with its weight."""
    out = {}
    for concept in _vocabulary():
        n = _found(text, concept[side])  # type: ignore[arg-type]
        if n:
            out[concept[0]] = 1.0 if n > 1 else SHORT_WEIGHT
    return out


@functools.lru_cache(maxsize=1 << 14)
def chinese_concepts(text: str) -> dict[str, float]:
    """The concepts a Chinese note names (in either script), each with its weight."""
    return _concepts(convert(text, "t2s"), 1)


@functools.lru_cache(maxsize=1 << 14)
def korean_concepts(text: str) -> dict[str, float]:
    """The concepts a Korean note names, each with its weight."""
    return _concepts(text, 2)


def lexicon_score(chinese: str, korean: str) -> float:
    """Share of the Chinese note's concepts (by weight) that the Korean
    note names too, each counted at the lesser of its two weights."""
    zh = chinese_concepts(chinese)
    if not zh:
        return 0.0
    ko = korean_concepts(korean)
    shared = sum(min(w, ko[name]) for name, w in zh.items() if name in ko)
    return shared / sum(zh.values())
