#!/usr/bin/env python3
"""Writes notebooks/explore_case.ipynb (without outputs). The notebook is
committed; this script is how it is edited, so that diffs stay readable."""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

CELLS: list[tuple[str, str]] = [
    (
        "md",
        """# Exploring a case

This notebook walks through what `forensics` found in `samples/dump`, the
synthetic upload folder of a subcontractor. It uses only the public API
(`forensics.scan`, `forensics.open_case` and the `Case` views), so every
figure here can be traced back to a file and re-made from the command line.""",
    ),
    (
        "code",
        """import shutil
import tempfile
from pathlib import Path

import forensics

DUMP = Path("..") / "samples" / "dump"
WORK = Path(tempfile.mkdtemp(prefix="forensics-notebook-"))
case = forensics.scan(DUMP, WORK / "case", jobs=2)  # or forensics.open_case("case/")
case""",
    ),
    (
        "md",
        """## What is in the dump

Files by content type (from the bytes, not the names) and the software that
wrote them (EXIF Software, XMP CreatorTool): which tools the studio used is
often the first clue of who worked on the files.""",
    ),
    (
        "code",
        """import json

files = case.files
records = case.records
software = records[records["kind"].isin(["exif", "xmp"])]["body"].map(
    lambda b: json.loads(b).get("software") or json.loads(b).get("creator_tool"))
display(files["mime"].value_counts().head(10))
software.value_counts().head(10)""",
    ),
    (
        "md",
        """## Daily change volume

Files per day in UTC+09:00, the zone the evidence points to (below). Days
without activity are zeros, so weekends show as gaps rather than vanish.""",
    ),
    (
        "code",
        """timeline = case.timeline(freq="D", tz="+09:00")
ax = timeline.plot.bar(x="period", y=["new_drawings", "revisions"], stacked=True,
                       figsize=(10, 3), title="files per day (UTC+09:00)")
timeline.head()""",
    ),
    (
        "md",
        """## When people worked, and from which time zone

The hour-by-weekday matrix shows a working week: mornings and afternoons,
a lunch dip, no nights, no weekends. `zones()` ranks UTC offsets by three
kinds of evidence (explicit offsets, naive times matched with UTC times,
and the activity pattern) and names the zones that had that offset then.""",
    ),
    (
        "code",
        """import matplotlib.pyplot as plt

activity = case.activity("+09:00")
fig, axis = plt.subplots(figsize=(6, 5))
axis.imshow(activity.to_numpy(), aspect="auto", cmap="Blues")
axis.set_xticks(range(7), activity.columns)
axis.set_ylabel("hour (UTC+09:00)")
case.zones().head(3)""",
    ),
    (
        "md",
        """## The notes on the sheets

Every note with its language: OCR of the correction ink, PSD text layers
and layer names, spreadsheet cells, and CJK words in paths. Thumbnails show
where each note sits on its sheet.""",
    ),
    (
        "code",
        """notes = case.notes
display(notes.groupby(["origin", "lang"]).size().unstack(fill_value=0))
forensics.show_notes(case, limit=3)""",
    ),
    (
        "md",
        """## Bilingual pairs

A Chinese note with its Korean translation beneath it, in the same ink,
is the mark of a go-between studio.""",
    ),
    (
        "code",
        """pairs = notes[notes["pair"].notna()].sort_values(["path", "pair"])
pairs[["path", "text", "lang", "pair"]].head(10)""",
    ),
    (
        "md",
        """## Revisions of a drawing

Files with the same production code without its version (or near-identical
pixels) are one drawing; the first version is new work, later ones rework.""",
    ),
    ("code", """case.revisions().sort_values("files", ascending=False).head(5)"""),
    (
        "md",
        """## Changes between two scans

Scanning the same source again adds an observation: each file is new,
unchanged, changed or gone. Here a small copy of the dump is scanned, then
changed, then scanned again.""",
    ),
    (
        "code",
        """copy = WORK / "copy"
copy.mkdir()
for path in [p for p in sorted(DUMP.rglob("*.jpg")) if "misc" not in p.parts][:3]:
    shutil.copy2(path, copy / path.name)
forensics.scan(copy, WORK / "copy-case", executor="serial", ocr=False)
first, second, third = sorted(copy.iterdir())
first.unlink()
second.write_bytes(second.read_bytes() + b"retouched")
(copy / "new_cut.txt").write_text("added between the scans")
again = forensics.scan(copy, WORK / "copy-case", executor="serial", ocr=False)
again.changes(since=1)[["path", "status"]]""",
    ),
]


def main() -> None:
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for kind, text in CELLS:
        nb.cells.append(
            nbf.v4.new_markdown_cell(text) if kind == "md" else nbf.v4.new_code_cell(text)
        )
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"  # stable ids: the file is byte-identical when unchanged
    out = Path(__file__).resolve().parent.parent / "notebooks" / "explore_case.ipynb"
    nbf.write(nb, out)


if __name__ == "__main__":
    main()
