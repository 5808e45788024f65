"""The case's tables and views: one SQLite file (WAL mode) in the case
folder. Tables hold every observation (each scan of a source); the views
of DESIGN.md show the latest observation of each source."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

CASE_FILE = "case.sqlite"

MANIFEST = "manifest.json"

SCHEMA_VERSION = 2  # 2: notes gained lang_confidence and pair_score

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
    upgrade(con)
    con.executescript(SCHEMA)
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return con


def read_only(folder: str | os.PathLike[str]) -> sqlite3.Connection:
    """The case file opened so that nothing can be written through it."""
    return sqlite3.connect(f"file:{(Path(folder) / CASE_FILE).resolve()}?mode=ro", uri=True)
