"""Worker processes supervised from outside: a deadline and a memory cap per
file, and a file that kills its worker costs that file its extraction, never
the scan.

Why not `concurrent.futures.ProcessPoolExecutor`: one worker killed (the OOM
killer, a segfaulting decoder, `kill -9`) breaks the whole pool, a hung
worker cannot be stopped, and memory cannot be watched per file. Here each
worker is a `python -P -m forensics.run.workerproc` child in its own process
group, handed one ref at a time over a pipe. The supervisor watches each busy
worker's wall time and the resident memory of its process tree (the worker
and any Tesseract it started), kills the group when a limit is passed or
notices when it died, and salvages the file in this process (hashes, type,
filesystem facts: everything that does not parse the bytes) with a
`timeout`, `memory_limit` or `worker_crashed` problem. A fresh worker takes
its place.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..records import FileRef, FileResult, Problem, flag
from .forkworker import fork_worker
from .workerproc import HEADER, frame

POLL_SECONDS = 0.05
PIPE_SAFE_BYTES = 30 * 1024  # under half of Linux's pipe buffer (64 KiB): two such frames fit
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class WorkerStartError(RuntimeError):
    """A worker process could not start (the scan itself fails: exit 3)."""


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc);
    0 when it cannot be read."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * _PAGE
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", "rb") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


Salvage = Callable[[FileRef, Problem], FileResult]


READ_FLOOR_BYTES_PER_S = 20 * 10**6
"""Reading pace granted on top of --file-timeout (three hashes of a sparse
3 GiB file take 9.5 s here, about 340 MB/s; a networked disk shared with
another job can be ten times slower)."""


@dataclass
class _Job:
    """A batch of refs given to one worker, answered one result at a time in
    order, so the file being read is always `refs[done]` and its clock
    starts when the result before it came back. `second` marks a ref given
    a second worker after the first died under it."""

    id: int
    refs: list[FileRef]
    second: bool
    started: float
    done: int = 0
    last_frame: int = 0  # index of the first ref of the last frame sent

    @property
    def current(self) -> FileRef:
        return self.refs[self.done]

    @property
    def rest(self) -> list[FileRef]:
        return self.refs[self.done + 1 :]


@dataclass
class _Proc:
    popen: Any  # a subprocess.Popen, or a forkworker.ForkedChild with what is used of it
    stderr: IO[bytes]
    buffer: bytearray = field(default_factory=bytearray)
    ready: bool = False
    job: _Job | None = None
    last_rss_check: float = 0.0
    # A forked worker starts resident with the pages it shares with this
    # process: the cap counts what it holds beyond what it had when ready.
    forked: bool = False
    base_rss: int = 0

    @property
    def fd(self) -> int:
        assert self.popen.stdout is not None
        return self.popen.stdout.fileno()

    def stderr_tail(self, limit: int = 2000) -> str:
        """The end of what the worker wrote on stderr; from faulthandler's
        last dump, its header and stacks (not the list of extension modules
        that ends it)."""
        try:
            self.stderr.seek(0, os.SEEK_END)
            size = self.stderr.tell()
            self.stderr.seek(max(0, size - 16 * limit))
            text = self.stderr.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""
        start = text.rfind("Fatal Python error")
        if start >= 0:
            text = text[start:].split("\n\nExtension modules:")[0]
            return text[:limit].strip()
        return text[-limit:].strip()


def _held(ref: FileRef) -> int:
    """The bytes a ref carries to its worker, or makes it read."""
    return len(ref.payload) if ref.payload is not None else (ref.size or 0)


def _widen(fd: int) -> None:
    """A worker's results pipe as wide as Linux allows an unprivileged
    process (1 MiB; 64 KiB by default): a worker whose answers fill the pipe
    waits while this process writes the case, a core idle."""
    with contextlib.suppress(OSError, AttributeError):
        import fcntl

        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, min(limit, 1 << 20))


def _worker_command() -> list[str]:
    return [sys.executable, "-P", "-m", "forensics.run.workerproc", str(os.getpid())]


def _package_dir() -> str:
    import forensics

    return os.path.dirname(os.path.abspath(forensics.__file__))


class WorkerPool:
    """`jobs` supervised worker processes running `fn` (picklable) on refs.

    `timeout` is wall seconds per file, `memory` resident bytes of a
    worker's process tree while it works on one file; None turns a limit
    off. `salvage(ref, problem)` builds the result of a file whose worker
    was stopped or died. Workers are forks of this process where that is
    safe (`forkworker.py`), else fresh interpreters."""

    batch_size = 16
    batch_bytes = 32 * 2**20
    # Refs queued behind a busy worker's current file: small files take
    # under a millisecond each, and the case's writer holds this process
    # for tens of milliseconds at a time; the queue outlasts it.
    queue_size = 64

    def __init__(
        self,
        fn: Callable[[FileRef], FileResult],
        salvage: Salvage,
        jobs: int,
        timeout: float | None,
        memory: int | None,
    ) -> None:
        self.fn = fn
        self.payload = pickle.dumps(fn, protocol=pickle.HIGHEST_PROTOCOL)
        self.salvage = salvage
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.memory = memory
        self.sel = selectors.DefaultSelector()
        self.procs: list[_Proc] = []
        self.replaced = 0
        self._next_id = 0
        self._waiting: list[tuple[list[FileRef], bool]] = []
        self._package = _package_dir()

    def allowed(self, ref: FileRef) -> float | None:
        """Wall seconds a file may take: the timeout plus the time to read
        and hash its bytes at a slow disk's pace, so a big video on a busy
        machine is never stopped for being big (only a hang or a blow-up
        should reach the deadline)."""
        if self.timeout is None:
            return None
        return self.timeout + (ref.size or 0) / READ_FLOOR_BYTES_PER_S

    # -- processes -------------------------------------------------------

    def _start(self) -> _Proc:
        err = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
        child = fork_worker(self.fn, err)
        proc = _Proc(child, err, forked=True) if child is not None else self._spawn(err)
        _widen(proc.fd)
        os.set_blocking(proc.fd, False)
        self.sel.register(proc.fd, selectors.EVENT_READ, proc)
        self.procs.append(proc)
        return proc

    def _spawn(self, err: IO[bytes]) -> _Proc:
        popen = subprocess.Popen(
            _worker_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            start_new_session=True,  # its own group: Tesseract children die with it
            close_fds=True,
        )
        proc = _Proc(popen, err)
        assert popen.stdin is not None
        try:
            popen.stdin.write(frame((self._package, self.payload)))
            popen.stdin.flush()
        except OSError:
            pass  # it died at once: noticed as a start failure
        return proc

    def _kill(self, proc: _Proc) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.popen.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            proc.popen.kill()
        proc.popen.wait()
        self._forget(proc)

    def _forget(self, proc: _Proc) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.sel.unregister(proc.fd)
        for pipe in (proc.popen.stdin, proc.popen.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        proc.stderr.close()
        if proc in self.procs:
            self.procs.remove(proc)

    def close(self) -> None:
        for proc in list(self.procs):
            self._kill(proc)
        self.sel.close()

    # -- messages --------------------------------------------------------

    def _messages(self, proc: _Proc) -> Iterator[Any]:
        """Whole frames read so far; raises EOFError when the pipe closed."""
        while True:
            try:
                chunk = os.read(proc.fd, 1 << 20)
            except BlockingIOError:
                break
            except OSError as exc:
                raise EOFError(str(exc)) from exc
            if not chunk:
                self._drain(proc)
                raise EOFError("worker closed its pipe")
            proc.buffer += chunk
        yield from self._drain(proc)

    def _drain(self, proc: _Proc) -> Iterator[Any]:
        buf = proc.buffer
        while len(buf) >= HEADER.size:
            (size,) = HEADER.unpack_from(buf)
            if len(buf) < HEADER.size + size:
                break
            body = bytes(buf[HEADER.size : HEADER.size + size])
            del buf[: HEADER.size + size]
            yield pickle.loads(body)

    def _send(self, proc: _Proc, refs: list[FileRef], second: bool) -> bool:
        self._next_id += 1
        proc.job = _Job(self._next_id, refs, second, time.monotonic())
        return self._write(proc, frame((self._next_id, 0, refs)))

    def _write(self, proc: _Proc, data: bytes) -> bool:
        assert proc.popen.stdin is not None
        try:
            proc.popen.stdin.write(data)
            proc.popen.stdin.flush()
        except OSError:
            return False
        return True

    def _top_up(self, proc: _Proc, it: Iterator[FileRef]) -> bool:
        """Queue the next batch behind a busy worker's current one, so that
        it never waits for this process (writing the case) between batches.
        Only a batch whose frame fits the pipe's buffer at once: a write
        here must never block on a worker that may be hung. False when the
        refs are exhausted."""
        job = proc.job
        assert job is not None
        batch = self._batch(it, self.queue_size)
        if not batch:
            return False
        data = frame((job.id, len(job.refs), batch))
        if len(data) > PIPE_SAFE_BYTES:
            self._waiting.append((batch, False))  # for the next idle worker
        elif self._write(proc, data):
            job.last_frame = len(job.refs)
            job.refs.extend(batch)
        else:  # it died: noticed by the poll; the batch was never its
            self._waiting.append((batch, False))
        return True

    @staticmethod
    def _queued_bytes(job: _Job) -> int:
        return sum(_held(r) for r in job.refs[job.done :])

    def _batch(self, it: Iterator[FileRef], size: int | None = None) -> list[FileRef]:
        """Up to `size` (`batch_size`) refs or `batch_bytes` of payload: one
        round trip per few files, not per file (most take well under a
        millisecond), and a big file closes its batch."""
        batch: list[FileRef] = []
        held = 0
        for ref in it:
            batch.append(ref)
            held += _held(ref)
            if len(batch) >= (size or self.batch_size) or held >= self.batch_bytes:
                break
        return batch

    # -- the loop --------------------------------------------------------

    def map(self, refs: Iterable[FileRef]) -> Iterator[FileResult]:
        it = iter(refs)
        exhausted = False
        waiting = self._waiting  # batches to (re)send: their worker died before reading them
        try:
            for _ in range(self.jobs):
                self._start()
            while True:
                idle = [p for p in self.procs if p.ready and p.job is None]
                for proc in idle:
                    batch, second = waiting.pop() if waiting else ([], False)
                    if not batch and not exhausted:
                        batch = self._batch(it)
                        exhausted = not batch
                    if not batch:
                        break
                    if not self._send(proc, batch, second):  # it died idle: not these files' doing
                        proc.job = None
                        waiting.append((batch, second))
                        self._kill(proc)
                if exhausted and not waiting and all(p.job is None for p in self.procs):
                    return
                for proc in self.procs:
                    if exhausted or waiting:
                        break
                    job = proc.job
                    if (
                        job is not None
                        and not job.second
                        and job.done >= job.last_frame  # at most one frame of ours in its pipe
                        and len(job.refs) - job.done <= self.queue_size
                        and self._queued_bytes(job) < self.batch_bytes
                    ):
                        exhausted = not self._top_up(proc, it)
                yield from self._poll()
                while len(self.procs) < self.jobs:
                    self._start()
                    self.replaced += 1
        finally:
            self.close()

    def _poll(self) -> Iterator[FileResult]:
        for key, _ in self.sel.select(POLL_SECONDS):
            proc: _Proc = key.data
            try:
                for msg in self._messages(proc):
                    yield from self._handle(proc, msg)
            except EOFError:
                yield from self._died(proc)
        now = time.monotonic()
        for proc in list(self.procs):
            if proc.job is None:
                if proc.popen.poll() is not None:
                    yield from self._died(proc)
                continue
            started = proc.job.started
            allowed = self.allowed(proc.job.current)
            if allowed is not None and now - started > allowed:
                yield from self._lost(
                    proc,
                    "timeout",
                    f"extraction stopped after {allowed:g} s (--file-timeout "
                    f"{self.timeout:g} s plus reading time for its size); "
                    "hashes and filesystem facts kept",
                )
                continue
            if self.memory is not None and now - proc.last_rss_check >= POLL_SECONDS:
                proc.last_rss_check = now
                rss = tree_rss(proc.popen.pid) - proc.base_rss
                if rss > self.memory:
                    shared = (
                        f", beyond the {proc.base_rss // 2**20} MiB it shared when it started"
                        if proc.base_rss
                        else ""
                    )
                    yield from self._lost(
                        proc,
                        "memory_limit",
                        f"extraction stopped at {rss // 2**20} MiB resident{shared} "
                        f"(--file-memory {self.memory // 2**20} MiB); "
                        "hashes and filesystem facts kept",
                    )

    def _handle(self, proc: _Proc, msg: Any) -> Iterator[FileResult]:
        if msg[0] == "ready":
            proc.ready = True
            if proc.forked and self.memory is not None:
                proc.base_rss = tree_rss(proc.popen.pid)
        elif msg[0] == "refused":
            self._kill(proc)
            raise WorkerStartError(f"worker refused to start: {msg[1]}")
        elif msg[0] == "done":
            _, job_id, index, result = msg
            job = proc.job
            if job is not None and job.id == job_id and job.done == index:
                job.done += 1
                job.started = time.monotonic()  # the next file's clock
                if job.done == len(job.refs):
                    proc.job = None
                yield result

    def _died(self, proc: _Proc) -> Iterator[FileResult]:
        code = proc.popen.wait()
        if not proc.ready:
            tail = proc.stderr_tail()
            self._forget(proc)
            raise WorkerStartError(f"a worker exited ({code}) before it was ready: {tail}")
        how = f"killed by signal {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
        if code == -signal.SIGKILL:
            how += " (the OOM killer, or someone's kill -9)"
        job = proc.job
        if job is not None and not job.second:
            # Once more in a fresh worker: a kill from outside (the OOM
            # killer taking the biggest process) is not the file's doing.
            self._requeue(job.rest)
            self._waiting.append(([job.current], True))
            proc.job = None
            self._forget(proc)
            return
        yield from self._lost(
            proc, "worker_crashed", f"worker {how}, twice (a second worker was tried)", kill=False
        )

    def _lost(
        self, proc: _Proc, kind: str, message: str, kill: bool = True
    ) -> Iterator[FileResult]:
        job = proc.job
        tail = proc.stderr_tail(1500) if kind == "worker_crashed" else ""
        if kill:
            self._kill(proc)
        else:
            self._forget(proc)
        if job is None:
            return
        self._requeue(job.rest)  # the files after it in its batch were not read yet
        detail = f"{message}; after {time.monotonic() - job.started:.1f} s"
        if tail:
            detail += f"\n{tail}"
        yield self.salvage(job.current, flag("pipeline", kind, detail, "error"))

    def _requeue(self, refs: list[FileRef]) -> None:
        if refs:
            self._waiting.append((refs, False))
