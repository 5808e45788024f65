"""Tables derived from installed packages, kept parsed in the user's cache
folder (`$XDG_CACHE_HOME/forensics`, else `~/.cache/forensics`) so that a
worker process loads them in a fraction of the time it takes to build
them. Never evidence, never beside the project: each file is named by what
it was built from (and the Python version, whose format it is), so a new
package version builds a new one; written atomically; a damaged or
unreadable one is built again, and a cache folder that cannot be written
costs only the time.

The format is `marshal`, not JSON: a scan's worker loads about 12 MB of
these tables (wordfreq's word lists, hanja's readings), 0.24 s as JSON and
0.08 s as marshal, in every worker. marshal holds data only (dicts, text,
numbers: it makes no instance and runs nothing when loaded); a table
that does not load as a dict is built again. Not pickle, which runs code."""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = f"py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "forensics"


def kept_table(name: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The table kept as `name` (what it was built from), or `build()`'s
    (dicts, lists, text, numbers), which is then kept."""
    cache = folder() / f"{name}.{FORMAT}"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        table = marshal.loads(cache.read_bytes())
        if isinstance(table, dict):
            return table
    table = build()
    with contextlib.suppress(OSError, ValueError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(table))
        os.replace(tmp, cache)
    return table
