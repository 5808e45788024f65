"""MP4 / QuickTime (ISO base media): the movie header (mvhd) and each
track's header (tkhd) and media header (mdhd) creation and modification
times, UTC seconds since 1904 by the QuickTime specification (a zero, the
1904 default, is kept and flagged); brands, duration and track count.

Boxes are walked by hand with seeks (never reading media data): the times
sit in three fixed-layout boxes, and no maintained pure-Python reader
exposes all of them without decoding.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .dates import parse_iso8601

EPOCH_1904 = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)
_CONTAINERS = {b"moov", b"trak", b"mdia"}
_TOP = {
    b"ftyp",
    b"moov",
    b"mdat",
    b"free",
    b"skip",
    b"wide",
    b"uuid",
    b"meta",
    b"pnot",
    b"moof",
    b"mfra",
    b"styp",
    b"sidx",
    b"pdin",
}


@dataclass(frozen=True)
class VideoRecord(Record):
    """One header box: the movie's (mvhd) or a track's (tkhd, mdhd)."""

    KIND: ClassVar[str] = "video"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "created": TimeField("QuickTime creation time", utc_by_format=True),
        "modified": TimeField(
            "QuickTime modification time", utc_by_format=True, zone_evidence="utc"
        ),
    }

    box: str = ""
    track: int | None = None
    created: dt.datetime | None = None
    modified: dt.datetime | None = None
    timescale: int | None = None
    duration_seconds: float | None = None
    brand: str | None = None

    def describe(self, name: str, spec: TimeField) -> TimeField:
        where = f"track {self.track} {self.box}" if self.track is not None else self.box
        return TimeField(f"QuickTime {where} {name}", utc_by_format=True)


@dataclass(frozen=True)
class VideoTagRecord(Record):
    """One text tag of the movie's metadata: a QuickTime `keys` entry
    (`com.apple.quicktime.creationdate`: the local time the phone recorded,
    with its offset), a user-data `©xxx` atom, or an iTunes-style `ilst`
    item. Only dates, software and device tags are kept as records; a date
    without an offset is naive (the spec gives none)."""

    KIND: ClassVar[str] = "video_tag"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"software": "software", "device": "device"}
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {"when": TimeField("QuickTime metadata date")}

    box: str = ""
    tag: str = ""
    value: str = ""
    when: TimeValue | None = None
    software: str | None = None
    device: str | None = None

    def describe(self, name: str, spec: TimeField) -> TimeField:
        return TimeField(f"QuickTime {self.box} {self.tag}")


# Tags kept, by their last name part: dates (ExifTool's Keys:CreationDate,
# UserData:DateTimeOriginal, ItemList:ContentCreateDate...), software, device.
_DATE_TAGS = {"creationdate", "©day", "date", "creation_time", "modifydate"}
_SOFTWARE_TAGS = {"software", "©swr", "©too", "encoder"}
_DEVICE_TAGS = {"make", "model", "©mak", "©mod"}
MAX_META_BYTES = 4 * 1024 * 1024  # a metadata box bigger than this is not read


def _boxes(stream: BinaryIO, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the boxes between two offsets."""
    pos = start
    while pos + 8 <= end:
        stream.seek(pos)
        head = stream.read(8)
        if len(head) < 8:
            return
        size, kind = struct.unpack(">I4s", head)
        body = pos + 8
        if size == 1:
            size = struct.unpack(">Q", stream.read(8))[0]
            body += 8
        elif size == 0:
            size = end - pos
        if size < body - pos or pos + size > end:
            raise CorruptInput(f"box {kind!r} at {pos} runs past its container")
        yield kind, body, pos + size
        pos += size


def _stamp(seconds: int) -> dt.datetime:
    return EPOCH_1904 + dt.timedelta(seconds=seconds)


def _header(
    data: bytes, kind: bytes
) -> tuple[dt.datetime, dt.datetime, int | None, float | None, int | None]:
    """(created, modified, timescale, duration in seconds, track id)."""
    version = data[0]
    if version == 1:
        created, modified = struct.unpack_from(">QQ", data, 4)
        rest = 20
    else:
        created, modified = struct.unpack_from(">II", data, 4)
        rest = 12
    if kind == b"tkhd":
        (track,) = struct.unpack_from(">I", data, rest)
        return _stamp(created), _stamp(modified), None, None, track
    timescale = struct.unpack_from(">I", data, rest)[0]
    duration = (
        struct.unpack_from(">Q", data, rest + 4)[0]
        if version == 1
        else struct.unpack_from(">I", data, rest + 4)[0]
    )
    return (
        _stamp(created),
        _stamp(modified),
        timescale,
        duration / timescale if timescale else None,
        None,
    )


def _mem_boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, body start, body end) of the boxes in data[start:end]; stops
    quietly at the first box that runs past its container."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        if size < 8 or pos + size > end:
            return
        yield kind, pos + 8, pos + size
        pos += size


def _meta_body(data: bytes, start: int, end: int) -> int:
    """Where a `meta` box's children start: ISO's meta is a full box
    (4 bytes of version and flags first), QuickTime's is not."""
    if end - start >= 12 and data[start + 4 : start + 8] in (b"hdlr", b"keys", b"ilst"):
        return start
    return start + 4


def _data_text(data: bytes, start: int, end: int) -> str | None:
    """The UTF-8 value of an item's `data` box (type 1), if it has one."""
    for kind, body, stop in _mem_boxes(data, start, end):
        if kind == b"data" and stop - body >= 8:
            well_known = int.from_bytes(data[body + 1 : body + 4], "big")
            if well_known in (1, 4):  # UTF-8, or UTF-16 BE
                raw = data[body + 8 : stop]
                return raw.decode("utf-8" if well_known == 1 else "utf-16-be", "replace")
    return None


def _tag_name(kind: bytes) -> str:
    return kind.decode("latin-1")


def metadata_tags(data: bytes, box: str) -> Iterator[tuple[str, str, str]]:
    """(where, tag, text value) of the text tags in a `meta` or `udta` body."""
    if box.endswith("meta"):
        start = _meta_body(data, 0, len(data))
        children = {kind: (b, e) for kind, b, e in _mem_boxes(data, start, len(data))}
        keys: list[str] = []
        if b"keys" in children:
            b, e = children[b"keys"]
            for _kind, kb, ke in _mem_boxes(data, b + 8, e):  # entries: size, namespace, name
                keys.append(data[kb:ke].decode("utf-8", "replace"))
        if b"ilst" in children:
            b, e = children[b"ilst"]
            for kind, ib, ie in _mem_boxes(data, b, e):
                index = int.from_bytes(kind, "big")
                if keys and 0 < index <= len(keys):
                    name, where = keys[index - 1], f"{box}/keys"
                else:
                    name, where = _tag_name(kind), f"{box}/ilst"
                value = _data_text(data, ib, ie)
                if value is not None:
                    yield where, name, value
        return
    for kind, b, e in _mem_boxes(data, 0, len(data)):  # udta
        if kind == b"meta":
            yield from metadata_tags(data[b:e], f"{box}/meta")
        elif kind == b"date":  # Android's recording time: bare text, no length or language
            yield box, "date", data[b:e].decode("utf-8", "replace").strip("\x00 ")
        elif kind[:1] == b"\xa9" and e - b >= 4:
            # QuickTime user data text: (16-bit length, 16-bit language, text)...
            length = int.from_bytes(data[b : b + 2], "big")
            raw = data[b + 4 : min(b + 4 + length, e)]
            if length and raw:
                yield box, _tag_name(kind), raw.decode("utf-8", "replace").strip("\x00 ")


def tag_record(extractor: str, where: str, tag: str, value: str) -> VideoTagRecord | None:
    """The record of one tag, if it is a date, software or device."""
    leaf = tag.rsplit(".", 1)[-1].lower()
    value = value.strip()[:200]
    if not value or leaf not in _DATE_TAGS | _SOFTWARE_TAGS | _DEVICE_TAGS:
        return None
    return VideoTagRecord(
        extractor=extractor,
        source=f"QuickTime {where}",
        box=where,
        tag=tag,
        value=value,
        when=parse_iso8601(value) if leaf in _DATE_TAGS else None,
        software=value if leaf in _SOFTWARE_TAGS else None,
        device=value if leaf in _DEVICE_TAGS else None,
    )


class VideoExtractor(Extractor):
    name = "video"
    version = "1.0"
    doc = ExtractorDoc(
        summary="MP4/MOV movie, track and media header times (UTC since 1904), brand, "
        "duration, tracks.",
        reads="ftyp, moov/mvhd, moov/trak/tkhd, moov/trak/mdia/mdhd; the date, software and "
        "device tags of moov/meta (QuickTime keys, as iPhones write "
        "com.apple.quicktime.creationdate with its offset), moov/udta (©day, ©swr, ©mak...) "
        "and moov/udta/meta/ilst.",
        references=(
            "ISO/IEC 14496-12 (ISO base media file format)",
            "Apple QuickTime File Format Specification",
        ),
        limits="Fragmented files' moof boxes, track-level udta and binary tags are not read.",
    )
    record_kinds = (VideoRecord, VideoTagRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        # HEIF and AVIF image sequences (an iPhone's burst or Live Photo,
        # brands msf1 / hevs / avis) carry a movie box beside their images:
        # its times are QuickTime's, UTC, as in a video
        return (
            len(head) >= 8
            and head[4:8] in _TOP
            and mime.startswith(
                ("video/", "audio/", "application/octet", "image/heic", "image/heif", "image/avif")
            )
        )

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        end = stream.seek(0, 2)
        brand: str | None = None
        found = False
        track = 0
        try:
            for kind, body, stop in list(_boxes(stream, 0, end)):
                if kind == b"ftyp":
                    stream.seek(body)
                    brand = stream.read(4).decode("latin-1").strip() or None
                elif kind == b"moov":
                    for item in self._moov(stream, body, stop, brand):
                        found = True
                        if isinstance(item, VideoRecord) and item.box == "tkhd":
                            track = item.track or track
                        yield item
        except struct.error as exc:
            raise CorruptInput(f"truncated header box: {exc}") from exc
        if not found:
            raise NotMyFormat("no movie header")

    def _moov(
        self,
        stream: BinaryIO,
        start: int,
        end: int,
        brand: str | None,
        track: int | None = None,
        top: bool = True,
    ) -> Iterator[VideoRecord | VideoTagRecord]:
        for kind, body, stop in list(_boxes(stream, start, end)):
            if kind in (b"meta", b"udta") and top and stop - body <= MAX_META_BYTES:
                stream.seek(body)
                where = f"moov/{kind.decode()}"
                for place, tag, value in metadata_tags(stream.read(stop - body), where):
                    if (rec := tag_record(self.name, place, tag, value)) is not None:
                        yield rec
                continue
            if kind in (b"mvhd", b"tkhd", b"mdhd"):
                stream.seek(body)
                data = stream.read(min(stop - body, 128))
                created, modified, scale, duration, track_id = _header(data, kind)
                if kind == b"tkhd":
                    track = track_id
                yield VideoRecord(
                    extractor=self.name,
                    source=f"QuickTime {kind.decode()}",
                    box=kind.decode(),
                    track=None if kind == b"mvhd" else track,
                    created=created,
                    modified=modified,
                    timescale=scale,
                    duration_seconds=duration,
                    brand=brand,
                )
            elif kind in _CONTAINERS:
                yield from self._moov(stream, body, stop, brand, track, top=False)
