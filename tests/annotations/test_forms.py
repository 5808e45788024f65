"""Traditional characters stay Traditional: a Simplified form the
recogniser gave for a Traditional glyph is put back where the line (or
the sheet) was written in Traditional, by the recogniser's own candidate
where it has one; Simplified lines stay Simplified."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from forensics.annotations import analyse
from forensics.annotations.forms import as_written, counts, only_in
from forensics.annotations.recognise import Reading
from forensics.language import detect_language


def _reading(text: str, options: dict[int, list[tuple[str, float]]] | None = None) -> Reading:
    per = tuple(tuple((options or {}).get(i, [(c, 0.99)])) for i, c in enumerate(text))
    return Reading(text, 0.9, "test", per)


def test_the_scripts_own_characters() -> None:
    assert only_in("長") == "zh-Hant" and only_in("长") == "zh-Hans" and only_in("治") is None
    assert counts("長治久安统") == (1, 1)


def test_a_simplified_form_in_a_traditional_line_is_put_back() -> None:
    # 頭, 線 and 條 say the line is Traditional: 发 was a misread form
    assert as_written(_reading("頭发線條")).text == "頭髮線條"
    assert as_written(_reading("顏色統一调整")).text == "顏色統一調整"


def test_the_recognisers_own_candidate_wins_over_the_dictionary() -> None:
    # 发 is 發 or 髮 in Traditional; the glyph's candidate decides
    options = {1: [("发", 0.6), ("發", 0.3), ("髮", 0.05)]}
    assert as_written(_reading("頭发線條", options)).text == "頭發線條"


def test_a_line_with_no_evidence_of_its_own_follows_the_sheet() -> None:
    # the recogniser's second choice for the first glyph is its Traditional form
    line = _reading("长治久安", {0: [("长", 0.8), ("長", 0.15)]})
    assert as_written(line).text == "长治久安"  # alone: nothing says Traditional
    assert as_written(line, sheet=(6, 0)).text == "長治久安"  # the sheet's other lines do
    assert as_written(line, sheet=(6, 4)).text == "长治久安"  # a mixed sheet does not decide
    # a sheet of Traditional notes may hold one in Simplified: the glyph must say so
    assert as_written(_reading("长治久安"), sheet=(6, 0)).text == "长治久安"


def test_simplified_lines_and_other_scripts_are_left_as_read() -> None:
    for text in ("这里画错了", "眼睛再大一点", "눈 크기 수정", "目線修正", "KMR C156"):
        assert as_written(_reading(text)).text == text
    # mostly Simplified with one Traditional-only character: not converted
    assert as_written(_reading("这里画错了們")).text == "这里画错了們"


def _font(name: str, size: int, index: int = 0) -> ImageFont.FreeTypeFont:
    found = sorted(Path("/usr/share/fonts").rglob(name))
    if not found:
        pytest.skip(f"font {name} not installed")
    return ImageFont.truetype(str(found[0]), size, index=index)


def test_a_traditional_note_is_read_in_traditional_characters() -> None:
    img = Image.new("RGB", (1600, 900), (244, 240, 228))
    d = ImageDraw.Draw(img)
    for i in range(10):
        d.line([(80 + i * 140, 60), (320 + i * 100, 880)], fill=(95, 95, 100), width=2)
    tc = _font("NotoSansCJK-Regular.ttc", 58, index=3)  # Noto Sans CJK TC
    notes = ["頭髮線條整理", "眼睛再大一點", "長治久安的顏色"]
    for i, text in enumerate(notes):
        d.text((160 + 300 * i, 160 + 220 * i), text, font=tc, fill=(200, 30, 40))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    read = [n for n in analyse(buf.getvalue()).notes if n.ink != "black"]
    assert read, "no note found"
    for note in read:
        assert counts(note.text)[1] == 0, f"Simplified forms in {note.text!r}"
        assert detect_language(note.text).lang in ("zh-Hant", "zh"), note.text
    assert any(n.text.replace(" ", "") == "頭髮線條整理" for n in read), [n.text for n in read]
