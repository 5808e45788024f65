"""What a notebook shows of a case: its summary table (how a `Case` is
displayed in IPython; `forensics` registers it by the class's name) and
sheets with their notes (`show_notes`)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from . import sheet_cards

if TYPE_CHECKING:
    from ..analysis.case import Case


class NotesView:
    """HTML for a notebook cell: sheets and their notes."""

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html


def show_notes(case: Case, paths: list[str] | None = None, limit: int = 6) -> NotesView:
    """Thumbnails of sheets with each note's box drawn, and the notes
    beside them (the most corrected sheets when no paths are given)."""
    return NotesView(sheet_cards(case, paths, limit))


def summary_html(case: Case) -> str:
    """A short summary for notebooks: source, scans, files, problems, notes."""
    files, notes = case.files, case.notes
    observations = case.observations
    present = files[files["status"] != "gone"]
    rows = [
        ("case", str(case.folder)),
        ("source", ", ".join(sorted(set(observations["source"])))),
        (
            "observations",
            f"{len(observations)} (last {observations['started'].iloc[-1]})"
            if len(observations)
            else "0",
        ),
        ("files", f"{len(present)} ({int(present['size'].fillna(0).sum()):,} bytes)"),
        (
            "by type",
            ", ".join(f"{t} {n}" for t, n in present["mime"].value_counts().head(6).items()),
        ),
        ("problems", str(len(case.problems))),
        (
            "notes",
            ", ".join(f"{lang} {n}" for lang, n in notes["lang"].value_counts().items()) or "none",
        ),
    ]
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table>{body}</table>"
