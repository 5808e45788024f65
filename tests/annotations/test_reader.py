"""The note reader on a sheet drawn here with Debian's fonts: notes rotated
and crossing line art are found and read, a column is read top to bottom,
Hangul goes to the Hangul reader, and each note's ink is told."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from forensics.annotations import analyse

FONTS = Path("/usr/share/fonts")


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    found = sorted(FONTS.rglob(name))
    if not found:
        pytest.skip(f"font {name} not installed")
    return ImageFont.truetype(str(found[0]), size)


def _note(sheet: Image.Image, text: str, font: ImageFont.FreeTypeFont, colour: tuple[int, int, int],
          at: tuple[int, int], angle: float) -> None:  # fmt: skip
    x0, y0, x1, y1 = font.getbbox(text)
    mask = Image.new("L", (x1 - x0 + 10, y1 - y0 + 10), 0)
    ImageDraw.Draw(mask).text((5 - x0, 5 - y0), text, font=font, fill=255)
    mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    sheet.paste(Image.new("RGB", mask.size, colour), at, mask)


def _column(sheet: Image.Image, text: str, font: ImageFont.FreeTypeFont,
            colour: tuple[int, int, int], at: tuple[int, int]) -> None:  # fmt: skip
    d = ImageDraw.Draw(sheet)
    for i, ch in enumerate(text):
        d.text((at[0], at[1] + i * font.size * 1.15), ch, font=font, fill=colour)


@pytest.fixture(scope="module")
def sheet() -> bytes:
    img = Image.new("RGB", (1600, 900), (244, 240, 228))
    d = ImageDraw.Draw(img)
    for i in range(12):  # pencil line art and light-blue construction lines
        d.line([(60 + i * 120, 80), (300 + i * 90, 860)], fill=(90, 90, 95), width=2)
        d.line([(0, 100 + i * 70), (1600, 40 + i * 75)], fill=(160, 195, 230), width=1)
    cjk = "NotoSansCJK-Regular.ttc"
    _note(img, "발 위치 수정", _font("NanumGothic.ttf", 56), (40, 70, 200), (150, 160), 9)
    _note(img, "脸的角度修改", _font(cjk, 60), (205, 30, 40), (820, 200), -8)
    _column(img, "目線修正", _font(cjk, 54), (215, 40, 60), (1400, 380))
    _note(img, "KMR S01 EP12 SC012 C156", _font(cjk, 30), (15, 15, 15), (40, 20), 0)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _read(data: bytes) -> dict[str, tuple[str, str | None, str]]:
    return {n.text.replace(" ", ""): (n.lang, n.ink, n.origin) for n in analyse(data).notes}


def test_rotated_notes_over_line_art_are_found_and_read(sheet: bytes) -> None:
    notes = _read(sheet)
    assert notes.get("발위치수정") == ("ko", "blue", "ocr"), notes
    assert notes.get("脸的角度修改") == ("zh-Hans", "red", "ocr"), notes


def test_a_column_is_read_top_to_bottom(sheet: bytes) -> None:
    assert _read(sheet).get("目線修正") == ("ja", "red", "ocr")


def test_printed_header_is_printed_and_has_no_language(sheet: bytes) -> None:
    printed = [n for n in analyse(sheet).notes if n.origin == "printed"]
    assert [n.ink for n in printed] == ["black"]
    assert printed[0].lang == "und"  # a cut code, not English
    assert "SC012" in printed[0].text.replace(" ", "")


def test_confidences_are_the_recognisers_and_the_detectors(sheet: bytes) -> None:
    for n in analyse(sheet).notes:
        assert n.confidence is not None and 0 <= n.confidence <= 1
        assert n.lang_confidence is not None and 0 <= n.lang_confidence <= 1
