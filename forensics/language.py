"""The language of a note, even of two characters.

langdetect alone is not fit for short CJK notes: its Korean profile is full
of Chinese characters, so short Chinese comes out Korean, and its answers
change between runs unless seeded. So the decision goes by what the text is
written in first:

1. Hangul means Korean; kana means Japanese (by majority when mixed).
2. Text in Chinese characters only is told apart by the characters
   themselves. The national character sets are strong evidence: a
   character in GB 2312 but not in Big5 is a Simplified form (图, 这, 们),
   one in Big5 but not GB 2312 a Traditional form (圖, 這, 們), one in
   JIS X 0208 but in neither a Japanese form (図, 絵, 髪, 込, 働). Where
   every character is shared (時間, 中国, 問題), character and pair
   statistics of lexicons shipped in packages decide (`hanmodel`); text
   whose characters are the same in both Chinese scripts is `zh`.
3. Latin and other scripts go to langdetect, seeded, among a fixed set of
   languages; plain ASCII shorter than 12 letters, where letter statistics
   mean nothing, is taken as English (the lingua franca of these notes).

Deterministic, never raises; empty or symbol-only text is `und`.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

SCRIPTS = ("Hangul", "Kana", "Han", "Latin", "Cyrillic", "Other")

# log-odds against a language for each character its national character
# set lacks: strong evidence, but not proof (OpenCC's forms and the sets
# disagree on a few characters, and a misread character must not decide)
CHARSET_PENALTY = 4.0
# Simplified against Traditional: nearer than this in log-likelihood, the
# characters do not decide and the answer is `zh`
SCRIPT_MARGIN = 1.0
SHORT_LATIN = 12  # fewer ASCII letters than this: no statistics, English
# langdetect's answers are kept to these (others are folded into "und").
LATIN_LANGS = ("en", "fr", "de", "es", "it", "pt", "nl", "id", "vi", "tl", "pl", "sv", "ru")
CYRILLIC_LANGS = ("ru", "uk", "bg", "mk", "sr")


@dataclass(frozen=True)
class LanguageGuess:
    """A BCP 47 tag (ko, zh-Hans, zh-Hant, ja, en, ..., und), how sure, and
    the count of letters of each script that the decision saw."""

    lang: str
    confidence: float
    scripts: tuple[tuple[str, int], ...] = ()


def script_of(ch: str) -> str | None:
    """The script of one character, or None for digits, spaces and symbols."""
    o = ord(ch)
    if (
        0xAC00 <= o <= 0xD7A3
        or 0x1100 <= o <= 0x11FF
        or 0x3130 <= o <= 0x318F
        or 0xA960 <= o <= 0xA97F
        or 0xD7B0 <= o <= 0xD7FF
    ):
        return "Hangul"
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9D:
        return "Kana"
    if (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
        or o == 0x3005
    ):
        return "Han"
    if ch.isalpha():
        if o < 0x250 or 0x1E00 <= o <= 0x1EFF:
            return "Latin"
        if 0x400 <= o <= 0x4FF:
            return "Cyrillic"
        return "Other"
    return None


@functools.lru_cache(maxsize=65536)
def han_langs(ch: str) -> frozenset[str]:
    """Which of zh-Hans, zh-Hant, ja write this character (by GB 2312, Big5
    and JIS X 0208 membership); all three when none does (rare characters)."""
    out = set()
    for lang, codec in (("zh-Hans", "gb2312"), ("zh-Hant", "big5"), ("ja", "shift_jis")):
        try:
            ch.encode(codec)
            out.add(lang)
        except UnicodeEncodeError:
            pass
    return frozenset(out) or frozenset(("zh-Hans", "zh-Hant", "ja"))


def _han_logs(han: list[str]) -> dict[str, float]:
    """Each language's log-likelihood for text in Chinese characters only:
    the character statistics of package lexicons (`hanmodel`), with each
    character a language's national set lacks counting `CHARSET_PENALTY`
    against it."""
    from .hanmodel import LANGS, log_likelihood

    text = "".join(han)
    return {
        lang: log_likelihood(text, lang)
        - CHARSET_PENALTY * sum(lang not in han_langs(ch) for ch in han)
        for lang in LANGS
    }


def _han_only(han: list[str], within: tuple[str, ...] = ()) -> tuple[str, float]:
    """Japanese, Simplified or Traditional Chinese (among `within`, if
    given) for text in Chinese characters only, and its probability among
    all three. When Simplified and Traditional come within `SCRIPT_MARGIN`
    (the characters are the same in both) the answer is `zh`, the script
    left open."""
    logs = _han_logs(han)
    top = max(logs.values())
    weights = {lang: math.exp(v - top) for lang, v in logs.items()}
    total = sum(weights.values())
    best = max((lang for lang in logs if not within or lang in within), key=lambda k: logs[k])
    if best == "ja":
        return "ja", round(weights["ja"] / total, 3)
    if abs(logs["zh-Hans"] - logs["zh-Hant"]) < SCRIPT_MARGIN:
        return "zh", round((weights["zh-Hans"] + weights["zh-Hant"]) / total, 3)
    return best, round(weights[best] / total, 3)


def _latin(text: str, cyrillic: bool = False) -> tuple[str, float]:
    """An alphabetic text's language among those its script writes; when
    the letters do not decide, `und` with the script's subtag (und-Latn,
    und-Cyrl): the script is still evidence."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # langdetect is random unless seeded
    allowed, fallback = (CYRILLIC_LANGS, "und-Cyrl") if cyrillic else (LATIN_LANGS, "und-Latn")
    try:
        probabilities = detect_langs(text)
    except LangDetectException:
        return fallback, 0.0
    for item in probabilities:
        if item.lang in allowed:
            return item.lang, round(float(item.prob), 3)
    return fallback, 0.0


def han_only_in(text: str, family: str) -> LanguageGuess | None:
    """For text in Chinese characters only, its best reading within one
    family (`zh`: Simplified, Traditional or either; `ja`), as when the
    other notes of the same file are sure of theirs; None for other text."""
    han = [ch for ch in text if script_of(ch) == "Han"]
    if not han or any(script_of(ch) not in (None, "Han") for ch in text):
        return None
    within = ("zh-Hans", "zh-Hant") if family == "zh" else ("ja",)
    lang, conf = _han_only(han, within)
    return LanguageGuess(lang, conf, (("Han", len(han)),))


def detect_language(text: str | None) -> LanguageGuess:
    """BCP 47 language of a short text; deterministic, never raises."""
    try:
        return _detect(text or "")
    except Exception:  # a note is evidence: a bad guess must not lose it
        return LanguageGuess("und", 0.0)


def _detect(text: str) -> LanguageGuess:
    counts: dict[str, int] = {}
    han: list[str] = []
    for ch in text:
        script = script_of(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
            if script == "Han":
                han.append(ch)
    scripts = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    if not counts:
        return LanguageGuess("und", 0.0, scripts)
    hangul, kana, n_han = counts.get("Hangul", 0), counts.get("Kana", 0), len(han)
    cjk = hangul + kana + n_han
    if cjk:
        if hangul and hangul >= kana and (hangul * 2 >= n_han or not n_han):
            return LanguageGuess("ko", round(min(0.99, 0.7 + 0.1 * hangul), 3), scripts)
        if kana and (kana >= hangul):
            return LanguageGuess("ja", round(min(0.99, 0.7 + 0.1 * (kana + n_han)), 3), scripts)
        if n_han:
            lang, conf = _han_only(han)
            return LanguageGuess(lang, conf, scripts)
    latin = counts.get("Latin", 0)
    tokens = text.split()
    if text.isascii() and 2 * sum(bool(re.search(r"[\d_]", t)) for t in tokens) >= len(tokens):
        # codes and file names, not words: KMR S01 EP12 C156, cut_012_v3
        return LanguageGuess("und", 0.0, scripts)
    if 2 <= latin < SHORT_LATIN and text.isascii():
        # Too short for letter statistics: in production notes, plain ASCII
        # words this short are English (LO, BG, OK, "fix", "retake").
        return LanguageGuess("en", 0.5, scripts)
    if latin + counts.get("Cyrillic", 0) >= 2:
        cyrillic = counts.get("Cyrillic", 0) > latin
        lang, conf = _latin(re.sub(r"[\d_]+", " ", text), cyrillic)
        return LanguageGuess(lang, conf, scripts)
    return LanguageGuess("und", 0.0, scripts)
