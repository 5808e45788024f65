"""RIFF (AVI, WAV): the `IDIT` chunk, where cameras write the recording
time (ExifTool's RIFF:DateTimeOriginal), and the `LIST INFO` text chunks:
creation date (ICRD), software (ISFT), artist (IART), comment (ICMT).

Chunks are walked by hand with seeks, never reading the media (`movi`,
`data`): the format is a plain list of tagged chunks, and no maintained
Python reader exposes these ones. The times are the camera's clock as text,
in one of the layouts ExifTool's RIFF.pm accepts; they carry no zone.
WebP is RIFF too; its EXIF and XMP are the exif and xmp extractors'.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..errors import NotMyFormat
from ..records import FileRef, Note, RawTime, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .dates import parse_exif_datetime

MAX_TEXT = 64 * 1024  # a text chunk longer than this is not read
MAX_DEPTH = 4
_LISTS = {b"hdrl", b"INFO", b"strl", b"odml"}  # lists walked into; never movi or rec
_TEXT = {b"IDIT", b"ICRD", b"ISFT", b"IART", b"ICMT", b"INAM", b"ICOP", b"IENG", b"ISRC"}
_DATED = {b"IDIT", b"ICRD"}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
# "Mon Sep 10 20:52:00 2012" (ctime, as Pentax, Casio and Kodak write it)
_CTIME = re.compile(r"^\s*\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d\d):(\d\d)\s+(\d{4})")
# "2001/1/27 1:56:28", "2005:08:17 11:42:43", "2001-05-31 10:53:48"
_NUMERIC = re.compile(
    r"^\s*(\d{4})[/:\-](\d{1,2})[/:\-](\d{1,2})(?:[ T](\d{1,2}):(\d\d)(?::(\d\d))?)?"
)


@dataclass(frozen=True)
class RiffRecord(Record):
    """One text chunk: IDIT, or an INFO entry."""

    KIND: ClassVar[str] = "riff"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"software": "software", "artist": "author"}
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {"when": TimeField("RIFF date")}

    form: str = ""
    chunk: str = ""
    text: str = ""
    when: TimeValue | None = None
    software: str | None = None
    artist: str | None = None

    def describe(self, name: str, spec: TimeField) -> TimeField:
        what = "recording time (IDIT)" if self.chunk == "IDIT" else f"INFO {self.chunk}"
        return TimeField(f"RIFF {self.form} {what}")


def parse_riff_date(text: str) -> TimeValue | None:
    """The layouts cameras write in IDIT and ICRD (a date alone is kept as
    naive midnight); anything else is kept as written."""
    text = text.strip("\x00 \r\n")
    if not text:
        return None
    try:
        if m := _CTIME.match(text):
            month = _MONTHS.get(m.group(1).upper())
            if month is not None:
                hh, mm, ss = (int(m.group(i)) for i in (3, 4, 5))
                return dt.datetime(int(m.group(6)), month, int(m.group(2)), hh, mm, ss)  # noqa: DTZ001 - no zone in the chunk
        if m := _NUMERIC.match(text):
            y, mo, d, hh, mm, ss = (int(g) if g else 0 for g in m.groups())
            return dt.datetime(y, mo, d, hh, mm, ss)  # noqa: DTZ001 - no zone in the chunk
    except ValueError:
        return RawTime(text)
    return parse_exif_datetime(text) or RawTime(text)


def _chunks(stream: BinaryIO, start: int, end: int) -> Iterator[tuple[bytes, int, int, bool]]:
    """(id, data start, data size, whether it runs past its container) of
    the chunks between two offsets; one that runs past is cut at the end and
    is the last."""
    pos = start
    while pos + 8 <= end:
        stream.seek(pos)
        head = stream.read(8)
        if len(head) < 8:
            return
        kind, size = struct.unpack("<4sI", head)
        if pos + 8 + size > end:
            yield kind, pos + 8, end - pos - 8, True
            return
        yield kind, pos + 8, size, False
        pos += 8 + size + (size & 1)


class RiffExtractor(Extractor):
    name = "riff"
    version = "1.0"
    doc = ExtractorDoc(
        summary="AVI / WAV: the IDIT recording time and the INFO creation date, software, "
        "artist, title and comment.",
        reads="RIFF chunks: IDIT and LIST INFO, at the top level and in LIST hdrl.",
        references=(
            "Microsoft RIFF / AVI file format (Multimedia Programming Interface, 1991)",
            "ExifTool RIFF.pm tag table (IDIT layouts)",
        ),
        limits="The media chunks (movi, data) are never read; OpenDML and JUNK hold nothing read.",
    )
    record_kinds = (RiffRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head[:4] == b"RIFF" and head[8:12] in (b"AVI ", b"WAVE", b"AVIX")

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        head = stream.read(12)
        if head[:4] != b"RIFF" or head[8:12] not in (b"AVI ", b"WAVE", b"AVIX"):
            raise NotMyFormat("not an AVI or WAV")
        end = stream.seek(0, 2)
        declared = 8 + struct.unpack("<I", head[4:8])[0]
        if declared > end:
            ctx.warn("truncated", f"RIFF declares {declared} bytes, the file has {end}")
        form = head[8:12].decode("latin-1").strip()
        # chunks cut at the end of a short file are the truncation's, not corrupt
        yield from self._walk(stream, 12, min(declared, end), form, 0, ctx, declared > end)

    def _walk(
        self,
        stream: BinaryIO,
        start: int,
        end: int,
        form: str,
        depth: int,
        ctx: Context,
        short: bool,
    ) -> Iterator[RiffRecord]:
        for kind, at, size, cut in list(_chunks(stream, start, end)):
            if cut and not short:
                ctx.warn("corrupt", f"RIFF chunk {kind!r} at {at - 8} runs past its container")
            if kind == b"LIST" and size >= 4 and depth < MAX_DEPTH:
                stream.seek(at)
                if stream.read(4) in _LISTS:
                    yield from self._walk(stream, at + 4, at + size, form, depth + 1, ctx, short)
            elif kind in _TEXT and size <= MAX_TEXT and not cut:
                stream.seek(at)
                text = stream.read(size).split(b"\x00", 1)[0].decode("latin-1").strip()
                if not text:
                    continue
                name = kind.decode("latin-1")
                yield RiffRecord(
                    extractor=self.name,
                    source=f"RIFF {name}",
                    form=form,
                    chunk=name,
                    text=text[:500],
                    when=parse_riff_date(text) if kind in _DATED else None,
                    software=text[:200] if kind == b"ISFT" else None,
                    artist=text[:200] if kind == b"IART" else None,
                )
