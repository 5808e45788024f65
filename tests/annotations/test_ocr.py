"""OCR of the notes on sample sheets, with their language, box and pairs."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from forensics.annotations import analyse, read_annotations

from ..conftest import SAMPLES
from ..extractors.util import sample_bytes

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
NOTES = json.loads((SAMPLES / "expected" / "notes.json").read_text())


def _letters(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text)


def _centre_in(a: tuple[int, ...], b: list[int]) -> bool:
    cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] - 8 <= cx <= b[2] + 8 and b[1] - 8 <= cy <= b[3] + 8


def test_notes_on_sample_sheets() -> None:
    urls = sorted(u for u in NOTES if u.endswith(".jpg"))[:12]
    exact = lang_right = total = 0
    for url in urls:
        notes = read_annotations(sample_bytes(url))
        assert all(n.box and n.origin in ("ocr", "printed") for n in notes)
        for truth in (n for n in NOTES[url] if n["origin"] == "ocr"):
            total += 1
            found = [
                n for n in notes if n.origin == "ocr" and n.box and _centre_in(n.box, truth["box"])
            ]
            exact += _letters("".join(n.text for n in found)) == _letters(truth["text"])
            lang_right += {n.lang for n in found} == {truth["lang"]}
            assert all(n.ink == truth["ink"] for n in found)
    # measured on these 12 sheets: 26 of 30 exact, 29 of 30 languages right
    assert exact / total >= 0.75, (exact, total)
    assert lang_right / total >= 0.9, (lang_right, total)


def test_printed_header_and_coverage() -> None:
    url = sorted(u for u in NOTES if u.endswith(".jpg"))[0]
    sheet = analyse(sample_bytes(url))
    printed = [n for n in sheet.notes if n.origin == "printed"]
    assert printed and printed[0].text.startswith(NOTES[url][0]["text"].split()[0])
    assert sheet.coverage["red"] + sheet.coverage["blue"] > 0


def test_bilingual_pairs_are_linked() -> None:
    bilingual = sorted(u for u in NOTES if u.endswith(".jpg") and any(n["pair"] for n in NOTES[u]))
    linked = 0
    for url in bilingual[:8]:
        notes = read_annotations(sample_bytes(url))
        pairs: dict[int, list[str]] = {}
        for n in notes:
            if n.pair:
                pairs.setdefault(n.pair, []).append(n.lang)
        linked += any(sorted(p) == ["ko", "zh-Hans"] for p in pairs.values())
    assert linked >= 4, linked
