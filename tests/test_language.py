"""Language of short notes: the hard cases of the issue, and the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from forensics.annotations.context import in_context
from forensics.language import detect_language, han_langs
from forensics.records import Note


@pytest.mark.parametrize(
    "text,lang",
    [
        ("目線修正", "ja"),  # 線 rules out Simplified, 目線 is Japanese
        ("顏色修改", "zh-Hant"),  # 顏 is Traditional
        ("表情を修正", "ja"),
        ("눈 크기 수정", "ko"),
        ("眼睛再大一点", "zh-Hans"),
        ("眼睛再大一點", "zh-Hant"),
        ("頭髮線條整理", "zh-Hant"),
        ("髪の流れに注意", "ja"),
        ("動画", "ja"),  # 動 is not Simplified, 画 is not Traditional
        ("作監チェック", "ja"),
        ("这里画错了", "zh-Hans"),
        ("Fix the eyes, please", "en"),
        ("Corriger les yeux et la bouche", "fr"),
        ("LO", "en"),
        ("", "und"),
        ("!!! 123", "und"),
        ("C003", "und"),
        ("KMR S01 EP12 SC012 C156", "und"),  # a cut code, not English words
        ("fix C12 hands", "en"),
    ],
)
def test_hard_cases(text: str, lang: str) -> None:
    assert detect_language(text).lang == lang


def test_characters_all_three_languages_write_are_not_a_sure_answer() -> None:
    # 背景 is everyday Japanese and Chinese alike: left open for the sheet to decide
    guess = detect_language("背景")
    assert guess.lang == "und-Hani" and guess.confidence < 0.9


def _note(text: str) -> Note:
    guess = detect_language(text)
    return Note(
        text=text,
        lang=guess.lang,
        confidence=1.0,
        lang_confidence=guess.confidence,
        ink="red",
        box=None,
        origin="ocr",
        source="test",
    )


def test_kanji_only_japanese_with_kana_elsewhere_on_the_sheet_is_japanese() -> None:
    # 色指定 (colour designation) is a Japanese production word, but every
    # character of it is Chinese too: alone it is never called Chinese...
    assert detect_language("色指定").lang in ("ja", "und-Hani")
    # ...and on a sheet whose other note is written with kana it is Japanese
    notes = in_context([_note("色指定"), _note("髪の色を少し明るくしてください")])
    assert notes[0].lang == "ja"
    # the same characters beside a sure Chinese note are Chinese
    notes = in_context([_note("背景"), _note("请把这里的线条画得再细一点")])
    assert notes[0].lang.startswith("zh")


@pytest.mark.parametrize("word", ["分", "寿", "位", "高", "手", "画"])
def test_chinese_single_words_stay_chinese(word: str) -> None:
    # one character is one frequency against another: Chinese unless it says otherwise
    assert detect_language(word).lang.startswith("zh")


@pytest.mark.parametrize(
    "text", ["political party", "hair color", "too dark", "redraw the hands", "check again"]
)
def test_english_word_pairs_are_english(text: str) -> None:
    assert detect_language(text).lang == "en"


@pytest.mark.parametrize(
    "text,lang",
    [("la maison", "fr"), ("das Haus", "de"), ("mise en scène", "fr"), ("la casa roja", "es")],
)
def test_latin_words_that_say_otherwise_are_not_english(text: str, lang: str) -> None:
    assert detect_language(text).lang == lang


@pytest.mark.parametrize(
    "text,lang",
    [
        ("自分", "ja"),  # every character in all three sets; the statistics decide
        ("修改一下", "zh"),  # Chinese, the same in both scripts: no script subtag
        ("以后再改", "zh-Hans"),  # 后 is in Big5 too, but 以后 is Simplified usage
        ("以後再改", "zh-Hant"),
    ],
)
def test_shared_characters_decided_by_package_lexicons(text: str, lang: str) -> None:
    assert detect_language(text).lang == lang


def test_deterministic_and_never_raises() -> None:
    texts = ["Das ist ein kurzer Satz", "背景", "\x00\ud800", "🎨" * 5]
    first = [detect_language(t) for t in texts]
    assert first == [detect_language(t) for t in texts]
    assert detect_language(None).lang == "und"  # type: ignore[arg-type]


def test_scripts_and_character_sets() -> None:
    guess = detect_language("중국어 中文 mixed")
    assert dict(guess.scripts) == {"Hangul": 3, "Han": 2, "Latin": 5}
    assert han_langs("图") == {"zh-Hans"} and han_langs("圖") == {"zh-Hant", "ja"}  # JIS has 圖
    assert han_langs("図") == {"ja"} and han_langs("色") == {"zh-Hans", "zh-Hant", "ja"}


def test_an_alphabet_is_evidence_even_when_the_words_are_not() -> None:
    # Russian words langdetect would give to no listed language still name
    # their language family's script, never a bare `und`
    for text in ("когда через", "Это тест", "привет мир", "ёж щи"):
        lang = detect_language(text).lang
        assert lang in ("ru", "uk", "bg", "mk", "sr", "und-Cyrl"), (text, lang)
    assert detect_language("qxz vvk").lang != "und"


def test_the_hanja_reading_table_is_cached_as_data_and_rebuilt_when_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker reads hanja's table from a cache of data instead of
    parsing its YAML (0.9 s); the cache gives the package's table, and a
    damaged cache is rebuilt, not trusted."""
    from hanja.table import hanja_table

    from forensics.annotations import pairing

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pairing._hanja_table.cache_clear()
    assert pairing._hanja_table() == hanja_table
    [cached] = (tmp_path / "forensics").glob("hanja-table-*")
    cached.write_bytes(cached.read_bytes()[:100])  # cut short
    pairing._hanja_table.cache_clear()
    assert pairing._hanja_table() == hanja_table
    pairing._hanja_table.cache_clear()
    assert pairing._hanja_table()["理"] == hanja_table["理"]  # read back from the rebuilt cache
    pairing._hanja_table.cache_clear()


def test_the_word_tables_are_cached_as_data_and_rebuilt_when_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """wordfreq's kanji words (0.5 s to build in every worker) come from a
    cache of data named by wordfreq's version: the same table as built, a
    damaged cache rebuilt, and the same language answers from either."""
    from forensics import wordmodel

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    wordmodel._han_words.cache_clear()
    built = wordmodel._build_han_words("ja")
    assert wordmodel._han_words("ja") == built
    [cached] = (tmp_path / "forensics").glob("wordfreq-*-han-ja-*")
    wordmodel._han_words.cache_clear()
    odds = wordmodel.japanese_log_odds("写真家")
    cached.write_bytes(cached.read_bytes()[:100])  # cut short
    wordmodel._han_words.cache_clear()
    assert wordmodel._han_words("ja") == built
    assert wordmodel.japanese_log_odds("写真家") == odds
    wordmodel._han_words.cache_clear()
