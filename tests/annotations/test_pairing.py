"""Chinese note above (or left of) its Korean translation, same ink."""

from __future__ import annotations

from forensics.annotations.pairing import link_pairs
from forensics.records import Note


def note(text: str, lang: str, box: tuple[int, int, int, int], ink: str = "red") -> Note:
    return Note(text=text, lang=lang, box=box, ink=ink)


def test_below_and_beside() -> None:
    notes = [
        note("眼睛再大一点", "zh-Hans", (600, 100, 800, 135)),
        note("눈을 더 크게", "ko", (605, 145, 780, 180)),
        note("加陰影", "zh-Hant", (100, 400, 200, 430)),
        note("그림자 추가", "ko", (215, 402, 330, 432)),
        note("表情修改", "zh-Hans", (600, 500, 700, 530)),
        note("표정 수정", "ko", (600, 540, 700, 570), ink="blue"),
    ]
    out = link_pairs(notes)
    assert [n.pair for n in out] == [1, 1, 2, 2, None, None]  # different ink: no pair


def test_far_apart_is_no_pair() -> None:
    out = link_pairs(
        [
            note("注意透视", "zh-Hans", (600, 100, 700, 130)),
            note("원근감 주의", "ko", (600, 300, 720, 330)),
        ]
    )
    assert [n.pair for n in out] == [None, None]
