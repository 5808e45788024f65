#!/usr/bin/env python3
"""Reading the notes: character error rate, language of each note and
seconds per sheet, against plain Tesseract over the whole sheet (all CJK
models at once, then langdetect), on the same sheets in the same run.

    .venv/bin/python bench/annotations.py [--seed 99] [--sheets 60] [--vertical 0.3] [--weeks 3]

Runs on samples/ (committed) and on a dump drawn by the generator with
another seed (not committed), where a share of the sheets also carry a note
written top to bottom in the margin (reported apart as well). A truth note
is matched to the notes read whose box centre falls inside it (or the other
way round); CER counts CJK and Latin letters only (spaces and punctuation
removed), and a missed note counts as all wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forensics.annotations import analyse  # noqa: E402
from forensics.sources import iter_refs  # noqa: E402


def letters(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text)


def lev(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
            prev = cur
    return row[-1]


def centre_in(a: tuple[int, ...], b: tuple[int, ...], grow: int = 8) -> bool:
    cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] - grow <= cx <= b[2] + grow and b[1] - grow <= cy <= b[3] + grow


def ours(data: bytes) -> tuple[list[tuple[tuple[int, ...], str, str]], float]:
    start = time.perf_counter()
    sheet = analyse(data, printed=False)
    found = [(n.box, n.text, n.lang) for n in sheet.notes if n.origin == "ocr" and n.box]
    return found, time.perf_counter() - start


def plain(data: bytes) -> tuple[list[tuple[tuple[int, ...], str, str]], float]:
    """Plain Tesseract, whole sheet, every CJK model; langdetect per line."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    start = time.perf_counter()
    with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
        tmp.write(data)
        tmp.flush()
        out = subprocess.run(
            ["tesseract", tmp.name, "stdout", "-l", "kor+chi_sim+chi_tra+jpn", "tsv"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    lines: dict[tuple[str, ...], list[tuple[int, int, int, int, str]]] = {}
    for row in out.splitlines()[1:]:
        f = row.split("\t")
        if len(f) >= 12 and f[0] == "5" and f[11].strip():
            x, y, w, h = (int(v) for v in f[6:10])
            lines.setdefault(tuple(f[1:5]), []).append((x, y, x + w, y + h, f[11]))
    found = []
    for words in lines.values():
        box = (
            min(w[0] for w in words),
            min(w[1] for w in words),
            max(w[2] for w in words),
            max(w[3] for w in words),
        )
        text = "".join(w[4] for w in words)
        try:
            lang = {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}.get(detect(text), detect(text))
        except LangDetectException:
            lang = "und"
        found.append((box, text, lang))
    return found, time.perf_counter() - start


def score(
    truth: list[dict], found: list[tuple[tuple[int, ...], str, str]]
) -> tuple[int, int, int, int]:
    """(edit errors, reference letters, notes with the right language, notes)."""
    errors = total = right = 0
    for note in truth:
        box = tuple(note["box"])
        parts = [f for f in found if centre_in(f[0], box) or centre_in(box, f[0])]
        text = "".join(letters(p[1]) for p in parts)
        ref = letters(note["text"])
        errors += min(lev(text, ref), len(ref))
        total += len(ref)
        langs = {p[2] for p in parts}
        right += langs == {note["lang"]}
    return errors, total, right, len(truth)


def sheets(dump: Path, notes: dict, limit: int) -> list[tuple[str, bytes, list[dict]]]:
    out = []
    for ref in iter_refs(dump):
        truth = [n for n in notes.get(ref.url, []) if n["origin"] == "ocr"]
        if truth and ref.url.endswith((".jpg", ".png")):
            data = ref.payload if ref.payload is not None else (dump / ref.url).read_bytes()
            out.append((ref.url, data, truth))
    return out[:limit]


def run(name: str, items: list[tuple[str, bytes, list[dict]]], jobs: int) -> None:
    for label, fn in (("forensics", ours), ("plain tesseract", plain)):
        start = time.perf_counter()
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(fn, [d for _, d, _ in items]))
        wall = time.perf_counter() - start
        e = t = r = n = 0
        ve = vt = vr = vn = 0
        for (_, _, truth), (found, _secs) in zip(items, results, strict=True):
            de, dt, dr, dn = score(truth, found)
            e, t, r, n = e + de, t + dt, r + dr, n + dn
            de, dt, dr, dn = score([x for x in truth if x.get("vertical")], found)
            ve, vt, vr, vn = ve + de, vt + dt, vr + dr, vn + dn
        print(
            f"{name:22s} {label:16s} sheets {len(items):3d}  notes {n:4d}  CER {e / t:.3f}  "
            f"language right {r / n:.3f}  {wall / len(items):.2f} s/sheet ({jobs} workers)"
        )
        if vn:
            print(
                f"{'':22s} {'  of which columns':16s}            notes {vn:4d}  CER {ve / vt:.3f}  "
                f"language right {vr / vn:.3f}"
            )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=99)
    ap.add_argument("--sheets", type=int, default=60)
    ap.add_argument(
        "--weeks", type=int, default=3, help="weeks of work in the held-out dump (8: 168 sheets)"
    )
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--vertical",
        type=float,
        default=0.3,
        help="share of the held-out sheets that also get a note written top to bottom",
    )
    args = ap.parse_args()
    samples = ROOT / "samples"
    run(
        "samples",
        sheets(
            samples / "dump",
            json.loads((samples / "expected" / "notes.json").read_text()),
            args.sheets,
        ),
        args.jobs,
    )
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                str(samples / "make_samples.py"),
                "--out",
                tmp,
                "--seed",
                str(args.seed),
                "--vertical",
                str(args.vertical),
                "--weeks",
                str(args.weeks),
            ],
            check=True,
            capture_output=True,
        )
        notes = json.loads((Path(tmp) / "expected" / "notes.json").read_text())
        run(
            f"seed {args.seed}, {args.vertical:.0%} columns",
            sheets(Path(tmp) / "dump", notes, args.sheets),
            args.jobs,
        )


if __name__ == "__main__":
    main()
