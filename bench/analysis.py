#!/usr/bin/env python3
"""Analysis at scale: how long `open_case` views, `timeline()`,
`drawings()` and the report take on a case of N files, against reading
the case file's rows with sqlite3 alone in the same run (the reference:
what no analysis can go below).

The case is written straight through `CaseWriter` from generated results
(no scan: scanning speed is `bench/metadata.py`'s and `bench/scale.py`'s
question): drawings with production names in revision chains, a share of
unnamed drawings with pixel hashes near their drawing's (the revision
clustering's worst input), work logs, daily upload zips holding them, EXIF
times with and without offsets, software and by-line names.

    .venv/bin/python bench/analysis.py [--files 2000 20000] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import forensics  # noqa: E402
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--files", type=int, nargs="+", default=[2000, 20000])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print("files | reference: rows read by sqlite3 (s) | views | timeline() | drawings() | report")
    for n in args.files:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "case"
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
            case = forensics.open_case(folder)
            views = timed(
                lambda case=case: [
                    getattr(case, v) for v in ("files", "records", "events", "notes", "problems")
                ]
            )
            fresh = forensics.open_case(folder)  # each figure from a cold case
            timeline = timed(lambda fresh=fresh: fresh.timeline(tz="auto"))
            fresh = forensics.open_case(folder)
            drawings = timed(lambda fresh=fresh: fresh.drawings())
            fresh = forensics.open_case(folder)
            report = timed(
                lambda fresh=fresh, tmp=tmp: forensics.write_report(fresh, Path(tmp) / "r.html")
            )
            print(
                f"{n} | {ref:.2f} | {views:.2f} ({views / ref:.1f}x) | {timeline:.2f} "
                f"({timeline / ref:.1f}x) | {drawings:.2f} ({drawings / ref:.1f}x) | "
                f"{report:.2f} ({report / ref:.1f}x)"
            )


if __name__ == "__main__":
    main()
