"""The extractor interface: one small class per format or concern."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from ..records import FileRef, Hashes, Note, Problem, Record, flag

if TYPE_CHECKING:
    from ..config import ScanConfig


@dataclass(frozen=True)
class ExtractorDoc:
    """What an extractor reads, where its format is specified, and what it
    knowingly leaves out. Shown by `forensics extractors`."""

    summary: str
    reads: str
    references: tuple[str, ...] = ()
    limits: str = ""


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
        self.problems.append(flag(self.extractor, kind, message))


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

    def configure(self, options: ScanConfig) -> Extractor | None:
        """This extractor as a scan with these options runs it: itself (the
        default), a configured copy, or None when the scan turns it off."""
        return self

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        raise NotImplementedError

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        raise NotImplementedError
