#!/usr/bin/env python3
"""Analysis at scale (issue 27): how long each step of an analyst's day
takes on a case of N files, as its own process (start and imports
included): the CLI commands (`timeline --tz auto`, `entities`, `zones`,
`report`) and a notebook's calls (`open_case` and its views,
`timeline(tz="auto")`, `drawings()`, `zones()`, `entity_summary()`), each
first with no derived table kept beside the case (store/derived.py: they
are removed before it) and again with them; the reference is reading the
case file's rows with sqlite3 alone in the same run.

The case is written straight through `CaseWriter` from generated results
(no scan: scanning speed is `bench/metadata.py`'s and `bench/scale.py`'s
question): drawings with production names in revision chains, a share of
unnamed drawings with pixel hashes near their drawing's (the revision
clustering's worst input), work logs, daily upload zips holding them, EXIF
times with and without offsets, software and by-line names.

    .venv/bin/python bench/analysis.py [--files 20000 100000] [--seed 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from forensics.extractors.exif import ExifRecord  # noqa: E402
from forensics.extractors.filesystem import FilesystemRecord  # noqa: E402
from forensics.extractors.iptc import IptcRecord  # noqa: E402
from forensics.extractors.perceptual import PerceptualHashRecord  # noqa: E402
from forensics.records import FileRef, FileResult, Hashes  # noqa: E402
from forensics.store.writer import CaseWriter  # noqa: E402

TZ = dt.timezone(dt.timedelta(hours=9))


def results(n: int, seed: int) -> list[FileResult]:
    rng = random.Random(seed)
    out = []
    start = dt.datetime(2024, 4, 1, 9, tzinfo=TZ)
    drawings: list[tuple[str, int]] = []
    for i in range(n):
        day = start + dt.timedelta(days=i * 60 // n, minutes=rng.randrange(9 * 60))
        if drawings and rng.random() < 0.3:  # a later version, or a redraw under a new name
            name, phash = rng.choice(drawings)
            phash ^= 1 << rng.randrange(64)
            version = rng.randint(2, 9)
            url = f"{name}_v{version:02d}_{i}.jpg" if rng.random() < 0.5 else f"retakes/r_{i}.jpg"
        else:
            ep = rng.randint(1, 12)
            name = f"INV/EP{ep:02d}/LO/INV_S03_EP{ep:02d}_SC{i:04d}_C001_LO"
            phash = rng.getrandbits(64)
            drawings.append((name, phash))
            url = f"{name}_v01.jpg" if rng.random() < 0.8 else f"scans/scan_{i}.jpg"
        digest = hashlib.sha256(url.encode()).hexdigest()
        records = (
            FilesystemRecord(extractor="filesystem", source="stat", mtime=day, size=30_000),
            ExifRecord(
                extractor="exif",
                source="APP1",
                software=rng.choice(["Adobe Photoshop 25.0", "CLIP STUDIO PAINT 2.0.6"]),
                date_time=day.replace(tzinfo=None) if rng.random() < 0.5 else day,
            ),
            PerceptualHashRecord(
                extractor="perceptual_hash", source="pixels", phash=f"{phash:016x}", dhash=""
            ),
            IptcRecord(extractor="iptc", source="APP13", by_line=(rng.choice(["김지수", "王芳"]),)),
        )
        out.append(
            FileResult(
                ref=FileRef(url=url, path=None, size=30_000),
                hashes=Hashes(digest[:32], digest[:40], digest),
                mime="image/jpeg",
                ext_mismatch=False,
                size=30_000,
                records=records,
            )
        )
    return out


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


COMMANDS = {
    "timeline --tz auto": ["timeline", "{case}", "--tz", "auto"],
    "entities": ["entities", "{case}"],
    "zones": ["zones", "{case}"],
    "report": ["report", "{case}", "-o", "{tmp}/r.html"],
}
CALLS = {
    "open_case + views": lambda c: [
        getattr(c, v) for v in ("files", "records", "events", "notes", "problems")
    ],
    "timeline(tz='auto')": lambda c: c.timeline(tz="auto"),
    "drawings()": lambda c: c.drawings(),
    "zones()": lambda c: c.zones(),
    "entity_summary()": lambda c: c.entity_summary(),
}


def _forget(folder: Path) -> None:
    """The derived tables kept beside the case (store/derived.py) removed:
    the next command computes them."""
    shutil.rmtree(folder / "cache" / "derived", ignore_errors=True)


def _cli(argv: list[str], folder: Path, tmp: str) -> float:
    cmd = [str(BIN / "forensics"), *(a.format(case=folder, tmp=tmp) for a in argv)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def _in_process(name: str, folder: Path) -> float:
    """One call in a fresh process, as a notebook's first cell pays it
    (imports, open_case, the call)."""
    code = (
        "import sys, time; sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r});"
        "start = time.perf_counter(); import forensics;"
        "from analysis import CALLS; CALLS[{name!r}](forensics.open_case({folder!r}));"
        "print(time.perf_counter() - start)"
    ).format(root=str(ROOT), bench=str(ROOT / "bench"), name=name, folder=str(folder))
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--files", type=int, nargs="+", default=[2000, 20000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="build the cases here, or reuse them")
    args = ap.parse_args()
    for n in args.files:
        with tempfile.TemporaryDirectory() as tmp:
            folder = (args.keep or Path(tmp)) / f"case-{n}"
            if not (folder / "case.sqlite").exists():
                writer = CaseWriter(folder, "/bench/source", {"bench": True})
                for res in results(n, args.seed):
                    writer.add(res)
                writer.finish([("bench", "1")], "2024-04-01T00:00:00+00:00")
                writer.write_manifest([("bench", "1")], "2024-04-01T00:00:00+00:00", None, True)

            def reference(folder: Path = folder) -> None:
                con = sqlite3.connect(folder / "case.sqlite")
                for table in ("file_rows", "record_rows", "event_rows"):
                    con.execute(f"SELECT * FROM {table}").fetchall()
                con.close()

            ref = timed(reference)
            print(f"\n## {n} files (reference: the rows read by sqlite3 alone, {ref:.2f} s)")
            print("| step, its own process | first (tables computed) | again (tables kept) |")
            print("|---|---|---|")
            for label, argv in COMMANDS.items():
                _forget(folder)
                first = _cli(argv, folder, tmp)
                again = _cli(argv, folder, tmp)
                print(f"| `forensics {label}` | {first:.2f} s | {again:.2f} s |")
            for name in CALLS:
                _forget(folder)
                first = _in_process(name, folder)
                again = _in_process(name, folder)
                print(f"| `{name}` | {first:.2f} s | {again:.2f} s |")


if __name__ == "__main__":
    main()
