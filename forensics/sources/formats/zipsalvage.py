"""Members of a zip whose central directory is gone (an upload cut short, a
carved fragment), read from their local file headers in order.

`zipfile` needs the central directory at the end of the archive and refuses
the whole file without it, so every member of a truncated upload would be
lost. The local headers before the cut still say each member's name, time,
sizes and CRC; stored and deflated data is inflated here with zlib, within
the same limits as any member. This is what `unzip -FF` and 7-Zip do for such
files; neither is a library we can call, hence this small reader.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

LOCAL = b"PK\x03\x04"
_HEADER = struct.Struct("<4sHHHHHIIIHH")
STORED, DEFLATED = 0, 8


@dataclass(frozen=True)
class LocalMember:
    name: str
    flag_bits: int
    method: int
    dos_time: tuple[int, int, int, int, int, int]
    crc: int
    compressed_size: int
    size: int
    extra: bytes
    data_offset: int


def _dos_time(time: int, date: int) -> tuple[int, int, int, int, int, int]:
    return (
        (date >> 9) + 1980,
        (date >> 5) & 0xF,
        date & 0x1F,
        time >> 11,
        (time >> 5) & 0x3F,
        (time & 0x1F) * 2,
    )


def local_members(fh: IO[bytes], max_members: int) -> Iterator[LocalMember]:
    """Each local header from the start, until one is missing or cut off.
    A member whose sizes are in a trailing data descriptor (flag bit 3) ends
    the walk after it: where its data ends is known only by inflating it."""
    pos = 0
    for _ in range(max_members):
        fh.seek(pos)
        raw = fh.read(_HEADER.size)
        if len(raw) < _HEADER.size or not raw.startswith(LOCAL):
            return
        _sig, _ver, flags, method, mtime, mdate, crc, csize, usize, nlen, xlen = _HEADER.unpack(raw)
        name_raw = fh.read(nlen)
        extra = fh.read(xlen)
        if len(name_raw) < nlen or len(extra) < xlen:
            return
        name = name_raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")
        start = pos + _HEADER.size + nlen + xlen
        yield LocalMember(
            name, flags, method, _dos_time(mtime, mdate), crc, csize, usize, extra, start
        )
        if flags & 0x8:
            return
        pos = start + csize


class MemberReader(io.RawIOBase):
    """The inflated bytes of one member; `consumed` counts compressed bytes
    taken, for the ratio limit; `truncated` is set when the archive ended
    before the member's data did."""

    def __init__(self, fh: IO[bytes], member: LocalMember) -> None:
        if member.method not in (STORED, DEFLATED):
            raise NotImplementedError(f"compression method {member.method}")
        self.fh = fh
        self.left = member.compressed_size
        self.pos = member.data_offset
        self.inflater = zlib.decompressobj(-15) if member.method == DEFLATED else None
        self.pending = b""
        self.consumed = 0
        self.truncated = False
        self.crc = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self.pending:
            if self.inflater is not None and self.inflater.unconsumed_tail:
                self.pending = self.inflater.decompress(self.inflater.unconsumed_tail, 1 << 20)
                continue
            if self.left <= 0 or self.truncated:
                if self.inflater is not None:
                    self.pending, self.inflater = self.inflater.flush(), None
                    continue
                return 0
            self.fh.seek(self.pos)
            chunk = self.fh.read(min(1 << 16, self.left))
            if not chunk:
                self.truncated = True
                continue
            self.pos += len(chunk)
            self.left -= len(chunk)
            self.consumed += len(chunk)
            if self.inflater is None:
                self.pending = chunk
            else:
                self.pending = self.inflater.decompress(chunk, 1 << 20)
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.crc = zlib.crc32(self.pending[:n], self.crc)
        self.pending = self.pending[n:]
        return n
