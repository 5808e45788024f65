"""Evidence opened for reading only: a file without following a final
link and without bumping its access time where the OS allows, a folder
listed through a descriptor opened the same way. Nothing here writes."""

from __future__ import annotations

import datetime as dt
import os
import stat
from typing import BinaryIO

NOATIME = getattr(os, "O_NOATIME", 0)


def open_readonly(path: str, buffered: bool = True) -> BinaryIO:
    """Open evidence for reading without following a final link, and without
    bumping its access time where the OS allows (ONOATIME needs ownership or
    CAP_FOWNER; otherwise a plain read-only open)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | NOATIME)
    except PermissionError:
        fd = os.open(path, flags)
    # O_NONBLOCK: a file swapped for a FIFO after listing must not block the
    # open; anything that is not a regular file any more is refused here.
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        mode = stat.filemode(st.st_mode)
        raise NotRegularFile(f"{path}: not a regular file any more (mode {mode})")
    if flags & getattr(os, "O_NONBLOCK", 0):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb", buffering=-1 if buffered else 0)


class NotRegularFile(OSError):
    """The path was a regular file when listed and is something else now."""


def listdir(path: str) -> list[tuple[str, os.stat_result | OSError]]:
    """A folder's entries, sorted by name, each with its lstat (or why it
    has none), read through a descriptor opened with ONOATIME where
    allowed: listing a folder would otherwise bump its access time, which is
    evidence too."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(path, flags | NOATIME)
    except PermissionError:
        fd = os.open(path, flags)
    out: list[tuple[str, os.stat_result | OSError]] = []
    try:
        with os.scandir(fd) as it:
            for entry in it:
                try:
                    out.append((entry.name, entry.stat(follow_symlinks=False)))
                except OSError as exc:
                    out.append((entry.name, exc))
    finally:
        os.close(fd)
    return sorted(out, key=lambda e: e[0])


def from_ns(ns: int) -> dt.datetime:
    """A filesystem time in nanoseconds since the epoch, as an aware UTC
    datetime to the microsecond."""
    seconds, rest = divmod(ns, 1_000_000_000)
    base = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return base + dt.timedelta(microseconds=rest // 1000)
