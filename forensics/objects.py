"""What a scan preserved of its source: each distinct content once, named
by its SHA-256, in the case folder's `objects/` (`objects/ab/abcdef...`),
read-only once written. A bucket or web folder changes and forgets; the
case keeps the bytes it read, so that a version the server replaced or
deleted can still be handed over, thumbnailed and read again.

A top-level file or object is preserved whole (an archive's members are in
its bytes). The bytes are copied as the worker hashes them, in the same
pass; an object is written to a temporary name and renamed to its hash
when its hash is known, so a store never holds a partial object under a
final name. Below the store and the worker alike: it imports nothing of
the package.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

OBJECTS = "objects"


def object_path(case: str | os.PathLike[str], sha256: str) -> Path:
    return Path(case) / OBJECTS / sha256[:2] / sha256


class ObjectWriter:
    """Receives a file's bytes chunk by chunk (`write`), then `keep(sha256)`
    files them under their hash, or `discard()` drops them."""

    def __init__(self, case: str | os.PathLike[str]) -> None:
        self.case = Path(case)
        folder = self.case / OBJECTS / "incoming"
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder)
        self.tmp = Path(name)
        self.fh = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        self.fh.write(chunk)

    def keep(self, sha256: str) -> Path:
        self.fh.close()
        target = object_path(self.case, sha256)
        if target.exists():  # the same content, preserved before: once is enough
            self.tmp.unlink()
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self.tmp, 0o444)
        os.replace(self.tmp, target)
        return target

    def discard(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)


def preserved(case: str | os.PathLike[str], sha256: str | None) -> bytes | None:
    """The preserved bytes of this content, if the case holds them."""
    if not sha256:
        return None
    try:
        return object_path(case, sha256).read_bytes()
    except FileNotFoundError:
        return None


def stored(case: str | os.PathLike[str]) -> Iterator[Path]:
    root = Path(case) / OBJECTS
    for folder in sorted(root.glob("??")):
        yield from sorted(p for p in folder.iterdir() if p.is_file())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def check(case: str | os.PathLike[str]) -> dict[str, object]:
    """Every preserved object against its name: how many, how many bytes,
    and those whose bytes are not the hash they are named by."""
    count, size, bad = 0, 0, []
    for path in stored(case):
        size += path.stat().st_size
        count += 1
        if sha256_of(path) != path.name:
            bad.append(path.name)
    return {"objects": count, "bytes": size, "bad": bad}


def listing(case: str | os.PathLike[str]) -> dict[str, object]:
    """What the seal records of the preserved copies: how many, and the
    SHA-256 of their sorted names (a copy deleted or added since shows)."""
    names = [p.name for p in stored(case)]
    digest = hashlib.sha256("\n".join(names).encode()).hexdigest()
    return {"count": len(names), "names_sha256": digest}
