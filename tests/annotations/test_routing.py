"""Which reader a region's text comes from: the script classifier where it
is sure; where it is not, the reading that looks like its script."""

from __future__ import annotations

from forensics.annotations.reader import route


def test_a_sure_classifier_decides_alone() -> None:
    assert route(0.99, "特派員", 1.0, "습하릅", 0.2) == "hangul"
    assert route(0.01, "AN口", 0.3, "초가", 0.99) == "han"


def test_a_korean_line_the_classifier_doubts_is_read_as_korean() -> None:
    # PP-OCR reads Hangul as a few Latin, kana and Han letters
    assert route(0.3, "ネA", 0.59, "초가", 0.78) == "hangul"
    assert route(0.07, "AN口", 0.64, "대체미유", 0.7) == "hangul"


def test_a_chinese_line_the_classifier_doubts_stays_chinese() -> None:
    assert route(0.76, "特派員", 1.0, "습하릅", 0.67) == "han"
    assert route(0.87, "巴拿馬期刊少爺", 0.92, "민솔 특배가쌔", 0.61) == "han"
