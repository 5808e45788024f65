"""Zip archives themselves: the archive comment, member counts, encrypted
members, and the systems that wrote the entries. Each member's own times
(DOS time, 0x5455, 0x000a) are the archive_entry extractor's.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, Record, TimeField
from ..sources.formats.zipdirectory import open_zip
from .archive import dos_datetime
from .base import Context, Extractor, ExtractorDoc

_SYSTEMS = {0: "MS-DOS/Windows", 3: "Unix", 7: "Macintosh", 10: "Windows NTFS", 19: "OS X"}


@dataclass(frozen=True)
class ZipRecord(Record):
    KIND: ClassVar[str] = "zip"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "first_entry_time": TimeField("Zip first entry DOS time (ExifTool ZipModifyDate)"),
        "latest_entry_time": TimeField("Zip latest entry DOS time"),
    }

    first_entry_time: dt.datetime | None = None
    latest_entry_time: dt.datetime | None = None
    comment: str | None = None
    members: int = 0
    directories: int = 0
    encrypted_members: int = 0
    uncompressed_bytes: int = 0
    systems: tuple[str, ...] = ()
    utf8_names: int = 0
    # how the directory was read, when its end record had to be read past
    # (an Adobe Animate .fla's overstated directory size)
    directory_note: str | None = None


class ZipExtractor(Extractor):
    name = "zip"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Zip archive comment, member and directory counts, encrypted members, "
        "declared size, the writing systems (create_system) and UTF-8 names.",
        reads="The central directory.",
        references=("PKWARE APPNOTE.TXT 6.3.10",),
        limits="Member contents are the sources module's job; this reads the directory only.",
    )
    record_kinds = (ZipRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        try:
            opened, note = open_zip(stream)
            with opened as zf:
                infos = zf.infolist()
                comment = zf.comment
        except zipfile.BadZipFile as exc:
            if stream.seek(0) == 0 and stream.read(2) == b"PK":
                raise CorruptInput(f"unreadable zip directory: {exc}") from exc
            raise NotMyFormat(str(exc)) from exc
        times = [t for t in (dos_datetime(i.date_time) for i in infos) if t is not None]
        systems = Counter(_SYSTEMS.get(i.create_system, str(i.create_system)) for i in infos)
        yield ZipRecord(
            extractor=self.name,
            source="zip central directory",
            first_entry_time=dos_datetime(infos[0].date_time) if infos else None,
            latest_entry_time=max(times) if times else None,
            comment=comment.decode("utf-8", "replace") or None,
            members=sum(not i.is_dir() for i in infos),
            directories=sum(i.is_dir() for i in infos),
            encrypted_members=sum(bool(i.flag_bits & 1) for i in infos),
            uncompressed_bytes=sum(i.file_size for i in infos),
            systems=tuple(sorted(systems)),
            utf8_names=sum(bool(i.flag_bits & 0x800) for i in infos),
            directory_note=note,
        )
