"""ASF (WMV, WMA): the File Properties object's creation date (a UTC
FILETIME: ExifTool's ASF:CreationDate), play duration, the Content
Description (title, author, copyright) and, from the Extended Content
Description, the tool that wrote the file (WM/ToolName, WM/EncodingTime).

Objects are walked by hand with seeks: ASF is a flat list of
GUID-tagged objects (Microsoft's "Advanced Systems Format Specification"
rev. 01.20.03), and no maintained Python reader exposes these fields
without decoding the media.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .dates import parse_filetime


def _guid(text: str) -> bytes:
    return uuid.UUID(text).bytes_le  # GUIDs are stored with their first three fields little-endian


HEADER = _guid("75B22630-668E-11CF-A6D9-00AA0062CE6C")
FILE_PROPERTIES = _guid("8CABDCA1-A947-11CF-8EE4-00C00C205365")
CONTENT_DESCRIPTION = _guid("75B22633-668E-11CF-A6D9-00AA0062CE6C")
EXTENDED_CONTENT = _guid("D2D0A440-E307-11D2-97F0-00A0C95EA850")
MAX_HEADER = 16 * 1024 * 1024  # a header object claiming more is not read
_STRING, _QWORD = 0, 4  # extended content value types


@dataclass(frozen=True)
class AsfRecord(Record):
    KIND: ClassVar[str] = "asf"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "author": "author",
        "copyright": "copyright",
        "tool": "software",
    }
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "created": TimeField("ASF file creation date", utc_by_format=True),
        "encoded": TimeField("ASF WM/EncodingTime", utc_by_format=True),
    }

    created: TimeValue | None = None
    encoded: TimeValue | None = None
    duration_seconds: float | None = None
    title: str | None = None
    author: str | None = None
    copyright: str | None = None
    tool: str | None = None


def _utf16(raw: bytes) -> str | None:
    text = raw.decode("utf-16-le", "replace").split("\x00", 1)[0].strip()
    return text or None


def _objects(data: bytes, start: int) -> Iterator[tuple[bytes, bytes]]:
    """(GUID, body) of the objects of a header object's body."""
    pos = start
    while pos + 24 <= len(data):
        guid = data[pos : pos + 16]
        (size,) = struct.unpack_from("<Q", data, pos + 16)
        if size < 24 or pos + size > len(data):
            raise CorruptInput(f"ASF object at {pos} runs past its header")
        yield guid, data[pos + 24 : pos + size]
        pos += size


def _extended(body: bytes) -> dict[str, object]:
    """Extended Content Description: name -> value (strings and QWORDs)."""
    out: dict[str, object] = {}
    if len(body) < 2:
        return out
    (count,) = struct.unpack_from("<H", body, 0)
    pos = 2
    for _ in range(count):
        if pos + 2 > len(body):
            break
        (name_len,) = struct.unpack_from("<H", body, pos)
        name = _utf16(body[pos + 2 : pos + 2 + name_len]) or ""
        pos += 2 + name_len
        if pos + 4 > len(body):
            break
        kind, value_len = struct.unpack_from("<HH", body, pos)
        value = body[pos + 4 : pos + 4 + value_len]
        pos += 4 + value_len
        if kind == _STRING:
            out[name] = _utf16(value)
        elif kind == _QWORD and len(value) == 8:
            out[name] = struct.unpack("<Q", value)[0]
    return out


class AsfExtractor(Extractor):
    name = "asf"
    version = "1.0"
    doc = ExtractorDoc(
        summary="WMV / WMA: the file's creation date (UTC), duration, title, author, "
        "copyright and the tool that wrote it.",
        reads="The ASF header object: File Properties, Content Description, Extended Content "
        "Description (WM/ToolName, WM/EncodingTime).",
        references=("Advanced Systems Format (ASF) Specification, rev. 01.20.03 (Microsoft)",),
        limits="The data and index objects are never read; metadata library objects "
        "(ASF 2.0 extensions) are not decoded.",
    )
    record_kinds = (AsfRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head.startswith(HEADER)

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        head = stream.read(30)
        if not head.startswith(HEADER) or len(head) < 30:
            raise NotMyFormat("not ASF")
        (size,) = struct.unpack_from("<Q", head, 16)
        if size > MAX_HEADER:
            raise CorruptInput(f"ASF header object of {size} bytes: not read")
        stream.seek(0)
        data = stream.read(size)
        if len(data) < size:
            ctx.warn("truncated", f"ASF header declares {size} bytes, the file has {len(data)}")
        found: dict[bytes, bytes] = {}
        try:
            for guid, body in _objects(data, 30):
                found.setdefault(guid, body)
        except CorruptInput as exc:
            ctx.warn("corrupt", str(exc))
        props = found.get(FILE_PROPERTIES, b"")
        created = duration = None
        if len(props) >= 64:
            (ticks,) = struct.unpack_from("<Q", props, 24)
            play, _send, preroll = struct.unpack_from("<QQQ", props, 40)
            created = parse_filetime(ticks)
            duration = max(play / 1e7 - preroll / 1e3, 0.0) if play else None
        texts: list[str | None] = [None] * 5
        described = found.get(CONTENT_DESCRIPTION, b"")
        if len(described) >= 10:
            lengths = struct.unpack_from("<5H", described, 0)
            pos = 10
            for n, length in enumerate(lengths):
                texts[n] = _utf16(described[pos : pos + length])
                pos += length
        extended = _extended(found.get(EXTENDED_CONTENT, b""))
        encoded = extended.get("WM/EncodingTime")
        tool = extended.get("WM/ToolName")
        yield AsfRecord(
            extractor=self.name,
            source="ASF header",
            created=created,
            encoded=parse_filetime(encoded) if isinstance(encoded, int) else None,
            duration_seconds=duration,
            title=texts[0],
            author=texts[1],
            copyright=texts[2],
            tool=tool if isinstance(tool, str) else None,
        )
