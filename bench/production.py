"""How much of what the animation software wrote the case holds, against
ExifTool, on real public files (bench/production_files.json).

Each file comes with the facts a person reading it lists (dates, names,
paths, counts, ids, words), written down by hand. A fact is found when
the tool's output for that file holds it: forensics' records, events,
entities, notes and type for the file and its members; ExifTool's
`-r -ext * -j -a -G1 -ee` JSON (every file, whatever its name). Dates are
compared as dates (to the precision the fact is written in, whatever the
tool's format: ISO, EXIF colons, slashes), names, paths, ids and words as
text (case, slash direction and white space aside), counts against a field whose name
holds the fact's label.

`split` says which files the readers were written against (`tune`) and
which were set aside (`heldout-1` to `heldout-42`, by repository; see the
facts file's `about`); the headline is a held-out set's first run.

The files are read out of git mirrors as the library's `fetch` lays them
out (MIRROR/owner+name/repo), at the commit given or HEAD:

    .venv/bin/python bench/production.py --mirror /work/.mirror
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import forensics

FACTS = Path(__file__).with_name("production_files.json")
_DATE = re.compile(
    r"(?<!\d)(\d{4})[-:/.](\d{1,2})[-:/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)


def _dates(text: str) -> set[tuple[int, ...]]:
    """Every date in `text` as (y, m, d[, H, M[, S]]), each precision."""
    out: set[tuple[int, ...]] = set()
    for m in _DATE.finditer(text):
        parts = [int(p) for p in m.groups() if p is not None]
        for n in (3, 5, 6):
            if len(parts) >= n:
                out.add(tuple(parts[:n]))
    return out


def _fold(text: str) -> str:
    """Case, slash direction, white space and Unicode normalization aside (a
    text on two lines is listed as a person reads it, on one; a Mac writes a
    path's kana and accents decomposed, NFD, and they read the same)."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.replace("\\\\", "/").replace("\\", "/").casefold().split())


def found(fact: list[Any], text: str, dates: set[tuple[int, ...]]) -> bool:
    kind = fact[0]
    if kind == "date":
        return max(_dates(fact[1]), key=len) in dates
    if kind == "count":
        value = fact[2]
        return any(
            re.search(
                rf'"[^"]*{re.escape(label)}[^"]*"\s*:\s*"?{value}(?:\.0+)?(?![\d.])', text, re.I
            )
            for label in fact[1].split("|")
        )
    return _fold(str(fact[1])) in _fold(text)


def _dump(entries: list[dict[str, Any]], mirror: Path, dump: Path) -> None:
    for entry in entries:
        repo = mirror / entry["repo"].replace("/", "+") / "repo"
        target = dump / entry["repo"].replace("/", "+") / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        data = subprocess.run(
            ["git", "-C", str(repo), "show", f"{entry.get('commit', 'HEAD')}:{entry['path']}"],
            capture_output=True,
            check=True,
        ).stdout
        target.write_bytes(data)


def _ours(case: forensics.Case, url: str) -> str:
    def mine(df: Any) -> Any:
        return df[(df["path"] == url) | df["path"].str.startswith(url + "!/")]

    parts = [
        *mine(case.records)["body"],
        *mine(case.events)["local"].astype(str),
        *mine(case.events)["utc"].astype(str),
        *mine(case.entities)["value"],
        *mine(case.notes)["text"],
        *mine(case.files)["mime"].astype(str),
    ]
    return "\n".join(str(p) for p in parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--json", type=Path, help="write the per-file results here")
    args = ap.parse_args()
    entries = json.loads(FACTS.read_text())["files"]
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump"
        _dump(entries, args.mirror, dump)
        start = time.perf_counter()
        case = forensics.scan(dump, Path(tmp) / "case", executor="serial", ocr=False)
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        run = subprocess.run(
            [
                "exiftool",
                "-r",
                "-ext",
                "*",
                "-j",
                "-a",
                "-G1",
                "-ee",
                "-api",
                "LargeFileSupport=1",
                str(dump),
            ],
            capture_output=True,
            text=True,
        )
        exif_s = time.perf_counter() - start
        exif = {
            str(Path(d["SourceFile"]).relative_to(dump)): json.dumps(d, ensure_ascii=False)
            for d in json.loads(run.stdout or "[]")
        }
        errors = case.problems[case.problems["severity"] == "error"]
        rows = []
        for entry in entries:
            url = f"{entry['repo'].replace('/', '+')}/{entry['path']}"
            texts = {"forensics": _ours(case, url), "exiftool": exif.get(url, "")}
            for tool, text in texts.items():
                dates = _dates(text)
                hits = [found(f, text, dates) for f in entry["facts"]]
                rows.append((entry["split"], entry["format"], url, tool, sum(hits), len(hits)))
                missed = [f for f, h in zip(entry["facts"], hits, strict=True) if not h]
                if tool == "forensics" and missed:
                    print(f"  missed in {url}: {missed}")
        shutil.rmtree(dump, ignore_errors=True)
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    formats: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for split, fmt, _url, tool, hit, n in rows:
        totals[(split, tool)][0] += hit
        totals[(split, tool)][1] += n
        formats[(split, fmt, tool)][0] += hit
        formats[(split, fmt, tool)][1] += n
    print("\n| split | files | facts | forensics | ExifTool | ratio |")
    print("|---|---|---|---|---|---|")
    for split in sorted({e["split"] for e in entries}, reverse=True):
        ours, theirs = totals[(split, "forensics")], totals[(split, "exiftool")]
        files = sum(1 for e in entries if e["split"] == split)
        ratio = f"{ours[0] / theirs[0]:.1f}x" if theirs[0] else "inf"
        print(
            f"| {split} | {files} | {ours[1]} | {ours[0]} ({ours[0] / max(ours[1], 1):.0%}) "
            f"| {theirs[0]} ({theirs[0] / max(theirs[1], 1):.0%}) | {ratio} |"
        )
    print("\n| split | format | forensics | ExifTool |")
    print("|---|---|---|---|")
    for (split, fmt, tool), (hit, n) in sorted(formats.items()):
        if tool == "forensics":
            other = formats[(split, fmt, "exiftool")]
            print(f"| {split} | {fmt} | {hit}/{n} | {other[0]}/{other[1]} |")
    print(f"\nerror problems: {len(errors)}; scan {ours_s:.1f} s, exiftool {exif_s:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
