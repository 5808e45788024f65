"""Word statistics of wordfreq's lists, built from the installed package
at first use: how likely a short text is as words of one language.

Two questions the letters alone cannot answer go here:

- **Japanese written in kanji only, or Chinese?** (時間, 写真家, 手臂).
  The text is cut into words of each language's list (the best
  segmentation, by the words' frequencies: a Viterbi over substrings of
  up to `MAX_WORD` characters); the language whose words explain it
  better wins. Chinese is looked up in Simplified form (wordfreq's
  Chinese list is Simplified; OpenCC turns Traditional text over first).
- **Which language are a few Latin words?** (`political party`): each
  language's words by their frequency, English favoured by `EN_PRIOR`.

wordfreq's data is CC BY-SA 4.0, so nothing derived from it is committed:
the tables are made from the package at first use (about half a second),
never written beside the project; the user's cache folder keeps them for
the next process (`usercache`). `restrict(keep)` builds them
from part of each list only, so that a benchmark can measure on words the
tables never held (`bench/language_wild.py`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable

from .usercache import kept_table

MAX_WORD = 6  # characters: longer list entries are compounds of shorter ones
UNKNOWN = math.log(1e-8)  # a character that is no word of the list, alone
HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]+$")
# the Latin-script languages a production's notes are told among by their
# words (others, and longer texts, go to langdetect: language.py)
LATIN_LANGS = ("en", "fr", "de", "es", "it", "pt", "nl")
# words rarer than this (a Zipf value of 2) are left out: 190,000 of
# wordfreq's Chinese words, which decided next to nothing
MIN_FREQUENCY = 1e-7

_keep: Callable[[str], bool] | None = None


def restrict(keep: Callable[[str], bool] | None) -> None:
    """Build the tables from the words `keep` accepts only (None: all).
    For benchmarks that measure on words the tables never saw."""
    global _keep
    _keep = keep
    _han_words.cache_clear()
    _latin_words.cache_clear()


@functools.cache
def _han_words(lang: str) -> dict[str, float]:
    """Log frequency of each word of the list written in Chinese
    characters only, up to `MAX_WORD` long. The whole table is kept in the
    user's cache folder (`usercache`; 0.5 s to build, 0.1 s to load), named
    by wordfreq's version and this module's cut-offs."""
    return _kept(f"han-{lang}-{MAX_WORD}-{MIN_FREQUENCY:g}", lambda: _build_han_words(lang))


def _kept(label: str, build: Callable[[], dict[str, float]]) -> dict[str, float]:
    """`build()`'s table, kept in the user's cache named by wordfreq's
    version and `label`; built each time while `restrict` narrows the words."""
    if _keep is not None:
        return build()
    from importlib.metadata import version

    return kept_table(f"wordfreq-{version('wordfreq')}-{label}", build)


def _build_han_words(lang: str) -> dict[str, float]:
    out = {}
    for word, freq in _frequencies(lang, "large").items():
        # single characters are the inventory, kept whatever `keep` says
        if (
            freq >= MIN_FREQUENCY
            and len(word) <= MAX_WORD
            and HAN.match(word)
            and (len(word) == 1 or _keep is None or _keep(word))
        ):
            out[word] = math.log(freq)
    return out


def _frequencies(lang: str, wordlist: str) -> dict[str, float]:
    """wordfreq's list as a dict, without wordfreq keeping its own copy
    (it caches every list it reads for the life of the process: 100 MB
    and more in a worker that has a memory cap)."""
    import wordfreq

    try:
        return dict(wordfreq.get_frequency_dict(lang, wordlist=wordlist))
    finally:
        for cached in (wordfreq.get_frequency_dict, wordfreq.get_frequency_list):
            clear = getattr(cached, "cache_clear", None)
            if clear is not None:
                clear()


def segment_score(text: str, lang: str) -> float:
    """Log probability of the best cutting of a run of Chinese characters
    into words of `lang`'s list (`ja` or `zh`); a character that begins no
    word counts `UNKNOWN`."""
    words = _han_words(lang)
    if lang == "zh":
        from .hanconvert import convert

        text = convert(text, "t2s")
    best = [0.0] + [-math.inf] * len(text)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - MAX_WORD), end):
            if best[start] == -math.inf:
                continue
            w = words.get(text[start:end])
            if w is None:
                if end - start > 1:
                    continue
                w = UNKNOWN
            best[end] = max(best[end], best[start] + w)
    return best[-1]


def japanese_log_odds(text: str) -> float:
    """Log odds of Japanese against Chinese for a run of Chinese
    characters, from the words of each list (no prior)."""
    return segment_score(text, "ja") - segment_score(text, "zh")


@functools.cache
def _latin_words(lang: str) -> dict[str, float]:
    """Log frequency of each word of the small list; kept in the user's
    cache folder like the Chinese characters' (seven lists: 0.17 s to
    build in every worker, a third of that to load)."""
    return _kept(f"small-{lang}-{MIN_FREQUENCY:g}", lambda: _build_latin_words(lang))


def _build_latin_words(lang: str) -> dict[str, float]:
    return {
        w: math.log(f)
        for w, f in _frequencies(lang, "small").items()
        if f >= MIN_FREQUENCY and (_keep is None or _keep(w))
    }


def latin_scores(words: list[str]) -> dict[str, float]:
    """Log probability of the words in each of `LATIN_LANGS`; an unknown
    word counts `UNKNOWN`."""
    out = {}
    for lang in LATIN_LANGS:
        table = _latin_words(lang)
        out[lang] = sum(table.get(w.lower(), UNKNOWN) for w in words)
    return out


def korean_words() -> dict[str, float]:
    """wordfreq's Korean words written in Hangul syllables only, with their
    frequencies (the Hangul reader's letter model, `annotations/hangul_lm`)."""
    return {
        w: f
        for w, f in _frequencies("ko", "small").items()
        if f >= MIN_FREQUENCY and all("\uac00" <= c <= "\ud7a3" for c in w)
    }
