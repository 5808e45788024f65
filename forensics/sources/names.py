"""Names as the case spells them: escaping (bytes that are not UTF-8, a
trailing `!`), the legacy readings of an undecodable name, names that could
escape an extraction folder, and "one url, one file" across a walk."""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Iterable, Iterator

from ..records import FileRef, Problem, flag


def escape_name(name: str) -> tuple[str, bytes | None]:
    """A name as it goes into a url, and its raw bytes when they had to be
    escaped. A name whose bytes are not UTF-8 has its non-ASCII bytes as
    `%XX`, and a name ending in `!` gets `%21`, so that `!/` only ever means
    "inside this archive" (a folder `a.zip!` beside `a.zip`)."""
    raw = None
    if not _utf8(name):
        # Every byte past ASCII is escaped, not only the invalid ones: a
        # cp949 name can hold byte pairs that happen to be valid UTF-8.
        raw = os.fsencode(name)
        name = "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in raw)
    if name.endswith("!"):
        name = name[:-1] + "%21"
    return name, raw


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_LEGACY = ("cp949", "gb18030", "big5", "shift_jis")


def undecodable_problem(raw: bytes) -> Problem:
    """A name whose bytes are not UTF-8: the raw bytes, and what they read as
    in the legacy encodings of the region (often the writer's locale)."""
    readings = []
    for enc in _LEGACY:
        try:
            readings.append(f"{enc}: {raw.decode(enc)}")
        except UnicodeDecodeError:
            continue
    guess = f"; reads as {'; '.join(readings)}" if readings else ""
    return flag(
        "sources",
        "undecodable_name",
        f"name bytes are not UTF-8: {raw.hex()} (escaped as %XX in the url){guess}",
    )


def suspicious_name(name: str) -> str | None:
    """Why a member name could escape an extraction folder, if it could."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "absolute path"
    if ".." in norm.split("/"):
        return "parent-directory traversal"
    return None


def unique_urls(refs: Iterable[FileRef], tally: Counter[str] | None = None) -> Iterator[FileRef]:
    """The last guard of "one url, one file": a url already given in this
    walk gets `;2`, `;3`... (the convention of tar and zip tools for
    duplicates) and a `duplicate_name` problem. Archives already number
    their duplicate members; this catches whatever else could collide.
    `tally` counts the refs by kind, for the scan's reconciliation."""
    seen: set[str] = set()
    for ref in refs:
        if ref.url in seen:
            n = 2
            while f"{ref.url};{n}" in seen:
                n += 1
            ref = dataclasses.replace(
                ref, url=f"{ref.url};{n}", flags=(*ref.flags, duplicate_problem(ref.url, n))
            )
        seen.add(ref.url)
        if tally is not None:
            tally[ref.kind] += 1
        yield ref


def duplicate_problem(url: str, n: int) -> Problem:
    return flag(
        "sources",
        "duplicate_name",
        f"another entry of the same name came first: this is copy {n} of {url!r}",
    )


def flagged(refs: Iterator[FileRef], url: str, raw: bytes | None) -> Iterator[FileRef]:
    """The ref of `url` with an `undecodable_name` problem when its name had
    to be escaped (`raw` is the path's bytes as found)."""
    for ref in refs:
        if raw is not None and ref.url == url:
            ref = dataclasses.replace(ref, flags=(undecodable_problem(raw), *ref.flags))
        yield ref
