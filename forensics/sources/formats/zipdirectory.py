"""Opening a zip whose end record misstates its central directory's size,
as Adobe Animate writes its `.fla` files.

Animate rewrites a document in place and leaves one stale local entry
behind; the end of central directory record then counts that entry's
directory record in the directory's size (by 46 bytes plus its name),
though the record is not there. The standard library takes the size at its
word: it reads the directory from `end - size`, finds no directory
signature, and gives up ("Bad magic number for central directory").

The directory itself is whole: it starts at the offset the end record
gives and ends where the end record begins. When exactly that holds (the
declared size overshoots the end record, the bytes at the declared offset
start a directory record, no zip64 record in between), the zip is read
through a view of its bytes that states the true size; the evidence is
not touched. Any other damage is left to the caller, which reads the
members from their local headers and flags the archive.
"""

from __future__ import annotations

import io
import struct
import zipfile
from typing import IO

_EOCD = b"PK\x05\x06"
_TAIL = 22 + 65535  # the end record and the longest comment


class _Patched(io.RawIOBase):
    """`raw` read as if `patch` stood at offset `at`."""

    def __init__(self, raw: IO[bytes], at: int, patch: bytes) -> None:
        self.raw, self.at, self.patch = raw, at, patch
        self.pos = raw.seek(0, io.SEEK_END)
        self.size = self.pos
        self.pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(base + offset, 0)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        self.raw.seek(self.pos)
        data = bytearray(self.raw.read(len(buffer)))
        start, end = self.pos, self.pos + len(data)
        lo, hi = max(start, self.at), min(end, self.at + len(self.patch))
        if lo < hi:
            data[lo - start : hi - start] = self.patch[lo - self.at : hi - self.at]
        buffer[: len(data)] = data
        self.pos = end
        return len(data)

    def close(self) -> None:  # the evidence's handle belongs to the caller
        pass


def overstated_directory(fh: IO[bytes]) -> tuple[int, int, int] | None:
    """(end record's offset, declared size, true size) when the end record
    overstates a directory that is otherwise where it says."""
    size = fh.seek(0, io.SEEK_END)
    start = max(size - _TAIL, 0)
    fh.seek(start)
    tail = fh.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    eocd = start + at
    _, disk, cd_disk, _, _, cd_size, cd_offset, _ = struct.unpack_from("<IHHHHIIH", tail, at)
    if disk or cd_disk or not cd_offset < eocd < cd_offset + cd_size:
        return None
    fh.seek(cd_offset)
    if fh.read(4) != b"PK\x01\x02":
        return None
    fh.seek(cd_offset)
    if b"PK\x06\x06" in fh.read(eocd - cd_offset):  # a zip64 directory: not this habit
        return None
    return eocd, cd_size, eocd - cd_offset


def open_zip(fh: IO[bytes]) -> tuple[zipfile.ZipFile, str | None]:
    """`fh` as a ZipFile, and a note when its end record's overstated
    directory size had to be read past (None when it opened as it is).
    Raises zipfile.BadZipFile when neither way opens it."""
    try:
        return zipfile.ZipFile(fh), None
    except zipfile.BadZipFile:
        found = overstated_directory(fh)
        if found is None:
            raise
    eocd, declared, true = found
    view = io.BufferedReader(_Patched(fh, eocd + 12, struct.pack("<I", true)))
    opened = zipfile.ZipFile(view)
    return opened, (
        f"the end record states a central directory of {declared} bytes, {true} are there "
        "(as Adobe Animate writes its .fla): read as there"
    )
