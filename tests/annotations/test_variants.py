"""Simplified or Traditional from the ink: lines drawn in a hand (AR PL UKai)
that is not one of the reference fonts the evidence is measured against."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from forensics.annotations.variants import forms, reference_ink, traditional_evidence

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
        ("加阴影", "加陰影"),
        ("手的形状重画", "手的形狀重畫"),
    ],
)
def test_evidence_points_to_the_form_written(simplified: str, traditional: str) -> None:
    # whichever form a model read, the ink decides
    for read in (simplified, traditional):
        assert traditional_evidence(_line(simplified, False), read) < 0, read
        assert traditional_evidence(_line(traditional, True), read) > 0, read


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [("注意透视", "注意透視"), ("颜色修改", "顏色修改"), ("这里画错了", "這裡畫錯了")],
)
def test_forms_that_hold_about_the_same_ink_give_little_evidence(
    simplified: str, traditional: str
) -> None:
    # 视/視, 颜/顏, 这/這 differ by a few short strokes: the ink cannot say
    # much, and the models' scores decide (a limit stated in bench/RESULTS.md)
    for img in (_line(simplified, False), _line(traditional, True)):
        assert abs(traditional_evidence(img, simplified)) < 0.1


def test_no_evidence_without_differing_forms() -> None:
    assert traditional_evidence(_line("表情修改", False), "表情修改") == 0.0
    assert traditional_evidence(Image.new("L", (100, 60), 255), "注意透视") == 0.0
