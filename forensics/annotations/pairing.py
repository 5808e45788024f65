"""A Chinese note and its Korean translation, side by side: the mark of a
go-between studio. Two notes in the same ink are a pair when the Korean one
sits just below the Chinese one (overlapping it horizontally) or just to its
right (overlapping it vertically)."""

from __future__ import annotations

import dataclasses

from ..records import Note


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def is_translation_pair(zh: Note, ko: Note) -> bool:
    if zh.box is None or ko.box is None or zh.ink != ko.ink:
        return False
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = zh.box, ko.box
    height = max(ay1 - ay0, by1 - by0, 1)
    below = -0.3 * height <= by0 - ay1 <= 1.5 * height and _overlap(
        ax0, ax1, bx0, bx1
    ) >= 0.3 * min(ax1 - ax0, bx1 - bx0)
    beside = 0 <= bx0 - ax1 <= 1.5 * height and _overlap(ay0, ay1, by0, by1) >= 0.5 * min(
        ay1 - ay0, by1 - by0
    )
    return below or beside


def link_pairs(notes: list[Note]) -> list[Note]:
    """The notes with `pair` set (1, 2, ...) on each Chinese note and the
    Korean note that translates it; each note is in one pair at most."""
    out = list(notes)
    used: set[int] = set()
    pair_id = 0
    for i, zh in enumerate(out):
        if not zh.lang.startswith("zh") or i in used:
            continue
        candidates = [
            j
            for j, ko in enumerate(out)
            if j not in used and ko.lang == "ko" and is_translation_pair(zh, ko)
        ]
        if not candidates:
            continue
        j = min(
            candidates,
            key=lambda k: abs((out[k].box or (0, 0, 0, 0))[1] - (zh.box or (0, 0, 0, 0))[3]),
        )
        pair_id += 1
        used.update((i, j))
        out[i] = dataclasses.replace(zh, pair=pair_id)
        out[j] = dataclasses.replace(out[j], pair=pair_id)
    return out
