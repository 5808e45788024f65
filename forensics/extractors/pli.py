"""What a Toonz vector level (`.pli`) says about itself besides its
drawings: its save history and the names of its palette's styles; the
reader is `opentoonz.py`.

A PLI file is "PLIMG", a zero byte, the length of the creator's name
(16 bits, little-endian) and the name ("OpenToonz 1.4 CM(f1)"), nine bytes
of header, then tags. A tag starts with a byte whose low six bits are its
type and whose high two bits say how its length is written (none, 8, 16 or
32 bits, little-endian). Type 4 is a text: the level's history, the same
fixed-width lines as a `.hst` (`TContentHistory`). Type 20 is a style: its
id (16 bits), its page (16 bits), then parameters, each a type byte; type 6
is a string (16-bit length, then the bytes), the style's name first.
References: OpenToonz `image/pli/pli_io.cpp` (`ParsedPliImp`), checked on
the public levels of bench/production.py.

Written by hand: no library reads PLI. A tag that runs past the file ends
the walk, and what was read before it is kept.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

TEXT_TAG = 4
STYLE_TAG = 20
STRING_PARAM = 6
MAX_TAGS = 200_000
MAX_NAMES = 10_000
_HEADER_AFTER_CREATOR = 9
_HISTORY = b"| #    DATE:"
_LENGTH_BYTES = (0, 1, 2, 4)
_LENGTH_FORMAT = {1: "<B", 2: "<H", 4: "<I"}


@dataclass(frozen=True)
class PliInfo:
    history: str  # the history tag's text ("" when the level has none)
    style_names: tuple[str, ...]  # in the order written, each once
    complete: bool  # every tag was walked to the end of the file


def _tags(data: bytes, pos: int) -> tuple[list[tuple[int, bytes]], bool]:
    """(type, body) of each tag from `pos`, and whether the walk reached the
    file's end cleanly."""
    tags: list[tuple[int, bytes]] = []
    while pos < len(data) and len(tags) < MAX_TAGS:
        head = data[pos]
        size_bytes = _LENGTH_BYTES[head >> 6]
        start = pos + 1 + size_bytes
        if start > len(data):
            return tags, False
        length = (
            struct.unpack_from(_LENGTH_FORMAT[size_bytes], data, pos + 1)[0] if size_bytes else 0
        )
        if start + length > len(data):
            return tags, False
        tags.append((head & 0x3F, data[start : start + length]))
        pos = start + length
    return tags, pos >= len(data)


def _starts(data: bytes) -> list[int]:
    """Where the tags may start: after the header, and at the history tag
    found by its text (a 16-bit length before it), for a header not laid
    out as described."""
    starts = []
    if len(data) >= 8:
        (creator,) = struct.unpack_from("<H", data, 6)
        starts.append(8 + creator + _HEADER_AFTER_CREATOR)
    at = data.find(_HISTORY)
    if at >= 3 and data[at - 3] == (0x80 | TEXT_TAG):
        starts.append(at - 3)
    return starts


def _style_name(body: bytes) -> str | None:
    if len(body) < 7 or body[4] != STRING_PARAM:
        return None
    (length,) = struct.unpack_from("<H", body, 5)
    raw = body[7 : 7 + length]
    if len(raw) != length:
        return None
    return raw.decode("utf-8", "replace").strip() or None


def read(data: bytes) -> PliInfo:
    """The history and style names of a PLI file's bytes."""
    tags: list[tuple[int, bytes]] = []
    complete = False
    for start in _starts(data):
        tags, complete = _tags(data, start)
        if complete:
            break
    history = ""
    names: dict[str, None] = {}
    for kind, body in tags:
        if kind == TEXT_TAG and not history and body.startswith(_HISTORY):
            history = body.decode("utf-8", "replace")
        elif kind == STYLE_TAG and len(names) < MAX_NAMES and (name := _style_name(body)):
            names[name] = None
    return PliInfo(history, tuple(names), complete)
