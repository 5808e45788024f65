"""Filesystem facts of loose files: the MACB times, size, mode, ownership.

Birth time comes from Linux `statx(2)` through ctypes: Python's `os.stat`
only exposes `st_birthtime` on macOS, BSD and Windows (and on Linux only from
3.12, where the filesystem reports it), so we ask the kernel ourselves. Where
neither gives it (old kernels, filesystems without it) the field stays empty.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

from ..records import FileRef, Note, Record, TimeField
from ..sources.evidence import from_ns
from .base import Context, Extractor, ExtractorDoc


@dataclass(frozen=True)
class FilesystemRecord(Record):
    KIND: ClassVar[str] = "filesystem"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "mtime": TimeField("File modified (mtime)", utc_by_format=True, zone_evidence="utc"),
        "atime": TimeField("File accessed (atime)", utc_by_format=True),
        "ctime": TimeField("Inode changed (ctime)", utc_by_format=True),
        "birthtime": TimeField("File created (birth time)", utc_by_format=True),
    }

    mtime: dt.datetime | None = None
    atime: dt.datetime | None = None
    ctime: dt.datetime | None = None
    birthtime: dt.datetime | None = None
    size: int = 0
    mode: str = ""
    uid: int | None = None
    gid: int | None = None
    inode: int | None = None
    device: int | None = None
    nlink: int | None = None
    link_target: str | None = None


class _StatxTimestamp(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_int64), ("tv_nsec", ctypes.c_uint32), ("_r", ctypes.c_int32)]


class _Statx(ctypes.Structure):
    _fields_ = [
        ("stx_mask", ctypes.c_uint32),
        ("stx_blksize", ctypes.c_uint32),
        ("stx_attributes", ctypes.c_uint64),
        ("stx_nlink", ctypes.c_uint32),
        ("stx_uid", ctypes.c_uint32),
        ("stx_gid", ctypes.c_uint32),
        ("stx_mode", ctypes.c_uint16),
        ("_pad1", ctypes.c_uint16),
        ("stx_ino", ctypes.c_uint64),
        ("stx_size", ctypes.c_uint64),
        ("stx_blocks", ctypes.c_uint64),
        ("stx_attributes_mask", ctypes.c_uint64),
        ("stx_atime", _StatxTimestamp),
        ("stx_btime", _StatxTimestamp),
        ("stx_ctime", _StatxTimestamp),
        ("stx_mtime", _StatxTimestamp),
        ("_rest", ctypes.c_uint64 * 32),  # struct statx is 256 bytes; room to spare
    ]


_AT_FDCWD = -100
_AT_SYMLINK_NOFOLLOW = 0x100
_STATX_BTIME = 0x800


def _load_statx() -> Any:  # a ctypes function pointer, or None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.statx
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p]
    fn.restype = ctypes.c_int
    return fn


_statx = _load_statx()


def birth_time(path: str) -> dt.datetime | None:
    """The file's birth time from statx, or None where the OS does not know."""
    if _statx is None:
        return None
    buf = _Statx()
    rc = _statx(_AT_FDCWD, os.fsencode(path), _AT_SYMLINK_NOFOLLOW, _STATX_BTIME, ctypes.byref(buf))
    if rc != 0 or not buf.stx_mask & _STATX_BTIME:
        return None
    ts = buf.stx_btime
    return from_ns(ts.tv_sec * 1_000_000_000 + ts.tv_nsec)


class FilesystemExtractor(Extractor):
    name = "filesystem"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Filesystem times (mtime, atime, ctime, birth time), size, mode and owner.",
        reads="lstat(2) and statx(2) of loose files; links are described, never followed.",
        references=("POSIX stat(2)", "Linux statx(2)"),
        limits="Birth time only where the kernel and filesystem report it. Archive members "
        "have no filesystem entry: their times come from the archive_entry extractor. Files "
        "are read with O_NOATIME, but reading a symbolic link's target may update the "
        "link's own atime (readlink has no such flag): the atime recorded for a link is "
        "the one its listing saw, before that.",
    )
    record_kinds = (FilesystemRecord,)
    needs_bytes = False

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return ref.path is not None and not ref.container

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        assert ref.path is not None
        st = os.lstat(ref.path)
        atime = ref.listed_atime_ns if ref.listed_atime_ns is not None else st.st_atime_ns
        yield FilesystemRecord(
            extractor=self.name,
            source="lstat",
            mtime=from_ns(st.st_mtime_ns),
            atime=from_ns(atime),
            ctime=from_ns(st.st_ctime_ns),
            birthtime=birth_time(ref.path),
            size=st.st_size,
            mode=stat.filemode(st.st_mode),
            uid=st.st_uid,
            gid=st.st_gid,
            inode=st.st_ino,
            device=st.st_dev,
            nlink=st.st_nlink,
            link_target=(ref.link_target or os.readlink(ref.path))
            if stat.S_ISLNK(st.st_mode)
            else None,
        )
