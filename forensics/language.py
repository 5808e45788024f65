"""The language of a note, even of two characters.

langdetect alone is not fit for short CJK notes: its Korean profile is full
of Chinese characters, so short Chinese comes out Korean, and its answers
change between runs unless seeded. So the decision goes by what the text is
written in first:

1. Hangul means Korean; kana means Japanese (by majority when mixed).
2. Text in Chinese characters only is told apart by the characters
   themselves, using the national character sets as the dictionary: a
   character in GB 2312 but not in Big5 is a Simplified form (图, 这, 们),
   one in Big5 but not GB 2312 a Traditional form (圖, 這, 們), one in
   JIS X 0208 but in neither a Japanese form (図, 絵, 髪, 込, 働). The
   languages every character allows are intersected; when shared characters
   leave a choice, words that only one language uses decide (Chinese 的,
   这个, 一点; Japanese 目線, 色指定, 作監), then Simplified Chinese, the more
   common writing, with a lower confidence.
3. Latin and other scripts go to langdetect, seeded, among a fixed set of
   languages; plain ASCII shorter than 12 letters, where letter statistics
   mean nothing, is taken as English (the lingua franca of these notes).

Deterministic, never raises; empty or symbol-only text is `und`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

SCRIPTS = ("Hangul", "Kana", "Han", "Latin", "Cyrillic", "Other")

# Words written in Chinese characters that only Japanese uses (production
# vocabulary above all), and Chinese function words and phrases.
JA_WORDS = (
    "目線",
    "色指定",
    "作監",
    "総作監",
    "作画監督",
    "動検",
    "仕上",
    "撮影",
    "修正",
    "口元",
    "影指定",
    "線画",
    "下書",
    "一枚",
    "枚数",
    "原図",
    "美術設定",
    "絵",
    "図",
    "込",
    "様",
    "気",
)
ZH_WORDS = (
    "的",
    "了",
    "这",
    "這",
    "们",
    "們",
    "么",
    "麼",
    "吗",
    "嗎",
    "呢",
    "吧",
    "把",
    "给",
    "給",
    "再",
    "要",
    "一点",
    "一點",
    "一下",
    "还",
    "還",
    "请",
    "請",
    "没",
    "沒",
    "不要",
    "这里",
    "這裡",
    "修改",
    "颜色",
    "顏色",
    "画错",
    "畫錯",
    "重画",
    "重畫",
    "减少",
    "減少",
    "干净",
    "乾淨",
    "透视",
    "透視",
    "加",
    "很",
    "都",
    "就",
    "和",
    "在",
    "是",
    "稿",
    "镜头",
    "鏡頭",
)
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


def _words(text: str, words: tuple[str, ...]) -> int:
    return sum(text.count(w) * len(w) for w in words)


def japanese_by_words(text: str) -> bool:
    """Whether words only Japanese writes in Chinese characters (目線,
    色指定) outweigh the Chinese function words and phrases in `text`."""
    return _words(text, JA_WORDS) > _words(text, ZH_WORDS)


def _han_only(text: str, han: list[str]) -> tuple[str, float]:
    allowed = [han_langs(ch) for ch in han]
    common = frozenset.intersection(*allowed) if allowed else frozenset()
    counts = {lang: sum(lang in a for a in allowed) for lang in ("zh-Hans", "zh-Hant", "ja")}
    if len(common) == 1:
        return next(iter(common)), 0.95 if len(han) >= 2 else 0.8
    ja_score = _words(text, JA_WORDS)
    zh_score = _words(text, ZH_WORDS)
    candidates = common or frozenset(k for k, v in counts.items() if v == max(counts.values()))
    if "ja" in candidates and ja_score > zh_score:
        return "ja", 0.75
    zh = [c for c in ("zh-Hans", "zh-Hant") if c in candidates]
    if not zh:
        return "ja", 0.6
    if len(zh) == 1:
        return zh[0], 0.7 if zh_score or "ja" not in candidates else 0.6
    # Simplified and Traditional both possible: the characters are shared.
    only_s = sum("zh-Hans" in a and "zh-Hant" not in a for a in allowed)
    only_t = sum("zh-Hant" in a and "zh-Hans" not in a for a in allowed)
    if only_t > only_s:
        return "zh-Hant", 0.6
    return "zh-Hans", 0.5 if not zh_score else 0.6


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
            lang, conf = _han_only(text, han)
            return LanguageGuess(lang, conf, scripts)
    latin = counts.get("Latin", 0)
    if text.isascii() and not re.search(r"\s", text.strip()) and re.search(r"[\d_]", text):
        return LanguageGuess("und", 0.0, scripts)  # a code or a file name, not words
    if 2 <= latin < SHORT_LATIN and text.isascii():
        # Too short for letter statistics: in production notes, plain ASCII
        # words this short are English (LO, BG, OK, "fix", "retake").
        return LanguageGuess("en", 0.5, scripts)
    if latin + counts.get("Cyrillic", 0) >= 2:
        cyrillic = counts.get("Cyrillic", 0) > latin
        lang, conf = _latin(re.sub(r"[\d_]+", " ", text), cyrillic)
        return LanguageGuess(lang, conf, scripts)
    return LanguageGuess("und", 0.0, scripts)
