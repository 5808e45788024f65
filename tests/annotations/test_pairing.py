"""A Chinese note and the Korean note that translates it: geometry
proposes, the Sino-Korean readings and the production vocabulary decide."""

from __future__ import annotations

from forensics.annotations.pairing import link_pairs, reading_score
from forensics.records import Note


def note(text: str, lang: str, box: tuple[int, int, int, int] | None, ink: str = "red") -> Note:
    return Note(text=text, lang=lang, box=box, ink=ink)


def test_readings_found_in_order() -> None:
    assert reading_score("角度修正", "각도 수정") == 1.0
    assert reading_score("角度修改", "각도 수정") == 0.75  # 改 is 개, not 정
    assert reading_score("料理", "요리") == 1.0  # 料 료 at the start of a word is 요
    assert reading_score("頭髮", "두발") == reading_score("头发", "두발") == 1.0  # both forms
    assert reading_score("修正角度", "각도 수정") == 0.5  # order matters
    assert reading_score("眼睛再大一点", "눈을 더 크게") == 0.0  # a native Korean rendering


def test_pair_needs_readings_beside_it() -> None:
    notes = [
        note("表情修改", "zh-Hans", (600, 100, 800, 135)),
        note("표정 수정", "ko", (605, 145, 780, 180)),
        note("加陰影", "zh-Hant", (100, 400, 200, 430)),
        note("발 위치 수정", "ko", (215, 402, 330, 432)),  # beside, but says something else
        note("注意透视", "zh-Hans", (600, 500, 700, 530)),
        note("주의 투시", "ko", (600, 540, 700, 570), ink="blue"),  # another ink, read out whole
        note("手臂缩短", "zh-Hans", (100, 700, 260, 740)),
        note("팔", "ko", (100, 750, 140, 788), ink="blue"),  # another ink, one word of four
    ]
    out = link_pairs(notes)
    # the ink classifier may tell inks apart wrongly: another ink needs the text alone to say so
    assert [n.pair for n in out] == [1, 1, None, None, 2, 2, None, None]
    # readings (0.75: 改 is 개) and vocabulary (表情 표정, 修改 수정) both say so
    assert out[0].pair_score == out[1].pair_score and out[0].pair_score > 0.75


def test_far_apart_is_no_pair() -> None:
    out = link_pairs(
        [
            note("注意透视", "zh-Hans", (600, 100, 700, 130)),
            note("주의투시", "ko", (600, 300, 720, 330)),
        ]
    )
    assert [n.pair for n in out] == [None, None]


def test_text_layers_pair_on_strong_readings() -> None:
    out = link_pairs(
        [
            note("角度修正", "zh-Hant", None),
            note("수정", "ko", None),  # half the readings: not enough without a place
            note("각도 수정", "ko", None),
        ]
    )
    assert [n.pair for n in out] == [1, None, 1]


def test_best_candidate_wins() -> None:
    out = link_pairs(
        [
            note("角度修正", "zh-Hans", (100, 100, 300, 140)),
            note("수정", "ko", (100, 150, 200, 180)),
            note("각도 수정", "ko", (310, 100, 450, 140)),
        ]
    )
    assert [n.pair for n in out] == [1, None, 1]


def test_chinese_characters_called_japanese_still_pair() -> None:
    # 角度修正 is good Japanese as well as Chinese; the reading beside it decides
    out = link_pairs(
        [
            note("角度修正", "ja", (600, 100, 760, 135)),
            note("각도 수정", "ko", (605, 145, 760, 180)),
            note("表情を修正", "ja", (100, 400, 300, 430)),  # kana: Japanese, never a pair
            note("표정 수정", "ko", (105, 440, 300, 470)),
        ]
    )
    assert [n.pair for n in out] == [1, 1, None, None]
    assert out[0].lang.startswith("zh") and out[2].lang == "ja"


def test_unsure_chinese_characters_follow_the_sure_notes_of_their_file() -> None:
    from forensics.annotations.context import in_context

    def guessed(text: str) -> Note:
        from forensics.language import detect_language

        g = detect_language(text)
        return Note(text=text, lang=g.lang, lang_confidence=g.confidence, box=None)

    unsure = guessed("背景")
    assert unsure.lang_confidence is not None and unsure.lang_confidence < 0.9
    chinese = in_context([unsure, guessed("这里画错了"), guessed("각도 수정")])
    assert chinese[0].lang.startswith("zh") and chinese[1].lang == "zh-Hans"
    assert chinese[2].lang == "ko"
    japanese = in_context([unsure, guessed("表情を修正")])
    assert japanese[0].lang == "ja"
    # sure notes of both families: no context, the note keeps its own answer
    mixed = in_context([unsure, guessed("这里画错了"), guessed("表情を修正")])
    assert mixed[0] == unsure


def test_natural_korean_translations_pair_on_vocabulary() -> None:
    # a translator writes native Korean: no Sino-Korean reading is shared
    notes = [
        note("手臂缩短", "zh-Hans", (600, 100, 760, 140)),
        note("팔 길이 줄이기", "ko", (600, 150, 790, 188)),
        note("嘴型再画", "zh-Hans", (100, 400, 260, 440)),
        note("입 모양 다시", "ko", (102, 450, 270, 488)),
    ]
    assert reading_score("手臂缩短", "팔 길이 줄이기") == 0.0
    out = link_pairs(notes)
    assert [n.pair for n in out] == [1, 1, 2, 2]


def test_geometry_alone_never_makes_a_pair() -> None:
    # just beneath, same ink, same size, but about something else entirely
    out = link_pairs(
        [
            note("手臂缩短", "zh-Hans", (600, 100, 760, 140)),
            note("배경 색 확인", "ko", (600, 150, 790, 188)),
        ]
    )
    assert [n.pair for n in out] == [None, None]


def test_a_translation_of_another_size_is_not_beside() -> None:
    out = link_pairs(
        [
            note("手臂缩短", "zh-Hans", (600, 100, 760, 140)),
            note("팔 길이 줄이기", "ko", (600, 150, 1400, 330)),  # five times the height
        ]
    )
    assert [n.pair for n in out] == [None, None]
