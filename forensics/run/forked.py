"""One piece of work in a child process of its own, for a process that
lives for weeks (`watch`): whatever the work leaves behind in memory (the
allocator's fragmented arenas after a scan of 100,000 rows, which Python
does not hand back to the system) goes with the child, so the watching
process does not grow from one observation to the next, and each
observation's peak memory is measured on its own (`wait4`'s resource use
of that child alone).

The child is forked (Linux and the BSDs; the case lock the parent holds is
inherited, with the open file it is held on), runs the work, sends back its
result or its exception pickled through a pipe, and ends with `os._exit`
(no handler of the parent's runs twice). Where `fork` is missing the work
runs in the calling process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any

from ..errors import UsageError

# the child being waited for, so that a signal the parent receives reaches it too
_CHILD: dict[str, int] = {}


def forward(signum: int) -> None:
    """Pass a signal on to the child at work, if there is one."""
    pid = _CHILD.get("pid")
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def in_child(work: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], float | None]:
    """`work()`'s result, computed in a forked child, and the child's peak
    resident memory in MB (None when the work ran here). An exception the
    work raised is raised here (as a `UsageError` with its text if it does
    not pickle); a child that dies without a word is a `RuntimeError`."""
    if not hasattr(os, "fork"):
        return work(), None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        code = 0
        try:
            try:
                payload = pickle.dumps(("ok", work()))
            except BaseException as exc:  # sent to the parent, which raises it
                try:  # as it is, if the parent can make it again from its pickle
                    payload = pickle.dumps(("raise", exc))
                    pickle.loads(payload)  # what this process just wrote
                except Exception:
                    payload = pickle.dumps(("raise", UsageError(f"{type(exc).__name__}: {exc}")))
            with os.fdopen(write, "wb") as fh:
                fh.write(payload)
        except BaseException:  # the parent reports a child that said nothing
            code = 1
        finally:
            for stream in (sys.stdout, sys.stderr):  # os._exit flushes nothing
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(code)
    os.close(write)
    _CHILD["pid"] = pid
    try:
        with os.fdopen(read, "rb") as fh:
            payload = fh.read()
        _, status, usage = os.wait4(pid, 0)
    finally:
        _CHILD.pop("pid", None)
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    if not payload:
        how = (
            f"signal {signal.Signals(os.WTERMSIG(status)).name}"
            if os.WIFSIGNALED(status)
            else f"exit status {os.waitstatus_to_exitcode(status)}"
        )
        raise RuntimeError(f"the observation's process ended without a result ({how})")
    kind, value = pickle.loads(payload)  # our own child's bytes, through our own pipe
    if kind == "raise":
        raise value
    return value, peak
