#!/usr/bin/env python3
"""Scale: a first scan against rescans of the same dump, unchanged and
with a share of its files changed, all in one run and as ratios.

The dump is generated here (small JPEG sheets with EXIF, text files and
daily zips of them, in production folders), never committed. Issue 15's
other figures (serial / process / Dask files/s at 10,000 files, peak RSS
at 100,000, S3 against local) are not measured yet.

    .venv/bin/python bench/scale.py [--files 2000] [--changed 0.05] [--jobs 2] [--ocr]
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import forensics  # noqa: E402


def _sheet(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 226), (250, 248, 240))
    d = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randrange(300), rng.randrange(200)
        d.line((x, y, x + rng.randrange(-80, 80), y + rng.randrange(-60, 60)), fill=(60, 60, 60))
    exif = Image.Exif()
    exif[0x0132] = f"2024:04:{rng.randint(1, 28):02d} {rng.randint(9, 18):02d}:00:00"
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70, exif=exif.tobytes())
    return buf.getvalue()


def make_dump(root: Path, n: int, seed: int) -> list[Path]:
    """n files: nine in ten loose (sheets and notes), the rest in zips of
    ten members each; returns the loose files and zips, for changing."""
    rng = random.Random(seed)
    made: list[Path] = []
    loose = n * 9 // 10
    for i in range(loose):
        folder = root / f"EP{i % 12:02d}" / ("LO", "KEY", "INB")[i % 3]
        folder.mkdir(parents=True, exist_ok=True)
        if i % 5:
            path = folder / f"INV_S03_EP{i % 12:02d}_SC{i:04d}_C001_LO_v01.jpg"
            path.write_bytes(_sheet(rng))
        else:
            path = folder / f"note_{i:05d}.txt"
            path.write_text(f"수정 {i}\n")
        made.append(path)
    uploads = root / "uploads"
    uploads.mkdir(exist_ok=True)
    for z in range((n - loose + 9) // 10):
        path = uploads / f"upload_{z:04d}.zip"
        with zipfile.ZipFile(path, "w") as zf:
            for m in range(9):  # nine members and the zip itself: ten rows
                zf.writestr(f"EP01/LO/INV_S03_EP01_SC9{z:03d}_C{m:03d}_LO_v01.jpg", _sheet(rng))
        made.append(path)
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--changed", type=float, default=0.05, help="share of files changed")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ocr", action="store_true", help="OCR on (slow first scan)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="forensics-scale-"))
    try:
        dump, case = tmp / "dump", tmp / "case"
        made = make_dump(dump, args.files, args.seed)

        def scan() -> tuple[float, forensics.Case]:
            start = time.perf_counter()
            opened = forensics.scan(dump, case, jobs=args.jobs, ocr=args.ocr)
            return time.perf_counter() - start, opened

        first, opened = scan()
        rows = len(opened.files)
        unchanged, opened = scan()
        statuses = opened.files["status"].value_counts().to_dict()
        rng = random.Random(args.seed + 1)
        for path in rng.sample(made, max(1, round(len(made) * args.changed))):
            with open(path, "ab") as fh:  # a changed file: new bytes, new size and mtime
                fh.write(b"\n")
        changed, opened = scan()
        after = opened.files["status"].value_counts().to_dict()
        print(
            f"{rows} rows ({len(made)} loose files and zips), {args.jobs} jobs, "
            f"OCR {'on' if args.ocr else 'off'}"
        )
        print(f"first scan {first:.2f} s")
        print(f"unchanged rescan {unchanged:.2f} s: {first / unchanged:.1f}x faster; {statuses}")
        print(
            f"rescan with {args.changed:.0%} of the loose files and zips changed "
            f"{changed:.2f} s: {first / changed:.1f}x faster; {after}"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
