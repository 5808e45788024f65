"""The second witness of Simplified or Traditional (PP-OCRv4's recogniser),
on lines drawn in a hand (AR PL UKai) and on its own readings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from forensics.annotations import ppocr
from forensics.annotations.ocr import choose

UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
pytestmark = pytest.mark.skipif(not UKAI.exists(), reason="fonts missing")


def _font(traditional: bool, size: int = 40) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(UKAI), size, index=2 if traditional else 0)


def _line(text: str, traditional: bool) -> Image.Image:
    font = _font(traditional)
    img = Image.new("L", (int(font.getlength(text)) + 60, 120), 255)
    ImageDraw.Draw(img).text((30, 38), text, fill=0, font=font)
    return img


def _column(text: str, traditional: bool) -> Image.Image:
    """A column of writing, one character below the other, as a line image."""
    font = _font(traditional)
    img = Image.new("L", (100, 46 * len(text) + 60), 255)
    draw = ImageDraw.Draw(img)
    for i, ch in enumerate(text):
        draw.text((30, 30 + 46 * i), ch, fill=0, font=font)
    return img


PAIRS = [
    ("注意透视", "注意透視"),
    ("手的形状重画", "手的形狀重畫"),
    # neither Tesseract model can read both lines (chi_sim has no 褶, chi_tra no 皱)
    ("衣服褶皱减少", "衣服皺褶減少"),
    # the ink's share and counters cannot call this one (test_variants)
    ("加阴影", "加陰影"),
    ("线条要干净", "線條要乾淨"),
]


@pytest.mark.parametrize(("simplified", "traditional"), PAIRS)
def test_odds_point_to_the_form_written(simplified: str, traditional: str) -> None:
    pairs = ppocr.pairs_in((simplified, traditional))
    assert pairs
    assert ppocr.traditional_odds(_line(simplified, False), pairs) < 0
    assert ppocr.traditional_odds(_line(traditional, True), pairs) > 0


def test_it_knows_both_forms_that_tesseract_splits() -> None:
    for ch in "褶皱皺画畫视視减減":
        assert ppocr.known(ch), ch
    assert not ppocr.known("臉")  # and not all: 脸 has no partner here
    assert ppocr.pairs_in(["臉的角度"]) == set()


def test_a_pair_misread_into_the_line_tells_nothing() -> None:
    # as when chi_tra reads 眼 as 賬: nothing in the ink looks like 头 or 頭
    line = _line("眼睛再大一点", False)
    assert ppocr.traditional_odds(line, {("头", "頭")}) == 0.0
    assert ppocr.traditional_odds(line, {("账", "賬")}) == 0.0  # 賬 it does not know


def test_reads_the_writing() -> None:
    assert ppocr.read(_line("表情修改", False)) == "表情修改"


def test_a_column_is_laid_out_as_a_row() -> None:
    column = _column("注意透視", True)
    on_side = column.transpose(Image.Transpose.TRANSPOSE)
    row = ppocr.row_of_column(on_side)
    assert row.width > row.height  # upright characters side by side
    assert ppocr.read(row)[:3] == "注意透"
    assert ppocr.traditional_odds(row, {("视", "視")}) > 0
    # read as a whole on its side, the column is not writing
    assert "注意" not in ppocr.read(on_side)


def test_choose_follows_the_odds_where_the_readings_cannot_decide() -> None:
    # what Tesseract made of 衣服褶皱减少 on one of the larger dumps: each
    # model misses the character it has no form of, and chi_tra, sure of
    # 褶, scores higher
    candidates = {
        "chi_sim": [("衣服福外减少", 58.3)],
        "chi_tra": [("衣服褶敏減少", 71.0)],
    }
    reading = choose(candidates)  # without the image, the scores decide
    assert reading is not None and reading.model == "chi_tra"
    reading = choose(candidates, _line("衣服褶皱减少", False))
    assert reading is not None and reading.lang == "zh-Hans"
    reading = choose(candidates, _line("衣服皺褶減少", True))
    assert reading is not None and reading.lang == "zh-Hant"
