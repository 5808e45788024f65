"""Zip archives, through the standard library's `zipfile`: every member
with its central and local extra fields (the times Info-ZIP and NTFS
write), the CRC checked by us so that the bytes of a damaged member are
kept; a zip without a readable central directory is read from its local
headers (`zipsalvage.py`). A document's own parts (OOXML, ODF, EPUB) are
not members of the dump. The reader yields members and never recurses."""

from __future__ import annotations

import lzma
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any

from ...errors import LimitExceeded
from ...packages import document_parts
from ...records import ArchiveEntry, Problem, flag
from ..limits import MiB, Reading, Spooled, inflated_size, read_bounded
from .member import Member
from .zipdirectory import open_zip
from .zipsalvage import MemberReader, local_members


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


def read_zip(fh: IO[bytes], walk: Reading) -> Iterator[Member]:
    """A zip's members, from its central directory, or from their local
    headers when the directory is unreadable."""
    try:
        opened, _ = open_zip(fh)  # an Animate .fla's habit: the zip record says so
    except zipfile.BadZipFile as exc:
        yield from _read_zip_headers(fh, walk, exc)
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
                    flags.append(flag("sources", "encrypted", "encrypted member: bytes not read"))
                elif info.file_size > walk.limits.max_member_bytes or (
                    info.file_size > walk.limits.ratio_floor
                    and info.file_size > walk.limits.max_ratio * max(info.compress_size, 1)
                ):
                    raise LimitExceeded(
                        f"declared {info.file_size} bytes from {info.compress_size}: "
                        "over the member-size or compression-ratio limit"
                    )
                else:
                    with zf.open(info) as member:
                        # zipfile raises on a bad CRC at the very end and the
                        # bytes are lost; we check it ourselves and keep them.
                        if hasattr(member, "_expected_crc"):
                            member._expected_crc = None
                        data = read_bounded(
                            member,
                            info.compress_size,
                            info.filename,
                            walk,
                            packed_read=_consumed(member, info.compress_size),
                        )
                    if (crc := _crc(data)) != info.CRC:
                        flags.append(
                            flag(
                                "sources",
                                "corrupt_member",
                                f"CRC-32 of the inflated bytes is {crc:08x}, the archive says "
                                f"{info.CRC:08x}: the bytes are kept, and hashed, as they inflate",
                                "error",
                            )
                        )
            except LimitExceeded as exc:
                flags.append(flag("sources", "limit_exceeded", f"not read: {exc}"))
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
                flags.append(flag("sources", "corrupt_member", f"not read: {why}", "error"))
            if is_link:
                if isinstance(data, Spooled):  # a "link" of megabytes: keep its start
                    with open(data, "rb") as fh:
                        head = fh.read(4096)
                    os.unlink(data)
                    data = head
                target = (data or b"").decode("utf-8", "replace")
                yield Member(_zip_name(info), entry, None, flags, "symlink", target)
            else:
                yield Member(_zip_name(info), entry, data, flags)


def _read_zip_headers(fh: IO[bytes], walk: Reading, why: Exception) -> Iterator[Member]:
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
            flags.append(flag("sources", "encrypted", "encrypted member: not read"))
        else:
            try:
                reader = MemberReader(fh, member)
                data = read_bounded(
                    reader,
                    member.compressed_size,
                    member.name,
                    walk,
                    lambda: reader.consumed,  # noqa: B023
                )
                if reader.truncated:
                    flags.append(
                        flag(
                            "sources",
                            "truncated",
                            f"the archive ends inside this member: {inflated_size(data)} of "
                            f"{member.size} bytes read (the hashes are of those)",
                        )
                    )
                elif member.flag_bits & 0x8 == 0 and reader.crc != member.crc:
                    flags.append(flag("sources", "corrupt_member", "CRC does not match", "error"))
            except LimitExceeded as exc:
                flags.append(flag("sources", "limit_exceeded", f"not read: {exc}"))
            except (zlib.error, NotImplementedError) as exc:
                flags.append(flag("sources", "corrupt_member", f"not read: {exc}", "error"))
        yield Member(member.name, entry, data, flags)
    if count == 0:
        raise why
    walk.flag(
        "corrupt_archive",
        f"zip central directory unreadable ({why}): {count} members read from their local "
        "headers (a truncated or carved zip?)",
    )
