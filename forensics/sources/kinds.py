"""Which archive reader applies to a file, from its first bytes (and, for
an ISO 9660 image, the volume descriptor past its system area)."""

from __future__ import annotations

from typing import IO


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
