"""The script classifier routes a line to its recogniser: Hangul, Han and
kana, Latin, on lines drawn here in faces it was not trained on (the
held-out half of the generalization set: NanumGothic, Noto Sans CJK KR,
SC and HK; other faces of the Noto design were trained on)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from forensics.annotations.script import CLASSES, script_probabilities, windows


def _line(text: str, font_file: str, size: int = 48, index: int = 0) -> Image.Image:
    found = sorted(Path("/usr/share/fonts").rglob(font_file))
    if not found:
        pytest.skip(f"font {font_file} not installed")
    font = ImageFont.truetype(str(found[0]), size, index=index)
    x0, y0, x1, y1 = font.getbbox(text)
    img = Image.new("L", (x1 - x0 + 16, y1 - y0 + 16), 255)
    ImageDraw.Draw(img).text((8 - x0, 8 - y0), text, font=font, fill=30)
    return img.filter(ImageFilter.GaussianBlur(0.6))


@pytest.mark.parametrize(
    ("text", "font", "index", "script"),
    [
        ("발 위치 수정", "NanumGothic.ttf", 0, "hangul"),
        ("얼굴 각도 수정 바람", "NotoSansCJK-Regular.ttc", 1, "hangul"),  # KR face
        ("脸的角度修改", "NotoSansCJK-Regular.ttc", 2, "cjk"),  # SC face
        ("表情を修正", "NotoSansCJK-Regular.ttc", 4, "cjk"),  # HK face
        ("retake the hands", "NanumGothic.ttf", 0, "latin"),
    ],
)
def test_lines_go_to_their_script(text: str, font: str, index: int, script: str) -> None:
    p = script_probabilities(_line(text, font, index=index))
    assert set(p) == set(CLASSES) and abs(sum(p.values()) - 1) < 1e-5
    assert max(p, key=lambda c: p[c]) == script, p


def test_windows_cover_long_and_short_lines() -> None:
    short = windows(Image.new("L", (20, 40), 255))
    assert len(short) == 1 and short[0].shape == (32, 128) and short[0].max() == 0
    long = windows(Image.new("L", (2000, 40), 255))
    assert 1 < len(long) <= 8
