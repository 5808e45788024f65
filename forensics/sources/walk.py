"""The one walker of archives: it hands an archive to its format's reader
(`formats/`), checks the depth, makes each member's ref (its url, with `!/`
stepping inside, unique within its archive, its name's problems) and
descends into a member that is an archive itself. Readers yield members and
never recurse; only this module builds refs of members. Members come before
their archive in the stream of refs, so that an archive's own ref carries
what went wrong inside it."""

from __future__ import annotations

import io
import lzma
import struct
import tarfile
import traceback
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO

from ..records import FileRef, flag
from .formats.compressed import read_compressed
from .formats.libarchive import read_libarchive
from .formats.member import Member
from .formats.tar import read_tar
from .formats.zip import read_zip
from .kinds import LIBARCHIVE_KINDS, archive_kind_in
from .limits import Reading, Spooled, inflated_size
from .names import duplicate_problem, escape_name, suspicious_name, undecodable_problem

# (url, identity) -> whether the previous results stand; an identity is
# (size, mtime) for a local file, (size, "etag:..." or "modified:...") for
# a remote object (`local.local_identity`, `RemoteObject.identity`)
Reuse = Callable[[str, tuple[int, str]], bool]


def walk_archive(
    fh: IO[bytes], kind: str, url: str, chain: tuple[str, ...], size: int, reading: Reading
) -> Iterator[FileRef]:
    """Refs of the members of the archive at `url` (held in `fh`, `size`
    bytes, inside the archives of `chain`), each after the refs of its own
    members; the archive's problems go to `reading`."""
    chain = (*chain, url)
    if len(chain) > reading.limits.max_depth:
        reading.flag(
            "limit_exceeded",
            f"archive nesting deeper than {reading.limits.max_depth}: "
            "members not listed (raise --max-depth to read them)",
        )
        return
    yield from _walk_members(fh, kind, chain, size, reading)


def walk_volumes(
    paths: list[str], kind: str, url: str, size: int, reading: Reading
) -> Iterator[FileRef]:
    """Refs of the members of a multi-volume RAR whose volumes are `paths`,
    in order (libarchive joins them), under the first volume's `url`."""
    yield from _walk_members(paths, kind, (url,), size, reading)


def _walk_members(
    fh: IO[bytes] | list[str], kind: str, chain: tuple[str, ...], size: int, reading: Reading
) -> Iterator[FileRef]:
    urls: set[str] = set()  # member urls given in this archive
    try:
        for member in _read_members(fh, kind, chain, size, reading):
            yield from member_refs(member, chain, reading, urls)
    except (
        zipfile.BadZipFile,
        tarfile.TarError,
        EOFError,
        OSError,
        zlib.error,
        lzma.LZMAError,
        ValueError,
        struct.error,
    ) as exc:
        reading.flag("corrupt_archive", f"{kind} archive stopped being readable: {exc}")
    except Exception as exc:  # a reader bug on hostile bytes must not stop the scan
        tb = "".join(traceback.format_exception(exc, limit=-6)).strip()
        reading.flag("error", f"{kind} reader failed: {type(exc).__name__}: {exc}\n{tb}", "error")


def _read_members(
    fh: IO[bytes] | list[str], kind: str, chain: tuple[str, ...], size: int, reading: Reading
) -> Iterator[Member]:
    """The members of an archive, as its format's reader yields them (a list
    of paths: the volumes of a multi-volume RAR)."""
    if isinstance(fh, list) or kind in LIBARCHIVE_KINDS:
        yield from read_libarchive(fh, kind, chain, size, reading)
    elif kind == "zip":
        yield from read_zip(fh, reading)
    elif kind == "tar":
        yield from read_tar(fh, "r|", size, reading)
    else:
        yield from read_compressed(fh, kind, chain[-1], size, reading)


def member_refs(
    member: Member, chain: tuple[str, ...], reading: Reading, urls: set[str]
) -> Iterator[FileRef]:
    """The ref of one member of the archive `chain[-1]`, after the refs of
    its members if it is an archive; `urls` are those its archive has given."""
    flags = member.flags
    escaped, raw = escape_name(member.name)
    escaped = escaped.replace("!/", "%21/")
    url = f"{chain[-1]}!/{escaped}"
    if url in urls:  # tar appends, zips with two entries of one name
        n = 2
        while f"{url};{n}" in urls:
            n += 1
        flags.append(duplicate_problem(url, n))
        url = f"{url};{n}"
    urls.add(url)
    if raw is not None:
        flags.append(undecodable_problem(raw))
    if why := suspicious_name(member.name):
        flags.append(
            flag(
                "sources",
                "suspicious_name",
                f"member name {member.name!r}: {why} (never extracted, so harmless here)",
            )
        )
    data = member.data
    if data is not None and member.kind == "file":
        with open(data, "rb") if isinstance(data, Spooled) else io.BytesIO(data) as held:
            inner_kind = archive_kind_in(held)
            if inner_kind:
                inner = Reading(reading.limits, reading.budget)
                size = inflated_size(data)
                yield from walk_archive(held, inner_kind, url, chain, size, inner)
                flags.extend(inner.flags)
    spooled = isinstance(data, Spooled)
    yield FileRef(
        url=url,
        path=str(data) if spooled else None,
        container=chain,
        size=member.entry.size,
        kind=member.kind,
        link_target=member.link,
        entry=member.entry,
        flags=tuple(flags),
        payload=None if spooled else data,  # type: ignore[arg-type]
    )
