"""`watch`: one observation of a source each period, for as long as asked.

Each observation starts on its schedule (the first at once, then every
`every` seconds from the first's start), whatever the last one took: one
that overran is followed at once by the next. A scan that fails (a server
down or answering 503, a folder unmounted) is tried again after a wait
that doubles, `retries` times; if it still fails, the observation is
recorded as failed in the watch log (its rows, if any were written, stay
as an unfinished observation that the next scan resumes) and the watch
goes on to the next period. SIGTERM or SIGINT ends the watch between
files: what was read is in the case, and the same command resumes.

Each observation runs in a child process of its own (forked.py), so that
a watch of weeks does not grow: what a scan of 100,000 rows leaves in the
allocator goes with its process, and each observation's peak memory is
its own (`peak_mb` in the log).

After each observation one line says what it found (new, changed, gone,
unchanged, the new notes by language); it is printed and appended to
`watch.log` in the case (JSON lines, the line's fields and its text, how
long it took and its peak memory).
The watch holds the case for its whole life: another scan or watch into it
is refused (store/lock.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from ..config import ScanConfig
from ..errors import UsageError
from ..records import ANNOTATION_ORIGINS, FileResult
from ..store.lock import CaseBusy, CaseLock
from .forked import forward, in_child
from .scanner import scan

WATCH_LOG = "watch.log"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class Stopped(Exception):
    """The watch was asked to end (SIGTERM, SIGINT) between two files."""


def parse_every(text: str) -> float:
    """'24h', '30m', '90s', '1d', or seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not m or float(m.group(1)) <= 0:
        raise UsageError(f"not a period: {text!r} (say 24h, 30m, 90s or 1d)")
    return float(m.group(1)) * _UNITS[m.group(2) or "s"]


def summary(case_dir: Path, observation: int) -> dict[str, Any]:
    """What observation `observation` found: its counts by status (as the
    scan recorded them) and the notes written on the files it found new or
    changed, by language: read from the case in SQL, in a second or less at
    100,000 rows (the views would build every row)."""
    from ..store.schema import read_only

    con = read_only(case_dir)
    try:
        (counts,) = con.execute(
            "SELECT counts FROM observations WHERE id = ?", (observation,)
        ).fetchone()
        origins = sorted(ANNOTATION_ORIGINS)
        langs = con.execute(
            "SELECT n.lang, count(*) FROM note_rows n JOIN file_rows f ON f.id = n.file_id "
            f"WHERE f.observation = ? AND n.origin IN ({', '.join('?' * len(origins))}) "
            "GROUP BY n.lang ORDER BY n.lang",
            (observation, *origins),
        ).fetchall()
    finally:
        con.close()
    status = json.loads(counts or "{}").get("by_status", {})
    return {
        "observation": observation,
        "new": int(status.get("new", 0)),
        "changed": int(status.get("changed", 0)),
        "gone": int(status.get("gone", 0)),
        "unchanged": int(status.get("unchanged", 0)),
        "new_notes": {str(lang): int(n) for lang, n in langs},
    }


def _line(found: dict[str, Any], when: str) -> str:
    notes = ", ".join(f"{lang} {n}" for lang, n in found["new_notes"].items()) or "none"
    return (
        f"{when} observation {found['observation']}: {found['new']} new, "
        f"{found['changed']} changed, {found['gone']} gone, {found['unchanged']} unchanged; "
        f"new notes: {notes}"
    )


def _log(case_dir: Path, entry: dict[str, Any]) -> None:
    with open(case_dir / WATCH_LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def watch(
    source: str | Path,
    case: str | Path,
    every: float,
    count: int | None = None,
    until: dt.datetime | None = None,
    config: ScanConfig | None = None,
    retries: int = 5,
    retry_wait: float = 60.0,
    echo: Callable[[str], None] = print,
    before_each: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """Observe `source` into `case` every `every` seconds, `count` times or
    until `until` (aware), whichever comes first (neither: until stopped).
    `before_each(n)` runs before the n-th observation (0-based; tests change
    the source there). Returns each observation's summary line's fields."""
    if until is not None and until.tzinfo is None:
        raise UsageError("--until needs a time with its zone (2026-12-31T00:00+09:00)")
    case_dir = Path(case).resolve()
    config = config or ScanConfig()
    stop = {"asked": False}

    def ask_stop(signum: int, _frame: FrameType | None) -> None:
        stop["asked"] = True
        forward(signum)  # the observation's own process stops between files too

    def between_files(_result: FileResult) -> None:
        if stop["asked"]:
            raise Stopped

    # signals reach the main thread only: a watch run in another thread is stopped by its caller
    signals = (
        (signal.SIGTERM, signal.SIGINT)
        if threading.current_thread() is threading.main_thread()
        else ()
    )
    old = {sig: signal.signal(sig, ask_stop) for sig in signals}
    done: list[dict[str, Any]] = []
    _warm()
    try:
        with CaseLock(case_dir):
            start = time.monotonic()
            n = 0
            while count is None or n < count:
                if until is not None and dt.datetime.now(dt.UTC) >= until:
                    break
                wait = start + n * every - time.monotonic()
                while wait > 0 and not stop["asked"]:
                    time.sleep(min(wait, 1.0))
                    wait = start + n * every - time.monotonic()
                if stop["asked"]:
                    break
                if before_each is not None:
                    before_each(n)
                when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                began = time.monotonic()
                try:
                    entry, peak = in_child(
                        lambda: _observe(
                            source, case_dir, config, retries, retry_wait, between_files
                        )
                    )
                except RuntimeError as exc:  # its process was killed (out of memory, say)
                    entry, peak = {"error": str(exc)}, None
                entry["started"] = when
                entry["seconds"] = round(time.monotonic() - began, 3)
                if peak is not None:
                    entry["peak_mb"] = round(peak, 1)
                if "observation" in entry:
                    entry["line"] = _line(entry, when)
                else:
                    entry["line"] = f"{when} observation failed: {entry['error']}"
                echo(entry["line"])
                _log(case_dir, entry)
                done.append(entry)
                if entry.get("stopped"):
                    break
                n += 1
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
    return done


def _warm() -> None:
    """Import once, here, what every observation's scan imports on demand
    (pandas and its Arrow strings, the worker pool): each observation's
    forked process then starts with them (0.3 s an observation otherwise)."""
    import contextlib
    import importlib

    for name in ("pandas", "pyarrow", "forensics.run.workerpool", "forensics.run.workerproc"):
        with contextlib.suppress(ImportError):  # pyarrow is optional
            importlib.import_module(name)


def _observe(
    source: str | Path,
    case_dir: Path,
    config: ScanConfig,
    retries: int,
    retry_wait: float,
    between_files: Callable[[FileResult], None],
) -> dict[str, Any]:
    attempt, wait = 0, retry_wait
    while True:
        attempt += 1
        try:
            opened = scan(source, case_dir, config, on_result=between_files)
        except Stopped:
            return {
                "error": "stopped between files (SIGTERM): the same command resumes",
                "stopped": True,
            }
        except (UsageError, CaseBusy):
            raise  # not the server's fault: the watch cannot go on
        except Exception as exc:  # a server down, a folder gone: tried again, then recorded
            if attempt > retries:
                return {"error": f"{type(exc).__name__}: {exc}", "attempts": attempt}
            time.sleep(wait)
            wait *= 2
            continue
        found = summary(case_dir, int(opened.observations["id"].max()))
        found["attempts"] = attempt
        return found
