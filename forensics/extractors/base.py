"""The extractor interface: one small class per format or concern."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..records import FileRef, Note, Record


@dataclass(frozen=True)
class ExtractorDoc:
    """What an extractor reads, where its format is specified, and what it
    knowingly leaves out. Shown by `forensics extractors`."""

    summary: str
    reads: str
    references: tuple[str, ...] = ()
    limits: str = ""


class Extractor:
    """Subclasses set `name`, `version`, `doc` and the record kinds they yield.

    `applies` must be cheap (the sniffed type and the first bytes only).
    `extract` yields records and notes; it raises `NotMyFormat` when the bytes
    are not its format, and may raise `CorruptInput` after yielding what it
    could read. The stream is positioned at 0 and must not be closed.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    doc: ClassVar[ExtractorDoc]
    record_kinds: ClassVar[tuple[type[Record], ...]] = ()
    needs_bytes: ClassVar[bool] = True

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        raise NotImplementedError

    def extract(self, ref: FileRef, stream: BinaryIO) -> Iterator[Record | Note]:
        raise NotImplementedError
