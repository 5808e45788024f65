"""CLIP STUDIO PAINT `.clip`: the big-endian CSFCHUNK container and the
SQLite database in its CHNKSQLi chunk: canvas size and resolution, layer
names (CJK names become notes), the embedded preview PNG, the Project
table's values (the page template the file was made from and its
installed path, a comic story's name, author and page-number font; the
author an entity), and every date-like column the database holds (public
files of CLIP STUDIO PAINT 1.x hold none).

The container is a 24-byte header ("CSFCHUNK", file size, first chunk
offset) then chunks of an 8-byte name and a 64-bit size; no Python library
reads it, so it is walked here. The database is opened from memory
(`sqlite3.deserialize`), read-only, never written to disk.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .dates import parse_iso8601
from .psd import CJK

MAX_DB = 512 * 1024 * 1024
_TIME_COLUMN = re.compile(r"(date|time|stamp)", re.I)


@dataclass(frozen=True)
class ClipRecord(Record):
    KIND: ClassVar[str] = "clip"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"author": "author"}

    chunks: tuple[str, ...] = ()
    canvas_width: int | None = None
    canvas_height: int | None = None
    resolution: float | None = None
    layer_names: tuple[str, ...] = ()
    preview_bytes: int = 0
    preview_size: tuple[int, int] | None = None
    tables: tuple[str, ...] = ()
    # the Project table's values as written (and the Canvas's ComicStory* ones): the
    # page template it was made from and where it was installed, a story's name, its
    # author and the font of its page numbers
    project: dict[str, str] = field(default_factory=dict)
    author: str | None = None  # ComicStoryAuthorName, where the artist filled it in
    template: str | None = None  # DefaultPageTemplateName


@dataclass(frozen=True)
class ClipTimeRecord(Record):
    """A date-like value in the .clip database, with where it sits."""

    KIND: ClassVar[str] = "clip_time"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {"when": TimeField("CLIP database time")}

    table: str = ""
    column: str = ""
    raw: str = ""
    when: TimeValue | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def describe(self, name: str, spec: TimeField) -> TimeField:
        unix = isinstance(self.when, dt.datetime) and self.when.tzinfo is dt.UTC
        return TimeField(f"CLIP {self.table}.{self.column}", utc_by_format=unix)


def chunks(stream: BinaryIO) -> Iterator[tuple[str, int, int]]:
    """(name, data offset, data size) of each chunk."""
    stream.seek(0)
    head = stream.read(24)
    if len(head) < 24 or head[:8] != b"CSFCHUNK":
        raise NotMyFormat("not a CLIP STUDIO file")
    end = stream.seek(0, 2)
    pos = struct.unpack(">Q", head[16:24])[0] or 24
    while pos + 16 <= end:
        stream.seek(pos)
        name, size = struct.unpack(">8sQ", stream.read(16))
        if not name.startswith(b"CHNK") or pos + 16 + size > end:
            raise CorruptInput(f"chunk at {pos} is broken or runs past the end")
        yield name.decode("latin-1"), pos + 16, size
        if name == b"CHNKFoot":
            return
        pos += 16 + size


def _as_time(value: object) -> TimeValue | None:
    """Unix seconds (or milliseconds), or an ISO text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        if 3e8 < seconds < 5e9:  # 1979 .. 2128: anything else is a counter, not a time
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        return None
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return parse_iso8601(value)
    return None


def _values(con: sqlite3.Connection, table: str, cols: list[str]) -> dict[str, str]:
    """The first row's text and number values of `table`, by column (blobs
    and empty values left out)."""
    if not cols:
        return {}
    row = con.execute(f'SELECT * FROM "{table}" LIMIT 1').fetchone()
    return {
        col: str(value)
        for col, value in zip(cols, row or (), strict=False)
        if isinstance(value, (str, int, float)) and str(value).strip() and col != "_PW_ID"
    }


class ClipExtractor(Extractor):
    name = "clip"
    version = "1.0"
    doc = ExtractorDoc(
        summary="CLIP STUDIO PAINT .clip: chunk list, canvas size and resolution, layer names "
        "(CJK ones as notes), preview PNG, and date-like columns of its SQLite database.",
        reads="CSFCHUNK container; CHNKSQLi database (Canvas, Layer, CanvasPreview tables and "
        "any column named like a date or time).",
        references=("FIELD-NOTES: CSFCHUNK layout", "SQLite file format"),
        limits="Which columns Celsys uses for times is undocumented: every date/time-named "
        "column holding Unix seconds or ISO text is reported, and described by its name.",
    )
    record_kinds = (ClipRecord, ClipTimeRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head.startswith(b"CSFCHUNK")

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        names, db = [], None
        for name, start, size in list(chunks(stream)):
            names.append(name)
            if name == "CHNKSQLi":
                if size > MAX_DB:
                    raise CorruptInput(f"database chunk of {size} bytes: over the limit")
                stream.seek(start)
                db = stream.read(size)
        if db is None:
            yield ClipRecord(extractor=self.name, source="CSFCHUNK", chunks=tuple(names))
            raise CorruptInput("no CHNKSQLi database chunk")
        con = sqlite3.connect(":memory:")
        try:
            con.deserialize(db)
            con.execute("PRAGMA query_only = ON")
            yield from self._database(con, names)
        except sqlite3.DatabaseError as exc:
            raise CorruptInput(f"the database chunk is not readable SQLite: {exc}") from exc
        finally:
            con.close()

    def _database(self, con: sqlite3.Connection, names: list[str]) -> Iterator[Record | Note]:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        columns = {t: [c[1] for c in con.execute(f'PRAGMA table_info("{t}")')] for t in tables}
        width = height = None
        resolution = None
        if "Canvas" in columns:
            cols = columns["Canvas"]
            want = [c for c in ("CanvasWidth", "CanvasHeight", "CanvasResolution") if c in cols]
            row = (
                con.execute(f"SELECT {', '.join(want)} FROM Canvas LIMIT 1").fetchone()
                if want
                else None
            )
            values = dict(zip(want, row or (), strict=False))
            width, height = values.get("CanvasWidth"), values.get("CanvasHeight")
            resolution = values.get("CanvasResolution")
        layers: list[str] = []
        if "LayerName" in columns.get("Layer", []):
            layers = [str(r[0]) for r in con.execute("SELECT LayerName FROM Layer") if r[0]]
        project = _values(con, "Project", columns.get("Project", []))
        project.update(
            (k, v)
            for k, v in _values(con, "Canvas", columns.get("Canvas", [])).items()
            if k.startswith("ComicStory")
        )
        preview, size = 0, None
        if "ImageData" in columns.get("CanvasPreview", []):
            row = con.execute("SELECT ImageData FROM CanvasPreview LIMIT 1").fetchone()
            if row and row[0]:
                preview = len(row[0])
                if row[0][:8] == b"\x89PNG\r\n\x1a\n":
                    size = struct.unpack(">II", row[0][16:24])
        yield ClipRecord(
            extractor=self.name,
            source="CHNKSQLi",
            chunks=tuple(names),
            canvas_width=int(width) if width else None,
            canvas_height=int(height) if height else None,
            resolution=float(resolution) if resolution else None,
            layer_names=tuple(layers),
            preview_bytes=preview,
            preview_size=size,
            tables=tuple(sorted(tables)),
            project=project,
            author=project.get("ComicStoryAuthorName") or None,
            template=project.get("DefaultPageTemplateName") or None,
        )
        for layer in layers:
            if CJK.search(layer):
                yield Note(text=layer, origin="layer_name", source="CLIP Layer")
        for table, cols in sorted(columns.items()):
            for col in cols:
                if not _TIME_COLUMN.search(col):
                    continue
                for (value,) in con.execute(f'SELECT "{col}" FROM "{table}" LIMIT 1000'):
                    when = _as_time(value)
                    if when is not None:
                        yield ClipTimeRecord(
                            extractor=self.name,
                            source="CHNKSQLi",
                            table=table,
                            column=col,
                            raw=str(value),
                            when=when,
                        )
