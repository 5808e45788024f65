"""What an archive records about each member: zip and tar entry metadata.

Zip entries carry a DOS date-time: naive local time at 2-second resolution,
whose zone nobody wrote down. Many zippers (Info-ZIP, 7-Zip, Windows) also
write extra fields with real UTC instants: 0x5455 "extended timestamp"
(POSIX seconds; mtime in the central directory, mtime/atime/ctime in the
local header) and 0x000a "NTFS" (100 ns FILETIMEs). ExifTool, dfVFS and
bulk_extractor ignore those; they are the best clock a zip holds, so we parse
them here by hand (APPNOTE.TXT 4.5, Info-ZIP extrafld.txt); no library
exposes them. Tar headers hold a UTC mtime, and pax headers may add atime and
ctime with sub-second precision.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import stat
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..errors import NotMyFormat
from ..records import ArchiveEntry, FileRef, Note, Record, TimeField
from ..sources import LIBARCHIVE_KINDS
from .base import Context, Extractor, ExtractorDoc
from .dates import parse_filetime


@dataclass(frozen=True)
class ArchiveEntryRecord(Record):
    KIND: ClassVar[str] = "archive_entry"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"uname": "user", "name": "path"}
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "dos_time": TimeField(
            "Zip entry time (DOS, local, zone not recorded)", zone_evidence="naive"
        ),
        "ext_mtime": TimeField(
            "Zip extended timestamp mtime (0x5455)", utc_by_format=True, zone_evidence="utc"
        ),
        "ext_atime": TimeField("Zip extended timestamp atime (0x5455)", utc_by_format=True),
        "ext_ctime": TimeField("Zip extended timestamp ctime (0x5455)", utc_by_format=True),
        "ntfs_mtime": TimeField("Zip NTFS mtime (0x000a)", utc_by_format=True, zone_evidence="utc"),
        "ntfs_atime": TimeField("Zip NTFS atime (0x000a)", utc_by_format=True),
        "ntfs_ctime": TimeField("Zip NTFS creation time (0x000a)", utc_by_format=True),
        "tar_mtime": TimeField("Tar entry mtime", utc_by_format=True, zone_evidence="utc"),
        "pax_atime": TimeField("Tar pax atime", utc_by_format=True),
        "pax_ctime": TimeField("Tar pax ctime", utc_by_format=True),
        "gzip_mtime": TimeField("Gzip header mtime", utc_by_format=True),
        "entry_mtime": TimeField("Archive entry mtime (7z, RAR 5, cpio, xar)", utc_by_format=True),
        "entry_atime": TimeField("Archive entry atime (7z, RAR 5, cpio, xar)", utc_by_format=True),
        "entry_ctime": TimeField("Archive entry ctime (7z, RAR 5, cpio, xar)", utc_by_format=True),
        "entry_birthtime": TimeField("Archive entry creation time (7z, RAR 5)", utc_by_format=True),
        "local_mtime": TimeField("Archive entry time (RAR 4, CAB, LHA: DOS, local, no zone)"),
    }

    format: str = ""
    name: str = ""
    dos_time: dt.datetime | None = None
    ext_mtime: dt.datetime | None = None
    ext_atime: dt.datetime | None = None
    ext_ctime: dt.datetime | None = None
    ntfs_mtime: dt.datetime | None = None
    ntfs_atime: dt.datetime | None = None
    ntfs_ctime: dt.datetime | None = None
    tar_mtime: dt.datetime | None = None
    pax_atime: dt.datetime | None = None
    pax_ctime: dt.datetime | None = None
    gzip_mtime: dt.datetime | None = None
    entry_mtime: dt.datetime | None = None
    entry_atime: dt.datetime | None = None
    entry_ctime: dt.datetime | None = None
    entry_birthtime: dt.datetime | None = None
    local_mtime: dt.datetime | None = None
    size: int = 0
    compressed_size: int | None = None
    crc: str | None = None
    compress_type: int | None = None
    create_system: int | None = None
    mode: str | None = None
    uid: int | None = None
    gid: int | None = None
    uname: str | None = None
    gname: str | None = None
    link_target: str | None = None
    comment: str | None = None
    extra_fields: tuple[str, ...] = ()


def iter_extra_fields(extra: bytes) -> Iterator[tuple[int, bytes]]:
    """(header id, data) for each zip extra field; stops at a truncated one."""
    pos = 0
    while pos + 4 <= len(extra):
        hid, size = struct.unpack_from("<HH", extra, pos)
        data = extra[pos + 4 : pos + 4 + size]
        if len(data) < size:
            return
        yield hid, data
        pos += 4 + size


def _posix(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def parse_extended_timestamp(data: bytes) -> dict[str, dt.datetime]:
    """0x5455: a flags byte, then the times its bits announce, as far as the
    field's length goes (the central copy holds the mtime only)."""
    if not data:
        return {}
    flags, out, pos = data[0], {}, 1
    for bit, key in ((1, "ext_mtime"), (2, "ext_atime"), (4, "ext_ctime")):
        if flags & bit and pos + 4 <= len(data):
            out[key] = _posix(struct.unpack_from("<i", data, pos)[0])
            pos += 4
    return out


def parse_ntfs(data: bytes) -> dict[str, dt.datetime]:
    """0x000a: 4 reserved bytes, then tagged attributes; tag 1 holds mtime,
    atime and creation time as FILETIMEs."""
    out: dict[str, dt.datetime] = {}
    pos = 4
    while pos + 4 <= len(data):
        tag, size = struct.unpack_from("<HH", data, pos)
        if tag == 1 and size >= 24 and pos + 4 + 24 <= len(data):
            for i, key in enumerate(("ntfs_mtime", "ntfs_atime", "ntfs_ctime")):
                when = parse_filetime(struct.unpack_from("<Q", data, pos + 4 + 8 * i)[0])
                if when is not None:
                    out[key] = when
        pos += 4 + size
    return out


def parse_unix_ids(hid: int, data: bytes) -> dict[str, int]:
    """0x7875 (Info-ZIP new Unix): version, then uid and gid of given sizes."""
    if hid != 0x7875 or len(data) < 3:
        return {}
    uid_size = data[1]
    uid = int.from_bytes(data[2 : 2 + uid_size], "little")
    gid_size = data[2 + uid_size] if len(data) > 2 + uid_size else 0
    start = 3 + uid_size
    gid = int.from_bytes(data[start : start + gid_size], "little")
    return {"uid": uid, "gid": gid}


def dos_datetime(value: tuple[int, int, int, int, int, int]) -> dt.datetime | None:
    try:
        return dt.datetime(*value)  # noqa: DTZ001 - a DOS time is naive local time by definition
    except ValueError:
        return None


def _zip_fields(entry: ArchiveEntry) -> dict[str, object]:
    fields: dict[str, object] = {}
    ids = []
    # The local header's copy is the fuller one (it may add atime and ctime);
    # read the central one first so that the local one wins.
    for extra in (entry.central_extra, entry.local_extra):
        for hid, data in iter_extra_fields(extra):
            ids.append(f"0x{hid:04x}")
            if hid == 0x5455:
                fields.update(parse_extended_timestamp(data))
            elif hid == 0x000A:
                fields.update(parse_ntfs(data))
            else:
                fields.update(parse_unix_ids(hid, data))
    fields["extra_fields"] = tuple(sorted(set(ids)))
    if entry.dos_time:
        fields["dos_time"] = dos_datetime(entry.dos_time)
    if entry.external_attr and entry.create_system == 3:
        fields["mode"] = stat.filemode(entry.external_attr >> 16)
    return fields


def _owner_fields(entry: ArchiveEntry) -> dict[str, object]:
    """Owner and mode, as tar and the libarchive formats record them."""
    return {
        "uid": entry.uid,
        "gid": entry.gid,
        "uname": entry.uname or None,
        "gname": entry.gname or None,
        "mode": stat.filemode(entry.mode) if entry.mode is not None else None,
    }


def _tar_fields(entry: ArchiveEntry) -> dict[str, object]:
    fields = _owner_fields(entry)
    if entry.tar_mtime is not None:
        fields["tar_mtime"] = _from_float(entry.tar_mtime)
    if entry.stream_mtime:
        fields["gzip_mtime"] = _from_float(entry.stream_mtime)
    pax = dict(entry.pax)
    for key in ("atime", "ctime"):
        if key in pax:
            with contextlib.suppress(ValueError, OverflowError, OSError):
                fields[f"pax_{key}"] = _from_float(float(pax[key]))
    return fields


def _libarchive_fields(entry: ArchiveEntry) -> dict[str, object]:
    fields = _owner_fields(entry)
    for name, seconds in entry.utc_times:
        with contextlib.suppress(ValueError, OverflowError, OSError):
            fields[f"entry_{name}"] = _from_float(seconds)
    if entry.dos_time is not None:
        with contextlib.suppress(ValueError):
            fields["local_mtime"] = dt.datetime(*entry.dos_time)  # noqa: DTZ001 - DOS: no zone
    return fields


def _from_float(seconds: float) -> dt.datetime:
    whole = int(seconds // 1)
    micros = round((seconds - whole) * 1_000_000)
    return _posix(whole) + dt.timedelta(microseconds=micros)


class ArchiveEntryExtractor(Extractor):
    name = "archive_entry"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Entry metadata of archive members (zip, tar, RAR, 7z, CAB, cpio, xar, LHA), "
        "UTC extra fields included.",
        reads="Zip: DOS time (naive), extended timestamp 0x5455 and NTFS 0x000a (UTC), "
        "Unix ids 0x7875, CRC, sizes, method, mode, comment. Tar: mtime, pax atime/ctime, "
        "mode, owner, link target. RAR 4/5, 7z, CAB, cpio, xar, LHA (libarchive): times "
        "(UTC where the format stores UTC, naive for DOS times), mode, owner, link target.",
        references=(
            "PKWARE APPNOTE.TXT 6.3.10, 4.5 extensible data fields",
            "Info-ZIP proginfo/extrafld.txt",
            "POSIX.1-2001 pax interchange format",
        ),
        limits="DOS times have 2-second resolution and no zone; they stay naive.",
    )
    record_kinds = (ArchiveEntryRecord,)
    needs_bytes = False

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return ref.entry is not None

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        entry = ref.entry
        if entry is None:
            raise NotMyFormat("not an archive member")
        if entry.format == "zip":
            fields = _zip_fields(entry)
        elif entry.format in LIBARCHIVE_KINDS:
            fields = _libarchive_fields(entry)
        else:
            fields = _tar_fields(entry)
        yield ArchiveEntryRecord(
            extractor=self.name,
            source=f"{entry.format} entry",
            format=entry.format,
            name=entry.name,
            size=entry.size,
            compressed_size=entry.compressed_size,
            crc=f"{entry.crc:08x}" if entry.crc is not None else None,
            compress_type=entry.compress_type,
            create_system=entry.create_system,
            link_target=entry.link_target,
            comment=entry.comment.decode("utf-8", "replace") or None,
            **fields,  # type: ignore[arg-type]
        )
