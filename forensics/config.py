"""`ScanConfig`: every setting of a scan in one frozen object, built by the
CLI and by `scan()`, carried by the worker, with each default stated once
here: the archive limits, each file's deadline and memory cap, OCR, the
ink palette, how a remote source is reached, and how the scan runs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError
from .sources.limits import Limits, MiB

FILE_TIMEOUT = 300.0  # seconds of extraction per file (--file-timeout)
FILE_MEMORY = 1024 * MiB  # resident bytes of one worker's process tree (--file-memory)


@dataclass(frozen=True)
class RemoteAccess:
    """How an `s3://` source is reached: `endpoint_url`, `profile`,
    `region`, `anon` (the usual AWS environment variables the rest).
    Never a secret: each process takes credentials from its environment."""

    endpoint_url: str | None = None
    profile: str | None = None
    region: str | None = None
    anon: bool = False

    def __bool__(self) -> bool:
        return bool(self.endpoint_url or self.profile or self.region or self.anon)


@dataclass(frozen=True)
class ScanConfig:
    """Every setting of a scan.

    What the case records as the scan's parameters (`params`) is what
    changes its result: OCR, the palette and the limits (and how a remote
    source was reached); how it runs (jobs, executor, deadlines, batches)
    changes only its speed. `cache_dir` is the case's own cache, set by the
    scan."""

    ocr: bool = True
    palette: str | None = None  # the ink palette file (annotations/palette.toml's layout)
    ocr_seconds: float = 120.0  # for one file's notes, inside the file's deadline
    limits: Limits = field(default_factory=Limits)
    file_timeout: float | None = FILE_TIMEOUT
    file_memory: int | None = FILE_MEMORY
    jobs: int | None = None
    executor: str = "process"
    scheduler: str | None = None  # a Dask scheduler's address
    batch_size: int = 200  # files per transaction (or two seconds)
    assume_tz: str | None = None
    add_source: bool = False
    verify: bool = False  # read and hash everything again on a rescan
    remote: RemoteAccess = field(default_factory=RemoteAccess)
    # keep a copy of every top-level file read in the case's objects/ store
    # (objects.py); None: yes for a remote source (which changes and forgets),
    # no for a folder on the analyst's own disk
    preserve: bool | None = None
    cache_dir: str | None = None
    preserve_dir: str | None = None  # set by the scan: where the copies go

    @classmethod
    def of(cls, **settings: Any) -> ScanConfig:
        """A configuration from keyword settings: its own field names, and
        `endpoint_url`, `profile`, `region` and `anon` for `remote`. An
        unknown name is a `UsageError`."""
        names = {f.name for f in dataclasses.fields(cls)}
        reach = {f.name for f in dataclasses.fields(RemoteAccess)}
        unknown = sorted(set(settings) - names - reach)
        if unknown:
            raise UsageError(f"unknown scan setting(s): {', '.join(unknown)}")
        remote = RemoteAccess(**{k: v for k, v in settings.items() if k in reach})
        own = {k: v for k, v in settings.items() if k in names}
        if own.get("limits") is None:
            own.pop("limits", None)
        return cls(**own, remote=remote) if remote else cls(**own)

    def params(self) -> dict[str, Any]:
        """The settings that identify a scan (a rescan with the same ones
        resumes it, or reuses what did not change)."""
        return {"ocr": self.ocr, "palette": self.palette, "limits": dataclasses.asdict(self.limits)}
