"""The case's tables and views: one SQLite file (WAL mode) in the case
folder. Tables hold every observation (each scan of a source); the views
of DESIGN.md show the latest observation of each source.

A file row, with its records, events, notes and problems, is stored once:
it is valid from the observation that wrote it (`observation`: the one
that saw the file appear or change) until the one that saw it change again
or go (`valid_to`, NULL while it holds). An unchanged rescan writes no row
at all. A `gone` row marks the observation a file went missing in, and is
valid for that observation only. The source as observation k saw it is
the rows valid at k (`rows_at`)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

CASE_FILE = "case.sqlite"

MANIFEST = "manifest.json"

SCHEMA_VERSION = 3  # 2: notes gained lang_confidence and pair_score; 3: rows' valid_to

SCHEMA = """
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
    valid_to INTEGER,
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
CREATE INDEX IF NOT EXISTS file_path ON file_rows(path, valid_to);
CREATE INDEX IF NOT EXISTS record_file ON record_rows(file_id);
CREATE INDEX IF NOT EXISTS event_file ON event_rows(file_id);
CREATE INDEX IF NOT EXISTS note_file ON note_rows(file_id);
CREATE INDEX IF NOT EXISTS problem_file ON problem_rows(file_id);

CREATE VIEW IF NOT EXISTS latest_files AS
    SELECT * FROM file_rows WHERE valid_to IS NULL;
"""

# The views over the rows valid at a time: `{rows}` is `latest_files` for
# the views the case file holds, or the rows valid at observation k.
VIEW_SELECT = {
    # a row written before the observation the view stands at held on: unchanged then
    "files": "SELECT f.path, f.container, f.kind, f.link_target, f.size, f.md5, f.sha1,"
    " f.sha256, f.mime, f.ext_mismatch, CASE WHEN f.observation < l.last THEN 'unchanged'"
    " ELSE f.status END AS status, f.observation, f.seconds FROM {rows} f"
    " JOIN {last} l ON l.obs = f.observation",
    "records": "SELECT f.path, r.extractor, r.kind, r.source, r.body, f.observation"
    " FROM record_rows r JOIN {rows} f ON f.id = r.file_id",
    "events": 'SELECT f.path, e.utc, e.local, e."offset", e.zone_basis, e.description,'
    " e.extractor, e.field, e.flag, f.observation FROM event_rows e JOIN {rows} f"
    " ON f.id = e.file_id",
    "notes": "SELECT f.path, n.text, n.lang, n.confidence, n.lang_confidence, n.ink, n.box,"
    " n.origin, n.pair, n.pair_score, n.source, f.observation FROM note_rows n"
    " JOIN {rows} f ON f.id = n.file_id",
    "problems": "SELECT f.path, p.severity, p.extractor, p.kind, p.message, f.observation"
    " FROM problem_rows p JOIN {rows} f ON f.id = p.file_id",
}


def last_seen(at: int | None = None) -> str:
    """Each observation with the observation of its source that a view
    stands at: the source's latest, or its latest up to `at`."""
    bound = f" AND x.id <= {int(at)}" if at is not None else ""
    return (
        "(SELECT o.id AS obs, (SELECT max(x.id) FROM observations x"
        f" WHERE x.source = o.source{bound}) AS last FROM observations o)"
    )


VIEWS = "".join(
    f"CREATE VIEW IF NOT EXISTS {name} AS {select.format(rows='latest_files', last=last_seen())};\n"
    for name, select in VIEW_SELECT.items()
)


def rows_at(observation: int) -> str:
    """The file rows valid at `observation` (of any source: each source as
    it stood then), as a subquery for `VIEW_SELECT`."""
    k = int(observation)
    return (
        f"(SELECT * FROM file_rows WHERE observation <= {k}"
        f" AND (valid_to IS NULL OR valid_to > {k}))"
    )


# Each view's row order: by path, then by the order the worker produced.
VIEW_ORDER = {
    "files": "path",
    "records": "path, extractor, kind, body",
    "events": "path, field, local",
    "notes": "path, origin, text",
    "problems": "path, extractor, kind, message",
    "observations": "id",
}


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def upgrade(con: sqlite3.Connection) -> None:
    """An older case is brought to this schema: schema 1 gains the note
    columns of schema 2 (empty for the notes it holds); schema 2, which
    copied every unchanged row into each observation, gains `valid_to`, each
    row valid until the next observation of its source (what its copies
    meant); the views are rebuilt."""
    notes = {row[1] for row in con.execute("PRAGMA table_info(note_rows)")}
    if notes and "pair_score" not in notes:
        con.execute("ALTER TABLE note_rows ADD COLUMN lang_confidence REAL")
        con.execute("ALTER TABLE note_rows ADD COLUMN pair_score REAL")
        con.execute("DROP VIEW IF EXISTS notes")
    files = {row[1] for row in con.execute("PRAGMA table_info(file_rows)")}
    if files and "valid_to" not in files:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ALTER TABLE file_rows ADD COLUMN valid_to INTEGER")
        con.execute(
            "UPDATE file_rows SET valid_to = (SELECT min(n.id) FROM observations o"
            " JOIN observations n ON n.source = o.source AND n.id > o.id"
            " WHERE o.id = file_rows.observation)"
        )
        for view in ("latest_files", *VIEW_SELECT):
            con.execute(f"DROP VIEW IF EXISTS {view}")
        con.execute("COMMIT")
    if notes or files:
        version = str(SCHEMA_VERSION)
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))


def connect(folder: str | os.PathLike[str]) -> sqlite3.Connection:
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path / CASE_FILE, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    upgrade(con)
    con.executescript(SCHEMA + VIEWS)
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return con


def read_only(folder: str | os.PathLike[str]) -> sqlite3.Connection:
    """The case file opened so that nothing can be written through it."""
    return sqlite3.connect(f"file:{(Path(folder) / CASE_FILE).resolve()}?mode=ro", uri=True)
