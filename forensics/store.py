"""The case's storage: one SQLite file (WAL mode) plus `manifest.json`, in
a folder, and its read-only views as DataFrames (`CaseStore`).

Tables hold every observation (each scan of a source); the views of
DESIGN.md show the latest observation of each source. Writes are batched, one
transaction per batch, and a file's rows always land together, so a scan
killed at any moment leaves whole files behind and resumes after them.

This module holds what is stored and how it is read; what is computed from
it (file times, drawings, the timeline, zones, entities) is `case.py`'s,
and how it is shown is `report`'s. Nothing here imports either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import socket
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, production
from .records import FileResult
from .sources import iter_refs, open_readonly
from .timeline import events_for, localize, parse_zone
from .worktypes import work_types

if TYPE_CHECKING:  # pandas is imported where a DataFrame is made: writers and
    import pandas as pd  # workers never need it, and it costs a third of a second

CASE_FILE = "case.sqlite"
MANIFEST = "manifest.json"
SCHEMA_VERSION = 2  # 2: notes gained lang_confidence and pair_score

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS observations (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    params TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    counts TEXT
);
CREATE TABLE IF NOT EXISTS file_rows (
    id INTEGER PRIMARY KEY,
    observation INTEGER NOT NULL REFERENCES observations(id),
    path TEXT NOT NULL,
    container TEXT NOT NULL,
    kind TEXT NOT NULL,
    link_target TEXT,
    size INTEGER,
    md5 TEXT, sha1 TEXT, sha256 TEXT,
    mime TEXT NOT NULL,
    ext_mismatch INTEGER NOT NULL,
    status TEXT NOT NULL,
    seconds REAL,
    UNIQUE (observation, path)
);
CREATE TABLE IF NOT EXISTS record_rows (
    file_id INTEGER NOT NULL REFERENCES file_rows(id), seq INTEGER NOT NULL,
    extractor TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL, body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_rows (
    file_id INTEGER NOT NULL REFERENCES file_rows(id), seq INTEGER NOT NULL,
    field TEXT NOT NULL, description TEXT NOT NULL, extractor TEXT NOT NULL,
    local TEXT NOT NULL, "offset" TEXT, utc TEXT, zone_basis TEXT NOT NULL, flag TEXT
);
CREATE TABLE IF NOT EXISTS note_rows (
    file_id INTEGER NOT NULL REFERENCES file_rows(id), seq INTEGER NOT NULL,
    text TEXT NOT NULL, lang TEXT NOT NULL, confidence REAL, ink TEXT, box TEXT,
    origin TEXT NOT NULL, source TEXT NOT NULL, pair INTEGER,
    lang_confidence REAL, pair_score REAL
);
CREATE TABLE IF NOT EXISTS problem_rows (
    file_id INTEGER NOT NULL REFERENCES file_rows(id), seq INTEGER NOT NULL,
    severity TEXT NOT NULL, extractor TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS record_file ON record_rows(file_id);
CREATE INDEX IF NOT EXISTS event_file ON event_rows(file_id);
CREATE INDEX IF NOT EXISTS note_file ON note_rows(file_id);
CREATE INDEX IF NOT EXISTS problem_file ON problem_rows(file_id);

CREATE VIEW IF NOT EXISTS latest_files AS
    SELECT * FROM file_rows
    WHERE observation IN (SELECT max(id) FROM observations GROUP BY source);
CREATE VIEW IF NOT EXISTS files AS
    SELECT path, container, kind, link_target, size, md5, sha1, sha256, mime,
           ext_mismatch, status, observation, seconds
    FROM latest_files;
CREATE VIEW IF NOT EXISTS records AS
    SELECT f.path, r.extractor, r.kind, r.source, r.body, f.observation
    FROM record_rows r JOIN latest_files f ON f.id = r.file_id;
CREATE VIEW IF NOT EXISTS events AS
    SELECT f.path, e.utc, e.local, e."offset", e.zone_basis, e.description, e.extractor,
           e.field, e.flag, f.observation
    FROM event_rows e JOIN latest_files f ON f.id = e.file_id;
CREATE VIEW IF NOT EXISTS notes AS
    SELECT f.path, n.text, n.lang, n.confidence, n.lang_confidence, n.ink, n.box, n.origin,
           n.pair, n.pair_score, n.source, f.observation
    FROM note_rows n JOIN latest_files f ON f.id = n.file_id;
CREATE VIEW IF NOT EXISTS problems AS
    SELECT f.path, p.severity, p.extractor, p.kind, p.message, f.observation
    FROM problem_rows p JOIN latest_files f ON f.id = p.file_id;
"""

# Each view's row order: by path, then by the order the worker produced.
_VIEW_ORDER = {
    "files": "path",
    "records": "path, extractor, kind, body",
    "events": "path, field, local",
    "notes": "path, origin, text",
    "problems": "path, extractor, kind, message",
    "observations": "id",
}


# a file's row and its members' in one observation, through the (observation,
# path) index: members are the paths from "url!/" up to "url!0" ("0" follows "/")
_UNDER = (
    "SELECT {columns} FROM file_rows WHERE observation = ? AND path = ?{extra}"
    " UNION ALL SELECT {columns} FROM file_rows WHERE observation = ? AND path >= ?"
    " AND path < ?{extra}"
)

# the columns of each table under file_rows, as copied for a reused file
_CHILD_COLUMNS = {
    "record_rows": "seq, extractor, kind, source, body",
    "event_rows": 'seq, field, description, extractor, local, "offset", utc, zone_basis, flag',
    "note_rows": (
        "seq, text, lang, confidence, ink, box, origin, source, pair, lang_confidence, pair_score"
    ),
    "problem_rows": "seq, severity, extractor, kind, message",
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _text(value: Any) -> Any:
    """Text as SQLite can hold it: a string with lone surrogates (bytes that
    were not UTF-8, as Python escapes them: link targets, tar member names in
    record bodies) gets them as `%XX`, the way urls spell such names; other
    values pass. Urls are escaped by the walker already."""
    if type(value) is not str or value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = (
            "".join(f"%{ord(c) - 0xDC00:02X}" if 0xDC80 <= ord(c) <= 0xDCFF else c for c in value)
            .encode("utf-8", "backslashreplace")
            .decode("utf-8")
        )
    return value


def _upgrade(con: sqlite3.Connection) -> None:
    """A case written by schema 1 gains the note columns of schema 2 (empty
    for the notes it holds) and its notes view is rebuilt."""
    columns = {row[1] for row in con.execute("PRAGMA table_info(note_rows)")}
    if not columns or "pair_score" in columns:
        return
    con.execute("ALTER TABLE note_rows ADD COLUMN lang_confidence REAL")
    con.execute("ALTER TABLE note_rows ADD COLUMN pair_score REAL")
    con.execute("DROP VIEW IF EXISTS notes")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))


def connect(folder: str | os.PathLike[str]) -> sqlite3.Connection:
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path / CASE_FILE, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    _upgrade(con)
    con.executescript(_SCHEMA)
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return con


class CaseWriter:
    """Appends one observation's results. `open()` starts a new observation
    or resumes an unfinished one of the same source and parameters."""

    def __init__(
        self,
        folder: str | os.PathLike[str],
        source: str,
        params: dict[str, Any],
        batch_size: int = 200,
        batch_seconds: float = 2.0,
    ) -> None:
        self.folder = Path(folder)
        self.con = connect(folder)
        self.source = source
        self.params = json.dumps(params, sort_keys=True)
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self._pending: list[FileResult] = []
        self._pending_reuse: list[str] = []  # urls whose previous rows are copied next flush
        self.reused_rows: Counter[str] = Counter()  # rows copied so, by kind
        self.retry: set[str] = set()
        self._last_flush = time.monotonic()
        self.observation, self.done, self.resumed = self._open()
        self.previous = self._previous_observation()

    def _open(self) -> tuple[int, set[str], bool]:
        row = self.con.execute(
            "SELECT id, params, finished FROM observations WHERE source = ? "
            "ORDER BY id DESC LIMIT 1",
            (self.source,),
        ).fetchone()
        if row and row[2] is None and row[1] == self.params:
            done = {
                p
                for (p,) in self.con.execute(
                    "SELECT path FROM file_rows WHERE observation = ?", (row[0],)
                )
            }
            # A worker that died on a file may have been killed from outside
            # while the scan died too: such files are read again on resume.
            self.retry = {
                p
                for (p,) in self.con.execute(
                    "SELECT f.path FROM file_rows f JOIN problem_rows p ON p.file_id = f.id"
                    " WHERE f.observation = ? AND p.kind = 'worker_crashed'",
                    (row[0],),
                )
            }
            return row[0], done - self.retry, True
        cur = self.con.execute(
            "INSERT INTO observations (source, params, started) VALUES (?, ?, ?)",
            (self.source, self.params, _now()),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid, set(), False

    def _previous_observation(self) -> int | None:
        row = self.con.execute(
            "SELECT max(id) FROM observations WHERE source = ? AND id < ? AND finished IS NOT NULL",
            (self.source, self.observation),
        ).fetchone()
        return row[0] if row else None

    def identities(self) -> dict[str, tuple[int, str]]:
        """url -> identity of the regular files at the top of the source in
        the previous finished observation, when that scan had the same
        parameters: (size, mtime as recorded) for a local file, (size,
        `RemoteObject.identity`) for a remote object. Files whose reading
        was cut short there (timeout, memory limit, a crashed worker, in
        them or in a member) are left out, so that a rescan reads them
        again."""
        if self.previous is None:
            return {}
        row = self.con.execute(
            "SELECT params FROM observations WHERE id = ?", (self.previous,)
        ).fetchone()
        if not row or row[0] != self.params:
            return {}
        cut = {
            str(p).split("!/", 1)[0]
            for (p,) in self.con.execute(
                "SELECT f.path FROM file_rows f JOIN problem_rows p ON p.file_id = f.id"
                " WHERE f.observation = ? AND p.kind IN ('timeout', 'memory_limit',"
                " 'worker_crashed', 'changed_during_read', 'unreadable')",
                (self.previous,),
            )
        }
        out = {}
        for path, size, kind, body in self.con.execute(
            "SELECT f.path, f.size, r.kind, r.body FROM file_rows f"
            " JOIN record_rows r ON r.file_id = f.id"
            " WHERE f.observation = ? AND f.container = '' AND f.kind = 'file'"
            " AND f.status != 'gone' AND r.kind IN ('filesystem', 'object')",
            (self.previous,),
        ):
            fields = json.loads(body)
            if kind == "filesystem":
                identity = fields.get("mtime")
            elif fields.get("etag"):
                identity = f"etag:{fields['etag']}"
            else:
                modified = fields.get("last_modified")
                identity = f"modified:{modified}" if modified else None
            if path not in cut and size is not None and identity:
                out[str(path)] = (int(size), str(identity))
        return out

    def reuse(self, url: str) -> None:
        """Copy, with the next batch, the previous observation's rows of
        `url` and of everything inside it into this observation as
        `unchanged`, with their records, events, notes and problems. The
        rows so copied are counted by kind in `reused_rows` (on a resumed
        scan, those copied before it too)."""
        assert self.previous is not None
        if url in self.done:  # copied before this scan was resumed: count, do not copy again
            for (kind,) in self.con.execute(
                _UNDER.format(columns="kind", extra=""),
                (self.observation, url, self.observation, url + "!/", url + "!0"),
            ):
                self.reused_rows[str(kind)] += 1
            return
        self._pending_reuse.append(url)
        self._maybe_flush()

    def _copy_previous(self, url: str) -> None:
        con = self.con
        rows = con.execute(
            _UNDER.format(columns="id, kind", extra=" AND status != 'gone'"),
            (self.previous, url, self.previous, url + "!/", url + "!0"),
        ).fetchall()
        for old_id, kind in rows:
            cur = con.execute(
                "INSERT INTO file_rows (observation, path, container, kind, link_target,"
                " size, md5, sha1, sha256, mime, ext_mismatch, status, seconds)"
                " SELECT ?, path, container, kind, link_target, size, md5, sha1, sha256,"
                " mime, ext_mismatch, 'unchanged', NULL FROM file_rows WHERE id = ?",
                (self.observation, old_id),
            )
            for table, columns in _CHILD_COLUMNS.items():
                con.execute(
                    f"INSERT INTO {table} (file_id, {columns}) SELECT ?, {columns}"
                    f" FROM {table} WHERE file_id = ?",
                    (cur.lastrowid, old_id),
                )
            self.reused_rows[str(kind)] += 1

    def add(self, result: FileResult) -> None:
        self._pending.append(result)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if (
            len(self._pending) + len(self._pending_reuse) >= self.batch_size
            or time.monotonic() - self._last_flush >= self.batch_seconds
        ):
            self.flush()

    def _status(self, path: str, sha256: str | None) -> str:
        if self.previous is None:
            return "new"
        row = self.con.execute(
            "SELECT sha256 FROM file_rows WHERE observation = ? AND path = ? AND status != 'gone'",
            (self.previous, path),
        ).fetchone()
        if row is None:
            return "new"
        return "unchanged" if row[0] == sha256 else "changed"

    def flush(self) -> None:
        if not self._pending and not self._pending_reuse:
            return
        con = self.con
        counted = Counter(self.reused_rows)
        con.execute("BEGIN IMMEDIATE")
        try:
            for res in self._pending:
                self._insert(res)
            for url in self._pending_reuse:
                self._copy_previous(url)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            self.reused_rows = counted  # nothing of this batch was kept
            raise
        self.done.update(r.ref.url for r in self._pending)
        self.done.update(self._pending_reuse)
        self._pending.clear()
        self._pending_reuse.clear()
        self._last_flush = time.monotonic()

    def _insert(self, res: FileResult) -> None:
        ref, h = res.ref, res.hashes
        if ref.url in self.done:
            return
        if ref.url in self.retry:
            self._forget_row(ref.url)
        cur = self.con.execute(
            "INSERT INTO file_rows (observation, path, container, kind, link_target, size, md5,"
            " sha1, sha256, mime, ext_mismatch, status, seconds)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.observation,
                _text(ref.url),
                _text(ref.container[-1]) if ref.container else "",
                ref.kind,
                _text(ref.link_target),
                res.size,
                h.md5 if h else None,
                h.sha1 if h else None,
                h.sha256 if h else None,
                res.mime,
                int(res.ext_mismatch),
                self._status(ref.url, h.sha256 if h else None),
                res.seconds,
            ),
        )
        fid = cur.lastrowid
        self.con.executemany(
            "INSERT INTO record_rows VALUES (?, ?, ?, ?, ?, ?)",
            [
                (fid, i, r.extractor, r.KIND, _text(r.source), _text(r.body_json()))
                for i, r in enumerate(res.records)
            ],
        )
        self.con.executemany(
            "INSERT INTO event_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (fid, i, e.field, _text(e.description), e.extractor, _text(e.local), *e.row()[4:])
                for i, e in enumerate(events_for(res.records))
            ],
        )
        self.con.executemany(
            "INSERT INTO note_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    fid,
                    i,
                    _text(n.text),
                    n.lang,
                    n.confidence,
                    n.ink,
                    json.dumps(n.box) if n.box else None,
                    n.origin,
                    _text(n.source),
                    n.pair,
                    n.lang_confidence,
                    n.pair_score,
                )
                for i, n in enumerate(res.notes)
            ],
        )
        self.con.executemany(
            "INSERT INTO problem_rows VALUES (?, ?, ?, ?, ?, ?)",
            [
                (fid, i, p.severity, p.extractor, p.kind, _text(p.message))
                for i, p in enumerate(res.problems)
            ],
        )

    def _forget_row(self, path: str) -> None:
        """The row of a file read again on resume, and everything under it."""
        self.retry.discard(path)
        for (fid,) in self.con.execute(
            "SELECT id FROM file_rows WHERE observation = ? AND path = ?", (self.observation, path)
        ).fetchall():
            for table in ("record_rows", "event_rows", "note_rows", "problem_rows"):
                self.con.execute(f"DELETE FROM {table} WHERE file_id = ?", (fid,))
            self.con.execute("DELETE FROM file_rows WHERE id = ?", (fid,))

    def finish(
        self,
        extractors: Iterable[tuple[str, str]],
        started: str,
        walked: dict[str, int] | None = None,
    ) -> dict[str, Any]:
        """Record what disappeared since the previous observation, the counts
        (with the reconciliation of `walked`, the entries the walker saw by
        kind, against the rows written), and the manifest; returns the counts."""
        self.flush()
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        if self.previous is not None:
            con.execute(
                "INSERT INTO file_rows (observation, path, container, kind, link_target, size,"
                " md5, sha1, sha256, mime, ext_mismatch, status, seconds)"
                " SELECT ?, path, container, kind, link_target, size, md5, sha1, sha256, mime,"
                " ext_mismatch, 'gone', NULL FROM file_rows p WHERE p.observation = ?"
                " AND p.status != 'gone' AND NOT EXISTS (SELECT 1 FROM file_rows c"
                " WHERE c.observation = ? AND c.path = p.path)",
                (self.observation, self.previous, self.observation),
            )
        counts = self._counts()
        if walked is not None:
            counts["reconciliation"] = self._reconcile(walked)
        con.execute(
            "UPDATE observations SET finished = ?, counts = ? WHERE id = ?",
            (_now(), json.dumps(counts, sort_keys=True), self.observation),
        )
        con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        self.write_manifest(extractors, started, counts, finished=True)
        return counts

    def _reconcile(self, walked: dict[str, int]) -> dict[str, Any]:
        rows = dict(
            self.con.execute(
                "SELECT kind, count(*) FROM file_rows WHERE observation = ? AND status != 'gone'"
                " GROUP BY kind ORDER BY kind",
                (self.observation,),
            ).fetchall()
        )
        walked = dict(sorted(walked.items()))
        return {
            "walked": walked,
            "rows": rows,
            "missing": sum(walked.values()) - sum(rows.values()),
            "balanced": walked == rows,
        }

    def _counts(self) -> dict[str, Any]:
        rows = self.con.execute(
            "SELECT mime, status, coalesce(size, 0), (SELECT count(*) FROM problem_rows p"
            " WHERE p.file_id = f.id) FROM file_rows f WHERE observation = ?",
            (self.observation,),
        ).fetchall()
        present = [r for r in rows if r[1] != "gone"]
        kinds = self.con.execute(
            "SELECT p.severity || ' ' || p.kind, count(*) FROM problem_rows p JOIN file_rows f"
            " ON f.id = p.file_id WHERE f.observation = ? GROUP BY 1 ORDER BY 1",
            (self.observation,),
        ).fetchall()
        return {
            "files": len(present),
            "bytes": sum(r[2] for r in present),
            "files_with_problems": sum(1 for r in present if r[3]),
            "problems": sum(r[3] for r in present),
            "by_type": dict(sorted(Counter(r[0] for r in present).items())),
            "by_status": dict(sorted(Counter(r[1] for r in rows).items())),
            "problems_by_kind": dict(kinds),
        }

    def write_manifest(
        self,
        extractors: Iterable[tuple[str, str]],
        started: str,
        counts: dict[str, Any] | None,
        finished: bool,
    ) -> None:
        """The custody record: this scan at the top level, every scan of the
        case under `scans`, and the case file's hash (see `seal`). Written
        when a scan starts too, marked unfinished, so that a case left by a
        scan that died says so."""
        previous = _load_manifest(self.folder)
        scan = {
            "tool": "forensics",
            "version": __version__,
            "python": platform.python_version(),
            "host": socket.gethostname(),
            "user": _user(),
            "platform": platform.platform(),
            "source": self.source,
            "observation": self.observation,
            "resumed": self.resumed,
            "parameters": json.loads(self.params),
            "extractors": dict(extractors),
            "noatime": _noatime_in_force(self.source),
            "started": started,
            "finished": _now() if finished else None,
            "complete": finished,
            "counts": counts,
        }
        scans = [s for s in previous.get("scans", []) if s.get("observation") != self.observation]
        manifest = {**scan, "scans": [*scans, scan]}
        for key in (
            "case_sha256",
            "sealed",
            "seals",
        ):  # the last sealed state until this scan seals
            if key in previous:
                manifest[key] = previous[key]
        _write_json(self.folder / MANIFEST, manifest)
        if finished:  # hashing a big case at the start of a scan would be wasted
            seal(self.folder, f"scan of {self.source} (observation {self.observation})")


def _load_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        loaded = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Whole or not at all: a manifest is never left half written."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    os.replace(tmp, path)


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, OSError):
        return os.environ.get("USER", "")


def _noatime_in_force(source: str) -> bool | None:
    """Whether reads of this source keep its access times (O_NOATIME is
    granted to the files' owner and to root; others bump atime); None for
    a remote source, whose objects have no access time to keep."""
    if source.startswith(("s3://", "http://", "https://")):
        return None
    flag = getattr(os, "O_NOATIME", 0)
    if not flag:
        return False
    try:
        fd = os.open(source, os.O_RDONLY | flag)
    except OSError:
        return False
    os.close(fd)
    return True


def sources_of(folder: str | os.PathLike[str]) -> list[str]:
    """The sources a case folder's observations scanned, first scanned
    first (none when there is no case there yet)."""
    path = Path(folder) / CASE_FILE
    if not path.exists():
        return []
    con = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT source, min(id) FROM observations GROUP BY source ORDER BY 2")
        return [str(r[0]) for r in rows]
    finally:
        con.close()


def case_sha256(folder: str | os.PathLike[str]) -> str:
    sha = hashlib.sha256()
    with open(Path(folder) / CASE_FILE, "rb") as fh:
        while chunk := fh.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def seal(folder: str | os.PathLike[str], why: str = "scan") -> str:
    """Fold the write-ahead log into the case file and record its hash in
    the manifest: after a scan, and after every later write (assume-tz), so
    that `verify` holds. Each seal is also appended to the manifest's
    `seals` (hash, time, why), so the case's history of writes is kept."""
    path = Path(folder)
    con = sqlite3.connect(path / CASE_FILE, isolation_level=None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    digest = case_sha256(path)
    manifest = _load_manifest(path)
    manifest["case_sha256"] = digest
    manifest["sealed"] = _now()
    entry = {"case_sha256": digest, "sealed": manifest["sealed"], "why": why}
    manifest["seals"] = [*manifest.get("seals", []), entry]
    _write_json(path / MANIFEST, manifest)
    return digest


class CaseStore:
    """A case folder's stored views, read-only, through pandas. Every view
    is a fresh DataFrame (a copy: change it freely). Views are read once
    per state of the case file and kept: a report that asks for the files
    fourteen times reads and parses them once, and a scan or `assume_tz`
    in between (which changes the file) makes them read again."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        if not (self.folder / CASE_FILE).exists():
            raise FileNotFoundError(f"no case at {self.folder} (missing {CASE_FILE})")
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._memo_state: tuple[Any, ...] = ()

    def _state(self) -> tuple[Any, ...]:
        """What the cached tables depend on: the case file (and its WAL) as
        they are on disk, and the case's own production patterns."""
        out: list[tuple[str, int | None, int | None]] = []
        for name in (CASE_FILE, CASE_FILE + "-wal", "production.toml"):
            try:
                st = (self.folder / name).stat()
                out.append((name, st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                out.append((name, None, None))
        return tuple(out)

    def _cached(self, key: tuple[Any, ...], compute: Any) -> Any:
        state = self._state()
        if state != self._memo_state:
            self._memo, self._memo_state = {}, state
        if key not in self._memo:
            self._memo[key] = compute()
        value = self._memo[key]
        return value.copy() if hasattr(value, "copy") else value

    def _read(self, view: str) -> pd.DataFrame:
        return self._cached(("view", view), lambda: self._read_now(view))

    def _read_now(self, view: str) -> pd.DataFrame:
        import pandas as pd

        uri = f"file:{(self.folder / CASE_FILE).resolve()}?mode=ro"
        con = sqlite3.connect(uri, uri=True)
        try:
            df = pd.read_sql_query(f"SELECT * FROM {view} ORDER BY {_VIEW_ORDER[view]}", con)
        finally:
            con.close()
        return df

    @property
    def files(self) -> pd.DataFrame:
        """One row per file, with the production fields its path gives
        (show, season, episode, scene, cut, stage, version, take, correction),
        its drawing_key, its work type (`work`: drawing, document, video,
        text, archive, other; see worktypes.py) and the `source` it was
        scanned from."""
        return self._cached(("files",), self._files_now)

    def _files_now(self) -> pd.DataFrame:
        df = self._read("files")
        df["ext_mismatch"] = df["ext_mismatch"].astype(bool)
        patterns = self._patterns()
        parsed = [production.parse(path, patterns) for path in df["path"]]
        for field in production.FIELDS:
            df[field] = [p[field] for p in parsed]
        df["drawing_key"] = [production.drawing_key(p) for p in parsed]
        df["work"] = work_types(df)
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

    def _patterns(self) -> production.Patterns:
        """The case's own production.toml when the analyst put one there."""
        own = self.folder / "production.toml"
        return production.load_patterns(own) if own.exists() else production.default_patterns()

    @property
    def records(self) -> pd.DataFrame:
        """One row per extracted record: path, extractor, kind, source and
        body (the record's fields as JSON), observation."""
        return self._read("records")

    @property
    def assumed_zone(self) -> str | None:
        """The zone naive times are read in, if the analyst gave one."""
        con = sqlite3.connect(f"file:{(self.folder / CASE_FILE).resolve()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'assume_tz'").fetchone()
        finally:
            con.close()
        return row[0] if row else None

    def assume_tz(self, zone: str | None) -> None:
        """Read every naive time as wall-clock in `zone` (an offset or an IANA
        name; None to forget it). Nothing is rescanned: events keep their
        time as written and are converted when read."""
        if zone is not None:
            parse_zone(zone)  # refuse nonsense before storing it
        con = connect(self.folder)
        try:
            if zone is None:
                con.execute("DELETE FROM meta WHERE key = 'assume_tz'")
            else:
                con.execute("INSERT OR REPLACE INTO meta VALUES ('assume_tz', ?)", (zone,))
        finally:
            con.close()
        seal(self.folder, f"assume-tz {zone}" if zone else "assume-tz cleared")

    @property
    def events(self) -> pd.DataFrame:
        """One row per timestamp: path, utc (NaT when the zone is unknown),
        local (as written), offset, zone_basis (explicit, utc, assumed,
        unknown), description, extractor, field, flag. Naive times are read
        in the case's assumed zone when it has one (`assume_tz`)."""
        return self.events_in(None)

    def zone_of(self, tz: str | dt.tzinfo | None) -> str | dt.tzinfo | None:
        """`tz` as given; "auto" (the best zone found) needs the analysis of
        `Case`, which overrides this."""
        if isinstance(tz, str) and tz.lower() == "auto":
            raise ValueError('tz="auto" needs the analysis: open the case with open_case()')
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

        df = self._read("events")
        if zone is not None:
            zinfo = parse_zone(zone) if isinstance(zone, str) else zone
            unknown = (df["zone_basis"] == "unknown") & (df["flag"] != "unparsable")
            for idx in df.index[unknown]:
                df.at[idx, "utc"], df.at[idx, "offset"] = localize(str(df.at[idx, "local"]), zinfo)
                df.at[idx, "zone_basis"] = "assumed"
        df["utc"] = pd.to_datetime(df["utc"], utc=True, format="ISO8601")
        return df

    @property
    def notes(self) -> pd.DataFrame:
        """One row per note: path, text, lang, confidence, lang_confidence,
        ink, box (JSON), origin, pair, pair_score, source, observation.
        `pair` is an id unique in the case (a nullable integer) shared by a
        Chinese note and the Korean note that translates it."""
        import pandas as pd

        df = self._read("notes")
        paired = df["pair"].notna()
        keys = list(zip(df.loc[paired, "path"], df.loc[paired, "pair"], strict=True))
        ids = {k: n for n, k in enumerate(sorted(set(keys)), 1)}
        df["pair"] = pd.array([None] * len(df), dtype="Int64")
        df.loc[paired, "pair"] = [ids[k] for k in keys]
        return df

    @property
    def problems(self) -> pd.DataFrame:
        """One row per problem: path, severity, extractor, kind (one of
        records.PROBLEM_KINDS), message, observation."""
        return self._read("problems")

    @property
    def observations(self) -> pd.DataFrame:
        """One row per scan: id, source, params, started, finished, counts."""
        return self._read("observations")

    @property
    def manifest(self) -> dict[str, Any]:
        """The custody record (manifest.json): the last scan, every scan
        under `scans`, the case file's hash and every seal."""
        return _load_manifest(self.folder)

    @property
    def complete(self) -> bool:
        """Whether every scan of the case finished (an unfinished one is
        resumed by running it again)."""
        return not len(self.observations.query("finished.isnull()"))

    def verify(self) -> dict[str, Any]:
        """The case file against the hash its manifest recorded at the last
        write (scan or assume-tz), with how many writes were sealed."""
        manifest = self.manifest
        recorded = manifest.get("case_sha256")
        actual = case_sha256(self.folder)
        seals = manifest.get("seals", [])
        return {
            "recorded": recorded,
            "actual": actual,
            "ok": recorded == actual,
            "seals": len(seals),
        }

    def observed_times(self) -> pd.DataFrame:
        """path, utc: when a scan first saw each current file as it is now
        (the start of the observation where it was new or last changed)."""
        import pandas as pd

        con = sqlite3.connect(f"file:{(self.folder / CASE_FILE).resolve()}?mode=ro", uri=True)
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
        appeared or changed), in UTC."""
        import pandas as pd

        con = sqlite3.connect(f"file:{(self.folder / CASE_FILE).resolve()}?mode=ro", uri=True)
        try:
            df = pd.read_sql_query(
                "SELECT f.observation, o.started, o.source, f.path, f.status, f.size, f.sha256,"
                " f.mime, p.size AS previous_size, p.sha256 AS previous_sha256,"
                " (SELECT coalesce(json_extract(r.body, '$.mtime'),"
                "   json_extract(r.body, '$.last_modified')) FROM record_rows r"
                "   WHERE r.file_id = f.id AND r.kind IN ('filesystem', 'object')) AS modified"
                " FROM file_rows f JOIN observations o ON o.id = f.observation"
                " LEFT JOIN file_rows p ON p.path = f.path AND p.observation = ("
                "   SELECT max(q.id) FROM observations q"
                "   WHERE q.source = o.source AND q.id < f.observation)"
                " WHERE f.status != 'unchanged' AND f.observation > ?"
                " ORDER BY f.observation, f.path",
                con,
                params=(since or 0,),
            )
        finally:
            con.close()
        df["modified"] = pd.to_datetime(df["modified"], utc=True, format="ISO8601")
        return df

    def __repr__(self) -> str:
        return f"Case({str(self.folder)!r})"

    def read_bytes(self, path: str) -> bytes:
        """A file's bytes, read again from the source (read-only; archive
        members are found by walking their top-level archive in memory)."""
        files = self.files
        row = files[files["path"] == path]
        if row.empty:
            raise KeyError(path)
        observations = self.observations.set_index("id")
        root = Path(str(observations.loc[int(row["observation"].iloc[0]), "source"]))
        top, _, _member = path.partition("!/")
        base = root if root.is_file() else root / top
        if "!/" not in path:
            with open_readonly(str(base)) as fh:
                return fh.read()
        want = f"{base.name}!/{path.split('!/', 1)[1]}"
        for ref in iter_refs(base):
            if ref.url == want and ref.payload is not None:
                return ref.payload
        raise KeyError(f"{path}: not readable from the source any more")
