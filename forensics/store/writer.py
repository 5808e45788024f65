"""Writing a case: one observation's results appended in batches (one
transaction per batch, a file's rows always together, so a scan killed at
any moment leaves whole files behind and resumes after them), files
unchanged since the previous observation copied, what went missing marked
`gone`, the counts reconciled with what the walker saw; and the case's one
setting, the zone naive times are read in."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import DiskFull
from ..events import events_for, parse_zone
from ..records import FileResult
from .custody import record_scan, seal
from .schema import connect, now

# a source's rows: those of its observations
_SOURCE = "observation IN (SELECT id FROM observations WHERE source = ?)"
# rows that still hold as this observation goes (not yet replaced): a file's
# own and its members' (members are the paths from "url!/" up to "url!0")
_HELD_UNDER = (
    "SELECT kind FROM file_rows WHERE path = ? AND valid_to IS NULL AND status != 'gone'"
    " AND observation < ? AND " + _SOURCE + " UNION ALL SELECT kind FROM file_rows"
    " WHERE path >= ? AND path < ? AND valid_to IS NULL AND status != 'gone'"
    " AND observation < ? AND " + _SOURCE
)


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


def disk_full(exc: BaseException, folder: Path) -> DiskFull | None:
    """The clear error for a write that a full disk stopped, if it was one."""
    full = (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or (
        isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)
    )
    if not full:
        return None
    return DiskFull(
        f"no space left on the device holding the case folder {folder}: what was written "
        "before is whole; free some space and run the same command again to resume"
    )


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
        self.reused: set[str] = set()  # urls found unchanged: their rows hold on
        self.reused_rows: Counter[str] = Counter()  # the rows that so hold on, by kind
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
            (self.source, self.params, now()),
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
        held = (
            "f.observation <= ? AND (f.valid_to IS NULL OR f.valid_to > ?)"
            " AND f.observation IN (SELECT id FROM observations WHERE source = ?)"
        )
        at_previous = (self.previous, self.previous, self.source)
        cut = {
            str(p).split("!/", 1)[0]
            for (p,) in self.con.execute(
                "SELECT f.path FROM file_rows f JOIN problem_rows p ON p.file_id = f.id"
                f" WHERE {held} AND p.kind IN ('timeout', 'memory_limit',"
                " 'worker_crashed', 'changed_during_read', 'unreadable')",
                at_previous,
            )
        }
        out = {}
        for path, size, kind, body in self.con.execute(
            "SELECT f.path, f.size, r.kind, r.body FROM file_rows f"
            " JOIN record_rows r ON r.file_id = f.id"
            f" WHERE {held} AND f.container = '' AND f.kind = 'file'"
            " AND f.status != 'gone' AND r.kind IN ('filesystem', 'object')",
            at_previous,
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
        """`url` is as the previous observation saw it: its rows, and its
        members', hold on into this observation as they are (nothing is
        written). They are counted by kind in `reused_rows`."""
        assert self.previous is not None
        if url in self.reused:
            return
        self.reused.add(url)
        for (kind,) in self.con.execute(
            _HELD_UNDER,
            (
                url,
                self.observation,
                self.source,
                url + "!/",
                url + "!0",
                self.observation,
                self.source,
            ),
        ):
            self.reused_rows[str(kind)] += 1

    def add(self, result: FileResult) -> None:
        self._pending.append(result)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if (
            len(self._pending) >= self.batch_size
            or time.monotonic() - self._last_flush >= self.batch_seconds
        ):
            self.flush()

    def _replaces(self, path: str) -> tuple[int, str | None, str] | None:
        """The row this observation's row of `path` replaces: (id, sha256,
        status) of the source's row of `path` that held until now."""
        row = self.con.execute(
            "SELECT id, sha256, status FROM file_rows WHERE path = ? AND valid_to IS NULL"
            " AND observation < ? AND " + _SOURCE,
            (path, self.observation, self.source),
        ).fetchone()
        return (int(row[0]), row[1], str(row[2])) if row else None

    def flush(self) -> None:
        if not self._pending:
            return
        con = self.con
        try:
            con.execute("BEGIN IMMEDIATE")
            for res in self._pending:
                self._insert(res)
            con.execute("COMMIT")
        except BaseException as exc:
            if con.in_transaction:  # SQLite has already rolled back a transaction a full disk cut
                con.execute("ROLLBACK")
            if full := disk_full(exc, self.folder):
                raise full from exc
            raise
        self.done.update(r.ref.url for r in self._pending)
        self._pending.clear()
        self._last_flush = time.monotonic()

    def _insert(self, res: FileResult) -> None:
        ref, h = res.ref, res.hashes
        if ref.url in self.done:
            return
        if ref.url in self.retry:
            self._forget_row(ref.url)
        before = self._replaces(ref.url)
        sha256 = h.sha256 if h else None
        if before is None or before[2] == "gone":
            status = "new"
        else:
            status = "unchanged" if before[1] == sha256 else "changed"
        if before is not None:
            self.con.execute(
                "UPDATE file_rows SET valid_to = ? WHERE id = ?", (self.observation, before[0])
            )
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
                status,
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
        """The row of a file read again on resume, and everything under it;
        the row it had replaced holds again until the new one is written."""
        self.retry.discard(path)
        for (fid,) in self.con.execute(
            "SELECT id FROM file_rows WHERE observation = ? AND path = ?", (self.observation, path)
        ).fetchall():
            for table in ("record_rows", "event_rows", "note_rows", "problem_rows"):
                self.con.execute(f"DELETE FROM {table} WHERE file_id = ?", (fid,))
            self.con.execute("DELETE FROM file_rows WHERE id = ?", (fid,))
        self.con.execute(
            "UPDATE file_rows SET valid_to = NULL WHERE path = ? AND valid_to = ? AND " + _SOURCE,
            (path, self.observation, self.source),
        )

    def finish(
        self,
        extractors: Iterable[tuple[str, str]],
        started: str,
        walked: dict[str, int] | None = None,
        check_copies: bool = False,
    ) -> dict[str, Any]:
        """Record what disappeared since the previous observation, the counts
        (with the reconciliation of `walked`, the entries the walker saw by
        kind, against the rows written), and the manifest; returns the counts.
        `check_copies` (a rescan with --verify): the preserved copy of each
        file found gone is read and hashed again (`gone_copies` in the counts)."""
        self.flush()
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        # a `gone` row holds for the observation that found the file missing only
        con.execute(
            "UPDATE file_rows SET valid_to = ? WHERE status = 'gone' AND valid_to IS NULL"
            " AND observation < ? AND " + _SOURCE,
            (self.observation, self.observation, self.source),
        )
        # what held until now, was neither read again nor found unchanged: gone
        held = con.execute(
            "SELECT id, path FROM file_rows WHERE valid_to IS NULL AND observation < ? AND "
            + _SOURCE,
            (self.observation, self.source),
        ).fetchall()
        gone = [(fid, path) for fid, path in held if path.split("!/", 1)[0] not in self.reused]
        con.executemany(
            "UPDATE file_rows SET valid_to = ? WHERE id = ?",
            [(self.observation, fid) for fid, _ in gone],
        )
        con.executemany(
            "INSERT INTO file_rows (observation, path, container, kind, link_target, size,"
            " md5, sha1, sha256, mime, ext_mismatch, status, seconds)"
            " SELECT ?, path, container, kind, link_target, size, md5, sha1, sha256, mime,"
            " ext_mismatch, 'gone', NULL FROM file_rows WHERE id = ?",
            [(self.observation, fid) for fid, _ in gone],
        )
        counts = self._counts()
        if walked is not None:
            counts["reconciliation"] = self._reconcile(walked)
        if check_copies:
            counts["gone_copies"] = self._gone_copies()
        con.execute(
            "UPDATE observations SET finished = ?, counts = ? WHERE id = ?",
            (now(), json.dumps(counts, sort_keys=True), self.observation),
        )
        con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        self.write_manifest(extractors, started, counts, finished=True)
        return counts

    def _reconcile(self, walked: dict[str, int]) -> dict[str, Any]:
        rows = dict(
            self.con.execute(
                "SELECT kind, count(*) FROM file_rows WHERE valid_to IS NULL AND status != 'gone'"
                " AND " + _SOURCE + " GROUP BY kind ORDER BY kind",
                (self.source,),
            ).fetchall()
        )
        walked = dict(sorted(walked.items()))
        return {
            "walked": walked,
            "rows": rows,
            "missing": sum(walked.values()) - sum(rows.values()),
            "balanced": walked == rows,
        }

    def _gone_copies(self) -> dict[str, Any]:
        """The files this observation found gone (loose ones: a member is
        in its archive's copy) against their preserved copies: how many are
        kept whole, and which are missing or no longer their hash."""
        from ..objects import object_path, sha256_of

        gone = self.con.execute(
            "SELECT path, sha256 FROM file_rows WHERE observation = ? AND status = 'gone'"
            " AND container = '' AND sha256 IS NOT NULL ORDER BY path",
            (self.observation,),
        ).fetchall()
        kept, missing, bad = 0, [], []
        for path, sha256 in gone:
            copy = object_path(self.folder, sha256)
            if not copy.exists():
                missing.append(path)
            elif sha256_of(copy) != sha256:
                bad.append(path)
            else:
                kept += 1
        return {"gone": len(gone), "kept": kept, "missing": missing, "bad": bad}

    def _counts(self) -> dict[str, Any]:
        # the source as this observation leaves it; a row from before held on: unchanged
        rows = self.con.execute(
            "SELECT mime, CASE WHEN observation < ? THEN 'unchanged' ELSE status END,"
            " coalesce(size, 0), (SELECT count(*) FROM problem_rows p WHERE p.file_id = f.id)"
            " FROM file_rows f WHERE valid_to IS NULL AND " + _SOURCE,
            (self.observation, self.source),
        ).fetchall()
        present = [r for r in rows if r[1] != "gone"]
        kinds = self.con.execute(
            "SELECT p.severity || ' ' || p.kind, count(*) FROM problem_rows p JOIN file_rows f"
            " ON f.id = p.file_id WHERE f.valid_to IS NULL AND f.status != 'gone' AND"
            " f.observation IN (SELECT id FROM observations WHERE source = ?)"
            " GROUP BY 1 ORDER BY 1",
            (self.source,),
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
        """This scan's custody record (`custody.record_scan`): written when
        it starts too, marked unfinished, so that a case left by a scan that
        died says so; sealed when it finishes."""
        record_scan(
            self.folder,
            source=self.source,
            observation=self.observation,
            resumed=self.resumed,
            parameters=json.loads(self.params),
            extractors=dict(extractors),
            started=started,
            counts=counts,
            finished=finished,
        )


def set_assumed_zone(folder: str | os.PathLike[str], zone: str | None) -> None:
    """Read every naive time of the case as wall-clock in `zone` (an offset
    or an IANA name; None to forget it), and seal the case."""
    if zone is not None:
        parse_zone(zone)  # refuse nonsense before storing it
    con = connect(folder)
    try:
        if zone is None:
            con.execute("DELETE FROM meta WHERE key = 'assume_tz'")
        else:
            con.execute("INSERT OR REPLACE INTO meta VALUES ('assume_tz', ?)", (zone,))
    finally:
        con.close()
    seal(folder, f"assume-tz {zone}" if zone else "assume-tz cleared")
