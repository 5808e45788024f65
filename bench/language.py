#!/usr/bin/env python3
"""Language accuracy on short texts: forensics.detect_language against
langdetect alone (seeded), on the texts of bench/language_corpus.py.

    .venv/bin/python bench/language.py

Reports sentences, 2-, 4- and 8-character snippets (cut from the sentences,
spaces and punctuation removed, every second position), Simplified vs
Traditional on sentences, and Japanese written only in Chinese characters.
A snippet counts as right when its family (ko, zh, ja, en) is right.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from language_corpus import CORPUS, JA_KANJI  # noqa: E402

from forensics.language import detect_language  # noqa: E402

FAMILIES = ("ko", "zh-Hans", "zh-Hant", "ja", "en")


def family(lang: str) -> str:
    return "zh" if lang.startswith("zh") else lang


def ours(text: str) -> str:
    return detect_language(text).lang


def langdetect_alone(text: str) -> str:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        lang = detect(text)
    except LangDetectException:
        return "und"
    return {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}.get(lang, lang)


def snippets(sentence: str, n: int) -> list[str]:
    letters = re.sub(r"[\s\W\d_]+", "", sentence)
    return [letters[i : i + n] for i in range(0, max(len(letters) - n + 1, 0), 2)]


def accuracy(fn: Callable[[str], str], items: list[tuple[str, str]], fam: bool) -> float:
    right = sum((family(fn(t)) == family(lang)) if fam else fn(t) == lang for lang, t in items)
    return right / len(items)


def main() -> None:
    sentences = [(lang, t) for lang, texts in CORPUS.items() for t in texts]
    cjk_en = [(lang, t) for lang, t in sentences if lang in FAMILIES]
    rows = [
        ("sentences, 8 languages, exact tag", sentences, False),
        ("sentences, ko/zh-Hans/zh-Hant/ja/en, exact tag", cjk_en, False),
    ]
    for n in (2, 4, 8):
        items = [(lang, s) for lang, t in cjk_en for s in snippets(t, n)]
        rows.append((f"{n}-character snippets, ko/zh/ja/en family", items, True))
    chinese = [(lang, t) for lang, t in sentences if lang.startswith("zh")]
    rows.append(("Simplified vs Traditional, sentences", chinese, False))
    rows.append(("Japanese in kanji only", [("ja", t) for t in JA_KANJI], False))
    zh_short = [(lang, s) for lang, t in chinese for s in snippets(t, 4)]
    rows.append(("Chinese 4-char snippets stay Chinese", zh_short, True))
    from language_wild import in_context

    def settled(text: str) -> str:
        lang = ours(text)
        return in_context(text, "ja") if lang == "und-Hani" else lang

    print(f"{'test':45s} {'n':>5s} {'ours':>7s} {'langdetect':>11s}")
    for name, items, fam in rows:
        print(
            f"{name:45s} {len(items):5d} {accuracy(ours, items, fam):7.3f} "
            f"{accuracy(langdetect_alone, items, fam):11.3f}"
        )
    kanji = [("ja", t) for t in JA_KANJI]
    print(
        f"{'  ... und-Hani settled by a sheet with kana':45s} {len(kanji):5d} "
        f"{accuracy(settled, kanji, False):7.3f}"
    )


if __name__ == "__main__":
    main()
