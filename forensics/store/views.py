"""The stored views of a case, read-only, as pandas DataFrames: the rows a
scan wrote and nothing derived (what is computed from them, production
fields, times, zones, the timeline, is the analysis layer's, `analysis/`).
Each view is read once per state of the case file and kept."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import derived
from .custody import load_manifest, sources_of, verify
from .schema import CASE_FILE, VIEW_ORDER, VIEW_SELECT, last_seen, read_only, rows_at

if TYPE_CHECKING:  # pandas is imported where a DataFrame is made: writers and
    import pandas as pd  # workers never need it, and it costs a third of a second


def observation_id(value: Any) -> int:
    """An observation id as SQLite needs it: any integral (a numpy or pandas
    integer from a view included) as an int. sqlite3 binds a numpy integer
    as a blob, which matches no id: the query would come back empty."""
    import operator

    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"an observation id is an integer, not {value!r}") from None


class Store:
    """A case folder's stored views, read-only, through pandas. Every view
    is a fresh DataFrame (a copy: change it freely). Views, and whatever
    the analysis computes through `cached`, are kept per state of the case
    file: a report that asks for the files fourteen times reads and parses
    them once, and a scan or `assume_tz` in between (which changes the
    file) makes them read again."""

    def __init__(self, folder: str | os.PathLike[str], at: int | None = None) -> None:
        self.folder = Path(folder)
        if not (self.folder / CASE_FILE).exists():
            raise FileNotFoundError(f"no case at {self.folder} (missing {CASE_FILE})")
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._memo_state: tuple[Any, ...] = ()
        self._background: dict[tuple[Any, ...], int] = {}  # key -> pid computing it (prefetch)
        # None: the latest state of each source; k: the case as observation k left it
        self.at = observation_id(at) if at is not None else None
        if self.at is not None and self.at not in set(self.observations["id"]):
            raise KeyError(f"the case has no observation {self.at}")

    def _state(self) -> tuple[Any, ...]:
        """What the cached tables depend on: the case file (and its WAL) as
        they are on disk, and the case's own production patterns."""
        out: list[tuple[str, int | None, int | None]] = []
        for name in (CASE_FILE, CASE_FILE + "-wal", "production.toml"):
            try:
                st = (self.folder / name).stat()
            except FileNotFoundError:
                st = None
            if st is None or (name.endswith("-wal") and not st.st_size):
                # an empty WAL is no WAL: the first reader makes one, and changes nothing
                out.append((name, None, None))
            else:
                out.append((name, st.st_mtime_ns, st.st_size))
        return tuple(out)

    def cached(self, key: tuple[Any, ...], compute: Callable[[], Any], keep: bool = False) -> Any:
        """`compute()`, once per state of the case (a copy of it when it
        can be copied). `keep`: a DataFrame is also kept beside the case for
        the next process to read (derived.py)."""
        state = self._state()
        if state != self._memo_state:
            self._memo, self._memo_state = {}, state
        if key not in self._memo:
            if pid := self._background.pop(key, None):
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
            where = (*state, ("at", self.at))
            value = derived.load(self.folder, where, key) if keep else None
            if value is None:
                value = compute()
                if keep and hasattr(value, "to_parquet"):
                    derived.keep(self.folder, where, key, value)
            self._memo[key] = value
        value = self._memo[key]
        return value.copy() if hasattr(value, "copy") else value

    def prefetch(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> None:
        """Start computing the kept table of `cached(key, compute, keep=True)`
        in a forked process (derived.keep_in_background), unless it is
        known or kept already; the call to `cached` waits for it."""
        where = (*self._state(), ("at", self.at))
        if key in self._memo or key in self._background or derived.exists(self.folder, where, key):
            return
        if pid := derived.keep_in_background(self.folder, where, key, compute):
            self._background[key] = pid

    def _read(self, view: str) -> pd.DataFrame:
        return self.cached(("view", view), lambda: self._read_now(view))

    def _read_now(self, view: str, kinds: tuple[str, ...] = (), columns: str = "*") -> pd.DataFrame:
        import pandas as pd

        con = read_only(self.folder)
        try:
            if self.at is not None and view in VIEW_SELECT:
                source = (
                    "("
                    + VIEW_SELECT[view].format(rows=rows_at(self.at), last=last_seen(self.at))
                    + ")"
                )
            else:
                source = view
            where = f" WHERE kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
            query = f"SELECT {columns} FROM {source}{where} ORDER BY {VIEW_ORDER[view]}"
            df = pd.read_sql_query(query, con, params=kinds or None)
        finally:
            con.close()
        return df

    def record_kinds(self) -> set[str]:
        """The record kinds the case holds (one pass over the records: a
        table that reads a kind at a time asks only for those)."""

        def kinds() -> set[str]:
            con = read_only(self.folder)
            try:
                return {str(k) for (k,) in con.execute("SELECT DISTINCT kind FROM record_rows")}
            finally:
                con.close()

        return set(self.cached(("record_kinds",), kinds))

    def record_fields(self, kind: str, fields: tuple[str, ...]) -> pd.DataFrame:
        """path, extractor and the named fields of every record of `kind`,
        each as its JSON text (`"name"`, `["a", "b"]`, `null`), taken out of
        the bodies by SQLite: a table that needs three fields of each EXIF
        record does not parse every body in Python."""
        picks = ", ".join(f"body -> '$.{f}' AS \"{f}\"" for f in fields)
        return self.cached(
            ("record_fields", kind, fields),
            lambda: self._read_now("records", (kind,), f"path, extractor, kind, {picks}"),
        )

    def records_of(self, *kinds: str) -> pd.DataFrame:
        """The records view's rows of these kinds only, read as such (a
        derived table that needs the perceptual hashes does not parse every
        record of the case)."""
        return self.cached(("records_of", *kinds), lambda: self._read_now("records", kinds))

    @property
    def files(self) -> pd.DataFrame:
        """One row per file as stored, with the `source` it was scanned from."""
        return self.cached(("files",), self._files_now)

    def _files_now(self) -> pd.DataFrame:
        df = self._read("files")
        df["ext_mismatch"] = df["ext_mismatch"].astype(bool)
        df["link_target"] = df["link_target"].astype("str")  # missing for all but links
        # records and notes name their own `source` (where in the file, which
        # reader); a file's is the scan's, found through its observation
        scans = self.observations
        df["source"] = df["observation"].map(dict(zip(scans["id"], scans["source"], strict=True)))
        return df

    @property
    def sources(self) -> list[str]:
        """The sources scanned into the case, first scanned first (one,
        unless scans were made with `add_source`)."""
        return sources_of(self.folder)

    @property
    def records(self) -> pd.DataFrame:
        """One row per extracted record: path, extractor, kind, source and
        body (the record's fields as JSON), observation."""
        return self._read("records")

    @property
    def assumed_zone(self) -> str | None:
        """The zone naive times are read in, if the analyst gave one."""
        con = read_only(self.folder)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'assume_tz'").fetchone()
        finally:
            con.close()
        return row[0] if row else None

    @property
    def events(self) -> pd.DataFrame:
        """One row per timestamp as stored: path, utc (NaT when the zone is
        unknown), local (as written), offset, zone_basis (explicit, utc,
        unknown), description, extractor, field, flag, observation."""
        return self.cached(("events",), self._events_now)

    def _events_now(self) -> pd.DataFrame:
        import pandas as pd

        df = self._read("events")
        df["utc"] = pd.to_datetime(df["utc"], utc=True, format="ISO8601")
        return df

    @property
    def notes(self) -> pd.DataFrame:
        """One row per note: path, text, lang, confidence, lang_confidence,
        ink, box (JSON), origin, pair, pair_score, source, observation
        (the confidences and the score nullable floats, `Float64`).
        `pair` is an id unique in the case (a nullable integer) shared by a
        Chinese note and the Korean note that translates it."""
        import pandas as pd

        df = self._read("notes")
        paired = df["pair"].notna()
        keys = list(zip(df.loc[paired, "path"], df.loc[paired, "pair"], strict=True))
        ids = {k: n for n, k in enumerate(sorted(set(keys)), 1)}
        df["pair"] = pd.array([None] * len(df), dtype="Int64")
        df.loc[paired, "pair"] = [ids[k] for k in keys]
        for column in ("confidence", "lang_confidence", "pair_score"):  # None where not read
            df[column] = df[column].astype("Float64")
        return df

    @property
    def problems(self) -> pd.DataFrame:
        """One row per problem: path, severity, extractor, kind (one of
        records.PROBLEM_KINDS), message, observation."""
        return self._read("problems")

    @property
    def observations(self) -> pd.DataFrame:
        """One row per scan: id, source, params, started and finished (UTC
        instants; finished NaT for a scan still running or cut short),
        counts."""
        return self.cached(("observations",), self._observations_now)

    def _observations_now(self) -> pd.DataFrame:
        import pandas as pd

        df = self._read("observations")
        for column in ("started", "finished"):
            df[column] = pd.to_datetime(df[column], utc=True, format="ISO8601")
        return df

    @property
    def manifest(self) -> dict[str, Any]:
        """The custody record (manifest.json): the last scan, every scan
        under `scans`, the case file's hash and every seal."""
        return load_manifest(self.folder)

    @property
    def complete(self) -> bool:
        """Whether every scan of the case finished (an unfinished one is
        resumed by running it again)."""
        return not len(self.observations.query("finished.isnull()"))

    def verify(self) -> dict[str, Any]:
        """The case file against the hash its manifest recorded at the last
        write (scan or assume-tz), with how many writes were sealed."""
        return verify(self.folder)

    def observed_times(self) -> pd.DataFrame:
        """path, utc: when a scan first saw each current file as it is now
        (the start of the observation where it was new or last changed)."""
        import pandas as pd

        con = read_only(self.folder)
        try:
            rows = pd.read_sql_query(
                "SELECT f.path, max(o.started) AS utc FROM file_rows f JOIN observations o"
                " ON o.id = f.observation WHERE f.status IN ('new', 'changed')"
                " GROUP BY f.path",
                con,
            )
        finally:
            con.close()
        rows["utc"] = pd.to_datetime(rows["utc"], utc=True, format="ISO8601")
        return rows

    def changes(self, since: int | None = None) -> pd.DataFrame:
        """What each observation found new, changed or gone (after `since`),
        with the size and hash the file had in the previous observation of
        its source beside the new ones (empty for new files), and `modified`:
        when the source says the file was last written (a local file's
        mtime, an object's LastModified: for a bucket, when the object
        appeared or changed), in UTC. A changed file's notes are compared
        with its previous version's: `notes_added` and `notes_removed` (how
        many), `added_notes` and `removed_notes` (their texts, " / " between):
        a correction written since is new work."""
        import pandas as pd

        con = read_only(self.folder)
        try:
            df = pd.read_sql_query(
                "SELECT f.observation, o.started, o.source, f.path, f.status, f.size, f.sha256,"
                " f.mime, p.size AS previous_size, p.sha256 AS previous_sha256,"
                " f.id AS file_id, p.id AS previous_id,"
                " (SELECT coalesce(json_extract(r.body, '$.mtime'),"
                "   json_extract(r.body, '$.last_modified')) FROM record_rows r"
                "   WHERE r.file_id = f.id AND r.kind IN ('filesystem', 'object')) AS modified"
                " FROM file_rows f JOIN observations o ON o.id = f.observation"
                " LEFT JOIN file_rows p ON p.path = f.path AND p.valid_to = f.observation"
                "   AND p.id != f.id AND p.status != 'gone' AND p.observation IN ("
                "     SELECT q.id FROM observations q WHERE q.source = o.source)"
                " WHERE f.status != 'unchanged' AND f.observation > ?"
                " ORDER BY f.observation, f.path",
                con,
                params=(observation_id(since) if since is not None else 0,),
            )
            ids = [int(i) for i in (*df["file_id"], *df["previous_id"].dropna())]
            texts: dict[int, list[str]] = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for fid, text in con.execute(
                    f"SELECT file_id, text FROM note_rows WHERE file_id IN ({marks})"
                    " ORDER BY file_id, seq",
                    chunk,
                ):
                    texts.setdefault(int(fid), []).append(str(text))
        finally:
            con.close()
        df["modified"] = pd.to_datetime(df["modified"], utc=True, format="ISO8601")
        df["started"] = pd.to_datetime(df["started"], utc=True, format="ISO8601")
        df["previous_sha256"] = (
            df["previous_sha256"].astype("str").where(df["previous_sha256"].notna())
        )
        added, removed = [], []
        for fid, pid in zip(df["file_id"], df["previous_id"], strict=True):
            now = Counter(texts.get(int(fid), []))
            before = Counter(texts.get(int(pid), [])) if pd.notna(pid) else Counter()
            added.append(list((now - before).elements()) if pd.notna(pid) else [])
            removed.append(list((before - now).elements()))
        df["notes_added"] = pd.array([len(a) for a in added], dtype="Int64")
        df["notes_removed"] = pd.array([len(r) for r in removed], dtype="Int64")
        df["added_notes"] = [" / ".join(a) for a in added]
        df["removed_notes"] = [" / ".join(r) for r in removed]
        df["previous_size"] = df["previous_size"].astype("Int64")
        return df.drop(columns=["file_id", "previous_id"])

    def __repr__(self) -> str:
        return f"Store({str(self.folder)!r})"
