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


@dataclass(frozen=True)
class ScanOptions:
    """What a scan tells its extractors: whether to OCR, where the case keeps
    its caches, and the time allowed for one file's notes."""

    ocr: bool = True
    cache_dir: str | None = None
    ocr_seconds: float = 120.0
    palette: str | None = None


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

    def configure(self, options: ScanOptions) -> Extractor | None:
        """This extractor as a scan with these options runs it: itself (the
        default), a configured copy, or None when the scan turns it off."""
        return self

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        raise NotImplementedError

    def extract(self, ref: FileRef, stream: BinaryIO) -> Iterator[Record | Note]:
        raise NotImplementedError
