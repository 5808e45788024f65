"""A case opened for analysis: a `Case` holds the case folder's stored
views (`store.views.Store`) and computes from them, once per state of the
case: the production fields and work type of each file, events read in a
zone, file times, drawings and revisions, the timeline and the files
behind each of its cells, entities, zones and activity. How it is shown is
`report`'s; this module never imports it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import TYPE_CHECKING, Any

from ..events import as_zone, localize
from ..objects import preserved
from ..records import ANNOTATION_ORIGINS
from ..sources.remote import is_remote
from ..sources.reread import member_bytes, read_again
from ..store.views import Store
from ..store.writer import set_assumed_zone
from . import entities, production, revisions, saves, zones
from .changed import add_pixel_shares
from .timeline import once_across_sources, per_file, period_starts, volume
from .times import file_times
from .worktypes import work_types

if TYPE_CHECKING:
    import pandas as pd


class Case:
    """A case folder: the stored views (files, records, events, notes,
    problems, observations) with what the analysis adds to them, and the
    analysis itself (timeline, entities, zones, drawings...). Every view
    is a fresh DataFrame, computed once per state of the case file."""

    def __init__(self, folder: str | os.PathLike[str], at: int | None = None) -> None:
        self.store = Store(folder, at)
        self.folder = self.store.folder

    def at(self, observation: int) -> Case:
        """The case as observation `observation` left it: each source's files,
        with their records, events, notes and problems, as they stood then
        (an id from `observations`; any integral)."""
        return Case(self.folder, observation)

    def _cached(self, key: tuple[Any, ...], compute: Any, keep: bool = False) -> Any:
        return self.store.cached(("analysis", *key), compute, keep)

    def __repr__(self) -> str:
        at = f", at={self.store.at}" if self.store.at is not None else ""
        return f"Case({str(self.folder)!r}{at})"

    # ------------------------------------------------------------ stored views

    def records_of(self, *kinds: str) -> pd.DataFrame:
        """The records view's rows of these kinds only ("annotations",
        "exif"...), read as such: quicker than `records` on a big case."""
        return self.store.records_of(*kinds)

    @property
    def files(self) -> pd.DataFrame:
        """One row per file, with the production fields its path gives
        (show, season, episode, scene, cut, stage, version, take, correction),
        its drawing_key, its work type (`work`: drawing, document, video,
        text, archive, other; see worktypes.py) and the `source` it was
        scanned from."""
        return self._cached(("files",), self._files_now, keep=True)

    def _files_now(self) -> pd.DataFrame:
        import pandas as pd

        df = self.store.files
        patterns = self._patterns()
        parsed = [production.parse(path, patterns) for path in df["path"].tolist()]
        for field in production.FIELDS:  # text, missing where the name says nothing
            df[field] = pd.Series([p[field] for p in parsed], index=df.index, dtype="str")
        df["drawing_key"] = pd.Series(
            [production.drawing_key(p) for p in parsed], index=df.index, dtype="str"
        )
        df["work"] = work_types(df)
        source = df.pop("source")
        df["source"] = source  # last, as before the production columns
        return df

    def _patterns(self) -> production.Patterns:
        """The case's own production.toml when the analyst put one there."""
        own = self.folder / "production.toml"
        return production.load_patterns(own) if own.exists() else production.default_patterns()

    @property
    def sources(self) -> list[str]:
        """The sources scanned into the case, first scanned first (one,
        unless scans were made with `add_source`)."""
        return self.store.sources

    @property
    def records(self) -> pd.DataFrame:
        """One row per extracted record: path, extractor, kind, source and
        body (the record's fields as JSON), observation."""
        return self.store.records

    @property
    def notes(self) -> pd.DataFrame:
        """One row per note: path, text, lang, confidence, lang_confidence,
        ink, box (JSON), origin, pair, pair_score, source, observation.
        `pair` is an id unique in the case (a nullable integer) shared by a
        Chinese note and the Korean note that translates it."""
        return self.store.notes

    @property
    def problems(self) -> pd.DataFrame:
        """One row per problem: path, severity, extractor, kind (one of
        records.PROBLEM_KINDS), message, observation."""
        return self.store.problems

    @property
    def observations(self) -> pd.DataFrame:
        """One row per scan: id, source, params, started, finished, counts."""
        return self.store.observations

    @property
    def manifest(self) -> dict[str, Any]:
        """The custody record (manifest.json): the last scan, every scan
        under `scans`, the case file's hash and every seal."""
        return self.store.manifest

    @property
    def complete(self) -> bool:
        """Whether every scan of the case finished (an unfinished one is
        resumed by running it again)."""
        return self.store.complete

    def verify(self) -> dict[str, Any]:
        """The case file against the hash its manifest recorded at the last
        write (scan or assume-tz), with how many writes were sealed."""
        return self.store.verify()

    def observed_times(self) -> pd.DataFrame:
        """path, utc: when a scan first saw each current file as it is now
        (the start of the observation where it was new or last changed)."""
        return self.store.observed_times()

    def changes(self, since: int | None = None, pixels: bool = False) -> pd.DataFrame:
        """What each observation found new, changed or gone (after `since`),
        with the size and hash the file had in the previous observation of
        its source beside the new ones (empty for new files), `modified`
        (when the source says the file was last written, UTC), and for a
        changed file the notes added and removed since its previous version
        (`notes_added`, `notes_removed`, `added_notes`, `removed_notes`).
        `pixels`: also `pixels_changed`, the share of a changed image's
        pixels that differ from its previous version, where the case
        preserved both (changed.py)."""
        table = self.store.changes(since)
        return add_pixel_shares(self.folder, table) if pixels else table

    def read_bytes(self, path: str) -> bytes:
        """A file's bytes as the case saw them: the copy the scan preserved
        (objects/: the exact bytes hashed, whatever the source holds now),
        else read again from its source (read-only; a local file or a
        remote object, an archive member found by walking its top-level
        archive in memory). A case `at` an observation gives that
        observation's version. KeyError when the case has no such file, or
        no copy and the source no longer has it."""
        files = self.store.files
        row = files[files["path"] == path]
        if row.empty:
            raise KeyError(path)
        top = files[files["path"] == path.split("!/", 1)[0]]
        kept = preserved(self.folder, str(top["sha256"].iloc[0])) if len(top) else None
        if kept is not None:
            return kept if "!/" not in path else member_bytes(kept, path)
        source = str(row["source"].iloc[0])
        if not is_remote(source):
            return read_again(source, path)
        # a remote object is fetched as listed (its url and version) and reached as scanned
        observation = int(row["observation"].iloc[0])
        scans = self.observations.set_index("id")
        params = json.loads(str(scans.loc[observation, "params"]))
        records = self.store.records_of("object")
        listed = records[
            (records["path"] == path.split("!/", 1)[0])
            & (records["kind"] == "object")
            & (records["observation"] == observation)
        ]
        obj = json.loads(str(listed["body"].iloc[0])) if len(listed) else None
        reach = tuple(sorted((params.get("remote") or {}).items()))
        return read_again(source, path, obj, reach)

    # ------------------------------------------------------------ zones

    @property
    def assumed_zone(self) -> str | None:
        """The zone naive times are read in, if the analyst gave one."""
        return self.store.assumed_zone

    def assume_tz(self, zone: str | None) -> None:
        """Read every naive time as wall-clock in `zone` (an offset or an IANA
        name; None to forget it). Nothing is rescanned: events keep their
        time as written and are converted when read."""
        set_assumed_zone(self.folder, zone)

    @property
    def events(self) -> pd.DataFrame:
        """One row per timestamp: path, utc (NaT when the zone is unknown),
        local (as written), offset, zone_basis (explicit, utc, assumed,
        unknown), description, extractor, field, flag. Naive times are read
        in the case's assumed zone when it has one (`assume_tz`)."""
        return self.events_in(None)

    def zone_of(self, tz: str | dt.tzinfo | None) -> str | dt.tzinfo | None:
        """`tz` as given, with "auto" replaced by the best candidate of
        `zones()` (UTC when there is none)."""
        if isinstance(tz, str) and tz.lower() == "auto":
            candidates = self.zones()
            return str(candidates.iloc[0]["offset"]) if len(candidates) else "UTC"
        return tz

    def events_in(self, tz: str | dt.tzinfo | None = None) -> pd.DataFrame:
        """The events with naive times read as wall-clock in `tz` (an offset,
        an IANA name, a tzinfo, or "auto" for the best zone of `zones()`);
        None reads them in the case's assumed zone, if any. Such events say
        zone_basis "assumed"."""
        zone = self.zone_of(tz) if tz is not None else self.assumed_zone
        key = ("events", str(zone) if zone is not None else None)
        return self._cached(key, lambda: self._events_now(zone))

    def _events_now(self, zone: str | dt.tzinfo | None) -> pd.DataFrame:
        import pandas as pd

        df = self.store.events
        if zone is None:
            return df
        zinfo = as_zone(zone)
        unknown = (df["zone_basis"] == "unknown") & (df["flag"] != "unparsable")
        if unknown.any():
            read = [localize(str(local), zinfo) for local in df.loc[unknown, "local"]]
            utc = pd.Series([u for u, _ in read], index=df.index[unknown])
            df["utc"] = df["utc"].where(~unknown, pd.to_datetime(utc, utc=True, format="ISO8601"))
            df.loc[unknown, "offset"] = [o for _, o in read]
            df.loc[unknown, "zone_basis"] = "assumed"
        return df

    # ------------------------------------------------------------ analysis

    def file_times(self, tz: str | dt.tzinfo = "UTC", time_basis: str = "best") -> pd.DataFrame:
        """One time per file by the README's rule (see timeline.file_times),
        as wall-clock in `tz` ("auto": the best zone of `zones()`)."""
        tz = self.zone_of(tz) or "UTC"
        zone = as_zone(tz)

        def compute() -> pd.DataFrame:
            observed = self.observed_times() if time_basis == "observed" else None
            return file_times(self.files, self.events, zone, time_basis, observed)

        return self._cached(("file_times", str(zone), time_basis), compute, keep=True)

    def drawings(self, time_basis: str = "best") -> pd.DataFrame:
        """Per drawing file (work type drawing): its drawing (same code
        without version, or the same pixels), version_index (0 = first seen
        in the case) and is_revision (see revisions.py for the rule)."""
        return self._cached(
            ("drawings", time_basis), lambda: self._drawings_now(time_basis), keep=True
        )

    def _drawings_now(self, time_basis: str) -> pd.DataFrame:
        files = self.files
        files = once_across_sources(files[(files["work"] == "drawing") & (files["kind"] == "file")])
        times = self.file_times("UTC", time_basis)[["path", "time"]]
        hashes = self.store.records_of("perceptual_hash")
        phash = {
            p: json.loads(b)["phash"]
            for p, b in zip(hashes["path"].tolist(), hashes["body"].tolist(), strict=True)
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
        new_drawings, revisions, notes by language, ink coverage, and the
        saves the files record (`saves()`) with their editing seconds, each
        at its own time. `by` is a column of the files view (or an entity
        role: "user", "host") or a list of them; `tz` an offset, an IANA
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
        ann = self.store.records_of("annotations")
        coverage = ann.assign(
            ink_coverage=[sum(json.loads(b)["ink_coverage"].values()) for b in ann["body"]]
        )[["path", "ink_coverage"]]
        observed = self.observed_times() if time_basis == "observed" else None
        zone = self.zone_of(tz) or "UTC"
        return volume(
            files,
            self.events,
            freq=freq,
            tz=zone,
            by=groups,
            time_basis=time_basis,
            notes=notes,
            coverage=coverage,
            observed=observed,
            saves=self.saves(zone),
            times=self.file_times(zone, time_basis),
        )

    def saves(self, tz: str | dt.tzinfo | None = None) -> pd.DataFrame:
        """One row per save the files record (saves.py): path, kind, time
        (UTC; NaT for a naive time with no zone to read it in), local (as
        written), zone_basis, user, host, saves (1), declared_saves and
        editing_seconds (a document's own totals, where it states them).
        Naive times are read in `tz` ("auto": the best zone of `zones()`),
        or in the case's assumed zone."""
        zone = self.zone_of(tz) if tz is not None else self.assumed_zone
        key = ("saves", str(zone) if zone is not None else None)
        return self._cached(
            key,
            lambda: saves.table(
                self.store.records_of(*sorted(saves.specs())),
                as_zone(zone) if zone is not None else None,
            ),
        )

    @property
    def entities(self) -> pd.DataFrame:
        """Who the files name (entities.py): path, role (author, byline,
        creator, last_modified_by, software, host, user, email,
        organization, copyright, device, approver, licence), value,
        extractor, field and the record kind it came from; only fields their
        extractor declares."""
        return self._cached(("entities",), lambda: entities.table_of(self.store), keep=True)

    def prefetch(self) -> None:
        """Start computing the files view (its production fields: a regular
        expression search per pattern and path) in a process of its own,
        where the case folder keeps tables and the platform forks, while
        this one computes what needs no files (`entities`, `events`): a
        first report on two cores."""
        self.store.prefetch(("analysis", "files"), self._files_now)

    def entity_summary(self, time_basis: str = "best") -> pd.DataFrame:
        """Per role and value: how many files name it, the first and last of
        their times as instants (`first_seen`, `last_seen`: UTC; a file whose
        time has no known zone has none), the first and last as written
        (`first_written`, `last_written`: naive wall-clock, UTC's for an
        instant, as the file gives it otherwise), and the fields it was found
        in (extractor.field). Most files first."""
        import pandas as pd

        columns = ["role", "value", "files", "first_seen", "last_seen"]
        columns += ["first_written", "last_written", "fields"]
        found = self.entities
        times = self.file_times("UTC", time_basis)[["path", "time", "instant"]]
        merged = found.merge(times, on="path", how="left")
        if merged.empty:
            empty = pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
            empty["files"] = empty["files"].astype("int64")
            for c in ("first_seen", "last_seen"):
                empty[c] = pd.Series(dtype="datetime64[us, UTC]")
            for c in ("first_written", "last_written"):
                empty[c] = pd.Series(dtype="datetime64[us]")
            return empty
        merged["source"] = merged["extractor"] + "." + merged["field"]
        out = (
            merged.groupby(["role", "value"])
            .agg(
                files=("path", "nunique"),
                first_seen=("instant", "min"),
                last_seen=("instant", "max"),
                first_written=("time", "min"),
                last_written=("time", "max"),
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
        rows = per_file(
            files,
            self.events,
            freq,
            zone,
            tuple(where),
            time_basis,
            observed,
            self.file_times(zone, time_basis),
        )
        zinfo = as_zone(zone)
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
        zone = as_zone(tz)
        return zones.activity_matrix(self._instants(time_basis), zone)

    def _instants(self, time_basis: str = "best") -> list[dt.datetime]:
        """The files' times that are instants: naive times without an assumed
        zone say nothing about hours of the day, so they are left out."""
        times = self.file_times("UTC", time_basis)["instant"].dropna()
        return [t.to_pydatetime() for t in times]

    def zones(self) -> pd.DataFrame:
        """Candidate UTC offsets of the people behind the files, best first,
        with their score, evidence and matching zone names (zones.py)."""
        return self._cached(
            ("zones",), lambda: zones.infer(self.events, self._instants()), keep=True
        )


def open_case(folder: str | os.PathLike[str]) -> Case:
    """The case in `folder` (written by `scan`), read-only: its views are
    pandas DataFrames. Raises FileNotFoundError when there is no case."""
    return Case(folder)
