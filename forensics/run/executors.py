"""One worker, many executors: each maps `extract_one` over refs and yields
results as they finish (in any order; the case sorts). Refs are consumed
lazily with a bounded number in flight, so memory stays flat on big dumps."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from ..config import FILE_MEMORY, FILE_TIMEOUT
from ..records import FileRef, FileResult

Worker = Callable[[FileRef], FileResult]


class Executor(Protocol):
    name: str

    def map(self, fn: Worker, refs: Iterable[FileRef]) -> Iterator[FileResult]: ...


class SerialExecutor:
    """In this process, one file at a time: for tests and debugging. No
    per-file deadline or memory cap (nothing outside watches it): a file that
    hangs hangs the scan. Use the process executor on evidence."""

    name = "serial"

    def map(self, fn: Worker, refs: Iterable[FileRef]) -> Iterator[FileResult]:
        for ref in refs:
            yield fn(ref)


# What reading a sheet needs: the note detector at 1440 pixels (the side
# that finds the faint and small notes) and the word and letter models take
# a worker's peak to about 780 MiB (20 sample sheets, VmHWM); the cap
# leaves a quarter over that. Each process of a scan stays under 1.5 GB. The
# cap is read every 50 ms, so a file that allocates faster can pass it
# briefly.


class ProcessExecutor:
    """Supervised worker processes (default: one per core), one file at a
    time each, under a per-file deadline and memory cap enforced from
    outside (`workerpool.py`): a file that hangs, balloons or crashes its
    worker becomes a `timeout`, `memory_limit` or `worker_crashed` problem
    with its hashes and filesystem facts, and a fresh worker goes on."""

    name = "process"

    def __init__(
        self,
        jobs: int | None = None,
        file_timeout: float | None = FILE_TIMEOUT,
        file_memory: int | None = FILE_MEMORY,
    ) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self.file_timeout = file_timeout
        self.file_memory = file_memory
        self.replaced = 0

    def map(self, fn: Worker, refs: Iterable[FileRef]) -> Iterator[FileResult]:
        from ..pipeline import Worker as PipelineWorker
        from .workerpool import WorkerPool

        salvage = getattr(fn, "salvage", None) or PipelineWorker(()).salvage
        pool = WorkerPool(fn, salvage, self.jobs, self.file_timeout, self.file_memory)
        try:
            yield from pool.map(refs)
        finally:
            self.replaced = pool.replaced


class DaskExecutor:
    """A Dask cluster: `address` of a scheduler (`tcp://host:8786`), or a
    local cluster of `jobs` single-threaded worker processes when none is
    given. Needs the `[dask]` extra. The worker function and the refs are
    those of the process executor; results come back as they complete
    (`as_completed`) with at most `in_flight` refs submitted and not yet
    returned (default: two batches per worker thread), so a big source is
    never held in memory. A task that raises or whose worker dies (Dask retries
    it on another, then gives up) becomes the file's `worker_crashed` row,
    salvaged here like the process executor's; there is no per-file
    deadline or memory cap (Dask's own `distributed.worker.memory` limits
    apply)."""

    name = "dask"

    def __init__(
        self, address: str | None = None, jobs: int | None = None, in_flight: int | None = None
    ) -> None:
        self.address = address
        self.jobs = jobs
        self.in_flight = in_flight

    def map(self, fn: Worker, refs: Iterable[FileRef]) -> Iterator[FileResult]:
        try:
            from dask.distributed import Client, LocalCluster, as_completed
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError("the dask executor needs: pip install 'forensics[dask]'") from exc
        cluster = None
        if self.address:
            client = Client(self.address)
        else:
            cluster = LocalCluster(
                n_workers=self.jobs or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
        try:
            threads = sum(client.nthreads().values())
            width = self.in_flight or max(2 * BATCH_FILES * threads, BATCH_FILES)
            yield from _as_completed(client, as_completed, fn, refs, width)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


BATCH_FILES = 16  # most refs per Dask task: one task per file cost ~9 ms of scheduling each
BATCH_BYTES = 8 * 2**20  # ...or fewer, when their declared sizes add up to this
BATCH_SECONDS = 0.25  # work a batch aims at, by the files' mean time so far


class _Batcher:
    """Refs in batches whose size follows the work: a scan of small files
    without OCR (a millisecond each) sends BATCH_FILES at a time, a scan
    with OCR (a second each) one at a time, so that no worker waits at the
    end behind another's long batch. Starts at one until a time is known."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.files = 0

    def learn(self, result: FileResult) -> None:
        self.seconds += result.seconds
        self.files += 1

    @property
    def size(self) -> int:
        if not self.files:
            return 1
        mean = self.seconds / self.files
        return max(1, min(BATCH_FILES, int(BATCH_SECONDS / mean) if mean > 0 else BATCH_FILES))

    def batches(self, refs: Iterable[FileRef]) -> Iterator[list[FileRef]]:
        batch: list[FileRef] = []
        size = 0
        for ref in refs:
            batch.append(ref)
            size += ref.size or 0
            if len(batch) >= self.size or size >= BATCH_BYTES:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch


def _run_batch(fn: Worker, refs: list[FileRef]) -> list[FileResult | BaseException]:
    out: list[FileResult | BaseException] = []
    for ref in refs:
        try:
            out.append(fn(ref))
        except Exception as exc:  # one file's failure is its own row, not its batch's
            out.append(exc)
    return out


def _as_completed(
    client: Any, as_completed: Any, fn: Worker, refs: Iterable[FileRef], width: int
) -> Iterator[FileResult]:
    """Refs in batches (`_Batcher`) as Dask tasks, the worker function sent
    to the cluster once; at most `width` refs out at a time; results
    yielded as their batch completes."""
    from ..records import flag

    salvage = getattr(fn, "salvage", None)
    pending: dict[str, list[FileRef]] = {}
    out_now = 0
    done = as_completed()
    batcher = _Batcher()
    remote_fn = client.scatter(fn, broadcast=True, hash=False)

    def failed(ref: FileRef, exc: BaseException) -> FileResult:
        if salvage is None:
            raise exc
        why = f"the Dask task failed: {type(exc).__name__}: {exc}"
        result: FileResult = salvage(ref, flag("executor", "worker_crashed", why, "error"))
        return result

    def collect(fut: Any) -> Iterator[FileResult]:
        nonlocal out_now
        batch = pending.pop(fut.key)
        out_now -= len(batch)
        try:
            results = fut.result()
        except Exception as exc:  # the task was lost with its workers: each file a finding
            results = [exc] * len(batch)
        fut.release()
        for ref, res in zip(batch, results, strict=True):
            if isinstance(res, BaseException):
                yield failed(ref, res)
            else:
                batcher.learn(res)
                yield res

    for batch in batcher.batches(refs):
        fut = client.submit(_run_batch, remote_fn, batch, pure=False)
        pending[fut.key] = batch
        out_now += len(batch)
        done.add(fut)
        while out_now >= width:
            yield from collect(next(done))
    for fut in done:
        yield from collect(fut)


def get_executor(
    name: str,
    jobs: int | None = None,
    address: str | None = None,
    file_timeout: float | None = FILE_TIMEOUT,
    file_memory: int | None = FILE_MEMORY,
) -> Executor:
    if name == "serial":
        return SerialExecutor()
    if name == "process":
        return ProcessExecutor(jobs, file_timeout, file_memory)
    if name == "dask":
        return DaskExecutor(address, jobs)
    raise ValueError(f"unknown executor {name!r} (serial, process, dask)")
