"""The Hangul reader's beam search with a letter model: a doubtful letter
resolves to the word a Korean writer meant; what the reader is sure of
is kept; greedy decoding is what weight 0 gives."""

from __future__ import annotations

import numpy as np

from forensics.annotations.hangul import TOKENS, decode, to_tokens
from forensics.annotations.hangul_lm import model


def _probabilities(steps: list[dict[str, float]]) -> np.ndarray:
    """Steps x classes, each letter's step followed by a blank step."""
    rows = []
    for step in steps:
        row = np.full(len(TOKENS) + 1, 1e-6)
        for letter, p in step.items():
            row[TOKENS.index(letter) + 1] = p
        row[0] = max(1e-6, 1.0 - sum(step.values()))
        rows.append(row / row.sum())
        blank = np.full(len(TOKENS) + 1, 1e-6)
        blank[0] = 1.0
        rows.append(blank / blank.sum())
    return np.array(rows)


def _sure(text: str) -> list[dict[str, float]]:
    return [{letter: 0.97} for letter in to_tokens(text)]


def test_korean_words_are_likelier_than_letter_salad() -> None:
    lm = model()

    def score(text: str) -> float:
        letters = " " + "".join(to_tokens(text))
        return sum(lm.log_prob(letters[:i], letters[i]) for i in range(1, len(letters)))

    assert score("그림자") > score("그램자")
    assert score("다시") > score("다사")
    assert score("수정") > score("숭정")


def test_a_doubtful_vowel_resolves_to_the_word_meant() -> None:
    # 그림자 (shadow) with the reader unsure between ㅣ and ㅐ in its second syllable
    steps = _sure("그림자")
    vowel = to_tokens("그림자").index("\u1175")
    steps[vowel] = {"\u1162": 0.52, "\u1175": 0.45}  # greedy would read 그램자
    probabilities = _probabilities(steps)
    assert decode(probabilities, weight=0.0)[0] == "그램자"
    assert decode(probabilities)[0] == "그림자"


def test_what_the_reader_is_sure_of_is_kept() -> None:
    # a name or a code the word list does not hold is read as written
    for text in ("김규봉 C12", "롤쟌 확인"):
        probabilities = _probabilities(_sure(text))
        assert decode(probabilities)[0] == decode(probabilities, weight=0.0)[0] == text
