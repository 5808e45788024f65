"""`scan`: a source, through the worker and an executor, into a case."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..analysis.case import Case
from ..config import ScanConfig
from ..errors import UsageError
from ..events import parse_zone
from ..extractors import registry
from ..objects import OBJECTS
from ..pipeline import Worker
from ..records import FileRef, FileResult
from ..sources import iter_refs
from ..sources.exchange import said_fields
from ..sources.limits import Limits
from ..sources.remote import is_remote, normalise, options_for
from ..store.custody import sources_of
from ..store.lock import CaseLock
from ..store.writer import CaseWriter
from ..warc import write_exchange
from .executors import get_executor


def scan(
    source: str | os.PathLike[str],
    case: str | os.PathLike[str],
    config: ScanConfig | None = None,
    *,
    on_result: Callable[[FileResult], None] | None = None,
    **settings: Any,
) -> Case:
    """Scan `source` (a folder, a file or an archive) into the case folder.

    Scanning the same source again adds an observation (new, unchanged,
    changed, gone). A scan that was interrupted is resumed when run again
    with the same source and parameters: files already in the case are not
    read again. `jobs` and `executor` do not change the result, only the
    speed, so they are not part of the parameters that identify a scan.
    Results are committed every `batch_size` files (or two seconds).
    `assume_tz` (an offset or IANA name) is the zone naive times are read
    in; it can be changed later with `Case.assume_tz` without rescanning.
    `file_timeout` (seconds) and `file_memory` (bytes resident) bound each
    file's extraction in the process executor (None: no bound); a file past
    them keeps its row, hashes and filesystem facts, with a `timeout` or
    `memory_limit` problem. A rescan does not read again a regular file of
    a folder whose size and mtime are those the previous observation (same
    parameters) recorded: its rows, and its members' if it is an archive,
    are copied as `unchanged`; `verify` reads and hashes everything again,
    and the preserved copy of each file found gone (`gone_copies` in the
    observation's counts).
    `source` may be remote: `s3://bucket/prefix` (s3fs; `endpoint_url`,
    `profile`, `region` and `anon` say how to reach it, the usual AWS
    environment variables the rest) or an `http(s)://` folder served as a
    directory listing. Its objects are listed lazily and read by the
    workers (never written to disk); each object's ETag, version id and
    LastModified are recorded, and a rescan reuses an object whose ETag
    (else Last-Modified) and size are unchanged.
    A case holds one source: scanning another into
    it raises `UsageError` unless `add_source` (its files then count once
    where the same bytes are in both). Bad arguments raise `UsageError`.

    The settings are those of `ScanConfig` (ocr, jobs, executor, scheduler,
    limits, batch_size, assume_tz, palette, file_timeout, file_memory,
    add_source, verify; endpoint_url, profile, region and anon for a
    remote source): given as one `config`, or as keywords.
    """
    if config is not None and settings:
        raise UsageError("give the scan's settings as a ScanConfig or as keywords, not both")
    config = config if config is not None else ScanConfig.of(**settings)
    remote = is_remote(str(source))
    access = config.remote
    reach = (
        options_for(str(source), access.endpoint_url, access.profile, access.region, access.anon)
        if remote
        else ()
    )
    if not remote and access:
        raise UsageError("--endpoint-url, --profile, --region and --anon are for s3:// sources")
    root: Path | str
    if remote:
        root = normalise(str(source))
    else:
        root = Path(source).resolve()
        if not root.exists() and not root.is_symlink():
            raise FileNotFoundError(f"no such source: {source}")
    limits, assume_tz = config.limits, config.assume_tz
    if assume_tz is not None:
        try:
            parse_zone(assume_tz)  # refuse a bad zone before reading anything
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    case_dir = Path(case).resolve()
    if isinstance(root, Path) and (case_dir == root or root in case_dir.parents):
        raise UsageError("the case folder must not be inside the evidence")
    others = sorted(set(sources_of(case_dir)) - {str(root)})
    if others and not config.add_source:
        raise UsageError(
            f"the case at {case_dir} holds another source ({', '.join(others)}); scanning "
            f"{root} into it would mix their figures: use another case folder, or "
            "--add-source to keep both in this case"
        )
    params = config.params()
    if reach:  # how the source was reached is part of what was scanned
        params["remote"] = dict(reach)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with CaseLock(case_dir):  # one writer at a time, refused at once with who holds it
        return _scan_locked(root, case_dir, config, params, started, limits, reach, on_result)


def _scan_locked(
    root: Path | str,
    case_dir: Path,
    config: ScanConfig,
    params: dict[str, Any],
    started: str,
    limits: Limits,
    reach: tuple[tuple[str, Any], ...],
    on_result: Callable[[FileResult], None] | None,
) -> Case:
    assume_tz = config.assume_tz
    writer = CaseWriter(case_dir, str(root), params, batch_size=config.batch_size)
    config = dataclasses.replace(config, cache_dir=str(case_dir / "cache"))
    extractors = tuple(c for ex in registry() if (c := ex.configure(config)) is not None)
    versions = [(ex.name, ex.version) for ex in extractors]
    writer.write_manifest(versions, started, None, finished=False)
    done = set(writer.done)
    walked: Counter[str] = Counter()
    spool = case_dir / "spool"  # members too big to hold in memory, one file each while read
    shutil.rmtree(spool, ignore_errors=True)  # what a killed scan left
    spool.mkdir(parents=True)
    known = {} if config.verify else writer.identities()

    def unchanged(url: str, identity: tuple[int, str]) -> bool:
        return known.get(url) == identity

    reused: Counter[str] = Counter()

    keep = config.preserve if config.preserve is not None else is_remote(str(root))
    on_page = None
    if keep and str(root).startswith(("http://", "https://")):

        def on_page(url: str, body: bytes, said: dict[str, Any]) -> None:
            write_exchange(case_dir, url, body, tuple(said_fields(said)))

    def to_read() -> Iterator[FileRef]:
        reuse = unchanged if known else None
        for ref in iter_refs(root, limits, walked, spool, reuse, reach, on_page):
            if ref.reused:  # its rows and its members' come from the previous observation
                writer.reuse(ref.url)
                reused[ref.kind] += 1
            elif ref.url not in done:
                yield ref

    refs = to_read()
    worker = Worker(extractors, config.limits.spool_bytes, str(case_dir) if keep else None)
    runner = get_executor(
        config.executor, config.jobs, config.scheduler, config.file_timeout, config.file_memory
    )
    try:
        for result in runner.map(worker, refs):
            writer.add(result)
            if result.ref.container and result.ref.path:  # a spooled member: read, so gone
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(result.ref.path)
            if on_result is not None:
                on_result(result)
    finally:
        writer.flush()  # whatever was computed is kept, even when the scan fails
        shutil.rmtree(spool, ignore_errors=True)
    # a reused ref was walked as one entry; the rows copied for it (an
    # archive's members too) are what the reconciliation must see
    walked.update(writer.reused_rows)
    walked.subtract(reused)
    # the copies of what is gone are checked where the case keeps copies (else every one
    # would be reported missing)
    copies = keep or (case_dir / OBJECTS).is_dir()
    writer.finish(versions, started, dict(walked), check_copies=config.verify and copies)
    case_view = Case(case_dir)
    if assume_tz is not None:
        case_view.assume_tz(assume_tz)
    return case_view
