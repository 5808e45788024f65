"""`scan`: a source, through the worker and an executor, into a case."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from collections.abc import Callable
from pathlib import Path

from .case import Case, CaseWriter
from .executors import get_executor
from .extractors import registry
from .extractors.base import ScanOptions
from .pipeline import extract_one
from .records import FileResult
from .sources import Limits, iter_refs
from .timeline import parse_zone


def scan(
    source: str | os.PathLike[str],
    case: str | os.PathLike[str],
    *,
    ocr: bool = True,
    jobs: int | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    limits: Limits | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    batch_size: int = 200,
    assume_tz: str | None = None,
    palette: str | None = None,
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
    """
    root = Path(source).resolve()
    if not root.exists() and not root.is_symlink():
        raise FileNotFoundError(f"no such source: {source}")
    limits = limits or Limits()
    if assume_tz is not None:
        parse_zone(assume_tz)  # refuse a bad zone before reading anything
    case_dir = Path(case).resolve()
    if case_dir == root or root in case_dir.parents:
        raise ValueError("the case folder must not be inside the evidence")
    params = {"ocr": ocr, "palette": palette, "limits": dataclasses.asdict(limits)}
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    writer = CaseWriter(case_dir, str(root), params, batch_size=batch_size)
    done = set(writer.done)
    refs = (ref for ref in iter_refs(root, limits) if ref.url not in done)
    options = ScanOptions(ocr=ocr, cache_dir=str(case_dir / "cache"), palette=palette)
    extractors = tuple(c for ex in registry() if (c := ex.configure(options)) is not None)
    worker = functools.partial(extract_one, extractors=extractors)
    runner = get_executor(executor, jobs, scheduler)
    for result in runner.map(worker, refs):
        writer.add(result)
        if on_result is not None:
            on_result(result)
    writer.finish(((ex.name, ex.version) for ex in extractors), started)
    case_view = Case(case_dir)
    if assume_tz is not None:
        case_view.assume_tz(assume_tz)
    return case_view
