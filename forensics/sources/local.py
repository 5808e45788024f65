"""A folder or a single file on this machine: walked in sorted order
without following links, each regular file looked into for archive
members, multi-volume sets read as one from their first volume, and a
file whose identity is unchanged since the previous observation not
opened at all (`reuse`)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

from ..records import FileRef, flag
from .evidence import from_ns, listdir, open_readonly
from .formats.volumes import Volumes, volume_sets
from .kinds import archive_kind, archive_kind_in
from .limits import Budget, Limits, Reading
from .names import escape_name, flagged
from .walk import Reuse, walk_archive, walk_volumes


def local_identity(st: os.stat_result) -> tuple[int, str]:
    """A local file's identity for rescans: its size and its mtime as the
    filesystem extractor records it."""
    return st.st_size, from_ns(st.st_mtime_ns).isoformat()


def walk_folder(
    root: str,
    rel: str,
    rel_url: str,
    raw: bytes | None,
    limits: Limits,
    budget: Budget,
    reuse: Reuse | None = None,
) -> Iterator[FileRef]:
    """`rel` is the folder's path below the root as the filesystem spells it,
    `rel_url` as the case does; `raw` its bytes when some part was escaped."""
    here = os.path.join(root, rel) if rel else root
    try:
        entries = listdir(here)
    except OSError as exc:
        yield FileRef(
            url=rel_url or ".",
            path=os.path.abspath(here),
            kind="directory",
            flags=(flag("sources", "unreadable_directory", str(exc), "error"),),
        )
        return
    volumes = volume_sets([n for n, st in entries if not isinstance(st, OSError)])
    later = {v for first, vols in volumes.items() for v in vols if v and v != first}
    for entry_name, st in entries:
        name, raw_name = escape_name(entry_name)
        url = f"{rel_url}/{name}" if rel_url else name
        rel_fs = os.path.join(rel, entry_name) if rel else entry_name
        raw_path = os.fsencode(rel_fs) if (raw is not None or raw_name is not None) else None
        path = os.path.abspath(os.path.join(here, entry_name))
        if isinstance(st, OSError):
            yield FileRef(
                url=url,
                path=path,
                kind="missing",
                flags=(flag("sources", "unreadable", str(st), "error"),),
            )
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from walk_folder(root, rel_fs, url, raw_path, limits, budget, reuse)
        elif reuse is not None and stat.S_ISREG(st.st_mode) and reuse(url, local_identity(st)):
            yield FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime, reused=True)
        elif entry_name in later and stat.S_ISREG(st.st_mode):  # read with its first volume
            # its own row (hashed, its metadata read); its members are the first volume's
            later_ref = FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime)
            yield from flagged(iter([later_ref]), url, raw_path)
        elif entry_name in volumes and stat.S_ISREG(st.st_mode):
            vols = volumes[entry_name]
            refs = _local_volumes(here, vols, path, url, st, limits, budget)
            yield from flagged(refs, url, raw_path)
        else:
            refs = walk_local(path, url, st, limits, budget)
            yield from flagged(refs, url, raw_path)


def _local_volumes(
    folder: str,
    names: list[str | None],
    path: str,
    url: str,
    st: os.stat_result,
    limits: Limits,
    budget: Budget,
) -> Iterator[FileRef]:
    """A multi-volume archive, read as one from its first volume's url when
    every volume up to the last one found is there; flagged `truncated` with
    the missing ones named otherwise (its members are then read as far as
    the volumes go)."""
    walk = Reading(limits, budget)
    present = [os.path.join(folder, n) for n in names if n]
    missing = [i + 1 for i, n in enumerate(names) if n is None]
    if missing:
        walk.flag(
            "truncated",
            f"multi-volume archive of {len(names)} volumes or more, volume(s) "
            f"{', '.join(map(str, missing))} missing: members are read as far as the volumes go",
        )
    try:
        if path.lower().endswith(".rar"):
            with open_readonly(path) as fh:
                kind = archive_kind(fh.read(512))
                fh.seek(0)
                if kind in ("rar", "rar5") and not missing:  # libarchive opens the volumes
                    yield from walk_volumes(present, kind, url, st.st_size, walk)
                elif kind:
                    yield from walk_archive(fh, kind, url, (), st.st_size, walk)
        else:
            stream = Volumes(present if not missing else present[: missing[0] - 1])
            with stream:
                kind = archive_kind(stream.read(512))
                stream.seek(0)
                if kind:
                    total = sum(os.path.getsize(p) for p in present)
                    yield from walk_archive(stream, kind, url, (), total, walk)  # type: ignore[arg-type]
    except OSError as exc:
        walk.flag("corrupt_archive", f"multi-volume archive stopped being readable: {exc}")
    yield FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime, flags=tuple(walk.flags))


def walk_local(
    path: str, url: str, st: os.stat_result, limits: Limits, budget: Budget
) -> Iterator[FileRef]:
    """One entry of a folder (or a single file given as the source): a link
    or a special file as what it is, a regular file after its members."""
    if stat.S_ISLNK(st.st_mode):
        yield FileRef(
            url=url,
            path=path,
            size=st.st_size,
            mtime=st.st_mtime,
            kind="symlink",
            link_target=os.readlink(path),
            listed_atime_ns=st.st_atime_ns,  # readlink is about to touch it
        )
        return
    if not stat.S_ISREG(st.st_mode):
        yield FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime, kind="special")
        return
    walk = Reading(limits, budget)
    try:
        with open_readonly(path) as fh:
            kind = archive_kind_in(fh)
            if kind:
                yield from walk_archive(fh, kind, url, (), st.st_size, walk)
    except OSError as exc:
        walk.flag("unreadable", f"could not read to look for archive members: {exc}", "error")
    yield FileRef(url=url, path=path, size=st.st_size, mtime=st.st_mtime, flags=tuple(walk.flags))
