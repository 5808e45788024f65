"""The limits of a walk: one `Limits` (each with a CLI flag), the source's
budget of inflated bytes, and a bounded read of one member that raises
`LimitExceeded` at the member-size, budget or ratio limit, spooling a big
member to the case folder's spool. `Reading` is what a format reader is
handed: the limits, the budget, and `flag()` for the archive's own problems."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from ..errors import LimitExceeded
from ..records import Problem, Severity, flag

KiB, MiB, GiB = 1024, 1024**2, 1024**3


@dataclass(frozen=True)
class Limits:
    """Safety limits for archives. Each has a CLI flag."""

    max_members: int = 100_000  # entries read from one archive
    max_total_bytes: int = 8 * GiB  # inflated bytes read from all archives of a source
    max_member_bytes: int = 1 * GiB  # one member, inflated
    max_depth: int = 5  # archives inside archives
    max_ratio: float = 250.0  # inflated / compressed, checked past ratio_floor
    ratio_floor: int = 1 * MiB  # below this many inflated bytes, any ratio is fine
    spool_bytes: int = 64 * MiB  # a bigger member goes to a file in the case folder, if given


class Budget:
    """Inflated bytes left for the whole source, and where members too big
    to hold in memory are spooled (None: they are held all the same)."""

    def __init__(self, total: int, spool_dir: str | None = None) -> None:
        self.left = total
        self.spool_dir = spool_dir


class Spooled(str):
    """The path of a member's bytes spooled to the case folder's spool."""


def inflated_size(data: bytes | Spooled | None) -> int:
    if data is None:
        return 0
    return os.path.getsize(data) if isinstance(data, Spooled) else len(data)


@dataclass
class Reading:
    """What a format reader is handed for one archive: the limits, the
    source's budget, and the archive's own problems (`flag`)."""

    limits: Limits
    budget: Budget
    flags: list[Problem] = field(default_factory=list)

    def flag(self, kind: str, message: str, severity: Severity = "warning") -> None:
        self.flags.append(flag("sources", kind, message, severity))


def read_bounded(
    stream: IO[bytes] | io.BufferedIOBase | io.RawIOBase,
    declared_packed: int | None,
    name: str,
    walk: Reading,
    packed_read: Callable[[], int] | None = None,
    already: int = 0,
) -> bytes | Spooled:
    """Read a member, stopping at the member, budget and ratio limits.

    The ratio is bytes produced against bytes consumed: `packed_read()` says
    how many compressed bytes the decompressor has taken so far (a zip's
    central directory can lie about `compress_size`), else `declared_packed`
    (the size of a compressed stream holding everything, `already` being
    what it produced before this member: a tar.gz's earlier members)."""
    limits, total = walk.limits, 0
    out = bytearray()  # one buffer, not a list of chunks then a join: half the peak
    spool: IO[bytes] | None = None
    try:
        while True:
            chunk = stream.read(MiB)
            if not chunk:
                break
            total += len(chunk)
            _check(walk, name, total, already, packed_read, declared_packed)
            if spool is None and walk.budget.spool_dir and total > limits.spool_bytes:
                spool = tempfile.NamedTemporaryFile(  # noqa: SIM115 - handed on by path
                    dir=walk.budget.spool_dir, prefix="member-", delete=False
                )
                spool.write(out)
                out = bytearray()
            if spool is not None:
                spool.write(chunk)
            else:
                out += chunk
    except BaseException:
        if spool is not None:
            spool.close()
            os.unlink(spool.name)
        raise
    walk.budget.left -= total
    if spool is not None:
        spool.close()
        return Spooled(spool.name)
    return bytes(out)


def _check(
    walk: Reading,
    name: str,
    total: int,
    already: int,
    packed_read: Callable[[], int] | None,
    declared_packed: int | None,
) -> None:
    """Refuse a member past the member-size, budget or ratio limit."""
    limits = walk.limits
    packed = packed_read() if packed_read is not None else declared_packed
    if total > limits.max_member_bytes:
        walk_problem = f"{name}: larger than {limits.max_member_bytes} bytes inflated"
        raise LimitExceeded(walk_problem)
    if total > walk.budget.left:
        raise LimitExceeded(
            f"{name}: the source's inflated-bytes budget is spent "
            f"(--max-total-bytes {limits.max_total_bytes})"
        )
    produced = already + total
    if (
        packed is not None
        and produced > limits.ratio_floor
        and produced > limits.max_ratio * max(packed, 1)
    ):
        raise LimitExceeded(
            f"{name}: compression ratio above {limits.max_ratio:g} "
            f"({produced} bytes from {packed}; a decompression bomb?)"
        )
