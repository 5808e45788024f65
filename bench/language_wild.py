#!/usr/bin/env python3
"""Language of short texts we did not write: forensics.detect_language
against langdetect (seeded), lingua and pycld2 in the same run.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python bench/language_wild.py [--n 400]

Texts come from packages: jieba's dictionary (Simplified Chinese words),
the same words through OpenCC (Traditional), wordfreq's Japanese, Korean,
English, French, German, Italian, Spanish and Russian word lists. Strings
are built by joining random words (seed 7): "texts" of 10-20 characters
(CJK) or five words (Latin, Cyrillic), 4-character snippets cut from CJK
texts, Japanese words written in kanji only against Chinese words, and
Latin-script two-word pairs. Chinese and Japanese words are taken only
from the half of jieba's and wordfreq's lexicons that the character
statistics of `forensics.hanmodel` were not built from (`held_out`). A
CJK answer counts by family (zh-Hans and zh-Hant are both right for `zh`
snippets) except in the Simplified
against Traditional rows, which use only texts whose characters change
under OpenCC (so the characters decide).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import wildsheets  # noqa: E402

from forensics.language import detect_language  # noqa: E402

LATIN = ("en", "fr", "de", "it", "es")
CONTEXT_ROWS = ("Japanese in kanji only", "Chinese words (against those)", "Chinese single words")
KANJI = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def family(tag: str) -> str:
    return "zh" if tag.startswith("zh") else tag.split("-")[0]


def _ours(text: str) -> str:
    return detect_language(text).lang


def _langdetect() -> Callable[[str], str]:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(text: str) -> str:
        try:
            out = detect(text)
        except LangDetectException:
            return "und"
        return {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}.get(out, out)

    return run


def _lingua() -> Callable[[str], str]:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().build()

    def run(text: str) -> str:
        lang = detector.detect_language_of(text)
        return lang.iso_code_639_1.name.lower() if lang else "und"

    return run


def _cld2() -> Callable[[str], str]:
    import pycld2

    def run(text: str) -> str:
        try:
            _reliable, _, details = pycld2.detect(text)
        except pycld2.error:
            return "und"
        code = details[0][1]
        return {"zh": "zh-Hans", "zh-Hant": "zh-Hant", "un": "und"}.get(code, code)

    return run


def wordfreq_key(word: str) -> str:
    """A word as its split is decided: Simplified, so that a Japanese word
    and its Chinese form (時間, 时间) fall in the same half."""
    return wildsheets.simplified(word)


def held_out(word: str) -> bool:
    """The half of each lexicon that `scripts/build_han_model.py` never
    read (its words' SHA-256 starts with an odd byte)."""
    return hashlib.sha256(wordfreq_key(word).encode()).digest()[0] % 2 == 1


def _jieba_singles() -> tuple[list[str], list[float]]:
    """jieba's one-character words (Chinese words as short as a note gets),
    weighted by the logarithm of their count."""
    import jieba

    words, weights = [], []
    for line in (Path(jieba.__file__).parent / "dict.txt").read_text("utf-8").splitlines():
        word, freq = [*line.split(" "), "0"][:2]
        if len(word) == 1 and "\u4e00" <= word <= "\u9fff" and int(freq or 0) >= 50:
            words.append(word)
            weights.append(math.log(int(freq)))
    return words, weights


def in_context(text: str, want: str) -> str:
    """The answer for `text` on a sheet whose other notes are surely of
    `want`'s family (a note with kana for Japanese, a Chinese sentence
    for Chinese): how `annotations/context.py` settles `und-Hani`."""
    from forensics.annotations.context import in_context as settle
    from forensics.records import Note

    other = "背景の色を少し明るくしてください" if want == "ja" else "请把这里的线条画得再细一点"

    def note(t: str) -> Note:
        guess = detect_language(t)
        return Note(
            text=t,
            lang=guess.lang,
            confidence=1.0,
            lang_confidence=guess.confidence,
            ink="red",
            box=None,
            origin="ocr",
            source="bench",
        )

    return settle([note(text), note(other)])[0].lang


def sets(n: int) -> dict[str, list[tuple[str, str]]]:
    rng = random.Random(7)
    pairs = [(w, x) for w, x in zip(*wildsheets._jieba_words(), strict=True) if held_out(w)]
    words, weights = [w for w, _ in pairs], [x for _, x in pairs]
    zh = ["".join(rng.choices(words, weights, k=5))[: rng.randint(10, 20)] for _ in range(n)]
    ja_words = tuple(w for w in wildsheets._wordfreq("ja", "ja") if held_out(w))
    ja = ["".join(rng.choices(ja_words, k=6))[: rng.randint(10, 20)] for _ in range(n)]
    ko_words = wildsheets._wordfreq("ko", "hangul")
    ko = [" ".join(rng.choices(ko_words, k=4)) for _ in range(n)]
    latin = {lang: wildsheets._wordfreq(lang, "latin") for lang in (*LATIN, "ru")}
    out: dict[str, list[tuple[str, str]]] = {}
    out["texts ko/zh/ja/en"] = (
        [(t, "ko") for t in ko]
        + [(t, "zh") for t in zh]
        + [(t, "ja") for t in ja]
        + [(" ".join(rng.choices(latin["en"], k=5)), "en") for _ in range(n)]
    )
    snippets = []
    for texts, lang in ((ko, "ko"), (zh, "zh"), (ja, "ja")):
        for t in texts:
            s = re.sub(r"\s+", "", t)
            i = rng.randrange(max(1, len(s) - 4))
            snippets.append((s[i : i + 4], lang))
    snippets += [(rng.choice(latin["en"])[:4], "en") for _ in range(n)]
    out["4-char snippets ko/zh/ja/en"] = snippets
    kanji_ja = [w for w in ja_words if KANJI.match(w)]
    out["Japanese in kanji only"] = [(w, "ja") for w in rng.sample(kanji_ja, min(n, len(kanji_ja)))]
    out["Chinese words (against those)"] = [(w, "zh") for w in rng.choices(words, weights, k=n)]
    singles = _jieba_singles()
    out["Chinese single words"] = [(w, "zh") for w in rng.choices(singles[0], singles[1], k=n)]
    changed = [t for t in zh if wildsheets.traditional(t) != t]
    out["Simplified texts (S vs T)"] = [(t, "zh-Hans") for t in changed]
    out["Traditional texts (S vs T)"] = [(wildsheets.traditional(t), "zh-Hant") for t in changed]
    out["Latin two words (en fr de it es)"] = [
        (" ".join(rng.choices(latin[lang], k=2)), lang) for lang in LATIN for _ in range(n // 5)
    ]
    out["English two words"] = [(" ".join(rng.choices(latin["en"], k=2)), "en") for _ in range(n)]
    out["Russian two words"] = [(" ".join(rng.choices(latin["ru"], k=2)), "ru") for _ in range(n)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument(
        "--unseen",
        action="store_true",
        help="build forensics' word tables without the held-out half's words "
        "(out-of-vocabulary words; the shipped tables hold every word of wordfreq's lists)",
    )
    args = ap.parse_args()
    if args.unseen:
        from forensics import wordmodel

        wordmodel.restrict(lambda w: not held_out(w))
    detectors: dict[str, Callable[[str], str]] = {"forensics": _ours, "langdetect": _langdetect()}
    for name, make in (("lingua", _lingua), ("pycld2", _cld2)):
        try:
            detectors[name] = make()
        except ImportError:
            print(f"({name} not installed: pip install -e '.[bench]')")
    print(f"{'set':36s} {'n':>5s}  " + "  ".join(f"{d:>10s}" for d in detectors))
    for label, items in sets(args.n).items():
        strict = "S vs T" in label
        cells = []
        for fn in detectors.values():
            right = 0
            for text, want in items:
                got = fn(text)
                right += got == want if strict else family(got) == family(want)
            cells.append(f"{right / max(len(items), 1):10.3f}")
        print(f"{label:36s} {len(items):5d}  " + "  ".join(cells))
        if label in CONTEXT_ROWS:
            amb = sum(_ours(t) == "und-Hani" for t, _ in items)
            right = sum(
                family(in_context(t, want) if _ours(t) == "und-Hani" else _ours(t)) == family(want)
                for t, want in items
            )
            print(
                f"{'  ... und-Hani settled by the sheet':36s} {len(items):5d}  "
                f"{right / max(len(items), 1):10.3f}   ({amb} answered und-Hani)"
            )
    und = sum(detect_language(t).lang == "und" for t, _ in sets(args.n)["Russian two words"])
    print(f"forensics answers und on {und} of {args.n} Russian two-word texts")


if __name__ == "__main__":
    main()
