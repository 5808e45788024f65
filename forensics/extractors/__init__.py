"""The extractor registry: built-ins plus the entry point group
`forensics.extractors` for third-party formats."""

from __future__ import annotations

import functools
from importlib.metadata import entry_points

from .archive import ArchiveEntryExtractor
from .base import Extractor, ExtractorDoc
from .filesystem import FilesystemExtractor

BUILTIN_EXTRACTORS: tuple[type[Extractor], ...] = (
    FilesystemExtractor,
    ArchiveEntryExtractor,
)

ENTRY_POINT_GROUP = "forensics.extractors"


@functools.cache
def registry() -> tuple[Extractor, ...]:
    """Instances of every extractor, built-ins first, then plug-ins by name.
    Names must be unique: a plug-in cannot shadow a built-in."""
    classes = list(BUILTIN_EXTRACTORS)
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        classes.append(ep.load())
    seen: set[str] = set()
    for cls in classes:
        if cls.name in seen:
            raise ValueError(f"two extractors are named {cls.name!r}")
        seen.add(cls.name)
    return tuple(cls() for cls in classes)


__all__ = ["BUILTIN_EXTRACTORS", "Extractor", "ExtractorDoc", "registry"]
