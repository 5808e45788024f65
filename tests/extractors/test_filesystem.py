"""Stat times of loose files, birth time where the kernel gives it."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

from forensics.extractors.base import Context
from forensics.extractors.filesystem import FilesystemExtractor, FilesystemRecord, birth_time
from forensics.records import FileRef


def test_times_mode_and_links(tmp_path: Path) -> None:
    f = tmp_path / "a.jpg"
    f.write_bytes(b"abc")
    os.utime(f, ns=(1_712_000_000_500_000_000, 1_712_100_000_250_000_000))
    [rec] = FilesystemExtractor().extract(
        FileRef(url="a.jpg", path=str(f)), io.BytesIO(), Context()
    )
    assert isinstance(rec, FilesystemRecord)
    assert rec.mtime == dt.datetime.fromtimestamp(1_712_100_000.25, tz=dt.UTC)
    assert rec.atime == dt.datetime.fromtimestamp(1_712_000_000.5, tz=dt.UTC)
    assert (rec.size == 3 and rec.mode == "-rw-r--r--") or rec.mode.startswith("-rw")
    link = tmp_path / "l"
    link.symlink_to("/etc/passwd")
    [lrec] = FilesystemExtractor().extract(
        FileRef(url="l", path=str(link), kind="symlink"), io.BytesIO(), Context()
    )
    assert isinstance(lrec, FilesystemRecord)
    assert lrec.link_target == "/etc/passwd" and lrec.mode.startswith("l")


def test_birth_time_is_recent_or_unknown(tmp_path: Path) -> None:
    f = tmp_path / "new"
    f.write_bytes(b"")
    born = birth_time(str(f))
    if born is not None:  # filesystems without btime give None, never a made-up time
        assert abs((dt.datetime.now(dt.UTC) - born).total_seconds()) < 120
    assert birth_time(str(tmp_path / "missing")) is None
