"""Custody of a case: `manifest.json` (who scanned what, when, with which
tool and extractor versions, and the counts), the case file's hash sealed
after every write, and the check of the file against its last seal."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import socket
import sqlite3
from pathlib import Path
from typing import Any

from .. import __version__
from .schema import CASE_FILE, MANIFEST, now, read_only


def load_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        loaded = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Whole or not at all: a manifest is never left half written."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    os.replace(tmp, path)


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, OSError):
        return os.environ.get("USER", "")


def _noatime_in_force(source: str) -> bool | None:
    """Whether reads of this source keep its access times (O_NOATIME is
    granted to the files' owner and to root; others bump atime); None for
    a remote source, whose objects have no access time to keep."""
    if source.startswith(("s3://", "http://", "https://")):
        return None
    flag = getattr(os, "O_NOATIME", 0)
    if not flag:
        return False
    try:
        fd = os.open(source, os.O_RDONLY | flag)
    except OSError:
        return False
    os.close(fd)
    return True


def sources_of(folder: str | os.PathLike[str]) -> list[str]:
    """The sources a case folder's observations scanned, first scanned
    first (none when there is no case there yet)."""
    if not (Path(folder) / CASE_FILE).exists():
        return []
    con = read_only(folder)
    try:
        rows = con.execute("SELECT source, min(id) FROM observations GROUP BY source ORDER BY 2")
        return [str(r[0]) for r in rows]
    finally:
        con.close()


def case_sha256(folder: str | os.PathLike[str]) -> str:
    sha = hashlib.sha256()
    with open(Path(folder) / CASE_FILE, "rb") as fh:
        while chunk := fh.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def seal(folder: str | os.PathLike[str], why: str = "scan") -> str:
    """Fold the write-ahead log into the case file and record its hash in
    the manifest: after a scan, and after every later write (assume-tz), so
    that `verify` holds. Each seal is also appended to the manifest's
    `seals` (hash, time, why), so the case's history of writes is kept."""
    path = Path(folder)
    con = sqlite3.connect(path / CASE_FILE, isolation_level=None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    from ..objects import listing

    digest = case_sha256(path)
    manifest = load_manifest(path)
    manifest["case_sha256"] = digest
    manifest["objects"] = listing(path)  # the preserved copies, each named by its own hash
    manifest["sealed"] = now()
    entry = {
        "case_sha256": digest,
        "objects": manifest["objects"],
        "sealed": manifest["sealed"],
        "why": why,
    }
    manifest["seals"] = [*manifest.get("seals", []), entry]
    write_json(path / MANIFEST, manifest)
    return digest


def record_scan(
    folder: str | os.PathLike[str],
    *,
    source: str,
    observation: int,
    resumed: bool,
    parameters: dict[str, Any],
    extractors: dict[str, str],
    started: str,
    counts: dict[str, Any] | None,
    finished: bool,
) -> None:
    """The custody record of one scan: at the top level of the manifest,
    every scan of the case under `scans`, and the case file's last seal
    kept until this scan seals (when it finishes: hashing a big case at
    the start of a scan would be wasted)."""
    path = Path(folder)
    previous = load_manifest(path)
    scan = {
        "tool": "forensics",
        "version": __version__,
        "python": platform.python_version(),
        "host": socket.gethostname(),
        "user": _user(),
        "platform": platform.platform(),
        "source": source,
        "observation": observation,
        "resumed": resumed,
        "parameters": parameters,
        "extractors": extractors,
        "noatime": _noatime_in_force(source),
        "started": started,
        "finished": now() if finished else None,
        "complete": finished,
        "counts": counts,
    }
    scans = [s for s in previous.get("scans", []) if s.get("observation") != observation]
    manifest = {**scan, "scans": [*scans, scan]}
    for key in ("case_sha256", "objects", "sealed", "seals"):  # the last sealed state, kept
        if key in previous:
            manifest[key] = previous[key]
    write_json(path / MANIFEST, manifest)
    if finished:
        seal(path, f"scan of {source} (observation {observation})")


def verify(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The case file against the hash its manifest recorded at the last
    write (scan or assume-tz), with how many writes were sealed; every
    preserved copy (objects/) against its name, its SHA-256, and the set of
    copies against the one the last seal recorded (`as_sealed`)."""
    from ..objects import check, listing

    manifest = load_manifest(Path(folder))
    recorded = manifest.get("case_sha256")
    actual = case_sha256(folder)
    objects = check(folder)  # every preserved copy against the hash it is named by
    sealed = manifest.get("objects")  # the copies the seal counted (older cases: none recorded)
    objects["as_sealed"] = sealed is None or sealed == listing(folder)
    return {
        "recorded": recorded,
        "actual": actual,
        "ok": recorded == actual and not objects["bad"] and objects["as_sealed"],
        "seals": len(manifest.get("seals", [])),
        "objects": objects,
    }
