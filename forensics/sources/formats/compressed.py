"""gzip, bzip2 and xz streams: a compressed tar (read by `tar.py`), or else
one compressed file, whose member is the file without the suffix, as
gunzip would name it."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import posixpath
from collections.abc import Iterator
from typing import IO

from ...errors import LimitExceeded
from ...records import ArchiveEntry, Problem, flag
from ..kinds import archive_kind
from ..limits import Reading, inflated_size, read_bounded
from .member import Member
from .tar import read_tar


def _decompressor(kind: str, fh: IO[bytes]) -> io.BufferedIOBase:
    if kind == "gzip":
        return gzip.GzipFile(fileobj=fh, mode="rb")
    if kind == "bzip2":
        return bz2.BZ2File(fh)
    return lzma.LZMAFile(fh)


_TAR_MODES = {"gzip": "r|gz", "bzip2": "r|bz2", "xz": "r|xz"}


def read_compressed(
    fh: IO[bytes], kind: str, url: str, packed: int, walk: Reading
) -> Iterator[Member]:
    """A compressed tar, or else one compressed file (its member is the file
    without the suffix, as gunzip would name it)."""
    start = fh.tell()
    with _decompressor(kind, fh) as stream:
        head = stream.read(512)
    fh.seek(start)
    if archive_kind(head) == "tar":
        yield from read_tar(fh, _TAR_MODES[kind], packed, walk)
        return
    base = posixpath.basename(url.rsplit("!/", 1)[-1])
    stem, _, _suffix = base.rpartition(".")
    name = stem or f"{base}.out"
    flags: list[Problem] = []
    data, mtime = None, None
    with _decompressor(kind, fh) as stream:
        try:
            data = read_bounded(stream, packed, name, walk)
        except LimitExceeded as exc:
            flags.append(flag("sources", "limit_exceeded", f"not read: {exc}"))
        mtime = getattr(stream, "mtime", None) or None  # gzip's header time, 0 when unset
    entry = ArchiveEntry(format=kind, name=name, size=inflated_size(data), stream_mtime=mtime)
    yield Member(name, entry, data, flags)
