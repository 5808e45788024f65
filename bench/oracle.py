#!/usr/bin/env python3
"""Agreement with ExifTool on the shared real corpus, and on folders of
files from elsewhere.

    .venv/bin/python bench/oracle.py [--corpus ../shared/corpus] [--misses]
        [--all] [--extra DIR ...]

Scans each corpus folder into a temporary case and checks that every date
ExifTool reports (in `exiftool-truth/`) in EXIF, XMP, IPTC, PNG, PDF,
QuickTime and ZIP groups is the local time of one of our events. `--all`
counts every group ExifTool reports but Composite, ICC, System, File and
ExifTool (issue 16's "every date"), per group. `--extra DIR` adds a folder
that is not in the corpus (ExifTool's own test images, say), with ExifTool
run on it here (`exiftool -j -G1 -n -a -u -r`): those figures are reported
apart, as the ones that generalize.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import forensics  # noqa: E402
from tests.oracle import ALL_DATES, COVERED, Miss, compare  # noqa: E402


def _report(name: str, total: int, misses: list[Miss], show: bool, by_group: bool) -> None:
    share = 1 - len(misses) / total if total else 1.0
    print(f"{name:14s} {total:5d} dates, {len(misses):4d} missed, agreement {share:.3f}")
    key = (lambda m: m.tag.split(":", 1)[0]) if by_group else (lambda m: m.tag)
    for tag, n in collections.Counter(key(m) for m in misses).most_common(14):
        print(f"    {n:4d} {tag}")
    if show:
        for m in misses:
            print(f"    {m.path}: {m.tag} = {m.value}")


def _scan(
    folder: Path, groups: re.Pattern[str], truth: list[dict[str, object]]
) -> tuple[int, list[Miss]]:
    with tempfile.TemporaryDirectory() as tmp:
        case = forensics.scan(folder, Path(tmp) / "case", ocr=False)
        events = case.events
    return compare(truth, events, _paths(truth, folder), groups)


def _paths(truth: list[dict[str, object]], folder: Path) -> dict[str, str]:
    out = {}
    for e in truth:
        source = str(e["SourceFile"])
        p = Path(source)
        out[source] = str(p.relative_to(folder)) if p.is_absolute() else source.split("/", 1)[1]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--misses", action="store_true", help="list every miss")
    ap.add_argument("--all", action="store_true", help="every group but Composite, ICC, System")
    ap.add_argument("--extra", type=Path, nargs="*", default=[], help="folders not in the corpus")
    ap.add_argument("--no-corpus", action="store_true", help="only the --extra folders")
    args = ap.parse_args()
    groups = ALL_DATES if args.all else COVERED
    grand_total = grand_missed = 0
    for name in () if args.no_corpus else ("exif-samples", "pillow", "psd-tools"):
        truth = json.loads((args.corpus / "exiftool-truth" / f"{name}.json").read_text())
        total, misses = _scan(args.corpus / name, groups, truth)
        grand_total += total
        grand_missed += len(misses)
        _report(name, total, misses, args.misses, args.all)
    share = 1 - grand_missed / grand_total if grand_total else 1.0
    print(f"{'corpus':14s} {grand_total:5d} dates, {grand_missed:4d} missed, agreement {share:.3f}")
    for folder in args.extra:
        folder = folder.resolve()
        out = subprocess.run(
            ["exiftool", "-j", "-G1", "-n", "-a", "-u", "-r", str(folder)],
            capture_output=True,
        )
        # ExifTool passes on string values that are not UTF-8 as their bytes
        truth = json.loads(out.stdout.decode("utf-8", "replace") or "[]")
        total, misses = _scan(folder, groups, truth)
        print(f"\nnot in the corpus ({folder}, ExifTool run here):")
        _report(folder.name, total, misses, args.misses, args.all)


if __name__ == "__main__":
    main()
