"""FlashPix extensions in JPEG APP2 `FPXR` segments (Kodak, Sanyo and
others wrote them, as the EXIF 2.x specification allowed): the segments
carry a contents list and the streams it names, and the `\\x05Extension
List` stream is an OLE property set whose properties give each extension's
name, creating application, and its creation and modification times
(ExifTool's FlashPix:ExtensionCreateDate / ExtensionModifyDate).

Written here, as ExifTool's FlashPix.pm reads it (the FPXR layout is in
EXIF 2.2 annex, the property set in [MS-OLEPS]): the streams are fragments
spread over JPEG segments, not an OLE compound file, so olefile cannot
open them. Times are Windows FILETIMEs: UTC by the format.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from ..errors import NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .blocks import jpeg_segments
from .dates import parse_filetime

FPXR_ID = b"FPXR\x00"
EXTENSION_LIST = "Extension List"
MAX_STREAM = 16 * 1024 * 1024  # a stream claiming more is not gathered
_VT_LPSTR, _VT_LPWSTR, _VT_FILETIME = 0x1E, 0x1F, 0x40
# extension list property ids, low 16 bits (the high ones number the extension)
_NAME, _CREATED, _MODIFIED, _APPLICATION, _DESCRIPTION = 0x0001, 0x0004, 0x0005, 0x0006, 0x0007


@dataclass(frozen=True)
class FlashPixRecord(Record):
    """One FlashPix extension of the extension list."""

    KIND: ClassVar[str] = "flashpix"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"application": "software"}
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "created": TimeField("FlashPix extension creation time", utc_by_format=True),
        "modified": TimeField("FlashPix extension modification time", utc_by_format=True),
    }

    extension: int = 0
    name: str | None = None
    application: str | None = None
    description: str | None = None
    created: TimeValue | None = None
    modified: TimeValue | None = None
    streams: tuple[str, ...] = field(default_factory=tuple)


def fpxr_streams(segments: Iterator[bytes]) -> dict[str, bytes]:
    """The streams the FPXR segments carry, by name (directory part dropped),
    gathered as ExifTool gathers them: the first fragment of a stream starts
    it whatever its offset, later ones overlap or follow."""
    contents: list[tuple[str, int]] = []
    parts: dict[int, bytearray] = {}
    for payload in segments:
        if len(payload) < 13:
            continue
        kind = payload[6]
        if kind == 1:  # contents list
            (count,) = struct.unpack_from(">H", payload, 7)
            pos, contents = 9, []
            for _ in range(count):
                if pos + 5 > len(payload):
                    break
                (size,) = struct.unpack_from(">I", payload, pos)
                pos += 5  # the size, then the default-value byte
                end = pos
                while end + 1 < len(payload) and payload[end : end + 2] != b"\x00\x00":
                    end += 2
                name = payload[pos:end].decode("utf-16-le", "replace").rsplit("/", 1)[-1]
                name = name.lstrip("\x01\x05")  # OLE's marks of property set streams
                pos = end + 2 + (16 if size == 0xFFFFFFFF else 0)  # a storage's class id
                contents.append((name, size))
        elif kind == 2 and contents:  # stream data
            index, offset = struct.unpack_from(">HI", payload, 7)
            if index >= len(contents):
                continue
            data = payload[13:]
            have = parts.get(index)
            if have is None:
                parts[index] = bytearray(data)
            elif offset <= len(have):
                have[offset:] = data
            if len(parts[index]) > MAX_STREAM:
                del parts[index]
    return {contents[i][0]: bytes(b[: contents[i][1]]) for i, b in parts.items()}


def property_set(data: bytes) -> dict[int, object]:
    """The first property set of an OLE property set stream: id -> value
    (strings and FILETIMEs; other types are skipped)."""
    if len(data) < 48 or data[:2] != b"\xfe\xff":
        return {}
    (offset,) = struct.unpack_from("<I", data, 44)
    if offset + 8 > len(data):
        return {}
    _size, count = struct.unpack_from("<II", data, offset)
    out: dict[int, object] = {}
    for n in range(min(count, (len(data) - offset - 8) // 8)):
        pid, at = struct.unpack_from("<II", data, offset + 8 + 8 * n)
        at += offset
        if at + 4 > len(data):
            continue
        (vtype,) = struct.unpack_from("<H", data, at)
        body = at + 4
        if vtype == _VT_FILETIME and body + 8 <= len(data):
            when = parse_filetime(struct.unpack_from("<Q", data, body)[0])
            if when is not None:
                out[pid] = when
        elif vtype in (_VT_LPSTR, _VT_LPWSTR) and body + 4 <= len(data):
            (length,) = struct.unpack_from("<I", data, body)
            if vtype == _VT_LPWSTR:
                raw = data[body + 4 : body + 4 + 2 * length]
                out[pid] = raw.decode("utf-16-le", "replace").rstrip("\x00")
            else:
                out[pid] = data[body + 4 : body + 4 + length].decode("latin-1").rstrip("\x00")
    return out


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _time(value: object) -> dt.datetime | None:
    return value if isinstance(value, dt.datetime) else None


class FlashPixExtractor(Extractor):
    name = "flashpix"
    version = "1.0"
    doc = ExtractorDoc(
        summary="FlashPix extensions of JPEG APP2 FPXR segments: each extension's name, "
        "creating application, creation and modification times (UTC FILETIMEs).",
        reads="JPEG APP2 FPXR contents lists and stream data; the Extension List property set.",
        references=(
            "JEITA CP-3451 (Exif 2.2) annex: FlashPix extensions in APP2",
            "[MS-OLEPS] Object Linking and Embedding Property Set Data Structures",
        ),
        limits="Only the Extension List is decoded; the other streams (screen nail, audio) "
        "are named in the record, not read.",
    )
    record_kinds = (FlashPixRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return mime == "image/jpeg"

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        segments = (p for m, p in jpeg_segments(stream) if m == 0xE2 and p.startswith(FPXR_ID))
        streams = fpxr_streams(segments)
        if not streams:
            raise NotMyFormat("no FPXR segments")
        props = property_set(streams.get(EXTENSION_LIST, b""))
        numbers = sorted({pid >> 16 for pid in props if pid & 0xFFFF in (_NAME, _CREATED)})
        names = tuple(sorted(streams))
        if not numbers:
            yield FlashPixRecord(extractor=self.name, source="JPEG APP2 FPXR", streams=names)
            return
        for number in numbers:

            def get(low: int, number: int = number) -> object:
                return props.get(number << 16 | low)

            yield FlashPixRecord(
                extractor=self.name,
                source="JPEG APP2 FPXR",
                extension=number,
                name=_text(get(_NAME)),
                application=_text(get(_APPLICATION)),
                description=_text(get(_DESCRIPTION)),
                created=_time(get(_CREATED)),
                modified=_time(get(_MODIFIED)),
                streams=names,
            )
