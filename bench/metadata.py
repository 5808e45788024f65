#!/usr/bin/env python3
"""Metadata extraction speed against ExifTool, and hashing against sha256sum,
on the same files in the same run.

Draws a dump with the sample generator (another seed, more weeks, not
committed), unpacks its archives into a loose folder so that both tools see
the same files (ExifTool does not read inside zips), then times:
  - `forensics scan --no-ocr` with the process executor (all cores);
  - `exiftool -r -j -G1 -a -u` over the folder (one process, as it is used);
  - `sha256sum` over every file, against the scan's own hashing share.

    .venv/bin/python bench/metadata.py [--weeks 10] [--sheets-per-day 40] [--keep DIR]
        [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def unpack(dump: Path, dest: Path) -> int:
    """Copy the dump with every archive (nested ones too) unpacked beside it
    into a folder named after it: the same files, loose."""
    count = 0
    for path in sorted(dump.rglob("*")):
        if path.is_symlink() or not path.is_file() or "hostile" in path.parts:
            continue
        rel = path.relative_to(dump)
        count += _place(dest / rel, path.read_bytes())
    return count


def _place(target: Path, data: bytes) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    if data[:4] == b"PK\x03\x04" and target.suffix == ".zip":
        n = 0
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if not info.is_dir() and ".." not in info.filename:
                    n += _place(target.with_suffix("") / info.filename, zf.read(info))
        return n
    if target.name.endswith(".tar.gz"):
        n = 0
        with tarfile.open(fileobj=io.BytesIO(data)) as tf:
            for member in tf.getmembers():
                extracted = tf.extractfile(member) if member.isfile() else None
                if extracted and ".." not in member.name:
                    n += _place(target.parent / target.name[:-7] / member.name, extracted.read())
        return n
    target.write_bytes(data)
    return 1


def timed(cmd: list[str], **kw: object) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)  # type: ignore[call-overload]
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--weeks", type=int, default=10)
    ap.add_argument("--sheets-per-day", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, default=None, help="reuse or keep the dump here")
    ap.add_argument(
        "--repeat", type=int, default=1, help="alternate the two tools N times; report the median"
    )
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="forensics-bench-"))
    loose = work / "loose"
    if not loose.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "samples" / "make_samples.py"),
                "--out",
                str(work / "gen"),
                "--seed",
                str(args.seed),
                "--weeks",
                str(args.weeks),
                "--sheets-per-day",
                str(args.sheets_per_day),
            ],
            check=True,
        )
        unpack(work / "gen" / "dump", loose)
    files = [p for p in loose.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    for p in files:  # warm the page cache for both tools alike
        p.read_bytes()
    case = work / "case"
    runs = []
    for _ in range(args.repeat):  # alternated, so that the machine's drift hits both
        shutil.rmtree(case, ignore_errors=True)
        ours = timed([str(BIN / "forensics"), "scan", str(loose), "-o", str(case), "--no-ocr"])
        exiftool = timed(["exiftool", "-r", "-j", "-G1", "-a", "-u", "-ext", "*", str(loose)])
        runs.append((exiftool / ours, ours, exiftool))
    runs.sort()
    _ratio, ours, exiftool = runs[len(runs) // 2]
    if args.repeat > 1:
        print("ratios: " + ", ".join(f"{r:.2f}x" for r, _, _ in runs))
    listing = [str(p) for p in files]
    sha = timed(["xargs", "-0", "sha256sum"], input=b"\0".join(map(os.fsencode, listing)))
    n = len(files)
    print(f"{n} files, {total / 1e6:.1f} MB, {os.cpu_count()} cores")
    print(f"forensics scan --no-ocr  {ours:7.2f} s  {n / ours:7.0f} files/s")
    print(f"exiftool -r -j           {exiftool:7.2f} s  {n / exiftool:7.0f} files/s")
    print(f"sha256sum                {sha:7.2f} s  {total / 1e6 / sha:7.0f} MB/s")
    print(f"speed vs ExifTool: {exiftool / ours:.2f}x (goal 3x; the median run of {args.repeat})")
    if args.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
