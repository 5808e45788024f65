"""A case opened for analysis: the stored views (`store.CaseStore`) and
what is computed from them once per state of the case: file times,
drawings and revisions, the timeline and the files behind each of its
cells, entities, zones and activity. How it is shown is `report`'s; the
notebook conveniences at the end call it lazily.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import TYPE_CHECKING

from . import entities, revisions, zones
from .records import ANNOTATION_ORIGINS
from .store import (
    CASE_FILE,
    MANIFEST,
    SCHEMA_VERSION,
    CaseStore,
    CaseWriter,
    case_sha256,
    connect,
    seal,
    sources_of,
)
from .timeline import (
    file_times,
    once_across_sources,
    parse_zone,
    per_file,
    period_starts,
    volume,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CASE_FILE",
    "MANIFEST",
    "SCHEMA_VERSION",
    "Case",
    "CaseStore",
    "CaseWriter",
    "NotesView",
    "case_sha256",
    "connect",
    "open_case",
    "seal",
    "sources_of",
]


class Case(CaseStore):
    """A case folder: the stored views (files, records, events, notes,
    problems, observations, entities) and the analysis of them. Every view
    is a fresh DataFrame, computed once per state of the case file."""

    def zone_of(self, tz: str | dt.tzinfo | None) -> str | dt.tzinfo | None:
        """`tz` as given, with "auto" replaced by the best candidate of
        `zones()` (UTC when there is none)."""
        if isinstance(tz, str) and tz.lower() == "auto":
            candidates = self.zones()
            return str(candidates.iloc[0]["offset"]) if len(candidates) else "UTC"
        return tz

    def file_times(self, tz: str | dt.tzinfo = "UTC", time_basis: str = "best") -> pd.DataFrame:
        """One time per file by the README's rule (see timeline.file_times),
        as wall-clock in `tz` ("auto": the best zone of `zones()`)."""
        tz = self.zone_of(tz) or "UTC"
        zone = parse_zone(tz) if isinstance(tz, str) else tz

        def compute() -> pd.DataFrame:
            observed = self.observed_times() if time_basis == "observed" else None
            return file_times(self.files, self.events, zone, time_basis, observed)

        return self._cached(("file_times", str(zone), time_basis), compute)

    def drawings(self, time_basis: str = "best") -> pd.DataFrame:
        """Per drawing file (work type drawing): its drawing (same code
        without version, or the same pixels), version_index (0 = first seen
        in the case) and is_revision (see revisions.py for the rule)."""
        return self._cached(("drawings", time_basis), lambda: self._drawings_now(time_basis))

    def _drawings_now(self, time_basis: str) -> pd.DataFrame:
        files = self.files
        files = once_across_sources(files[(files["work"] == "drawing") & (files["kind"] == "file")])
        times = self.file_times("UTC", time_basis)[["path", "time"]]
        records = self.records
        hashes = records[records["kind"] == "perceptual_hash"]
        phash = {
            p: json.loads(b)["phash"] for p, b in zip(hashes["path"], hashes["body"], strict=True)
        }
        table = files[files["kind"] == "file"][["path", "drawing_key", "version"]].merge(
            times, on="path", how="left"
        )
        table["phash"] = table["path"].map(phash)
        return revisions.assign(table)

    def revisions(self, time_basis: str = "best") -> pd.DataFrame:
        """Per drawing: files, versions, first and last seen, days between."""
        return revisions.summary(self.drawings(time_basis))

    def timeline(
        self,
        freq: str = "D",
        by: str | tuple[str, ...] | list[str] = (),
        tz: str | dt.tzinfo = "UTC",
        time_basis: str = "best",
        note_origins: tuple[str, ...] | None = ANNOTATION_ORIGINS,
    ) -> pd.DataFrame:
        """Change volume per period (see timeline.volume): files, bytes,
        new_drawings, revisions, notes by language, ink coverage. `by` is a
        column of the files view or a list of them; `tz` an offset, an IANA
        name or "auto" (the best zone of `zones()`); `period` is the
        period's start, a Timestamp in that zone.

        Notes count, and give a file its language, when their origin is in
        `note_origins`: by default the annotations written on the files
        (ink and pencil, text layers, layer names), not printed cut
        headers, spreadsheet cells or words of paths; None counts all."""
        groups = (by,) if isinstance(by, str) else tuple(by)
        files = self._counted_files(groups, time_basis)
        notes = self.notes
        if note_origins is not None:
            notes = notes[notes["origin"].isin(note_origins)]
        notes = notes[["path", "lang"]]
        if len(notes):
            main = notes.groupby("path")["lang"].agg(lambda s: s.value_counts().index[0])
            files["lang"] = files["path"].map(main)
        else:
            files["lang"] = None
        records = self.records
        ann = records[records["kind"] == "annotations"]
        coverage = ann.assign(
            ink_coverage=[sum(json.loads(b)["ink_coverage"].values()) for b in ann["body"]]
        )[["path", "ink_coverage"]]
        observed = self.observed_times() if time_basis == "observed" else None
        return volume(
            files,
            self.events,
            freq=freq,
            tz=self.zone_of(tz) or "UTC",
            by=groups,
            time_basis=time_basis,
            notes=notes,
            coverage=coverage,
            observed=observed,
        )

    @property
    def entities(self) -> pd.DataFrame:
        """Who the files name (entities.py): path, role (author, byline,
        creator, last_modified_by, software, host, user, email,
        organization, copyright, device), value, extractor, field and the
        record kind it came from; only fields their extractor declares."""
        return self._cached(("entities",), lambda: entities.table(self.records))

    def entity_summary(self, time_basis: str = "best") -> pd.DataFrame:
        """Per role and value: how many files name it, the first and last of
        their times (UTC; naive times as written), and the fields it was
        found in (extractor.field). Most files first."""
        import pandas as pd

        found = self.entities
        times = self.file_times("UTC", time_basis)[["path", "time"]]
        merged = found.merge(times, on="path", how="left")
        if merged.empty:
            return pd.DataFrame(
                columns=["role", "value", "files", "first_seen", "last_seen", "fields"]
            )
        merged["source"] = merged["extractor"] + "." + merged["field"]
        out = (
            merged.groupby(["role", "value"])
            .agg(
                files=("path", "nunique"),
                first_seen=("time", "min"),
                last_seen=("time", "max"),
                fields=("source", lambda f: ", ".join(sorted(set(f)))),
            )
            .reset_index()
        )
        order = ["files", "role", "value"]
        out = out.sort_values(order, ascending=[False, True, True])
        return out.reset_index(drop=True)

    def _counted_files(self, columns: tuple[str, ...], time_basis: str) -> pd.DataFrame:
        """The files view as `timeline` and `timeline_files` count it: with
        the entity roles among `columns` and each drawing's is_revision."""
        return self._with_roles(self.files, columns).merge(
            self.drawings(time_basis)[["path", "is_revision"]], on="path", how="left"
        )

    def _with_roles(self, files: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
        """The files view with a column for each entity role among `columns`
        that it lacks (a file's values of that role, joined: entities.by_file)."""
        roles = [c for c in columns if c in entities.ROLES and c not in files.columns]
        if not roles:
            return files
        return files.merge(entities.by_file(self.entities, roles), on="path", how="left")

    def timeline_files(
        self,
        period: str | dt.datetime | None = None,
        freq: str = "D",
        tz: str | dt.tzinfo = "UTC",
        time_basis: str = "best",
        **where: str,
    ) -> pd.DataFrame:
        """The files behind a cell of `timeline()` with the same freq, tz and
        time_basis: those of `period` (its start, as `timeline()` gives it,
        or a date string; None for every period) whose files columns equal
        `where` (show="INV", work="drawing"...). Columns: path, size, time,
        basis, work, read, is_revision, period and the `where` columns."""
        import pandas as pd

        zone = self.zone_of(tz) or "UTC"
        files = self._counted_files(tuple(where), time_basis)
        observed = self.observed_times() if time_basis == "observed" else None
        rows = per_file(files, self.events, freq, zone, tuple(where), time_basis, observed)
        zinfo = parse_zone(zone) if isinstance(zone, str) else zone
        rows["period"] = period_starts(rows["period"], zinfo)
        if period is not None:
            stamp = pd.Timestamp(period)
            stamp = stamp.tz_localize(zinfo) if stamp.tzinfo is None else stamp.tz_convert(zinfo)
            rows = rows[rows["period"] == stamp]
        for column, value in where.items():
            rows = rows[rows[column] == value]
        keep = ["path", "size", "time", "basis", "work", "read", "is_revision", "period"]
        return rows[list(dict.fromkeys([*keep, *where]))].reset_index(drop=True)

    def activity(self, tz: str | dt.tzinfo = "UTC", time_basis: str = "best") -> pd.DataFrame:
        """Files by hour of day (rows) and weekday (columns) in `tz`
        ("auto": the best zone of `zones()`)."""
        tz = self.zone_of(tz) or "UTC"
        zone = parse_zone(tz) if isinstance(tz, str) else tz
        return zones.activity_matrix(self._instants(time_basis), zone)

    def _instants(self, time_basis: str = "best") -> list[dt.datetime]:
        """The files' times that are instants: naive times without an assumed
        zone say nothing about hours of the day, so they are left out."""
        times = self.file_times("UTC", time_basis)["instant"].dropna()
        return [t.to_pydatetime() for t in times]

    def zones(self) -> pd.DataFrame:
        """Candidate UTC offsets of the people behind the files, best first,
        with their score, evidence and matching zone names (zones.py)."""
        return self._cached(("zones",), lambda: zones.infer(self.events, self._instants()))

    def show_notes(self, paths: list[str] | None = None, limit: int = 6) -> NotesView:
        """Thumbnails of sheets with each note's box drawn, and the notes
        beside them (the most corrected sheets when no paths are given)."""
        from .report import sheet_cards

        return NotesView(sheet_cards(self, paths, limit))

    def _repr_html_(self) -> str:
        """A short summary for notebooks: source, scans, files, problems, notes."""
        import html

        files, notes = self.files, self.notes
        observations = self.observations
        present = files[files["status"] != "gone"]
        rows = [
            ("case", str(self.folder)),
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
            ("problems", str(len(self.problems))),
            (
                "notes",
                ", ".join(f"{lang} {n}" for lang, n in notes["lang"].value_counts().items())
                or "none",
            ),
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return f"<table>{body}</table>"


class NotesView:
    """HTML for a notebook cell: sheets and their notes."""

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html


def open_case(folder: str | os.PathLike[str]) -> Case:
    """The case in `folder` (written by `scan`), read-only: its views are
    pandas DataFrames. Raises FileNotFoundError when there is no case."""
    return Case(folder)
