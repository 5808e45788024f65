"""Turn a path into `FileRef`s: folders, single files, and zip / tar / gzip /
bzip2 / xz archives opened recursively in memory, within limits.

Nothing is ever written to disk: members are read into memory (bounded by
`Limits`) and handed to the worker as bytes. Archives are walked before they
are yielded, so that an archive's own ref carries what went wrong inside it;
hence members come before their archive in the stream of refs.
"""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import io
import lzma
import os
import posixpath
import re
import stat
import struct
import tarfile
import tempfile
import traceback
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO

from .packages import document_parts
from .records import ArchiveEntry, FileRef, Problem, RemoteObject
from .zipsalvage import MemberReader, local_members

KiB, MiB, GiB = 1024, 1024**2, 1024**3
_NOATIME = getattr(os, "O_NOATIME", 0)


@dataclass(frozen=True)
class Limits:
    """Safety limits for archives. Each has a CLI flag."""

    max_members: int = 100_000  # entries read from one archive
    max_total_bytes: int = 8 * GiB  # inflated bytes read from all archives of a source
    max_member_bytes: int = 1 * GiB  # one member, inflated
    max_depth: int = 5  # archives inside archives
    max_ratio: float = 250.0  # inflated / compressed, checked past ratio_floor
    ratio_floor: int = 1 * MiB  # below this many inflated bytes, any ratio is fine
    spool_bytes: int = 64 * MiB  # a bigger member goes to a file in the case folder, if given


def open_readonly(path: str, buffered: bool = True) -> BinaryIO:
    """Open evidence for reading without following a final link, and without
    bumping its access time where the OS allows (O_NOATIME needs ownership or
    CAP_FOWNER; otherwise a plain read-only open)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | _NOATIME)
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


def escape_name(name: str) -> tuple[str, bytes | None]:
    """A name as it goes into a url, and its raw bytes when they had to be
    escaped. A name whose bytes are not UTF-8 has its non-ASCII bytes as
    `%XX`, and a name ending in `!` gets `%21`, so that `!/` only ever means
    "inside this archive" (a folder `a.zip!` beside `a.zip`)."""
    raw = None
    if not _utf8(name):
        # Every byte past ASCII is escaped, not only the invalid ones: a
        # cp949 name can hold byte pairs that happen to be valid UTF-8.
        raw = os.fsencode(name)
        name = "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in raw)
    if name.endswith("!"):
        name = name[:-1] + "%21"
    return name, raw


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_LEGACY = ("cp949", "gb18030", "big5", "shift_jis")


def undecodable_problem(raw: bytes) -> Problem:
    """A name whose bytes are not UTF-8: the raw bytes, and what they read as
    in the legacy encodings of the region (often the writer's locale)."""
    readings = []
    for enc in _LEGACY:
        try:
            readings.append(f"{enc}: {raw.decode(enc)}")
        except UnicodeDecodeError:
            continue
    guess = f"; reads as {'; '.join(readings)}" if readings else ""
    return Problem(
        "warning",
        "sources",
        "undecodable_name",
        f"name bytes are not UTF-8: {raw.hex()} (escaped as %XX in the url){guess}",
    )


def archive_kind(head: bytes) -> str | None:
    """Which archive reader applies to these first bytes, if any."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh"):
        return "bzip2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    return libarchive_kind(head)


ISO9660_MAGIC_AT = 32769  # "CD001" of the first volume descriptor, sector 16 + 1


def archive_kind_in(fh: IO[bytes]) -> str | None:
    """`archive_kind` of a seekable file's first bytes, or "iso" for an
    ISO 9660 image: its magic sits past the 32 KiB system area, so it is
    read only when the first 512 bytes are that area's (zeros, or a hybrid
    image's boot record). The handle is left at the start."""
    start = fh.tell()
    head = fh.read(512)
    kind = archive_kind(head)
    if kind is None and len(head) == 512 and (head.count(0) == 512 or head[510:] == b"\x55\xaa"):
        fh.seek(start + ISO9660_MAGIC_AT)
        if fh.read(5) == b"CD001":
            kind = "iso"
    fh.seek(start)
    return kind


# Archives read through libarchive (`libarchive-c` over Debian's
# libarchive13): the formats Python's standard library has no reader for.
# Magic numbers from each format's specification (RAR 5.0 technote, 7z
# 7zFormat.txt, MS-CAB, RFC 8878 for zstd, the lz4 frame format, cpio(5),
# xar, LHA level 0-2 headers).
_LIBARCHIVE_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"Rar!\x1a\x07\x01\x00", "rar5"),
    (0, b"Rar!\x1a\x07\x00", "rar"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (0, b"MSCF\x00\x00\x00\x00", "cab"),
    (0, b"\x28\xb5\x2f\xfd", "zstd"),
    (0, b"\x04\x22\x4d\x18", "lz4"),
    (0, b"070707", "cpio"),
    (0, b"070701", "cpio"),
    (0, b"070702", "cpio"),
    (0, b"\xc7\x71", "cpio"),  # old binary cpio, little-endian
    (0, b"xar!", "xar"),
)
LIBARCHIVE_KINDS = frozenset(kind for _, _, kind in _LIBARCHIVE_MAGIC) | {"lzh", "iso"}


def libarchive_kind(head: bytes) -> str | None:
    for offset, magic, kind in _LIBARCHIVE_MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return kind
    if (
        len(head) >= 7
        and head[2:4] == b"-l"
        and head[6:7] == b"-"
        and head[4:6] in (b"h0", b"h1", b"h4", b"h5", b"h6", b"h7", b"zs", b"z5", b"z4", b"hd")
    ):
        return "lzh"
    return None


def suspicious_name(name: str) -> str | None:
    """Why a member name could escape an extraction folder, if it could."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "absolute path"
    if ".." in norm.split("/"):
        return "parent-directory traversal"
    return None


class _Budget:
    """Inflated bytes left for the whole source, and where members too big
    to hold in memory are spooled (None: they are held all the same)."""

    def __init__(self, total: int, spool_dir: str | None = None) -> None:
        self.left = total
        self.spool_dir = spool_dir


class Spooled(str):
    """The path of a member's bytes spooled to the case folder's spool."""


def _inflated_size(data: bytes | Spooled | None) -> int:
    if data is None:
        return 0
    return os.path.getsize(data) if isinstance(data, Spooled) else len(data)


@dataclass
class _Walk:
    limits: Limits
    budget: _Budget
    flags: list[Problem] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)  # member urls given in this archive

    def flag(self, kind: str, message: str, severity: str = "warning") -> None:
        self.flags.append(Problem(severity, "sources", kind, message))  # type: ignore[arg-type]


# (url, identity) -> whether the previous results stand; an identity is
# (size, mtime) for a local file, (size, "etag:..." or "modified:...") for
# a remote object (`local_identity`, `RemoteObject.identity`)
Reuse = Callable[[str, tuple[int, str]], bool]


def local_identity(st: os.stat_result) -> tuple[int, str]:
    """A local file's identity for rescans: its size and its mtime as the
    filesystem extractor records it."""
    from .extractors.filesystem import _from_ns

    return st.st_size, _from_ns(st.st_mtime_ns).isoformat()


def iter_refs(
    source: str | os.PathLike[str],
    limits: Limits | None = None,
    tally: Counter[str] | None = None,
    spool_dir: str | os.PathLike[str] | None = None,
    reuse: Reuse | None = None,
    options: tuple[tuple[str, Any], ...] = (),
) -> Iterator[FileRef]:
    """Every file the source holds, loose or inside archives, in a stable order.

    A folder is walked recursively in sorted order, without following links;
    a single file is its own source. Urls are relative to the source folder
    (a single file's url is its name) and use `!/` to step into an archive.
    Members larger than `limits.spool_bytes` are written to a file in
    `spool_dir` (inside the case folder; the scanner deletes each once its
    result is stored) and their refs carry that path; without a spool_dir
    they are held in memory like the others. `reuse(url, lstat)` says of a
    regular file in a folder whether its previous results stand (its
    identity is unchanged): it is then neither opened nor walked into, and
    its ref says `reused`. A remote source (`s3://bucket/prefix`, an
    `http(s)://` folder; `options` say how to reach it, see `remote.py`)
    gives refs that carry a `RemoteObject` and no path; its archives are
    walked the same way, from the object's bytes.
    """
    limits = limits or Limits()
    budget = _Budget(limits.max_total_bytes, os.fspath(spool_dir) if spool_dir else None)
    from .remote import is_remote

    if is_remote(source):
        yield from unique_urls(_walk_remote(str(source), options, limits, budget, reuse), tally)
        return
    root = os.fspath(source)
    st = os.lstat(root)
    if stat.S_ISDIR(st.st_mode):
        refs = _walk_folder(root, "", "", None, limits, budget, reuse)
    else:
        name, raw = escape_name(os.path.basename(root))
        refs = _flagged(_local_entry(os.path.abspath(root), name, st, limits, budget), name, raw)
    yield from unique_urls(refs, tally)


def unique_urls(refs: Iterable[FileRef], tally: Counter[str] | None = None) -> Iterator[FileRef]:
    """The last guard of "one url, one file": a url already given in this
    walk gets `;2`, `;3`... (the convention of tar and zip tools for
    duplicates) and a `duplicate_name` problem. Archives already number
    their duplicate members; this catches whatever else could collide.
    `tally` counts the refs by kind, for the scan's reconciliation."""
    seen: set[str] = set()
    for ref in refs:
        if ref.url in seen:
            n = 2
            while f"{ref.url};{n}" in seen:
                n += 1
            ref = dataclasses.replace(
                ref, url=f"{ref.url};{n}", flags=(*ref.flags, _duplicate(ref.url, n))
            )
        seen.add(ref.url)
        if tally is not None:
            tally[ref.kind] += 1
        yield ref


def _duplicate(url: str, n: int) -> Problem:
    return Problem(
        "warning",
        "sources",
        "duplicate_name",
        f"another entry of the same name came first: this is copy {n} of {url!r}",
    )


def _flagged(refs: Iterator[FileRef], url: str, raw: bytes | None) -> Iterator[FileRef]:
    """The ref of `url` with an `undecodable_name` problem when its name had
    to be escaped (`raw` is the path's bytes as found)."""
    for ref in refs:
        if raw is not None and ref.url == url:
            ref = dataclasses.replace(ref, flags=(undecodable_problem(raw), *ref.flags))
        yield ref


def _walk_folder(
    root: str,
    rel: str,
    rel_url: str,
    raw: bytes | None,
    limits: Limits,
    budget: _Budget,
    reuse: Reuse | None = None,
) -> Iterator[FileRef]:
    """`rel` is the folder's path below the root as the filesystem spells it,
    `rel_url` as the case does; `raw` its bytes when some part was escaped."""
    here = os.path.join(root, rel) if rel else root
    try:
        entries = _listdir(here)
    except OSError as exc:
        yield FileRef(
            url=rel_url or ".",
            path=os.path.abspath(here),
            kind="directory",
            flags=(Problem("error", "sources", "unreadable_directory", str(exc)),),
        )
        return
    volumes = volume_sets([n for n, st in entries if not isinstance(st, OSError)])
    later = {v for first, vols in volumes.items() for v in vols if v and v != first}
    for entry_name, st in entries:
        name, raw_name = escape_name(entry_name)
        url = f"{rel_url}/{name}" if rel_url else name
        rel_fs = os.path.join(rel, entry_name) if rel else entry_name
        raw_path = os.fsencode(rel_fs) if (raw is not None or raw_name is not None) else None
        path = os.path.abspath(os.path.join(here, entry_name))
        if isinstance(st, OSError):
            yield FileRef(
                url=url,
                path=path,
                kind="missing",
                flags=(Problem("error", "sources", "unreadable", str(st)),),
            )
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_folder(root, rel_fs, url, raw_path, limits, budget, reuse)
        elif reuse is not None and stat.S_ISREG(st.st_mode) and reuse(url, local_identity(st)):
            yield FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime, reused=True)
        elif entry_name in later and stat.S_ISREG(st.st_mode):  # read with its first volume
            # its own row (hashed, its metadata read); its members are the first volume's
            later_ref = FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime)
            yield from _flagged(iter([later_ref]), url, raw_path)
        elif entry_name in volumes and stat.S_ISREG(st.st_mode):
            vols = volumes[entry_name]
            refs = _local_volumes(here, vols, path, url, st, limits, budget)
            yield from _flagged(refs, url, raw_path)
        else:
            refs = _local_entry(path, url, st, limits, budget)
            yield from _flagged(refs, url, raw_path)


REMOTE_BATCH = 64  # objects whose first bytes (or whole bytes, if small) are fetched at once
SMALL_OBJECT = 256 * KiB  # read whole while listing and carried in the ref; bigger: by the worker


def _walk_remote(
    source: str,
    options: tuple[tuple[str, Any], ...],
    limits: Limits,
    budget: _Budget,
    reuse: Reuse | None,
) -> Iterator[FileRef]:
    """A remote source's objects, listed lazily, in batches fetched
    concurrently: a small object whole (its bytes ride in its ref, one
    request instead of a sniff and a read), a bigger one its first bytes,
    to tell an archive; an archive is then read (into memory, or as a
    ranged stream when bigger than `spool_bytes`) and walked like a local
    one. A bigger object's bytes are read by the worker."""
    from . import remote

    batch: list[RemoteObject] = []
    for obj in remote.list_objects(source, options):
        batch.append(obj)
        if len(batch) >= REMOTE_BATCH:
            yield from _remote_batch(source, batch, limits, budget, reuse)
            batch = []
    yield from _remote_batch(source, batch, limits, budget, reuse)


def _remote_batch(
    source: str, objects: list[RemoteObject], limits: Limits, budget: _Budget, reuse: Reuse | None
) -> Iterator[FileRef]:
    from . import remote

    to_read: list[tuple[str, RemoteObject]] = []
    for obj in objects:
        url = remote.relative_url(source, obj)
        if obj.path.endswith("/"):  # a folder marker (a zero-byte key ending in /)
            yield FileRef(url=url.rstrip("/") or ".", path=None, kind="directory", remote=obj)
        elif (
            reuse is not None
            and obj.identity
            and obj.size is not None
            and reuse(url, (obj.size, obj.identity))
        ):
            yield FileRef(url=url, path=None, size=obj.size, remote=obj, reused=True)
        else:
            to_read.append((url, obj))
    # whole if known to be small; else (bigger, or of unknown size) its first bytes
    wanted = [
        None if o.size is not None and o.size <= SMALL_OBJECT else remote.HEAD for _, o in to_read
    ]
    got = remote.fetch_many([o for _, o in to_read], wanted)
    for (url, obj), data, head in zip(to_read, got, wanted, strict=True):
        walk = _Walk(limits, budget)
        payload = None
        if isinstance(data, OSError):
            walk.flag("unreadable", f"could not read the object: {data}", "error")
        else:
            payload = data if head is None else None
            kind = archive_kind(data[:512])
            if kind is None and payload is not None:  # fetched whole: an ISO can be told
                kind = archive_kind_in(io.BytesIO(payload))
            if kind:
                try:
                    with (
                        io.BytesIO(data)
                        if payload is not None
                        else remote.open_object(obj, limits.spool_bytes)
                    ) as fh:
                        yield from _walk_archive(fh, kind, url, (), obj.size or 0, walk)
                except OSError as exc:
                    walk.flag("unreadable", f"could not read the archive's members: {exc}", "error")
        yield FileRef(
            url=url, path=None, size=obj.size, remote=obj, flags=tuple(walk.flags), payload=payload
        )


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


def _local_volumes(
    folder: str,
    names: list[str | None],
    path: str,
    url: str,
    st: os.stat_result,
    limits: Limits,
    budget: _Budget,
) -> Iterator[FileRef]:
    """A multi-volume archive, read as one from its first volume's url when
    every volume up to the last one found is there; flagged `truncated` with
    the missing ones named otherwise (its members are then read as far as
    the volumes go)."""
    from .archives import Volumes, walk_libarchive

    walk = _Walk(limits, budget)
    present = [os.path.join(folder, n) for n in names if n]
    missing = [i + 1 for i, n in enumerate(names) if n is None]
    if missing:
        walk.flag(
            "truncated",
            f"multi-volume archive of {len(names)} volumes or more, volume(s) "
            f"{', '.join(map(str, missing))} missing: members are read as far as the volumes go",
        )
    try:
        if path.lower().endswith(".rar"):
            with open_readonly(path) as fh:
                kind = archive_kind(fh.read(512))
                fh.seek(0)
                if kind in ("rar", "rar5") and not missing:  # libarchive opens the volumes
                    yield from walk_libarchive(present, kind, url, (url,), st.st_size, walk)
                elif kind:
                    yield from _walk_archive(fh, kind, url, (), st.st_size, walk)
        else:
            stream = Volumes(present if not missing else present[: missing[0] - 1])
            with stream:
                kind = archive_kind(stream.read(512))
                stream.seek(0)
                if kind:
                    total = sum(os.path.getsize(p) for p in present)
                    yield from _walk_archive(stream, kind, url, (), total, walk)  # type: ignore[arg-type]
    except OSError as exc:
        walk.flag("corrupt_archive", f"multi-volume archive stopped being readable: {exc}")
    yield FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime, flags=tuple(walk.flags))


def _listdir(path: str) -> list[tuple[str, os.stat_result | OSError]]:
    """A folder's entries, sorted by name, each with its lstat (or why it
    has none), read through a descriptor opened with O_NOATIME where
    allowed: listing a folder would otherwise bump its access time, which is
    evidence too."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(path, flags | _NOATIME)
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


def _local_entry(
    path: str, url: str, st: os.stat_result, limits: Limits, budget: _Budget
) -> Iterator[FileRef]:
    if stat.S_ISLNK(st.st_mode):
        yield FileRef(
            url=url,
            path=path,
            size=st.st_size,
            mtime=st.st_mtime,
            kind="symlink",
            link_target=os.readlink(path),
            listed_atime_ns=st.st_atime_ns,  # readlink is about to touch it
        )
        return
    if not stat.S_ISREG(st.st_mode):
        yield FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime, kind="special")
        return
    walk = _Walk(limits, budget)
    try:
        with open_readonly(path) as fh:
            kind = archive_kind_in(fh)
            if kind:
                yield from _walk_archive(fh, kind, url, (), st.st_size, walk)
    except OSError as exc:
        walk.flag("unreadable", f"could not read to look for archive members: {exc}", "error")
    yield FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime, flags=tuple(walk.flags))


def _walk_archive(
    fh: IO[bytes], kind: str, url: str, chain: tuple[str, ...], size: int, walk: _Walk
) -> Iterator[FileRef]:
    """Members of the archive at `url` (held in `fh`); problems go to `walk`."""
    chain = (*chain, url)
    if len(chain) > walk.limits.max_depth:
        walk.flag(
            "limit_exceeded",
            f"archive nesting deeper than {walk.limits.max_depth}: "
            "members not listed (raise --max-depth to read them)",
        )
        return
    try:
        if kind == "zip":
            yield from _walk_zip(fh, chain, walk)
        elif kind == "tar":
            yield from _walk_tar(fh, "r|", chain, size, walk)
        elif kind in LIBARCHIVE_KINDS:
            from .archives import walk_libarchive

            yield from walk_libarchive(fh, kind, url, chain, size, walk)
        else:
            yield from _walk_compressed(fh, kind, url, chain, size, walk)
    except (
        zipfile.BadZipFile,
        tarfile.TarError,
        EOFError,
        OSError,
        zlib.error,
        lzma.LZMAError,
        ValueError,
        struct.error,
    ) as exc:
        walk.flag("corrupt_archive", f"{kind} archive stopped being readable: {exc}")
    except Exception as exc:  # a reader bug on hostile bytes must not stop the scan
        tb = "".join(traceback.format_exception(exc, limit=-6)).strip()
        walk.flag("error", f"{kind} reader failed: {type(exc).__name__}: {exc}\n{tb}", "error")


def _local_extra(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The local header's extra field, which may hold more than the central
    directory's copy (0x5455 atime and ctime live only there)."""
    fp = zf.fp
    if fp is None:
        return b""
    pos = fp.tell()
    try:
        fp.seek(info.header_offset)
        header = fp.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            return b""
        name_len, extra_len = struct.unpack_from("<HH", header, 26)
        fp.seek(info.header_offset + 30 + name_len)
        return fp.read(extra_len)
    finally:
        fp.seek(pos)


def _read_bounded(
    stream: IO[bytes] | io.BufferedIOBase | io.RawIOBase,
    declared_packed: int | None,
    name: str,
    walk: _Walk,
    packed_read: Callable[[], int] | None = None,
    already: int = 0,
) -> bytes | Spooled:
    """Read a member, stopping at the member, budget and ratio limits.

    The ratio is bytes produced against bytes consumed: `packed_read()` says
    how many compressed bytes the decompressor has taken so far (a zip's
    central directory can lie about `compress_size`), else `declared_packed`
    (the size of a compressed stream holding everything, `already` being
    what it produced before this member: a tar.gz's earlier members)."""
    limits, total = walk.limits, 0
    out = bytearray()  # one buffer, not a list of chunks then a join: half the peak
    spool: IO[bytes] | None = None
    try:
        while True:
            chunk = stream.read(MiB)
            if not chunk:
                break
            total += len(chunk)
            _check_member(walk, name, total, already, packed_read, declared_packed)
            if spool is None and walk.budget.spool_dir and total > limits.spool_bytes:
                spool = tempfile.NamedTemporaryFile(  # noqa: SIM115 - handed on by path
                    dir=walk.budget.spool_dir, prefix="member-", delete=False
                )
                spool.write(out)
                out = bytearray()
            if spool is not None:
                spool.write(chunk)
            else:
                out += chunk
    except BaseException:
        if spool is not None:
            spool.close()
            os.unlink(spool.name)
        raise
    walk.budget.left -= total
    if spool is not None:
        spool.close()
        return Spooled(spool.name)
    return bytes(out)


def _check_member(
    walk: _Walk,
    name: str,
    total: int,
    already: int,
    packed_read: Callable[[], int] | None,
    declared_packed: int | None,
) -> None:
    """Refuse a member past the member-size, budget or ratio limit."""
    limits = walk.limits
    packed = packed_read() if packed_read is not None else declared_packed
    if total > limits.max_member_bytes:
        walk_problem = f"{name}: larger than {limits.max_member_bytes} bytes inflated"
        raise _Refused(walk_problem)
    if total > walk.budget.left:
        raise _Refused(
            f"{name}: the source's inflated-bytes budget is spent "
            f"(--max-total-bytes {limits.max_total_bytes})"
        )
    produced = already + total
    if (
        packed is not None
        and produced > limits.ratio_floor
        and produced > limits.max_ratio * max(packed, 1)
    ):
        raise _Refused(
            f"{name}: compression ratio above {limits.max_ratio:g} "
            f"({produced} bytes from {packed}; a decompression bomb?)"
        )


class _Refused(Exception):
    pass


def _member_refs(
    name: str,
    data: bytes | Spooled | None,
    entry: ArchiveEntry,
    chain: tuple[str, ...],
    flags: list[Problem],
    walk: _Walk,
    kind: str = "file",
    link: str | None = None,
) -> Iterator[FileRef]:
    """The ref of one member, after the members of it if it is an archive."""
    escaped, raw = escape_name(name)
    escaped = escaped.replace("!/", "%21/")
    url = f"{chain[-1]}!/{escaped}"
    if url in walk.urls:  # tar appends, zips with two entries of one name
        n = 2
        while f"{url};{n}" in walk.urls:
            n += 1
        flags.append(_duplicate(url, n))
        url = f"{url};{n}"
    walk.urls.add(url)
    if raw is not None:
        flags.append(undecodable_problem(raw))
    if why := suspicious_name(name):
        flags.append(
            Problem(
                "warning",
                "sources",
                "suspicious_name",
                f"member name {name!r}: {why} (never extracted, so harmless here)",
            )
        )
    if data is not None and kind == "file":
        with open(data, "rb") if isinstance(data, Spooled) else io.BytesIO(data) as held:
            inner_kind = archive_kind_in(held)
            if inner_kind:
                inner = _Walk(walk.limits, walk.budget)
                size = _inflated_size(data)
                yield from _walk_archive(held, inner_kind, url, chain, size, inner)
                flags.extend(inner.flags)
    spooled = isinstance(data, Spooled)
    yield FileRef(
        url=url,
        path=str(data) if spooled else None,
        container=chain,
        size=entry.size,
        kind=kind,  # type: ignore[arg-type]
        link_target=link,
        entry=entry,
        flags=tuple(flags),
        payload=None if spooled else data,  # type: ignore[arg-type]
    )


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its bytes say. Without the UTF-8 flag zipfile reads
    names as cp437, but Korean and Chinese Windows tools write their code
    page (cp949, GBK) and others write UTF-8 without the flag: UTF-8 is
    taken when the bytes are UTF-8; other bytes go on as they are (the url
    escapes them, and the `undecodable_name` problem gives their readings
    in the legacy code pages), never as cp437 mojibake."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:  # not what zipfile's cp437 decoding gives: leave it
        return name
    return raw.decode("utf-8", "surrogateescape")


def _crc(data: bytes | Spooled) -> int:
    if not isinstance(data, Spooled):
        return zlib.crc32(data)
    crc = 0
    with open(data, "rb") as fh:
        while chunk := fh.read(MiB):
            crc = zlib.crc32(chunk, crc)
    return crc


def _consumed(member: Any, declared: int) -> Callable[[], int] | None:
    """Compressed bytes a zip member's decompressor has really used so far.

    zipfile reads what is left of the declared `compress_size` in big
    chunks, so bytes read from the file overstate what was inflated when the
    directory lies; the decompressor's `unconsumed_tail` (input not yet used)
    and `unused_data` (input past the end of its stream) are taken off.
    These are private fields of zipfile, hence the fallback to None (the
    declared size) when they are not there."""
    if not hasattr(member, "_compress_left"):
        return None

    def used() -> int:
        read = declared - int(member._compress_left)
        inflater = getattr(member, "_decompressor", None)
        idle = len(getattr(inflater, "unconsumed_tail", b"") or b"")
        idle += len(getattr(inflater, "unused_data", b"") or b"")
        return max(read - idle, 0)

    return used


def _walk_zip(fh: IO[bytes], chain: tuple[str, ...], walk: _Walk) -> Iterator[FileRef]:
    try:
        opened = zipfile.ZipFile(fh)
    except zipfile.BadZipFile as exc:
        yield from _walk_zip_headers(fh, chain, walk, exc)
        return
    with opened as zf:
        parts = document_parts(zf) or set()  # a document's own parts are not files of the dump
        infos = [info for info in zf.infolist() if info.filename not in parts]
        if len(infos) > walk.limits.max_members:
            walk.flag(
                "limit_exceeded",
                f"{len(infos)} members; only the first "
                f"{walk.limits.max_members} listed (--max-members)",
            )
            infos = infos[: walk.limits.max_members]
        for info in infos:
            if info.is_dir():
                continue
            flags: list[Problem] = []
            mode = info.external_attr >> 16
            entry = ArchiveEntry(
                format="zip",
                name=info.filename,
                size=info.file_size,
                compressed_size=info.compress_size,
                dos_time=info.date_time,
                central_extra=info.extra,
                local_extra=_local_extra(zf, info),
                crc=info.CRC,
                compress_type=info.compress_type,
                create_system=info.create_system,
                external_attr=info.external_attr,
                comment=info.comment,
            )
            is_link = info.create_system == 3 and stat.S_ISLNK(mode)
            data: bytes | Spooled | None = None
            try:
                if info.flag_bits & 0x1:
                    flags.append(
                        Problem(
                            "warning", "sources", "encrypted", "encrypted member: bytes not read"
                        )
                    )
                elif info.file_size > walk.limits.max_member_bytes or (
                    info.file_size > walk.limits.ratio_floor
                    and info.file_size > walk.limits.max_ratio * max(info.compress_size, 1)
                ):
                    raise _Refused(
                        f"declared {info.file_size} bytes from {info.compress_size}: "
                        "over the member-size or compression-ratio limit"
                    )
                else:
                    with zf.open(info) as member:
                        # zipfile raises on a bad CRC at the very end and the
                        # bytes are lost; we check it ourselves and keep them.
                        if hasattr(member, "_expected_crc"):
                            member._expected_crc = None
                        data = _read_bounded(
                            member,
                            info.compress_size,
                            info.filename,
                            walk,
                            packed_read=_consumed(member, info.compress_size),
                        )
                    if (crc := _crc(data)) != info.CRC:
                        flags.append(
                            Problem(
                                "error",
                                "sources",
                                "corrupt_member",
                                f"CRC-32 of the inflated bytes is {crc:08x}, the archive says "
                                f"{info.CRC:08x}: the bytes are kept, and hashed, as they inflate",
                            )
                        )
            except _Refused as exc:
                flags.append(Problem("warning", "sources", "limit_exceeded", f"not read: {exc}"))
            except (
                zipfile.BadZipFile,
                EOFError,
                OSError,
                zlib.error,
                NotImplementedError,
                RuntimeError,
                lzma.LZMAError,
                ValueError,
            ) as exc:
                why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                flags.append(Problem("error", "sources", "corrupt_member", f"not read: {why}"))
            if is_link:
                if isinstance(data, Spooled):  # a "link" of megabytes: keep its start
                    with open(data, "rb") as fh:
                        head = fh.read(4096)
                    os.unlink(data)
                    data = head
                target = (data or b"").decode("utf-8", "replace")
                yield from _member_refs(
                    _zip_name(info), None, entry, chain, flags, walk, kind="symlink", link=target
                )
            else:
                yield from _member_refs(_zip_name(info), data, entry, chain, flags, walk)


def _walk_zip_headers(
    fh: IO[bytes], chain: tuple[str, ...], walk: _Walk, why: Exception
) -> Iterator[FileRef]:
    """A zip without a readable central directory: its members from their
    local headers (zipsalvage.py), each a row, the cut one `truncated`."""
    count = 0
    for member in local_members(fh, walk.limits.max_members):
        count += 1
        if member.name.endswith("/"):
            continue
        entry = ArchiveEntry(
            format="zip",
            name=member.name,
            size=member.size,
            compressed_size=member.compressed_size,
            dos_time=member.dos_time,
            local_extra=member.extra,
            crc=member.crc,
            compress_type=member.method,
        )
        flags: list[Problem] = []
        data = None
        if member.flag_bits & 0x1:
            flags.append(Problem("warning", "sources", "encrypted", "encrypted member: not read"))
        else:
            try:
                reader = MemberReader(fh, member)
                data = _read_bounded(
                    reader,
                    member.compressed_size,
                    member.name,
                    walk,
                    lambda: reader.consumed,  # noqa: B023
                )
                if reader.truncated:
                    flags.append(
                        Problem(
                            "warning",
                            "sources",
                            "truncated",
                            f"the archive ends inside this member: {_inflated_size(data)} of "
                            f"{member.size} bytes read (the hashes are of those)",
                        )
                    )
                elif member.flag_bits & 0x8 == 0 and reader.crc != member.crc:
                    flags.append(
                        Problem("error", "sources", "corrupt_member", "CRC does not match")
                    )
            except _Refused as exc:
                flags.append(Problem("warning", "sources", "limit_exceeded", f"not read: {exc}"))
            except (zlib.error, NotImplementedError) as exc:
                flags.append(Problem("error", "sources", "corrupt_member", f"not read: {exc}"))
        yield from _member_refs(member.name, data, entry, chain, flags, walk)
    if count == 0:
        raise why
    walk.flag(
        "corrupt_archive",
        f"zip central directory unreadable ({why}): {count} members read from their local "
        "headers (a truncated or carved zip?)",
    )


def _walk_tar(
    fh: IO[bytes], mode: str, chain: tuple[str, ...], packed: int, walk: _Walk
) -> Iterator[FileRef]:
    """Sequential read (`r|`), so a compressed tar is inflated once."""
    limits = walk.limits
    start_budget = walk.budget.left
    with tarfile.open(fileobj=fh, mode=mode) as tf:  # type: ignore[call-overload]
        for count, member in enumerate(tf):
            if count >= limits.max_members:
                walk.flag(
                    "limit_exceeded",
                    f"more than {limits.max_members} members; the rest not listed (--max-members)",
                )
                return
            inflated = start_budget - walk.budget.left
            if inflated > limits.ratio_floor and inflated > limits.max_ratio * max(packed, 1):
                walk.flag(
                    "limit_exceeded",
                    f"compression ratio above {limits.max_ratio:g} after "
                    f"{count} members: the rest not listed (a decompression bomb?)",
                )
                return
            if member.isdir():
                continue
            entry = ArchiveEntry(
                format="tar",
                name=member.name,
                size=member.size,
                tar_mtime=float(member.mtime),
                tar_type=member.type.decode("latin-1", "replace"),
                mode=member.mode,
                uid=member.uid,
                gid=member.gid,
                uname=member.uname,
                gname=member.gname,
                pax=tuple(sorted(member.pax_headers.items())),
                link_target=member.linkname or None,
            )
            flags: list[Problem] = []
            if member.issym() or member.islnk():
                yield from _member_refs(
                    member.name,
                    None,
                    entry,
                    chain,
                    flags,
                    walk,
                    kind="symlink",
                    link=member.linkname,
                )
                continue
            if not member.isfile():
                yield from _member_refs(
                    member.name, None, entry, chain, flags, walk, kind="special"
                )
                continue
            data = None
            truncated: BaseException | None = None
            try:
                if member.size > limits.max_member_bytes:
                    raise _Refused(f"{member.size} bytes: over --max-member-bytes")
                extracted = tf.extractfile(member)
                done = start_budget - walk.budget.left
                data = (
                    _read_bounded(extracted, packed, member.name, walk, already=done)
                    if extracted
                    else b""
                )
            except _Refused as exc:
                flags.append(Problem("warning", "sources", "limit_exceeded", f"not read: {exc}"))
            except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
                truncated = exc
                flags.append(
                    Problem(
                        "warning",
                        "sources",
                        "truncated",
                        f"the archive ends inside this member ({member.size} bytes declared): "
                        f"{type(exc).__name__}: {exc or 'end of data'}",
                    )
                )
            yield from _member_refs(member.name, data, entry, chain, flags, walk)
            if truncated is not None:
                raise truncated


def _decompressor(kind: str, fh: IO[bytes]) -> io.BufferedIOBase:
    if kind == "gzip":
        return gzip.GzipFile(fileobj=fh, mode="rb")
    if kind == "bzip2":
        return bz2.BZ2File(fh)
    return lzma.LZMAFile(fh)


_TAR_MODES = {"gzip": "r|gz", "bzip2": "r|bz2", "xz": "r|xz"}


def _walk_compressed(
    fh: IO[bytes], kind: str, url: str, chain: tuple[str, ...], packed: int, walk: _Walk
) -> Iterator[FileRef]:
    """A compressed tar, or else one compressed file (its member is the file
    without the suffix, as gunzip would name it)."""
    start = fh.tell()
    with _decompressor(kind, fh) as stream:
        head = stream.read(512)
    fh.seek(start)
    if archive_kind(head) == "tar":
        yield from _walk_tar(fh, _TAR_MODES[kind], chain, packed, walk)
        return
    base = posixpath.basename(url.rsplit("!/", 1)[-1])
    stem, _, _suffix = base.rpartition(".")
    name = stem or f"{base}.out"
    flags: list[Problem] = []
    data, mtime = None, None
    with _decompressor(kind, fh) as stream:
        try:
            data = _read_bounded(stream, packed, name, walk)
        except _Refused as exc:
            flags.append(Problem("warning", "sources", "limit_exceeded", f"not read: {exc}"))
        mtime = getattr(stream, "mtime", None) or None  # gzip's header time, 0 when unset
    entry = ArchiveEntry(format=kind, name=name, size=_inflated_size(data), stream_mtime=mtime)
    yield from _member_refs(name, data, entry, chain, flags, walk)
