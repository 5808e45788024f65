"""Tables derived from installed packages, kept parsed in the user's cache
folder (`$XDG_CACHE_HOME/forensics`, else `~/.cache/forensics`) so that a
worker process loads them in a fraction of the time it takes to build
them. Never evidence, never beside the project: each file is named by what
it was built from, so a new package version builds a new one; written
atomically; JSON (data, never code); a damaged or unreadable one is built
again, and a cache folder that cannot be written costs only the time."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


def folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "forensics"


def json_table(name: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The table cached as `name` (a file name that says what it was built
    from), or `build()`'s, which is then cached."""
    cache = folder() / name
    with contextlib.suppress(OSError, ValueError):
        table = json.loads(cache.read_bytes())
        if isinstance(table, dict):
            return table
    table = build()
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache)
    return table
