"""A Chinese note and its Korean translation, side by side: the mark of a
go-between studio.

Two notes are a pair only with evidence that one translates the other.
Three kinds make up `pair_score`, each a probability-like share combined
as independent evidence (1 - the product of what each leaves unexplained):

- reading: the Sino-Korean readings of the Chinese characters (the
  `hanja` package's table, keyed by Traditional forms, so Simplified text
  is turned Traditional with OpenCC first) found, in order, in the Korean
  text (角度修正 and 각도 수정): the share of the Chinese characters
  whose reading was found so;
- vocabulary: the concepts of the production's correction vocabulary the
  two notes both name (`lexicon.py`: 手臂缩短 and 팔 길이 줄이기), which
  is how a translator writing native Korean is found;
- geometry: on an image, the Korean note just below the Chinese one or
  just to its right, of a similar size, is a condition; the same ink adds
  `PAIRS.geometry`, which never makes a pair alone: a pair needs text
  evidence of at least `PAIRS.min_text`, and in different inks the text
  alone must reach `PAIRS.min_score`.

A pair on an image needs `PAIRS.min_score` and the right geometry; text
layers and other notes without a place need `PAIRS.min_score_unplaced`
from the text alone.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from ..hanconvert import convert
from ..language import AMBIGUOUS_HAN, han_only_in
from ..records import Note
from ..usercache import kept_table
from .lexicon import chinese_concepts, korean_concepts, lexicon_score
from .params import PAIRS


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def beside(zh: Note, ko: Note) -> bool:
    """Whether the Korean note's place fits a translation of the Chinese:
    just below it or just to its right, of a similar size. (The same ink
    is evidence too, but not a condition: the ink classifier tells red
    from pink or orange less surely than the notes tell their meaning.)"""
    if zh.box is None or ko.box is None:
        return False
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = zh.box, ko.box
    height = max(ay1 - ay0, by1 - by0, 1)
    if not 1 / PAIRS.size_ratio <= (ay1 - ay0) / max(by1 - by0, 1) <= PAIRS.size_ratio:
        return False
    below = -0.3 * height <= by0 - ay1 <= PAIRS.gap * height and _overlap(
        ax0, ax1, bx0, bx1
    ) >= 0.3 * min(ax1 - ax0, bx1 - bx0)
    right = 0 <= bx0 - ax1 <= PAIRS.gap * height and _overlap(ay0, ay1, by0, by1) >= 0.5 * min(
        ay1 - ay0, by1 - by0
    )
    return below or right


@functools.cache
def _hanja_table() -> dict[str, str]:
    """The hanja package's reading table. The package parses its 500 KB
    YAML file when imported (0.9 s, in every worker process); the parsed
    table is kept in the user's cache folder (`usercache`), named by the
    file's size and mtime, so a new hanja rebuilds it."""
    import hanja

    source = Path(hanja.__file__).parent / "table.yml"
    st = source.stat()

    def build() -> dict[str, str]:
        from hanja.table import hanja_table

        return dict(hanja_table)

    return kept_table(f"hanja-table-{st.st_size}-{st.st_mtime_ns}", build)


@functools.lru_cache(maxsize=1 << 16)  # a file's notes ask for the same few hundred characters
def readings(ch: str) -> frozenset[str]:
    """The Hangul syllables a Chinese character is read as in Korean (its
    table reading, and that reading after the initial-sound rule, 理 이/리)."""
    from hanja.hangul import dooeum

    table = _hanja_table()
    out = set()
    for form in {ch, convert(ch, "s2t")}:
        reading = table.get(form)
        if reading:
            out.add(reading)
            out.add(dooeum(" ", reading))  # " ": the start of a word
    return frozenset(out)


def _is_han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def reading_score(chinese: str, korean: str) -> float:
    """Share of the Han characters of `chinese` whose Korean reading is
    found in `korean`, in order (longest common subsequence)."""
    han = [c for c in chinese if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"]
    syllables = [c for c in korean if "\uac00" <= c <= "\ud7a3"]
    if not han or not syllables:
        return 0.0
    sets = [readings(c) for c in han]
    row = [0] * (len(syllables) + 1)
    for options in sets:
        prev = 0
        for j, s in enumerate(syllables, 1):
            cur = row[j]
            row[j] = prev + 1 if s in options else max(row[j], row[j - 1])
            prev = cur
    return row[-1] / len(han)


def _chinese_characters(note: Note) -> bool:
    """A note that may be the Chinese of a pair: Chinese, or written in
    Chinese characters only (a short Chinese note whose characters Japanese
    uses too may have been called Japanese; the Korean reading decides)."""
    if note.lang.startswith("zh"):
        return True
    letters = [c for c in note.text if c.isalpha()]
    return (
        note.lang in ("ja", AMBIGUOUS_HAN)
        and bool(letters)
        and all("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in letters)
    )


def link_pairs(notes: list[Note]) -> list[Note]:
    """The notes with `pair` (1, 2, ...) and `pair_score` set on each Chinese
    note and the Korean note that translates it; each note is in one pair
    at most, the best-read candidates first. Pairs already numbered are
    kept. A note in Chinese characters only that the language detector
    called Japanese becomes Chinese when it pairs: its Korean neighbour
    reads it out in Sino-Korean, which is how a Chinese note is translated
    for a Korean studio, and the statistics could not tell."""
    out = list(notes)
    used = {i for i, n in enumerate(out) if n.pair}
    pair_id = max((n.pair or 0 for n in out), default=0)
    scored = []
    # each Korean note's syllables, once: a Chinese note none of whose
    # readings is among them scores 0 without the subsequence (a work log's
    # hundreds of cells are compared pairwise)
    syllables = {
        j: {c for c in n.text if "\uac00" <= c <= "\ud7a3"}
        for j, n in enumerate(out)
        if n.lang == "ko" and j not in used
    }
    for i, zh in enumerate(out):
        if i in used or not _chinese_characters(zh):
            continue
        heard = set().union(*(readings(c) for c in zh.text if _is_han(c)))
        named = chinese_concepts(zh.text)
        for j, ko in enumerate(out):
            if j not in syllables:
                continue
            shares_reading = not heard.isdisjoint(syllables[j])
            if not shares_reading and not (named and korean_concepts(ko.text).keys() & named):
                continue
            placed = zh.box is not None and ko.box is not None
            if placed and not beside(zh, ko):
                continue
            text = 1 - (1 - (reading_score(zh.text, ko.text) if shares_reading else 0.0)) * (
                1 - lexicon_score(zh.text, ko.text)
            )
            # in another ink, or without a place: the text alone
            same_ink = placed and zh.ink == ko.ink
            score = 1 - (1 - text) * (1 - PAIRS.geometry) if same_ink else text
            if text >= PAIRS.min_text and score >= (
                PAIRS.min_score if placed else PAIRS.min_score_unplaced
            ):
                scored.append((score, i, j))
    for score, i, j in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if i in used or j in used:
            continue
        pair_id += 1
        used.update((i, j))
        chinese = dataclasses.replace(out[i], pair=pair_id, pair_score=round(score, 3))
        if chinese.lang in ("ja", AMBIGUOUS_HAN):  # read out in Sino-Korean: Chinese
            guess = han_only_in(chinese.text, "zh")
            if guess is not None:
                chinese = dataclasses.replace(
                    chinese, lang=guess.lang, lang_confidence=guess.confidence
                )
        out[i] = chinese
        out[j] = dataclasses.replace(out[j], pair=pair_id, pair_score=round(score, 3))
    return out
