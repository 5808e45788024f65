"""Turn a path or url into `FileRef`s: folders and single files
(`local.py`), buckets and web folders (`remote.py`), and every archive in
them walked recursively (`walk.py`, over the readers in `formats/`), within
`Limits`. Nothing is written beside the evidence: members are read into
memory, or spooled into the case folder when big, and handed to the worker.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..records import FileRef
from .evidence import NotRegularFile, open_readonly
from .kinds import LIBARCHIVE_KINDS, archive_kind, archive_kind_in
from .limits import Budget, Limits, Spooled
from .local import local_identity, walk_folder, walk_local
from .names import escape_name, flagged, unique_urls
from .remote import OnPage, is_remote, walk_remote
from .walk import Reuse

__all__ = [
    "LIBARCHIVE_KINDS",
    "Limits",
    "NotRegularFile",
    "Reuse",
    "Spooled",
    "archive_kind",
    "archive_kind_in",
    "escape_name",
    "iter_refs",
    "local_identity",
    "open_readonly",
    "unique_urls",
]


def iter_refs(
    source: str | os.PathLike[str],
    limits: Limits | None = None,
    tally: Counter[str] | None = None,
    spool_dir: str | os.PathLike[str] | None = None,
    reuse: Reuse | None = None,
    options: tuple[tuple[str, Any], ...] = (),
    on_page: OnPage | None = None,
) -> Iterator[FileRef]:
    """Every file the source holds, loose or inside archives, in a stable order.

    A folder is walked recursively in sorted order, without following links;
    a single file is its own source. Urls are relative to the source folder
    (a single file's url is its name) and use `!/` to step into an archive.
    Members larger than `limits.spool_bytes` are written to a file in
    `spool_dir` (inside the case folder; the scanner deletes each once its
    result is stored) and their refs carry that path; without a spool_dir
    they are held in memory like the others. `reuse(url, lstat)` says of a
    regular file in a folder whether its previous results stand (its
    identity is unchanged): it is then neither opened nor walked into, and
    its ref says `reused`. A remote source (`s3://bucket/prefix`, an
    `http(s)://` folder; `options` say how to reach it, see `remote.py`)
    gives refs that carry a `RemoteObject` and no path; its archives are
    walked the same way, from the object's bytes; a web folder's listing
    pages are handed to `on_page` (url, body, what the server said).
    """
    limits = limits or Limits()
    budget = Budget(limits.max_total_bytes, os.fspath(spool_dir) if spool_dir else None)
    if is_remote(source):
        walked = walk_remote(str(source), options, limits, budget, reuse, on_page)
        yield from unique_urls(walked, tally)
        return
    root = os.fspath(source)
    st = os.lstat(root)
    if stat.S_ISDIR(st.st_mode):
        refs = walk_folder(root, "", "", None, limits, budget, reuse)
    else:
        name, raw = escape_name(os.path.basename(root))
        refs = flagged(walk_local(os.path.abspath(root), name, st, limits, budget), name, raw)
    yield from unique_urls(refs, tally)
