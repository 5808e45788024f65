#!/usr/bin/env python3
"""Split metadata-extractor's public test images into a tuning half and a
held-out half, for `bench/oracle.py --extra`.

    .venv/bin/python bench/heldout.py --repo DIR --out /tmp/mei

DIR is a git checkout (or bare mirror) of drewnoakes/metadata-extractor-images
(4beba640 for the figures in RESULTS.md). The image, raw, video and
document folders are exported (the fuzzing folder and metadata-extractor's
own .txt outputs are not), then each file goes to `OUT_tune/` or `OUT_held/`
by the first byte of the SHA-1 of its path, so the split is the same on
every machine. Blobs the mirror lacks (its largest files) are counted and
skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
from pathlib import Path

FOLDERS = [
    "jpg",
    "heic",
    "heif",
    "avif",
    "tif",
    "mov",
    "mp4",
    "m4v",
    "3gp",
    "3g2",
    "avi",
    "cr2",
    "cr3",
    "crw",
    "dng",
    "nef",
    "orf",
    "arw",
    "raf",
    "rw2",
    "srw",
    "pef",
    "x3f",
    "psd",
    "webp",
    "png",
    "gif",
    "xmp",
    "jxr",
    "m2ts",
    "mts",
    "rwl",
    "dcr",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True, help="prefix: OUT_tune and OUT_held")
    args = ap.parse_args()
    listing = subprocess.run(
        ["git", "-C", str(args.repo), "ls-tree", "-r", "-z", "HEAD", "--", *FOLDERS],
        capture_output=True,
        check=True,
    ).stdout
    counts = {"tune": 0, "held": 0, "absent": 0}
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, raw_path = entry.split(b"\t", 1)
        path = raw_path.decode("utf-8", "surrogateescape")
        if path.endswith(".txt"):
            continue
        blob = subprocess.run(
            ["git", "-C", str(args.repo), "cat-file", "blob", meta.split()[2].decode()],
            capture_output=True,
        )
        if blob.returncode:
            counts["absent"] += 1
            continue
        part = "tune" if hashlib.sha1(path.encode()).digest()[0] % 2 == 0 else "held"
        dest = Path(f"{args.out}_{part}") / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(blob.stdout)
        counts[part] += 1
    tune, held, absent = counts["tune"], counts["held"], counts["absent"]
    print(f"{tune} files to tune on, {held} held out, {absent} absent")


if __name__ == "__main__":
    main()
