"""One writer at a time: a scan (or a watch, which scans for weeks) holds
an exclusive lock on its case folder for as long as it writes. A second
writer is refused at once, told which process holds the case; readers
(the views, the report, `verify`) never take the lock.

The lock is `flock(2)` on `writer.lock` in the case folder: the kernel
drops it when the holder dies, however it dies, so a killed scan never
leaves a case locked. The file also says who holds it (process, host,
command, since when), for the message the second writer gets.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import socket
import sys
import threading
from pathlib import Path
from types import TracebackType

from ..errors import UsageError

LOCK_FILE = "writer.lock"
# the locks this process holds, by file and thread, and how deep: a watch's
# own scans re-enter its lock; another thread of the process is refused
_HELD: dict[tuple[str, int], int] = {}


class CaseBusy(UsageError):
    """The case is being written by another process."""


class CaseLock:
    """Held with `with CaseLock(folder):` around everything that writes."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.path = Path(folder) / LOCK_FILE
        self.fd: int | None = None

    def __enter__(self) -> CaseLock:
        key = (str(self.path.resolve()), threading.get_ident())
        if _HELD.get(key):  # this process holds it already (a watch's scans): re-entered
            _HELD[key] += 1
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            where = self.path.parent
            raise CaseBusy(f"the case {where} is being written {holder(self.path)}") from None
        who = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": " ".join(sys.argv) or sys.executable,
            "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(who).encode(), 0)
        self.fd = fd
        _HELD[key] = 1
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        key = (str(self.path.resolve()), threading.get_ident())
        _HELD[key] -= 1
        if _HELD[key]:
            return
        del _HELD[key]
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def holder(path: Path) -> str:
    """Who holds the lock, as its file says."""
    try:
        who = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        who = {}
    if not who:
        return "by another process"
    return (
        f"by process {who.get('pid')} on {who.get('host')} since {who.get('since')} "
        f"({who.get('command')}); wait for it to end, or scan into another case folder"
    )
