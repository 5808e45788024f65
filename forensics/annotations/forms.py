"""Traditional characters stay Traditional: a quote must be the text on
the sheet.

PP-OCR's recogniser has both Chinese scripts in its dictionary, but it
learnt far more Simplified text: a Traditional glyph is now and then read
as its Simplified form (長 as 长, 統 as 统), which misquotes the evidence
and can turn a Traditional note's language to Simplified. A writer keeps
to one script, so a line is put back in Traditional when the evidence says
it was written so: its own characters that only Traditional writes
outnumber those only Simplified writes, or, where it has Simplified-only
characters and no Traditional-only one, the sheet's other lines have
Traditional-only characters `FORMS.sheet` times as many as Simplified-only
ones (and at least `FORMS.sheet_min`) and the recogniser itself gave the
Traditional form as a candidate at that step. Each Simplified-only character is
then replaced by the recogniser's own candidate at that step whose
Simplified form it is (the glyph says so), or failing one, by OpenCC's
Traditional form of the line at that place (decoding constrained to the
script written). Characters both scripts write are left as read.
"""

from __future__ import annotations

import dataclasses

from ..hanconvert import convert
from ..language import detect_language, han_langs, script_of
from .params import FORMS
from .recognise import Reading


def only_in(ch: str) -> str | None:
    """`zh-Hans` or `zh-Hant` for a character only that script writes (by
    GB 2312 and Big5), else None."""
    if script_of(ch) != "Han":
        return None
    langs = han_langs(ch) & {"zh-Hans", "zh-Hant"}
    return next(iter(langs)) if len(langs) == 1 else None


def counts(text: str) -> tuple[int, int]:
    """Characters only Traditional writes, and only Simplified writes."""
    forms = [only_in(c) for c in text]
    return forms.count("zh-Hant"), forms.count("zh-Hans")


def written_traditional(text: str, sheet: tuple[int, int]) -> str | None:
    """Whether a line was written in Traditional characters, and on what
    evidence: `line` when its own characters say so, `sheet` when it has
    no Traditional-only character but the sheet's other lines do
    (`sheet`: their counts, as `counts`); None when it was not."""
    trad, simp = counts(text)
    if not simp:
        return None
    if trad:
        return "line" if trad > simp else None
    other_trad, other_simp = sheet
    if other_trad >= FORMS.sheet_min and other_trad >= FORMS.sheet * other_simp:
        return "sheet"
    return None


def as_written(reading: Reading, sheet: tuple[int, int] = (0, 0)) -> Reading:
    """The reading with its Simplified-only characters put back in
    Traditional where the line was written in Traditional. On the sheet's
    evidence alone only the glyph may say so: a character is replaced only
    by a Traditional candidate the recogniser gave at least `FORMS.glyph`
    (a sheet may hold a note in the other script)."""
    text = reading.text
    evidence = written_traditional(text, sheet)
    if evidence is None:
        return reading
    floor = FORMS.option if evidence == "line" else FORMS.glyph
    # the whole line through Simplified and back: OpenCC picks a form by
    # its words (头发 -> 頭髮, 发现 -> 發現), which one character cannot
    converted = convert(convert(text, "t2s"), "s2t")
    aligned = len(converted) == len(text)
    out = []
    for i, ch in enumerate(text):
        if only_in(ch) != "zh-Hans":
            out.append(ch)
            continue
        options = reading.options[i] if i < len(reading.options) else ()
        seen = [
            c
            for c, p in options
            if p >= floor and only_in(c) != "zh-Hans" and convert(c, "t2s") == ch
        ]
        if seen and seen[0] != ch:
            out.append(seen[0])
        elif evidence == "sheet":
            out.append(ch)
        elif aligned:
            out.append(converted[i])
        else:
            out.append(convert(ch, "s2t"))
    return dataclasses.replace(reading, text="".join(out))


def is_chinese(text: str) -> bool:
    """A line in Chinese characters that reads as Chinese: no kana, and the
    language detector's family is Chinese."""
    if any(script_of(c) == "Kana" for c in text):
        return False
    return detect_language(text).lang.startswith("zh")
