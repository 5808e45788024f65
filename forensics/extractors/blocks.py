"""Where metadata blocks live inside each carrier format.

Small walkers over JPEG segments, PNG chunks, PSD image resources, TIFF IFD0
and GIF extensions, shared by the EXIF, XMP and IPTC extractors so that each
of those reads its block from every carrier. They are written by hand
because no maintained library exposes raw blocks across all of these:
Pillow hides most of them behind decoders (and stops at the first error),
and psd-tools parses the whole layer tree just to reach a resource. Each
walker reads only headers and the blocks asked for, seeking past pixel data,
and stops quietly at the first inconsistency: what it returned is all that
could be trusted.
"""

from __future__ import annotations

import struct
import weakref
import zlib
from collections.abc import Iterator
from typing import BinaryIO

MAX_BLOCK = 64 * 1024 * 1024  # no metadata block is larger; a bigger length is a lie

XMP_JPEG_ID = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_JPEG_ID = b"http://ns.adobe.com/xmp/extension/\x00"
EXIF_JPEG_ID = b"Exif\x00\x00"
PHOTOSHOP_JPEG_ID = b"Photoshop 3.0\x00"


_SEGMENTS: weakref.WeakKeyDictionary[BinaryIO, list[tuple[int, bytes]]] = (
    weakref.WeakKeyDictionary()
)


def jpeg_segments(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(marker, payload) of each segment before the image data (SOS). The
    EXIF, XMP, IPTC and FlashPix readers each ask for them: a file's stream
    is walked once (the list lives as long as the stream)."""
    try:
        segments = _SEGMENTS.get(stream)
    except TypeError:  # a stream that takes no weak reference
        yield from _jpeg_segments(stream)
        return
    if segments is None:
        segments = _SEGMENTS[stream] = list(_jpeg_segments(stream))
    yield from segments


def _jpeg_segments(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    stream.seek(0)
    if stream.read(2) != b"\xff\xd8":
        return
    while stream.read(1) == b"\xff":
        byte = stream.read(1)
        while byte == b"\xff":  # fill bytes
            byte = stream.read(1)
        if not byte or byte[0] in (0xD9, 0xDA):  # end of image, start of scan
            return
        marker = byte[0]
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            continue
        raw = stream.read(2)
        if len(raw) < 2:
            return
        (length,) = struct.unpack(">H", raw)
        if length < 2:
            return
        payload = stream.read(length - 2)
        yield marker, payload
        if len(payload) < length - 2:
            return


def png_chunks(stream: BinaryIO, want: set[bytes] | None = None) -> Iterator[tuple[bytes, bytes]]:
    """(type, data) of each chunk; pixel chunks are skipped unread unless
    asked for. After IEND, yields (b"<after-IEND>", the trailing bytes) once."""
    stream.seek(0)
    if stream.read(8) != b"\x89PNG\r\n\x1a\n":
        return
    while True:
        head = stream.read(8)
        if len(head) < 8:
            return
        length, ctype = struct.unpack(">I4s", head)
        if length > MAX_BLOCK:
            return
        if want is not None and ctype not in want and ctype != b"IEND":
            stream.seek(length + 4, 1)
            continue
        data = stream.read(length)
        stream.read(4)  # CRC
        yield ctype, data
        if ctype == b"IEND":
            rest = stream.read(MAX_BLOCK)
            if rest:
                yield b"<after-IEND>", rest
            return


def psd_resources(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """(resource id, data) of each Photoshop image resource of a PSD/PSB."""
    stream.seek(0)
    header = stream.read(26)
    if len(header) < 26 or header[:4] != b"8BPS":
        return
    raw = stream.read(4)
    if len(raw) < 4:
        return
    (mode_len,) = struct.unpack(">I", raw)
    stream.seek(mode_len, 1)
    raw = stream.read(4)
    if len(raw) < 4:
        return
    (section,) = struct.unpack(">I", raw)
    yield from photoshop_resources(stream.read(min(section, MAX_BLOCK)))


def photoshop_resources(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The 8BIM resource blocks of a PSD section or a JPEG APP13 segment."""
    pos = 0
    while pos + 12 <= len(data):
        if data[pos : pos + 4] not in (b"8BIM", b"MeSa", b"PHUT", b"AgHg", b"DCSR"):
            return
        (rid,) = struct.unpack_from(">H", data, pos + 4)
        name_len = data[pos + 6]
        pos += 6 + ((name_len + 2) & ~1)  # Pascal name padded to even
        if pos + 4 > len(data):
            return
        (size,) = struct.unpack_from(">I", data, pos)
        pos += 4
        yield rid, data[pos : pos + size]
        pos += size + (size & 1)


def tiff_ifd0_tag(data: bytes, wanted: int) -> bytes | None:
    """The raw value of one IFD0 tag of a TIFF (e.g. 700 XMP, 33723 IPTC)."""
    if data[:4] not in (b"II*\x00", b"MM\x00*") or len(data) < 8:
        return None
    end = "<" if data[:2] == b"II" else ">"
    (offset,) = struct.unpack_from(end + "I", data, 4)
    if offset + 2 > len(data):
        return None
    (count,) = struct.unpack_from(end + "H", data, offset)
    sizes = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
    for i in range(min(count, 4096)):
        entry = offset + 2 + 12 * i
        if entry + 12 > len(data):
            return None
        tag, typ, n = struct.unpack_from(end + "HHI", data, entry)
        if tag != wanted:
            continue
        size = sizes.get(typ, 1) * n
        if size <= 4:
            return data[entry + 8 : entry + 8 + size]
        (where,) = struct.unpack_from(end + "I", data, entry + 8)
        return data[where : where + size] or None
    return None


def gif_application_blocks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(application id, data) of GIF application extensions. XMP's id is
    b"XMP DataXMP" and its data is stored raw (sub-block lengths are part
    of the text, followed by a 258-byte "magic trailer")."""
    start = 0
    while True:
        pos = data.find(b"\x21\xff\x0b", start)
        if pos < 0:
            return
        app = data[pos + 3 : pos + 14]
        body_start = pos + 14
        if app == b"XMP DataXMP":
            # The packet ends at its closing tag; a packet without one ends
            # where the next extension starts, never at the end of the file
            # (repeated unterminated packets would each take the rest of it).
            nxt = data.find(b"\x21\xff\x0b", body_start)
            stop = min(len(data) if nxt < 0 else nxt, body_start + MAX_BLOCK)
            close = data.find(b"</x:xmpmeta>", body_start, stop)
            end = close + len(b"</x:xmpmeta>") if close >= 0 else stop
            yield app, data[body_start:end]
        else:
            chunks, p = [], body_start
            while p < len(data) and data[p] != 0:
                chunks.append(data[p + 1 : p + 1 + data[p]])
                p += 1 + data[p]
            yield app, b"".join(chunks)
        start = body_start


def inflate(data: bytes, limit: int = MAX_BLOCK) -> bytes:
    """zlib-inflate at most `limit` bytes (a compressed text chunk is no bomb)."""
    return zlib.decompressobj().decompress(data, limit)


def _isobmff_boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, body start, body end) of the boxes in data[start:end]."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1 and pos + 16 <= end:
            size, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos + header, pos + size
        pos += size


def _top_meta(stream: BinaryIO) -> bytes | None:
    """The body of a file's top-level `meta` box, read by seeking past the others."""
    stream.seek(0, 2)
    end = stream.tell()
    pos = 0
    while pos + 8 <= end:
        stream.seek(pos)
        head = stream.read(16)
        if len(head) < 8:
            return None
        size, kind = struct.unpack_from(">I4s", head)
        header = 8
        if size == 1 and len(head) == 16:
            size, header = struct.unpack_from(">Q", head, 8)[0], 16
        elif size == 0:
            size = end - pos
        if size < header:
            return None
        if kind == b"meta":
            if size > MAX_BLOCK:
                return None
            stream.seek(pos + header)
            return stream.read(size - header)
        pos += size
    return None


def heif_items(stream: BinaryIO, wanted: bytes) -> Iterator[bytes]:
    """The payloads of a HEIF/AVIF file's items of one type (b"Exif"),
    found through its top-level `meta` box: item types from `iinf`,
    locations from `iloc` (file offsets, or offsets into `idat`).

    Written here (ISO/IEC 23008-12 and 14496-12) as the fallback for the
    files whose Exif item exifread refuses: its HEIC reader asserts that the
    item's TIFF-header offset lands just after "Exif\\0\\0", which some
    writers break; pillow-heif (libheif) drops such files whole."""
    meta = _top_meta(stream)
    if meta is None or len(meta) < 4:
        return
    boxes = {kind: (s, e) for kind, s, e in _isobmff_boxes(meta, 4, len(meta))}
    if b"iinf" not in boxes or b"iloc" not in boxes:
        return
    s, e = boxes[b"iinf"]
    ids = set()
    for kind, bs, be in _isobmff_boxes(meta, s + (6 if meta[s] == 0 else 8), e):
        if kind != b"infe" or be - bs < 12 or meta[bs] < 2:
            continue
        id_size = 2 if meta[bs] == 2 else 4
        item_id = int.from_bytes(meta[bs + 4 : bs + 4 + id_size], "big")
        if meta[bs + 6 + id_size : bs + 10 + id_size] == wanted:
            ids.add(item_id)
    if not ids:
        return
    s, e = boxes[b"iloc"]
    idat = boxes.get(b"idat")
    version = meta[s]
    pos = s + 6

    def take(n: int) -> int:
        nonlocal pos
        if pos + n > e:
            raise ValueError("HEIF iloc box runs past its end")
        value = int.from_bytes(meta[pos : pos + n], "big")
        pos += n
        return value

    offset_size, length_size = meta[s + 4] >> 4, meta[s + 4] & 15
    base_size = meta[s + 5] >> 4
    index_size = meta[s + 5] & 15 if version in (1, 2) else 0
    for _ in range(take(2 if version < 2 else 4)):
        item_id = take(2 if version < 2 else 4)
        method = take(2) & 15 if version in (1, 2) else 0
        take(2)  # data reference index: this file
        base = take(base_size)
        extents = []
        for _ in range(take(2)):
            take(index_size)
            extents.append((take(offset_size), take(length_size)))
        if item_id not in ids or method not in (0, 1) or (method == 1 and idat is None):
            continue
        parts = []
        for offset, length in extents:
            if not 0 < length <= MAX_BLOCK:
                continue
            if method == 1 and idat is not None:
                at = idat[0] + base + offset
                parts.append(meta[at : min(at + length, idat[1])])
            else:
                stream.seek(base + offset)
                parts.append(stream.read(length))
        if payload := b"".join(parts):
            yield payload


def heif_exif_tiff(payload: bytes) -> bytes | None:
    """The TIFF structure inside a HEIF Exif item: after its 4-byte offset to
    the TIFF header where that offset is right, else at the first TIFF
    header in the item (as ExifTool reads a wrong offset)."""
    at = 4 + int.from_bytes(payload[:4], "big") if len(payload) >= 8 else 0
    if payload[at : at + 4] in (b"II*\x00", b"MM\x00*"):
        return payload[at:]
    found = [i for i in (payload.find(b"II*\x00"), payload.find(b"MM\x00*")) if i >= 0]
    return payload[min(found) :] if found else None
