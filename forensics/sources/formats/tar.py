"""Tar archives, read sequentially (`r|`) through the standard library's
`tarfile`, so that a compressed tar is inflated once. The reader yields
members and never recurses."""

from __future__ import annotations

import lzma
import tarfile
import zlib
from collections.abc import Iterator
from typing import IO

from ...errors import LimitExceeded
from ...records import ArchiveEntry, Problem, flag
from ..limits import Reading, read_bounded
from .member import Member


def read_tar(fh: IO[bytes], mode: str, packed: int, walk: Reading) -> Iterator[Member]:
    """A tar's members, read sequentially (`mode` "r|", or "r|gz"... for a
    compressed tar of `packed` bytes), so that it is inflated once."""
    limits = walk.limits
    start_budget = walk.budget.left
    with tarfile.open(fileobj=fh, mode=mode) as tf:  # type: ignore[call-overload]
        for count, member in enumerate(tf):
            if count >= limits.max_members:
                walk.flag(
                    "limit_exceeded",
                    f"more than {limits.max_members} members; the rest not listed (--max-members)",
                )
                return
            inflated = start_budget - walk.budget.left
            if inflated > limits.ratio_floor and inflated > limits.max_ratio * max(packed, 1):
                walk.flag(
                    "limit_exceeded",
                    f"compression ratio above {limits.max_ratio:g} after "
                    f"{count} members: the rest not listed (a decompression bomb?)",
                )
                return
            if member.isdir():
                continue
            entry = ArchiveEntry(
                format="tar",
                name=member.name,
                size=member.size,
                tar_mtime=float(member.mtime),
                tar_type=member.type.decode("latin-1", "replace"),
                mode=member.mode,
                uid=member.uid,
                gid=member.gid,
                uname=member.uname,
                gname=member.gname,
                pax=tuple(sorted(member.pax_headers.items())),
                link_target=member.linkname or None,
            )
            flags: list[Problem] = []
            if member.issym() or member.islnk():
                yield Member(member.name, entry, None, flags, "symlink", member.linkname)
                continue
            if not member.isfile():
                yield Member(member.name, entry, None, flags, "special")
                continue
            data = None
            truncated: BaseException | None = None
            try:
                if member.size > limits.max_member_bytes:
                    raise LimitExceeded(f"{member.size} bytes: over --max-member-bytes")
                extracted = tf.extractfile(member)
                done = start_budget - walk.budget.left
                data = (
                    read_bounded(extracted, packed, member.name, walk, already=done)
                    if extracted
                    else b""
                )
            except LimitExceeded as exc:
                flags.append(flag("sources", "limit_exceeded", f"not read: {exc}"))
            except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
                truncated = exc
                flags.append(
                    flag(
                        "sources",
                        "truncated",
                        f"the archive ends inside this member ({member.size} bytes declared): "
                        f"{type(exc).__name__}: {exc or 'end of data'}",
                    )
                )
            yield Member(member.name, entry, data, flags)
            if truncated is not None:
                raise truncated
