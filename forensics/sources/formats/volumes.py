"""Multi-volume archives: which names make a set (`x.part1.rar`...,
`x.7z.001`...), and byte-split volumes read as one seekable stream."""

from __future__ import annotations

import io
import os
import re
from typing import Any

from ..evidence import open_readonly

_RAR_VOLUME = re.compile(r"^(?P<stem>.+)\.part(?P<n>\d+)\.rar$", re.IGNORECASE)

_SPLIT_VOLUME = re.compile(r"^(?P<stem>.+\.(?:7z|zip|rar))\.(?P<n>\d{3})$", re.IGNORECASE)


def volume_sets(names: list[str]) -> dict[str, list[str | None]]:
    """First volume -> the names of all its volumes in order (None where
    one is missing), for `x.part1.rar`, `x.part2.rar`... (RAR's own volumes)
    and `x.7z.001`, `x.7z.002`... (an archive split into byte ranges)."""
    groups: dict[tuple[str, str, int], dict[int, str]] = {}
    for name in names:
        for style, pattern in (("rar", _RAR_VOLUME), ("split", _SPLIT_VOLUME)):
            if m := pattern.match(name):
                key = (style, m["stem"], len(m["n"]))
                groups.setdefault(key, {})[int(m["n"])] = name
    out: dict[str, list[str | None]] = {}
    for (_, _, _), numbered in groups.items():
        if 1 not in numbered or len(numbered) < 2:
            continue
        out[numbered[1]] = [numbered.get(i) for i in range(1, max(numbered) + 1)]
    return out


class Volumes(io.RawIOBase):
    """The byte-split volumes of an archive (`x.7z.001`, `x.7z.002`...) as
    one seekable stream: a 7z split so is the archive's bytes in order."""

    def __init__(self, paths: list[str]) -> None:
        self._files = [open_readonly(p, buffered=False) for p in paths]
        self._sizes = [os.fstat(f.fileno()).st_size for f in self._files]
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: sum(self._sizes)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, buf: Any) -> int:
        want = len(buf)
        start, done = 0, 0
        for f, size in zip(self._files, self._sizes, strict=True):
            if self._pos < start + size and done < want:
                f.seek(self._pos - start)
                got = f.read(min(want - done, start + size - self._pos))
                buf[done : done + len(got)] = got
                done += len(got)
                self._pos += len(got)
            start += size
        return done

    def close(self) -> None:
        for f in self._files:
            f.close()
        super().close()
