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
# Japanese against Chinese for text in Chinese characters only (natural
# log odds; chosen on the tuning half of wordfreq's Japanese and jieba's
# words, bench/RESULTS.md): the prior for Chinese, and the band around
# even within which the answer is `und-Hani`, for the context to decide.
# A single character is one frequency against another, weak evidence:
# Chinese unless it says otherwise (分, 位 are Chinese notes far more often)
ZH_PRIOR = 0.0
ZH_PRIOR_SINGLE = 4.0
FAMILY_MARGIN = 2.0
AMBIGUOUS_HAN = "und-Hani"
# English against other Latin-script languages (natural log odds): a
# production's Latin notes are English unless their words say otherwise
EN_PRIOR = 3.0
LATIN_WORDS = 6  # up to this many words, word lists decide; beyond, langdetect
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


def _hans_hant_logs(han: list[str]) -> dict[str, float]:
    """Simplified and Traditional Chinese log-likelihoods for text in
    Chinese characters only: the character statistics of jieba's lexicon
    and its OpenCC forms (`hanmodel`), with each character a script's
    national set lacks counting `CHARSET_PENALTY` against it."""
    from .hanmodel import LANGS, log_likelihood

    text = "".join(han)
    return {
        lang: log_likelihood(text, lang)
        - CHARSET_PENALTY * sum(lang not in han_langs(ch) for ch in han)
        for lang in LANGS
    }


def japanese_log_odds(han: list[str]) -> float:
    """Log odds of Japanese against Chinese for text in Chinese characters
    only: the words of wordfreq's lists (`wordmodel`), the national sets
    (a character JIS X 0208 lacks counts `CHARSET_PENALTY` against
    Japanese; one the Chinese script of the rest lacks, against Chinese), and
    `ZH_PRIOR`: these notes are Chinese instructions far more often than
    Japanese written without a single kana."""
    from .wordmodel import japanese_log_odds as word_odds

    odds = word_odds("".join(han)) - (ZH_PRIOR_SINGLE if len(han) == 1 else ZH_PRIOR)
    sets = [han_langs(ch) for ch in han]
    odds -= CHARSET_PENALTY * sum("ja" not in langs for langs in sets)
    # Chinese text is written in one script: 動画 mixes a form only
    # Traditional writes with one only Simplified does
    odds += CHARSET_PENALTY * min(
        sum(script not in langs for langs in sets) for script in ("zh-Hans", "zh-Hant")
    )
    return odds


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


def _chinese_script(han: list[str]) -> tuple[str, float]:
    """Simplified or Traditional; `zh` (script left open) when they come
    within `SCRIPT_MARGIN` (the characters are the same in both)."""
    logs = _hans_hant_logs(han)
    diff = logs["zh-Hans"] - logs["zh-Hant"]
    if abs(diff) < SCRIPT_MARGIN:
        return "zh", 1.0
    return ("zh-Hans" if diff > 0 else "zh-Hant"), _sigmoid(abs(diff))


def _han_only(han: list[str], within: tuple[str, ...] = ()) -> tuple[str, float]:
    """Japanese, Simplified or Traditional Chinese (among `within`, if
    given) for text in Chinese characters only, and how sure. Where
    Japanese and Chinese come within `FAMILY_MARGIN` the answer is
    `und-Hani` (Chinese characters, language open), for the file's other
    notes to decide (`annotations/context.py`)."""
    if within == ("ja",):
        return "ja", round(_sigmoid(japanese_log_odds(han)), 3)
    if within:
        lang, conf = _chinese_script(han)
        return lang, round(conf * _sigmoid(-japanese_log_odds(han)), 3)
    odds = japanese_log_odds(han)
    p_ja = _sigmoid(odds)
    if odds > FAMILY_MARGIN:
        return "ja", round(p_ja, 3)
    if odds >= -FAMILY_MARGIN:
        return AMBIGUOUS_HAN, round(max(p_ja, 1 - p_ja), 3)
    lang, conf = _chinese_script(han)
    return lang, round(conf * (1 - p_ja), 3)


def _words_language(words: list[str]) -> tuple[str, float] | None:
    """A few Latin-script words' language by wordfreq's word lists
    (`wordmodel`), English favoured by `EN_PRIOR`; None when no list
    knows any of the words."""
    from .wordmodel import UNKNOWN, latin_scores

    scores = latin_scores(words)
    if not scores or max(scores.values()) <= UNKNOWN * len(words):
        return None
    if "en" in scores:
        scores["en"] += EN_PRIOR
    top = max(scores.values())
    total = sum(math.exp(v - top) for v in scores.values())
    best = max(scores, key=lambda k: (scores[k], k == "en"))
    return best, round(1.0 / total, 3)


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
    return _detect_once(text or "")


# A dump repeats its texts (a folder's words on every file below it, the
# same header on every sheet): each is decided once per process, which the
# answer being a function of the text alone allows.
@functools.lru_cache(maxsize=1 << 16)
def _detect_once(text: str) -> LanguageGuess:
    try:
        return _detect(text)
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
    words = re.findall(r"[^\W\d_]{2,}", text)
    if latin >= 2 and latin >= counts.get("Cyrillic", 0) and 2 <= len(words) <= LATIN_WORDS:
        by_words = _words_language(words)
        if by_words is not None:
            return LanguageGuess(*by_words, scripts)
    if 2 <= latin < SHORT_LATIN and text.isascii():
        # Too short for letter statistics: in production notes, plain ASCII
        # words this short are English (LO, BG, OK, "fix", "retake").
        return LanguageGuess("en", 0.5, scripts)
    if latin + counts.get("Cyrillic", 0) >= 2:
        cyrillic = counts.get("Cyrillic", 0) > latin
        lang, conf = _latin(re.sub(r"[\d_]+", " ", text), cyrillic)
        return LanguageGuess(lang, conf, scripts)
    return LanguageGuess("und", 0.0, scripts)
