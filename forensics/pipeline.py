"""The worker: everything the tool learns about one file, in one call that
never raises."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import CorruptInput, LimitExceeded, NotMyFormat
from .extractors import Extractor, registry
from .extractors.base import Context
from .language import detect_language
from .objects import ObjectWriter
from .records import FileRef, FileResult, Hashes, Note, Problem, Record, flag
from .sniff import extension_mismatch, sniff
from .sources import Limits, NotRegularFile, open_readonly

HEAD_BYTES = 64 * 1024
CHUNK = 1024 * 1024
UNREAD = "application/x-unread"  # no bytes were read: see the file's problems


def open_ref(ref: FileRef, in_memory: int = Limits.spool_bytes) -> BinaryIO:
    """A seekable binary stream over the ref's bytes (a remote object of up
    to `in_memory` bytes is read into memory, a bigger one through ranged
    requests: the scan's `--spool-bytes`)."""
    if ref.payload is not None:
        return io.BytesIO(ref.payload)
    if ref.remote is not None and not ref.container:
        from .sources.remote import open_object

        return open_object(ref.remote, in_memory)
    if ref.path is None:
        raise LimitExceeded("the source did not read this member (see its problems)")
    return open_readonly(ref.path)


def hash_stream(
    stream: BinaryIO, sink: Callable[[bytes], object] | None = None
) -> tuple[Hashes, int, bytes]:
    """MD5, SHA-1 and SHA-256 in one pass; also the byte count and the head.
    `sink` gets every chunk too (the preserved copy, written in the same pass)."""
    md5, sha1, sha256 = hashlib.md5(), hashlib.sha1(), hashlib.sha256()
    size, head = 0, b""
    while chunk := stream.read(CHUNK):
        if sink is not None:
            sink(chunk)
        if size < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - size]
        size += len(chunk)
        md5.update(chunk)
        sha1.update(chunk)
        sha256.update(chunk)
    return Hashes(md5.hexdigest(), sha1.hexdigest(), sha256.hexdigest()), size, head


def _run(
    extractor: Extractor, ref: FileRef, stream: BinaryIO, ctx: Context, out: list[Record | Note]
) -> Problem | None:
    ctx.extractor = extractor.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # library warnings about bad bytes: problems say it
            for item in extractor.extract(ref, stream, ctx):
                out.append(item)
    except NotMyFormat:
        return None
    except CorruptInput as exc:
        return flag(extractor.name, "corrupt", f"{exc} (partial data kept)")
    except LimitExceeded as exc:
        return flag(extractor.name, "limit_exceeded", f"{exc} (partial data kept)")
    except Exception as exc:  # the worker never raises: a crash is a finding
        return _error(extractor.name, exc)
    return None


def _error(where: str, exc: BaseException) -> Problem:
    """An unexpected failure, with enough of its traceback to find the bug."""
    tb = "".join(traceback.format_exception(exc, limit=-6)).strip()
    return flag(where, "error", f"{type(exc).__name__}: {exc}\n{tb}", "error")


def _applies(extractor: Extractor, ref: FileRef, mime: str, head: bytes) -> bool | Problem:
    try:
        return bool(extractor.applies(ref, mime, head))
    except Exception as exc:
        return _error(extractor.name, exc)


@dataclass
class _Findings:
    problems: list[Problem]
    items: list[Record | Note] = field(default_factory=list)
    hashes: Hashes | None = None
    mime: str = UNREAD
    mismatch: bool = False
    size: int | None = None


def _run_applicable(
    ex: Extractor, ref: FileRef, stream: BinaryIO, ctx: Context, found: _Findings
) -> None:
    ok = _applies(ex, ref, ctx.mime, ctx.head)
    if isinstance(ok, Problem):
        found.problems.append(ok)
    elif ok:
        stream.seek(0)
        problem = _run(ex, ref, stream, ctx, found.items)
        found.problems.extend(ctx.problems)
        ctx.problems.clear()
        if problem:
            found.problems.append(problem)


def _extract_into(
    found: _Findings,
    ref: FileRef,
    extractors: tuple[Extractor, ...],
    spool_bytes: int,
    preserve_dir: str | None = None,
) -> None:
    # Stat-only extractors run before any read, so that what they report
    # (atime above all) is the file as found.
    for ex in extractors:
        if not ex.needs_bytes:
            _run_applicable(ex, ref, io.BytesIO(b""), Context(), found)
    if ref.kind != "file":
        found.mime = f"inode/{ref.kind}"
        return
    if ref.payload is None and ref.path is None and ref.remote is None:
        return  # the source refused to read this member; its flags say why
    try:
        stream = open_ref(ref, spool_bytes)
    except NotRegularFile as exc:
        found.problems.append(flag("pipeline", "changed_during_read", str(exc), "error"))
        return
    except OSError as exc:
        found.problems.append(flag("pipeline", "unreadable", str(exc), "error"))
        return
    with contextlib.closing(stream):
        copy = ObjectWriter(preserve_dir) if preserve_dir and not ref.container else None
        try:
            found.hashes, found.size, head = hash_stream(stream, copy.write if copy else None)
        except OSError as exc:
            if copy is not None:
                copy.discard()
            found.problems.append(flag("pipeline", "unreadable", f"read failed: {exc}", "error"))
            return
        if copy is not None:
            kept = copy.keep(found.hashes.sha256)
            if ref.remote is not None and ref.remote.protocol in ("http", "https", "s3"):
                _archive_exchange(preserve_dir, ref, stream, kept)
        if not ref.container and (changed := _changed(ref, stream, found.size, found.hashes)):
            found.problems.append(flag("pipeline", "changed_during_read", changed))
        found.mime = sniff(head)
        found.mismatch = extension_mismatch(ref.extension, found.mime)
        ctx = Context(mime=found.mime, head=head, hashes=found.hashes, size=found.size)
        for ex in extractors:
            if ex.needs_bytes:
                _run_applicable(ex, ref, stream, ctx, found)


def _archive_exchange(case: str | None, ref: FileRef, stream: BinaryIO, kept: Path) -> None:
    """A preserved remote object's GET and response as WARC records (warc.py):
    what the server said as it sent the bytes (kept by the walker for an
    object it read whole, or on the worker's own stream), whichever process
    fetched it."""
    from .sources.exchange import http_url, said_fields
    from .warc import write_exchange

    assert case is not None and ref.remote is not None
    said = ref.response or tuple(said_fields(getattr(stream, "response", None) or {}))
    listed = {"ETag": ref.remote.etag or "", "Last-Modified": ref.remote.last_modified or ""}
    write_exchange(case, http_url(ref.remote), kept.read_bytes(), said, listed)


def _changed(ref: FileRef, stream: BinaryIO, hashed: int, hashes: Hashes) -> str | None:
    """How a loose file changed between its listing and the end of hashing,
    if it did: the hashes are of the bytes read, which may be neither."""
    if ref.remote is not None:
        from .sources.objectcheck import changed

        return changed(ref.remote, stream, hashed, hashes.md5)
    try:
        st = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return None
    listed_size = ref.size if ref.size is not None else st.st_size
    if listed_size == hashed == st.st_size and (ref.mtime is None or ref.mtime == st.st_mtime):
        return None
    return (
        f"the file changed while it was read: {listed_size} bytes when listed, "
        f"{hashed} hashed, {st.st_size} now; mtime {ref.mtime} when listed, {st.st_mtime} now "
        "(the hashes are of the bytes hashed)"
    )


def _with_language(note: Note) -> Note:
    """Every note gets its language, whatever extractor found it."""
    if note.lang != "und" or not note.text:
        return note
    guess = detect_language(note.text)
    return dataclasses.replace(note, lang=guess.lang, lang_confidence=guess.confidence)


def _paired(notes: list[Note]) -> tuple[Note, ...]:
    """Translation pairs among all of a file's notes (a PSD's text layers
    as well as the notes read on its pixels); pairs found already are kept."""
    from .annotations.context import in_context
    from .annotations.pairing import link_pairs

    notes = in_context(notes)
    if not any(n.lang == "ko" for n in notes) or not any(
        n.lang[:2] in ("zh", "ja") or n.lang == "und-Hani" for n in notes
    ):
        return tuple(notes)
    return tuple(link_pairs(notes))


@dataclass(frozen=True)
class Worker:
    """`extract_one` with a scan's configured extractors: picklable, so it can
    be sent to a worker process or a Dask cluster. `salvage` is what a file
    gets when its extraction was stopped from outside (deadline, memory cap)
    or took its worker down: the hashes, type and filesystem facts, read in
    the calling process without parsing the bytes, and the problem."""

    extractors: tuple[Extractor, ...]
    spool_bytes: int = Limits.spool_bytes  # the scan's: a bigger remote object is streamed
    preserve_dir: str | None = None  # the case folder, when top-level files are preserved

    def __call__(self, ref: FileRef) -> FileResult:
        return extract_one(ref, self.extractors, self.spool_bytes, self.preserve_dir)

    def salvage(self, ref: FileRef, problem: Problem) -> FileResult:
        stat_only = tuple(ex for ex in self.extractors if not ex.needs_bytes)
        res = extract_one(ref, stat_only, self.spool_bytes, self.preserve_dir)
        return dataclasses.replace(res, problems=(*res.problems, problem))


def extract_one(
    ref: FileRef,
    extractors: tuple[Extractor, ...] | None = None,
    spool_bytes: int = Limits.spool_bytes,
    preserve_dir: str | None = None,
) -> FileResult:
    """Hash, sniff and run every applicable extractor over one ref. Never
    raises: whatever goes wrong is a `Problem` in the result."""
    start = time.perf_counter()
    found = _Findings(problems=list(ref.flags))
    try:
        chosen = registry() if extractors is None else extractors
        _extract_into(found, ref, chosen, spool_bytes, preserve_dir)
    except Exception as exc:  # belt and braces: the worker itself failed
        found.problems.append(_error("pipeline", exc))
    return FileResult(
        ref=ref,
        hashes=found.hashes,
        mime=found.mime,
        ext_mismatch=found.mismatch,
        size=found.size if found.size is not None else ref.size,
        records=tuple(i for i in found.items if isinstance(i, Record)),
        notes=_paired([_with_language(i) for i in found.items if isinstance(i, Note)]),
        problems=tuple(found.problems),
        seconds=time.perf_counter() - start,
    )
