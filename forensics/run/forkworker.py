"""Worker processes forked from the supervisor, where that is safe.

A worker started as a fresh interpreter (`python -P -m
forensics.run.workerproc`) spends a quarter of a second starting Python
and importing the readers before its first file, in every worker and every
scan: on two cores, that and the workers' waits were a fifth of a metadata
scan. A fork of the scanning process starts at once with all that
imported. It is used only where it is safe: on Linux, and while the
supervisor runs no other thread (a fork copies only the calling thread,
and a lock another thread held would stay held in the child); otherwise,
or when the fork fails, the pool starts fresh interpreters as before.

The child keeps only its protocol pipes and its stderr file (every other
descriptor of the supervisor, the case's database and lock among them, is
closed), takes a session of its own (its Tesseract children die with it),
the default signal handlers, and freezes the objects it inherited so that
no collection in the child ever finalizes one of the supervisor's (a
file object's finalizer would close a descriptor number the child may have
reused). It then serves exactly as a spawned worker does
(`workerproc.serve`) and leaves with `os._exit`, never returning into the
supervisor's code.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

from .workerproc import serve, watch_parent


def can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


class ForkedChild:
    """A forked worker, with the part of `subprocess.Popen` the pool uses."""

    def __init__(self, pid: int, stdin: IO[bytes], stdout: IO[bytes]) -> None:
        self.pid = pid
        self.stdin: IO[bytes] | None = stdin
        self.stdout: IO[bytes] | None = stdout
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: it is gone, how is not known
                self.returncode = 255
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            try:
                _, status = os.waitpid(self.pid, 0)
                self.returncode = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                self.returncode = 255
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)


def fork_worker(fn: Callable[[Any], Any], stderr: IO[bytes]) -> ForkedChild | None:
    """A worker forked from this process running `fn`, or None when it cannot
    be forked here (the caller then starts one the plain way)."""
    if not can_fork():
        return None
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        with contextlib.suppress(Exception):
            stream.flush()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        for fd in (to_child_r, to_child_w, from_child_r, from_child_w):
            os.close(fd)
        return None
    if pid == 0:
        _child(fn, to_child_r, from_child_w, stderr.fileno(), parent)
    os.close(to_child_r)
    os.close(from_child_w)
    return ForkedChild(pid, os.fdopen(to_child_w, "wb"), os.fdopen(from_child_r, "rb"))


def _child(fn: Callable[[Any], Any], proto_in: int, proto_out: int, err: int, parent: int) -> None:
    """In the forked child: serve, then leave; never returns."""
    code = 0
    try:
        import gc

        gc.freeze()
        os.setsid()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_IGN if sig == signal.SIGPIPE else signal.SIG_DFL)
        with contextlib.suppress(ValueError):  # not the main thread: nothing was set
            signal.set_wakeup_fd(-1)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.dup2(err, 2)
        keep = {0, 1, 2, proto_in, proto_out}
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd not in keep:
                with contextlib.suppress(OSError):
                    os.close(fd)
        import faulthandler

        sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        faulthandler.enable(file=2)  # a segfaulting decoder leaves its Python stack on stderr
        threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
        serve(fn, os.fdopen(proto_in, "rb"), os.fdopen(proto_out, "wb"))
    except BaseException:  # whatever happens, the child must not return
        code = 1
        with contextlib.suppress(Exception):
            import traceback

            traceback.print_exc()
            sys.stderr.flush()
    finally:
        os._exit(code)
