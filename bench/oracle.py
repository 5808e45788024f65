#!/usr/bin/env python3
"""Agreement with ExifTool on the shared real corpus (and the samples).

    .venv/bin/python bench/oracle.py [--corpus ../shared/corpus] [--misses]

Scans each corpus folder into a temporary case and checks that every date
ExifTool reports (in `exiftool-truth/`) in EXIF, XMP, IPTC, PNG, PDF,
QuickTime and ZIP groups is the local time of one of our events.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import forensics  # noqa: E402
from forensics.oracle import compare  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--misses", action="store_true", help="list every miss")
    args = ap.parse_args()
    grand_total = grand_missed = 0
    for name in ("exif-samples", "pillow", "psd-tools"):
        truth = json.loads((args.corpus / "exiftool-truth" / f"{name}.json").read_text())
        with tempfile.TemporaryDirectory() as tmp:
            case = forensics.scan(args.corpus / name, Path(tmp) / "case", ocr=False)
            events = case.events
        path_of = {str(e["SourceFile"]): str(e["SourceFile"]).split("/", 1)[1] for e in truth}
        total, misses = compare(truth, events, path_of)
        grand_total += total
        grand_missed += len(misses)
        share = 1 - len(misses) / total if total else 1.0
        print(f"{name:14s} {total:5d} dates, {len(misses):4d} missed, agreement {share:.3f}")
        by_tag = collections.Counter(m.tag for m in misses)
        for tag, n in by_tag.most_common(12):
            print(f"    {n:4d} {tag}")
        if args.misses:
            for m in misses:
                print(f"    {m.path}: {m.tag} = {m.value}")
    share = 1 - grand_missed / grand_total
    print(f"{'all':14s} {grand_total:5d} dates, {grand_missed:4d} missed, agreement {share:.3f}")


if __name__ == "__main__":
    main()
