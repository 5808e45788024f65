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
from ..records import FileRef, Note, Record, TimeField
from .base import Context, Extractor, ExtractorDoc

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
        "modified": TimeField("QuickTime modification time", utc_by_format=True),
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


class VideoExtractor(Extractor):
    name = "video"
    version = "1.0"
    doc = ExtractorDoc(
        summary="MP4/MOV movie, track and media header times (UTC since 1904), brand, "
        "duration, tracks.",
        reads="ftyp, moov/mvhd, moov/trak/tkhd, moov/trak/mdia/mdhd.",
        references=(
            "ISO/IEC 14496-12 (ISO base media file format)",
            "Apple QuickTime File Format Specification",
        ),
        limits="Fragmented files' moof boxes and udta/meta tags are not read.",
    )
    record_kinds = (VideoRecord,)

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
                        if item.box == "tkhd":
                            track = item.track or track
                        yield item
        except struct.error as exc:
            raise CorruptInput(f"truncated header box: {exc}") from exc
        if not found:
            raise NotMyFormat("no movie header")

    def _moov(
        self, stream: BinaryIO, start: int, end: int, brand: str | None, track: int | None = None
    ) -> Iterator[VideoRecord]:
        for kind, body, stop in list(_boxes(stream, start, end)):
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
                yield from self._moov(stream, body, stop, brand, track)
