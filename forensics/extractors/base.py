"""The extractor interface: one small class per format or concern."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from ..records import PROBLEM_KINDS, FileRef, Hashes, Note, Problem, Record


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


@dataclass
class Context:
    """What the worker already knows about the file when an extractor runs:
    the sniffed type, the first bytes, the hashes and the size read (so that
    extractors neither re-sniff nor re-hash), and `warn()`, which records a
    problem while the extractor goes on yielding what it can parse."""

    mime: str = ""
    head: bytes = b""
    hashes: Hashes | None = None
    size: int | None = None
    extractor: str = ""  # set by the worker before each extractor runs
    problems: list[Problem] = field(default_factory=list)

    def warn(self, kind: str, message: str) -> None:
        if kind not in PROBLEM_KINDS:
            raise ValueError(f"undocumented problem kind {kind!r} (records.PROBLEM_KINDS)")
        self.problems.append(Problem("warning", self.extractor, kind, message))


class Extractor:
    """Subclasses set `name`, `version`, `doc` and the record kinds they yield.

    `applies` must be cheap (the sniffed type and the first bytes only).
    `extract` yields records and notes; it raises `NotMyFormat` when the bytes
    are not its format, and may raise `CorruptInput` or `LimitExceeded` after
    yielding what it could read, or call `ctx.warn()` and go on. It catches
    only the documented errors of the libraries it calls: anything else is
    recorded as an `error` problem with its traceback. The stream is
    positioned at 0 and must not be closed.
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

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        raise NotImplementedError
