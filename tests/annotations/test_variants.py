"""Simplified or Traditional from the ink: lines drawn in a hand (AR PL UKai)
that is not one of the reference fonts the evidence is measured against."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from forensics.annotations.ocr import choose
from forensics.annotations.variants import (
    forms,
    holes,
    misplaced,
    reference_holes,
    reference_ink,
    traditional_evidence,
)

UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
pytestmark = pytest.mark.skipif(
    not UKAI.exists() or reference_ink("點", True) == 0, reason="fonts missing"
)


def _line(text: str, traditional: bool) -> Image.Image:
    """Writing as OCR sees it: black on white, about 40 px high."""
    font = ImageFont.truetype(str(UKAI), 40, index=2 if traditional else 0)
    width = int(font.getlength(text)) + 60
    img = Image.new("L", (width, 120), 255)
    ImageDraw.Draw(img).text((30, 38), text, fill=0, font=font)
    return img


def test_forms() -> None:
    assert forms("注意透视") == ("注意透视", "注意透視")
    assert forms("眼睛再大一點") == ("眼睛再大一点", "眼睛再大一點")
    assert forms("表情修改")[0] == forms("表情修改")[1]  # the same in both


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("眼睛再大一点", "眼睛再大一點"),
        ("头发线条整理", "頭髮線條整理"),
        ("脸的角度修改", "臉的角度修改"),
        ("线条要干净", "線條要乾淨"),
        ("手的形状重画", "手的形狀重畫"),
        ("注意透视", "注意透視"),  # about the same ink: the counters of 見 tell
        ("这里画错了", "這裡畫錯了"),
    ],
)
def test_evidence_points_to_the_form_written(simplified: str, traditional: str) -> None:
    # whichever form a model read, the ink decides
    for read in (simplified, traditional):
        assert traditional_evidence(_line(simplified, False), read) < 0, read
        assert traditional_evidence(_line(traditional, True), read) > 0, read


def test_closed_counters() -> None:
    # 見 has the three counters of 目, 见 none; 點 has 占's and 黑's
    assert (reference_holes("視", True), reference_holes("视", False)) == (3, 0)
    assert reference_holes("點", True) > reference_holes("点", False)
    # a brush closes fewer of them, but 視 keeps some and 视 has none to keep
    assert holes(np.asarray(_line("視", True)) < 170) >= 1
    assert holes(np.asarray(_line("视", False)) < 170) == 0


def test_the_ink_decides_when_both_models_read_the_same_words() -> None:
    # each Chinese model reads the other's forms with full confidence, so a
    # more confident chi_tra must not outvote the ink of a Simplified 视
    candidates = {
        "chi_sim": [("注意透视", 80.0)],
        "chi_tra": [("注意透視", 95.0)],
    }
    reading = choose(candidates, _line("注意透视", False))
    assert reading is not None and (reading.text, reading.lang) == ("注意透视", "zh-Hans")
    candidates = {"chi_sim": [("注意透视", 95.0)], "chi_tra": [("注意透視", 80.0)]}
    reading = choose(candidates, _line("注意透視", True))
    assert reading is not None and (reading.text, reading.lang) == ("注意透視", "zh-Hant")


def test_misreadings_of_a_character_the_same_in_both_scripts_are_left_out() -> None:
    # chi_tra read 眼 as 賬 (whose Simplified form is 账): chi_sim saw 眼,
    # the same in both scripts, so 賬 says nothing about the script
    assert misplaced("眼睛再大一点", "賬睛再大一點") == (frozenset(), frozenset({0}))
    assert misplaced("_眼睛再大一点", "_賬睛再大一點") == (frozenset(), frozenset({1}))
    assert misplaced("有眼睛再大一点", "賬睛再大一點") == (frozenset(), frozenset({0}))
    # 点 against 點 is the same character in two forms: both count
    assert misplaced("注意透视", "注意透視") == (frozenset(), frozenset())
    image = _line("眼睛再大一点", False)
    misled = traditional_evidence(image, "賬睛再大一點")
    assert traditional_evidence(image, "賬睛再大一點", frozenset({0})) < misled
    candidates = {"chi_sim": [("眼睛再大一点", 68.0)], "chi_tra": [("賬睛再大一點", 76.0)]}
    reading = choose(candidates, image)
    assert reading is not None and reading.lang == "zh-Hans"


def test_a_pair_the_ink_cannot_call() -> None:
    # 阴/陰: a brush closes 月's counters rarely at this size, so the counters
    # pull toward 陰 as much as the ink share pulls toward 阴; PP-OCRv4's
    # odds decide (test_ppocr; a limit stated in bench/RESULTS.md)
    simplified = traditional_evidence(_line("加阴影", False), "加阴影")
    traditional = traditional_evidence(_line("加陰影", True), "加阴影")
    assert abs(simplified - traditional) < 0.1


def test_no_evidence_without_differing_forms() -> None:
    assert traditional_evidence(_line("表情修改", False), "表情修改") == 0.0
    assert traditional_evidence(Image.new("L", (100, 60), 255), "注意透视") == 0.0
