#!/usr/bin/env python3
"""Hashing throughput of a scan against coreutils on the same bytes.

Writes N random files of SIZE MB into a temporary folder, warms the page
cache, then times in one invocation:
  - `forensics scan --no-ocr` (MD5, SHA-1 and SHA-256 in one pass), serial and process;
  - `sha256sum` alone, and `md5sum; sha1sum; sha256sum` (the same three digests).
Prints seconds and ratios; record them in bench/RESULTS.md.

    .venv/bin/python bench/hashing.py [--files 12] [--mb 50]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(cmd: list[str] | str, shell: bool = False) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, shell=shell, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=12)
    ap.add_argument("--mb", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for i in range(args.files):
            (src / f"f{i:03d}.bin").write_bytes(os.urandom(args.mb * 1_000_000))
        files = sorted(str(p) for p in src.iterdir())
        for f in files:  # warm the page cache for every contender alike
            Path(f).read_bytes()
        results = {}
        for executor in ("serial", "process"):
            case = Path(tmp) / f"case-{executor}"
            results[f"forensics scan ({executor})"] = timed(
                [
                    str(BIN / "forensics"),
                    "scan",
                    str(src),
                    "-o",
                    str(case),
                    "--no-ocr",
                    "--executor",
                    executor,
                ]
            )
            shutil.rmtree(case)
        results["sha256sum"] = timed(["sha256sum", *files])
        joined = " ".join(files)
        results["md5sum; sha1sum; sha256sum"] = timed(
            f"md5sum {joined}; sha1sum {joined}; sha256sum {joined}", shell=True
        )
    total = args.files * args.mb
    base = results["sha256sum"]
    print(f"{args.files} files, {total} MB, {os.cpu_count()} cores")
    for name, seconds in results.items():
        print(
            f"{name:32s} {seconds:6.2f} s  {total / seconds:7.0f} MB/s  "
            f"{seconds / base:4.2f}x sha256sum"
        )


if __name__ == "__main__":
    main()
