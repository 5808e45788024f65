"""One worker, many executors: each maps `extract_one` over refs and yields
results as they finish (in any order; the case sorts). Refs are consumed
lazily with a bounded number in flight, so memory stays flat on big dumps."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from .records import FileRef, FileResult

Worker = Callable[[FileRef], FileResult]


class Executor(Protocol):
    name: str

    def map(self, fn: Worker, refs: Iterable[FileRef]) -> Iterator[FileResult]: ...


class SerialExecutor:
    """In this process, one file at a time: for tests and debugging."""

    name = "serial"

    def map(self, fn: Worker, refs: Iterable[FileRef]) -> Iterator[FileResult]:
        for ref in refs:
            yield fn(ref)


def _bounded(
    submit: Callable[[FileRef], Any],
    wait: Callable[[set[Any]], tuple[set[Any], set[Any]]],
    result: Callable[[Any], FileResult],
    refs: Iterable[FileRef],
    in_flight: int,
) -> Iterator[FileResult]:
    pending: set[Any] = set()
    for ref in refs:
        pending.add(submit(ref))
        if len(pending) >= in_flight:
            done, pending = wait(pending)
            for fut in done:
                yield result(fut)
    while pending:
        done, pending = wait(pending)
        for fut in done:
            yield result(fut)


def _batches(refs: Iterable[FileRef], size: int, max_bytes: int) -> Iterator[list[FileRef]]:
    """Refs in small groups: one round trip to a worker per group, not per
    file (most files take well under a millisecond to extract); a big file
    closes its group, so that big files spread over the workers."""
    batch: list[FileRef] = []
    held = 0
    for ref in refs:
        batch.append(ref)
        held += len(ref.payload) if ref.payload is not None else (ref.size or 0)
        if len(batch) >= size or held >= max_bytes:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def _quiet_stderr() -> None:
    """Worker start-up: C decoders (libtiff, libjpeg) print their complaints
    about bad bytes straight to file descriptor 2, thousands of lines on a
    hostile dump. What matters is already in each file's problems, so the
    workers' stderr goes to /dev/null (the main process keeps its own)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _run_batch(fn: Worker, batch: list[FileRef]) -> list[FileResult]:
    return [fn(ref) for ref in batch]


class ProcessExecutor:
    """A pool of worker processes (default: one per core), fed small batches.
    Started with forkserver: forking a process that runs threads (the
    progress bar) is unsafe, and spawn would re-import everything per worker."""

    name = "process"
    batch_size = 16
    batch_bytes = 32 * 1024 * 1024

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1

    def map(self, fn: Worker, refs: Iterable[FileRef]) -> Iterator[FileResult]:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
        if "forkserver" in methods:
            ctx.set_forkserver_preload(["forensics.pipeline"])
        with cf.ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=ctx, initializer=_quiet_stderr
        ) as pool:
            pending: set[cf.Future[list[FileResult]]] = set()
            for batch in _batches(refs, self.batch_size, self.batch_bytes):
                pending.add(pool.submit(_run_batch, fn, batch))
                if len(pending) >= self.jobs * 3:
                    done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                    for fut in done:
                        yield from fut.result()
            for fut in cf.as_completed(pending):
                yield from fut.result()


class DaskExecutor:
    """A Dask cluster: `address` of a scheduler, or a local cluster when
    none is given. Needs the `[dask]` extra."""

    name = "dask"

    def __init__(self, address: str | None = None, jobs: int | None = None) -> None:
        self.address = address
        self.jobs = jobs

    def map(self, fn: Worker, refs: Iterable[FileRef]) -> Iterator[FileResult]:
        try:
            from dask.distributed import Client, LocalCluster, wait
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
            width = 4 * sum(client.nthreads().values())

            def wait_first(pending: set[Any]) -> tuple[set[Any], set[Any]]:
                done, rest = wait(pending, return_when="FIRST_COMPLETED")
                return set(done), set(rest)

            yield from _bounded(
                lambda ref: client.submit(fn, ref, pure=False),
                wait_first,
                lambda fut: fut.result(),
                refs,
                max(width, 4),
            )
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def get_executor(name: str, jobs: int | None = None, address: str | None = None) -> Executor:
    if name == "serial":
        return SerialExecutor()
    if name == "process":
        return ProcessExecutor(jobs)
    if name == "dask":
        return DaskExecutor(address, jobs)
    raise ValueError(f"unknown executor {name!r} (serial, process, dask)")
