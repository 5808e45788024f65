"""Archives that Python's standard library cannot read: RAR 4 and 5 (solid
ones too), 7z, CAB, LHA, cpio, xar, ISO 9660 images, and zstd / lz4 streams (a `.tar.zst` is
a tar inside one), through libarchive (`libarchive-c` over Debian's
libarchive13): a reader maintained for decades, fuzzed in OSS-Fuzz, and the
one `bsdtar` uses. The walk is the zip and tar walk (`walk.py`): members
read into memory within the same limits (member bytes, the source's
budget, the ratio of bytes produced to bytes consumed, member count,
depth), recursion into archives inside, urls with `!/`, links recorded and
never followed.

Times: libarchive gives POSIX seconds. 7z, RAR 5, cpio, xar and ISO store
UTC (7z and RAR 5 as FILETIME or Unix time), so their times are UTC by the
format (`entry_mtime`...). RAR 4, CAB and LHA (levels 0 and 1) store DOS
times, wall-clock with no zone; libarchive turns them into POSIX seconds
with the reading process's local zone (mktime), so the wall-clock fields are
taken back out of them with that same zone (`local_mtime`, naive).

An encrypted member is a row with an `encrypted` problem and what its
header shows (name, size, times); its bytes are not read. An archive whose
headers are encrypted (7z `-mhe`, RAR 5 `-hp`) shows nothing but itself,
with an `encrypted` problem. A multi-volume archive's volumes are each read
as what they are: a volume holds members that run on into the next one,
which libarchive reports as truncated.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import datetime as dt
import io
import os
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from typing import IO, Any

from ...errors import LimitExceeded
from ...records import ArchiveEntry, Problem, flag
from ..limits import Reading, read_bounded
from .member import Member

# libarchive's reader for each kind sniffed: the one format, not "all" (which
# bids, and took a RAR 5 holding a zip for the zip)
_FORMATS = {
    "rar": "rar",
    "rar5": "rar5",
    "7z": "7zip",
    "cab": "cab",
    "lzh": "lha",
    "cpio": "cpio",
    "xar": "xar",
    "iso": "iso9660",
}

# formats whose entry times are DOS wall-clock, turned into POSIX seconds by
# libarchive with the local zone
_LOCAL_TIME_FORMATS = ("rar", "cab", "lzh")


def _encrypted_flags() -> Callable[[Any], bool]:
    import libarchive.ffi as ffi

    fn = ffi.libarchive.archive_entry_is_encrypted
    fn.argtypes = [ctypes.c_void_p]
    fn.restype = ctypes.c_int
    return lambda entry_p: bool(fn(entry_p))


class _Blocks(io.RawIOBase):
    """A member's data blocks as a stream, for `read_bounded` (which asks
    a MiB at a time: blocks gather in one buffer, not by concatenation)."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._held = bytearray()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._held) < size:
            try:
                self._held += next(self._blocks)
            except StopIteration:
                break
        take = len(self._held) if size < 0 else min(size, len(self._held))
        out = bytes(self._held[:take])
        del self._held[:take]
        return out


def _text(value: str | bytes | None) -> str | None:
    """A header string: libarchive-c gives bytes when the name is not in
    the header's codec (a CAB's cp932 names); they are kept as the
    surrogate-escaped bytes local names are, so that the url escapes them
    as %XX and an `undecodable_name` problem reads them in the legacy codecs."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return value


def _wall(seconds: float) -> tuple[int, int, int, int, int, int]:
    t = time.localtime(seconds)
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


def _times(entry: Any, kind: str) -> dict[str, Any]:
    if kind == "tar":  # a tar inside zstd or lz4: its times as the tar walk records them
        return {"tar_mtime": float(entry.mtime)} if entry.mtime else {}
    out: dict[str, Any] = {}
    local = kind in _LOCAL_TIME_FORMATS
    for name in ("mtime", "atime", "ctime", "birthtime"):
        value = getattr(entry, name, None)
        if not value:
            continue
        if local:
            if name == "mtime":
                out["dos_time"] = _wall(float(value))
        else:
            out.setdefault("utc_times", []).append((name, float(value)))
    if "utc_times" in out:
        out["utc_times"] = tuple(out["utc_times"])
    return out


def problem_kind(exc: Exception) -> str:
    """The problem kind of a libarchive failure: `encrypted`, `truncated`
    or `corrupt_member`. libarchive reports all three with one errno
    (ARCHIVE_ERRNO_FILE_FORMAT, or -1) and says which in its message only
    ("Encrypted file is unsupported", "Incorrect passphrase", "Truncated
    input file..."), so the message is what is read, here alone. Encrypted
    members whose header says so are told before any read, by
    `archive_entry_is_encrypted`."""
    text = str(getattr(exc, "msg", exc)).lower()
    if "encrypt" in text or "passphrase" in text:
        return "encrypted"
    if "truncated" in text:
        return "truncated"
    return "corrupt_member"


READ_IDLE_SECONDS = 120.0  # a child that sends nothing for this long is stuck: killed


def read_libarchive(
    fh: IO[bytes] | list[str], kind: str, chain: tuple[str, ...], size: int, walk: Reading
) -> Iterator[Member]:
    """Members of the archive `chain[-1]` (in `fh`, or the volumes of a
    multi-volume RAR, in order) read through libarchive; its problems go to
    `walk`.

    libarchive is C, and hostile archives crash it (Debian's 3.6.2 aborts
    with a double free on `test_read_format_cab_lzx_oob.cab` and segfaults
    on `test_read_format_cab_skip_malformed.cab` from its own suite). So the
    walk runs in a forked child, which sends each member as it is
    read: a child that dies or hangs costs the archive's remaining members
    (its row says so, kind `corrupt_archive`), never the scan. A failure
    libarchive reports is an OSError, which the walk records
    as `corrupt_archive` after the members read before it. The
    walk (`walk.py`) descends into members here, in the parent."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, fh, kind, chain, size, walk), daemon=True)
    child.start()
    send.close()
    finished = False
    failure: str | None = None
    seen: Counter[str] = Counter()  # member names given, for the header fallback
    try:
        while True:
            if not recv.poll(READ_IDLE_SECONDS):
                failure = f"libarchive sent nothing for {READ_IDLE_SECONDS:g} s (a loop?)"
                walk.flag("corrupt_archive", f"{kind}: {failure}: the members before are listed")
                finished = True  # flagged already
                break
            try:
                message = recv.recv()
            except EOFError:
                break
            what = message[0]
            if what == "member":
                _, member, inflated = message
                seen[member.entry.name] += 1
                walk.budget.left -= inflated  # what the child read, out of the parent's budget
                yield member
            elif what == "done":
                walk.flags.extend(message[1])
                finished = True
            elif what == "error":
                _, flags, text = message
                walk.flags.extend(flags)
                failure = text
                break
    finally:
        child.join(timeout=5)  # it closed the pipe: let it exit before it is killed
        if child.is_alive():
            child.kill()
        child.join()
        recv.close()
    if not finished and failure is None and child.exitcode != 0:
        failure = f"libarchive died reading it (exit status {child.exitcode})"
        walk.flag("corrupt_archive", f"{kind}: {failure}: the members before are listed")
    if failure is not None and kind in ("rar", "rar5") and not isinstance(fh, list):
        yield from _rar_headers(fh, kind, chain, walk, seen, failure)
    if failure is not None and "died" not in failure and "nothing for" not in failure:
        raise OSError(failure)


def _child(
    send: Any,
    fh: IO[bytes] | list[str],
    kind: str,
    chain: tuple[str, ...],
    size: int,
    walk: Reading,
) -> None:
    import faulthandler

    import libarchive
    from libarchive.exception import ArchiveError

    # a crash here is recorded by the parent as the archive's problem; the
    # C library's own last words (glibc's "double free") would only clutter
    # the analyst's terminal, and a test runner's fault handler more so
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    known = len(walk.flags)  # the parent has these: only what is found here goes back
    try:
        if isinstance(fh, list):
            fmt = _FORMATS[kind]
        else:
            fmt = _inner_format(libarchive, fh) if kind in ("zstd", "lz4") else _FORMATS[kind]
        left = walk.budget.left
        for member in _entries(libarchive, fh, kind, fmt, chain, size, walk, _encrypted_flags()):
            send.send(("member", member, left - walk.budget.left))
            left = walk.budget.left
        send.send(("done", walk.flags[known:]))
    except ArchiveError as exc:
        send.send(("error", walk.flags[known:], f"{kind}: {exc}"))
    except Exception as exc:  # a bug of ours or of the binding: the parent records it
        tb = "".join(traceback.format_exception(exc, limit=-6)).strip()
        text = f"{kind} reader failed: {type(exc).__name__}: {exc}\n{tb}"
        send.send(("error", walk.flags[known:], text))
    finally:
        send.close()


def _entries(
    libarchive: Any,
    fh: IO[bytes] | list[str],
    kind: str,
    fmt: str,
    chain: tuple[str, ...],
    packed: int,
    walk: Reading,
    is_encrypted: Callable[[Any], bool],
) -> Iterator[Member]:
    from libarchive.exception import ArchiveError

    limits = walk.limits
    start_budget = walk.budget.left
    opened = (
        _open_volumes(fh, fmt)
        if isinstance(fh, list)
        else libarchive.stream_reader(fh, format_name=fmt, filter_name="all", block_size=64 * 1024)
    )
    with opened as archive:
        entries = iter(archive)
        count = 0
        while True:
            try:
                entry = next(entries)
            except StopIteration:
                return
            except ArchiveError as exc:
                if problem_kind(exc) == "encrypted":
                    walk.flag(
                        "encrypted",
                        f"{kind} archive with encrypted headers: its members cannot be listed "
                        f"without the password ({exc})",
                    )
                    return
                raise
            if count >= limits.max_members:
                walk.flag(
                    "limit_exceeded",
                    f"more than {limits.max_members} members; the rest not listed (--max-members)",
                )
                return
            count += 1
            if entry.isdir:
                continue
            name = _text(entry.pathname) or ""
            if fmt == "raw":  # a bare compressed stream: the member is the stream's content
                name = chain[-1].rsplit("/", 1)[-1].rsplit("!/", 1)[-1]
                name = name.rsplit(".", 1)[0] if "." in name else f"{name}.out"
            declared = entry.size if entry.size is not None else 0
            member_format = _format_of(archive, kind, fmt)
            archive_entry = ArchiveEntry(
                format=member_format,
                name=name,
                size=declared,
                mode=entry.mode,
                uid=entry.uid,
                gid=entry.gid,
                uname=_text(entry.uname) or None,
                gname=_text(entry.gname) or None,
                link_target=(_text(entry.linkpath) or None)
                if (entry.issym or entry.islnk)
                else None,
                **_times(entry, member_format),
            )
            flags: list[Problem] = []
            if entry.issym or entry.islnk:
                yield Member(name, archive_entry, None, flags, "symlink", _text(entry.linkpath))
                continue
            if not entry.isfile:
                yield Member(name, archive_entry, None, flags, "special")
                continue
            if is_encrypted(entry._entry_p):
                flags.append(
                    flag(
                        "sources",
                        "encrypted",
                        f"encrypted {kind} member ({declared} bytes declared): not read, "
                        "its header is what is recorded",
                    )
                )
                yield Member(name, archive_entry, None, flags)
                continue
            data = None
            failure: BaseException | None = None
            try:
                if declared > limits.max_member_bytes:
                    raise LimitExceeded(f"{declared} bytes: over --max-member-bytes")
                done = start_budget - walk.budget.left
                data = read_bounded(
                    _Blocks(iter(entry.get_blocks())),
                    packed,
                    name,
                    walk,
                    packed_read=lambda: int(archive.bytes_read),
                    already=done,
                )
            except LimitExceeded as exc:
                flags.append(flag("sources", "limit_exceeded", f"not read: {exc}"))
            except ArchiveError as exc:
                problem = problem_kind(exc)
                flags.append(
                    flag(
                        "sources",
                        problem,
                        f"{kind} member not read ({declared} bytes declared): {exc}"
                        + (
                            " (in a multi-volume archive: the member runs on into the next volume)"
                            if problem == "truncated"
                            else ""
                        ),
                    )
                )
                failure = exc if problem == "truncated" else None
            if fmt == "raw" and data is not None:  # a stream declares no size: what it held
                size = len(data) if isinstance(data, bytes) else os.path.getsize(data)
                archive_entry = dataclasses.replace(archive_entry, size=size)
            yield Member(name, archive_entry, data, flags)
            if failure is not None:  # nothing after a truncation can be read
                return


def _rar_headers(
    fh: IO[bytes],
    kind: str,
    chain: tuple[str, ...],
    walk: Reading,
    seen: Counter[str],
    failure: str,
) -> Iterator[Member]:
    """When libarchive stops inside a RAR, the members it did not reach, as
    `rarfile` (a pure-Python reader of RAR 4 and 5 headers) lists them: rows
    with their names, sizes and times, and a problem saying their bytes
    were not read (`encrypted` for those that need a password)."""
    import rarfile

    try:
        fh.seek(0)
        infos = rarfile.RarFile(fh).infolist()
    except (rarfile.Error, OSError, ValueError):
        return
    left = Counter(seen)
    for info in infos:
        if info.is_dir():
            continue
        if left[info.filename] > 0:
            left[info.filename] -= 1
            continue
        when = info.mtime
        times: dict[str, Any] = {}
        if isinstance(when, dt.datetime) and when.tzinfo is not None:
            times["utc_times"] = (("mtime", when.timestamp()),)
        elif info.date_time:
            times["dos_time"] = tuple(info.date_time)
        entry = ArchiveEntry(format=kind, name=info.filename, size=info.file_size, **times)
        encrypted = info.needs_password()
        flags = [
            flag(
                "sources",
                "encrypted" if encrypted else "corrupt_member",
                f"listed from its {kind} header (rarfile) after libarchive stopped ({failure}): "
                f"{'encrypted, ' if encrypted else ''}its bytes were not read",
            )
        ]
        yield Member(info.filename, entry, None, flags, "symlink" if info.is_symlink() else "file")


@contextlib.contextmanager
def _open_volumes(paths: list[str], fmt: str) -> Iterator[Any]:
    """The volumes of a multi-volume RAR, in order, read as one archive
    (`archive_read_open_filenames`, which libarchive-c does not wrap)."""
    import libarchive.ffi as ffi
    from libarchive.exception import ArchiveError
    from libarchive.read import ArchiveRead, new_archive_read

    with new_archive_read(fmt, "all") as archive_p:
        names = (ctypes.c_char_p * (len(paths) + 1))(*[os.fsencode(p) for p in paths], None)
        fn = ffi.libarchive.archive_read_open_filenames
        fn.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_size_t]
        fn.restype = ctypes.c_int
        if fn(archive_p, names, 64 * 1024) != 0:
            raise ArchiveError(ffi.error_string(archive_p))
        yield ArchiveRead(archive_p, "utf-8")


def _format_of(archive: Any, kind: str, fmt: str) -> str:
    """The member's format: the kind sniffed, except inside a zstd or lz4
    stream, where it is the archive libarchive found there (a tar)."""
    if kind in ("zstd", "lz4") and fmt != "raw":  # fmt "all": an archive inside
        name = (archive.format_name or b"").decode("ascii", "replace").lower()
        return "tar" if "tar" in name else kind
    return kind


def _inner_format(libarchive: Any, fh: IO[bytes]) -> str:
    """A zstd or lz4 stream holds a tar (or another archive) or one file:
    "all" when libarchive recognises an archive inside, else "raw"."""
    from libarchive.exception import ArchiveError

    start = fh.tell()
    try:
        with libarchive.stream_reader(fh, format_name="all", filter_name="all") as archive:
            for _ in archive:
                break
        return "all"
    except ArchiveError:
        return "raw"
    finally:
        fh.seek(start)
