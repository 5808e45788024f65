"""What a format reader yields: one member, as read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ...records import ArchiveEntry, Problem
from ..limits import Spooled


@dataclass
class Member:
    """One archive member as its reader found it: its name in the archive,
    its header (`entry`), its bytes (in memory, spooled to the case folder,
    or None when they were not read), what went wrong with it, and whether
    it is a file, a link (with its target) or something special. The walk
    (`walk.py`) makes its ref and descends into it."""

    name: str
    entry: ArchiveEntry
    data: bytes | Spooled | None = None
    flags: list[Problem] = field(default_factory=list)
    kind: Literal["file", "symlink", "special"] = "file"
    link: str | None = None
