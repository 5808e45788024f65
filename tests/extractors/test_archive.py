"""Zip extra fields (0x5455, 0x000a, 0x7875) and tar entry times."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from pathlib import Path

from forensics.events import events_for
from forensics.extractors.archive import (
    ArchiveEntryExtractor,
    ArchiveEntryRecord,
    parse_extended_timestamp,
    parse_ntfs,
)
from forensics.extractors.base import Context
from forensics.sources import iter_refs

from ..conftest import SAMPLES

WHEN = dt.datetime(2024, 4, 3, 1, 2, 3, tzinfo=dt.UTC)


def test_extended_timestamp_with_atime_and_ctime() -> None:
    t = int(WHEN.timestamp())
    got = parse_extended_timestamp(struct.pack("<Biii", 7, t, t + 60, t + 120))
    assert got == {
        "ext_mtime": WHEN,
        "ext_atime": WHEN + dt.timedelta(minutes=1),
        "ext_ctime": WHEN + dt.timedelta(minutes=2),
    }
    # The central directory's copy: flags announce three, only mtime follows.
    assert parse_extended_timestamp(struct.pack("<Bi", 7, t)) == {"ext_mtime": WHEN}
    assert parse_extended_timestamp(b"") == {}


def test_ntfs_filetimes_keep_microseconds() -> None:
    ticks = (int(WHEN.timestamp()) + 11644473600) * 10_000_000 + 1234567
    got = parse_ntfs(struct.pack("<IHHQQQ", 0, 1, 24, ticks, ticks, 0))
    assert got["ntfs_mtime"] == WHEN + dt.timedelta(microseconds=123456)
    assert "ntfs_ctime" not in got  # zero means unset


def test_ntfs_filetimes_past_the_year_9999_are_no_time_not_a_lost_entry() -> None:
    """A hostile count of ticks: the other times of the field are kept
    (it raised OverflowError, and the member lost its entry record)."""
    ticks = (int(WHEN.timestamp()) + 11644473600) * 10_000_000
    got = parse_ntfs(struct.pack("<IHHQQQ", 0, 1, 24, 2**64 - 1, ticks, 0))
    assert "ntfs_mtime" not in got and got["ntfs_atime"] == WHEN


def test_zip_member_record_and_events(tmp_path: Path) -> None:
    t = int(WHEN.timestamp())
    info = zipfile.ZipInfo("a.txt", date_time=(2024, 4, 3, 10, 2, 2))
    info.extra = struct.pack("<HHBi", 0x5455, 5, 1, t) + struct.pack(
        "<HHBBIBI", 0x7875, 11, 1, 4, 1000, 4, 100
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(info, b"x")
    (tmp_path / "a.zip").write_bytes(buf.getvalue())
    member = next(iter(iter_refs(tmp_path)))
    [record] = ArchiveEntryExtractor().extract(member, io.BytesIO(), Context())
    assert isinstance(record, ArchiveEntryRecord)
    assert record.dos_time == dt.datetime(2024, 4, 3, 10, 2, 2)  # noqa: DTZ001
    assert record.ext_mtime == WHEN and (record.uid, record.gid) == (1000, 100)
    events = {e.field: e for e in events_for([record])}
    dos = events["archive_entry.dos_time"]
    assert (dos.zone_basis, dos.utc, dos.local) == ("unknown", None, "2024-04-03T10:02:02")
    ext = events["archive_entry.ext_mtime"]
    assert (ext.zone_basis, ext.utc, ext.offset) == ("utc", WHEN.isoformat(), "+00:00")


def test_sample_upload_zip_members_carry_utc_times() -> None:
    refs = [r for r in iter_refs(SAMPLES / "dump" / "uploads" / "2024-04-01.zip") if r.entry]
    assert refs
    for ref in refs:
        [record] = ArchiveEntryExtractor().extract(ref, io.BytesIO(), Context())
        assert isinstance(record, ArchiveEntryRecord)
        assert record.ext_mtime is not None and record.dos_time is not None
        # DOS time is the artists' wall clock (UTC+9) of the same instant, to
        # its 2-second resolution.
        wall = record.ext_mtime.astimezone(dt.timezone(dt.timedelta(hours=9))).replace(tzinfo=None)
        assert dt.timedelta(0) <= wall - record.dos_time < dt.timedelta(seconds=2)
