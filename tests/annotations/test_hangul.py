"""The Hangul reader: syllables to and from their letters, and Korean
lines read in faces it was not trained on (the held-out half of the
generalization set: NanumGothic, Noto Sans CJK KR), with texts of our own
that its training texts (package word lists) do not hold as lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from forensics.annotations.hangul import INITIALS, VOWELS, compose, hangul_read, to_tokens
from forensics.annotations.recognise import ppocr_run


def test_every_syllable_goes_to_letters_and_back() -> None:
    syllables = "".join(chr(c) for c in range(0xAC00, 0xD7A4))
    tokens = to_tokens(syllables)
    assert compose(tokens) == syllables
    assert len(tokens) > 2 * len(syllables)  # initial and vowel at least, final when there is one


def test_letters_that_make_no_syllable_are_dropped_not_guessed() -> None:
    assert compose([VOWELS[0], *to_tokens("각도")]) == "각도"  # a vowel with no initial
    assert compose([*to_tokens("수정"), INITIALS[0]]) == "수정"  # an initial with no vowel
    assert compose(to_tokens("C12 수정!")) == "C12 수정!"


def _line(text: str, font_file: str, index: int = 0, colour: tuple[int, int, int] = (40, 70, 200),
          size: int = 44, angle: float = 0.0) -> Image.Image:  # fmt: skip
    found = sorted(Path("/usr/share/fonts").rglob(font_file))
    if not found:
        pytest.skip(f"font {font_file} not installed")
    font = ImageFont.truetype(str(found[0]), size, index=index)
    x0, y0, x1, y1 = font.getbbox(text)
    img = Image.new("RGB", (x1 - x0 + 16, y1 - y0 + 12), (246, 242, 230))
    ImageDraw.Draw(img).text((8 - x0, 6 - y0), text, font=font, fill=colour)
    return img.filter(ImageFilter.GaussianBlur(0.5))


@pytest.mark.parametrize(
    ("text", "font", "index"),
    [
        ("발 위치 수정", "NanumGothic.ttf", 0),
        ("얼굴 각도 수정 바람", "NotoSansCJK-Regular.ttc", 1),  # the KR face
        ("그림자 다시 그려 주세요", "NanumGothic.ttf", 0),
        ("눈썹 위치 확인", "NotoSansCJK-Regular.ttc", 1),
    ],
)
def test_korean_lines_in_faces_never_trained_on(text: str, font: str, index: int) -> None:
    features = ppocr_run(_line(text, font, index))[1]
    assert features is not None and features.shape[0] == 384
    read, confidence = hangul_read(features)
    assert read.replace(" ", "") == text.replace(" ", "")
    assert 0.0 < confidence <= 1.0
