"""Turn a path into `FileRef`s: folders, single files, and zip / tar / gzip /
bzip2 / xz archives opened recursively in memory, within limits.

Nothing is ever written to disk: members are read into memory (bounded by
`Limits`) and handed to the worker as bytes. Archives are walked before they
are yielded, so that an archive's own ref carries what went wrong inside it;
hence members come before their archive in the stream of refs.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import posixpath
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, BinaryIO

from .records import ArchiveEntry, FileRef, Problem

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


def open_readonly(path: str, buffered: bool = True) -> BinaryIO:
    """Open evidence for reading without following a final link, and without
    bumping its access time where the OS allows (O_NOATIME needs ownership or
    CAP_FOWNER; otherwise a plain read-only open)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | _NOATIME)
    except PermissionError:
        fd = os.open(path, flags)
    return os.fdopen(fd, "rb", buffering=-1 if buffered else 0)


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
    """Inflated bytes left for the whole source."""

    def __init__(self, total: int) -> None:
        self.left = total


@dataclass
class _Walk:
    limits: Limits
    budget: _Budget
    flags: list[Problem] = field(default_factory=list)

    def flag(self, kind: str, message: str, severity: str = "warning") -> None:
        self.flags.append(Problem(severity, "sources", kind, message))  # type: ignore[arg-type]


def iter_refs(source: str | os.PathLike[str], limits: Limits | None = None) -> Iterator[FileRef]:
    """Every file the source holds, loose or inside archives, in a stable order.

    A folder is walked recursively in sorted order, without following links;
    a single file is its own source. Urls are relative to the source folder
    (a single file's url is its name) and use `!/` to step into an archive.
    """
    limits = limits or Limits()
    budget = _Budget(limits.max_total_bytes)
    root = os.fspath(source)
    st = os.lstat(root)
    if stat.S_ISDIR(st.st_mode):
        yield from _walk_folder(root, "", limits, budget)
    else:
        yield from _local_entry(os.path.abspath(root), os.path.basename(root), st, limits, budget)


def _walk_folder(root: str, rel: str, limits: Limits, budget: _Budget) -> Iterator[FileRef]:
    here = os.path.join(root, rel) if rel else root
    try:
        with os.scandir(here) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield FileRef(
            url=rel or ".",
            path=os.path.abspath(here),
            kind="directory",
            flags=(Problem("error", "sources", "unreadable_directory", str(exc)),),
        )
        return
    for entry in entries:
        url = f"{rel}/{entry.name}" if rel else entry.name
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield FileRef(
                url=url,
                path=os.path.abspath(entry.path),
                kind="missing",
                flags=(Problem("error", "sources", "unreadable", str(exc)),),
            )
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_folder(root, url, limits, budget)
        else:
            yield from _local_entry(os.path.abspath(entry.path), url, st, limits, budget)


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
        )
        return
    if not stat.S_ISREG(st.st_mode):
        yield FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime, kind="special")
        return
    walk = _Walk(limits, budget)
    try:
        with open_readonly(path) as fh:
            kind = archive_kind(fh.read(512))
            if kind:
                fh.seek(0)
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
        walk.flag(
            "archive_reader_crash", f"{kind} reader failed: {type(exc).__name__}: {exc}", "error"
        )


def _is_document(zf: zipfile.ZipFile) -> bool:
    """Office Open XML, OpenDocument and EPUB files are zips, but they are
    documents, not folders: their parts are not files of the dump."""
    names = set(zf.namelist()[:50])
    return "[Content_Types].xml" in names or "mimetype" in names


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
    stream: IO[bytes] | io.BufferedIOBase, declared_packed: int | None, name: str, walk: _Walk
) -> bytes | None:
    """Read a member, stopping at the member, budget and ratio limits."""
    limits, out, total = walk.limits, [], 0
    while True:
        chunk = stream.read(MiB)
        if not chunk:
            break
        total += len(chunk)
        if total > limits.max_member_bytes:
            walk_problem = f"{name}: larger than {limits.max_member_bytes} bytes inflated"
            raise _Refused(walk_problem)
        if total > walk.budget.left:
            raise _Refused(
                f"{name}: the source's inflated-bytes budget is spent "
                f"(--max-total-bytes {limits.max_total_bytes})"
            )
        if (
            declared_packed is not None
            and total > limits.ratio_floor
            and total > limits.max_ratio * max(declared_packed, 1)
        ):
            raise _Refused(
                f"{name}: compression ratio above {limits.max_ratio:g} (a decompression bomb?)"
            )
        out.append(chunk)
    walk.budget.left -= total
    return b"".join(out)


class _Refused(Exception):
    pass


def _member_refs(
    name: str,
    data: bytes | None,
    entry: ArchiveEntry,
    chain: tuple[str, ...],
    flags: list[Problem],
    walk: _Walk,
    kind: str = "file",
    link: str | None = None,
) -> Iterator[FileRef]:
    """The ref of one member, after the members of it if it is an archive."""
    url = f"{chain[-1]}!/{name}"
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
        inner_kind = archive_kind(data[:512])
        if inner_kind:
            inner = _Walk(walk.limits, walk.budget)
            yield from _walk_archive(io.BytesIO(data), inner_kind, url, chain, len(data), inner)
            flags.extend(inner.flags)
    yield FileRef(
        url=url,
        path=None,
        container=chain,
        size=entry.size,
        kind=kind,  # type: ignore[arg-type]
        link_target=link,
        entry=entry,
        flags=tuple(flags),
        payload=data,
    )


def _walk_zip(fh: IO[bytes], chain: tuple[str, ...], walk: _Walk) -> Iterator[FileRef]:
    with zipfile.ZipFile(fh) as zf:
        if _is_document(zf):
            return
        infos = zf.infolist()
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
            data: bytes | None = None
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
                        data = _read_bounded(member, info.compress_size, info.filename, walk)
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
                flags.append(Problem("error", "sources", "corrupt_member", f"not read: {exc}"))
            if is_link:
                target = (data or b"").decode("utf-8", "replace")
                yield from _member_refs(
                    info.filename, None, entry, chain, flags, walk, kind="symlink", link=target
                )
            else:
                yield from _member_refs(info.filename, data, entry, chain, flags, walk)


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
            try:
                if member.size > limits.max_member_bytes:
                    raise _Refused(f"{member.size} bytes: over --max-member-bytes")
                extracted = tf.extractfile(member)
                data = _read_bounded(extracted, None, member.name, walk) if extracted else b""
            except _Refused as exc:
                flags.append(Problem("warning", "sources", "limit_exceeded", f"not read: {exc}"))
            yield from _member_refs(member.name, data, entry, chain, flags, walk)


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
    entry = ArchiveEntry(format=kind, name=name, size=len(data or b""), stream_mtime=mtime)
    yield from _member_refs(name, data, entry, chain, flags, walk)
