"""The record types that flow from sources through the worker into the case.

All are frozen dataclasses. Datetimes are either timezone-aware, or naive on
purpose: a naive datetime is a wall-clock time as written in the data, with
its zone unknown, and it is never silently taken as UTC.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

Severity = Literal["warning", "error"]


@dataclass(frozen=True)
class TimeField:
    """What one datetime field of a record means.

    `utc_by_format` says the format itself defines the value as UTC (a POSIX
    stat time, a zip extended-timestamp field): its zone basis is `utc`.
    Other aware values carry an offset found in the data (`explicit`); naive
    values are `unknown` until the case is given an assumed zone.

    `zone_evidence` says what the zone inference (`analysis/zones.py`) may
    make of the field: "naive", a wall-clock time that an instant of the
    same file turns into the writer's offset; "utc", such an instant; None,
    neither (a naive time another program may have rewritten, a time of
    unknown meaning).
    """

    description: str
    utc_by_format: bool = False
    zone_evidence: Literal["naive", "utc"] | None = None


@dataclass(frozen=True)
class RawTime:
    """A timestamp as written that is not a valid date-time
    ("0000:00:00 00:00:00", "2019:13:45 25:00:00", blanks): kept verbatim,
    never dropped, and flagged on its event."""

    text: str


TimeValue = dt.datetime | RawTime


@dataclass(frozen=True)
class ArchiveEntry:
    """What an archive says about one of its members, as read by the source.

    Raw bytes (zip extra fields) are kept so that extractors can parse them
    without reopening the archive."""

    format: str  # zip, tar, gzip, bzip2, xz; rar, rar5, 7z, cab, zstd, lz4, cpio, xar, lzh
    name: str
    size: int
    compressed_size: int | None = None
    dos_time: tuple[int, int, int, int, int, int] | None = None
    central_extra: bytes = b""
    local_extra: bytes = b""
    crc: int | None = None
    compress_type: int | None = None
    create_system: int | None = None
    external_attr: int | None = None
    comment: bytes = b""
    tar_mtime: float | None = None
    stream_mtime: float | None = None  # gzip header MTIME
    tar_type: str | None = None
    mode: int | None = None
    uid: int | None = None
    gid: int | None = None
    uname: str | None = None
    gname: str | None = None
    pax: tuple[tuple[str, str], ...] = ()
    link_target: str | None = None
    # libarchive formats (sources/formats/libarchive.py): (mtime|atime|ctime|birthtime, POSIX
    # seconds) for formats that store UTC; DOS-time formats use dos_time
    utc_times: tuple[tuple[str, float], ...] = ()


# The closed list of problem kinds (DESIGN: "Problem kinds are a documented,
# closed list"). A kind not here is a bug; the conformance tests hold to it.
PROBLEM_KINDS: dict[str, str] = {
    "corrupt": "the bytes are of the format but damaged; what could be parsed is kept",
    "truncated": "the data ends early (an archive member cut off by the end of its archive)",
    "limit_exceeded": "a safety limit stopped the reading (bytes, ratio, depth, members, "
    "packets, pixels); the row and what was read before the limit are kept",
    "timeout": "the file's extraction passed --file-timeout and was stopped from outside",
    "memory_limit": "the file's extraction passed --file-memory and was stopped from outside",
    "worker_crashed": "the worker process died on this file (a crash, the OOM killer, a kill)",
    "unreadable": "the file or folder could not be opened or read (permissions, I/O error)",
    "unreadable_directory": "a folder could not be listed: its row stands for what it holds",
    "changed_during_read": "the file changed between listing and reading, or while hashed",
    "corrupt_archive": "an archive stopped being readable; the members before are listed",
    "corrupt_member": "one archive member could not be inflated (bad CRC, bad data)",
    "encrypted": "an encrypted archive member: its bytes are not read",
    "duplicate_name": "a second entry of the same name: it gets its own row, url `name;N`",
    "suspicious_name": "a member name that could escape an extraction folder (never extracted)",
    "undecodable_name": "a name not in UTF-8: %XX in the url, its raw bytes in the message",
    "error": "a bug or an unexpected failure (ours or a library's): message has the traceback",
}


@dataclass(frozen=True)
class Problem:
    """What went wrong on one file. A problem is a row, never a gap. `kind`
    is one of `PROBLEM_KINDS`."""

    severity: Severity
    extractor: str
    kind: str
    message: str


def flag(where: str, kind: str, message: str, severity: Severity = "warning") -> Problem:
    """A problem of a documented kind, found by `where` (an extractor's
    name, "sources", "pipeline", "executor"): the one way problems are made,
    so that an undocumented kind is a bug wherever it is raised."""
    if kind not in PROBLEM_KINDS:
        raise ValueError(f"undocumented problem kind {kind!r} (records.PROBLEM_KINDS)")
    return Problem(severity, where, kind, message)


@dataclass(frozen=True)
class RemoteObject:
    """An object of a remote source (an S3 bucket, a web folder) as its
    listing described it, and how to reach it again: `protocol` and
    `options` (endpoint, region, profile, anonymous access; never secrets,
    which each process takes from its own environment) name the filesystem,
    `path` is what it opens (`bucket/key`, or the full url). Refs carry this
    instead of a local path, so a worker on another machine reads the object
    itself."""

    protocol: str  # "s3", "http" or "https"
    path: str
    options: tuple[tuple[str, Any], ...] = ()
    size: int | None = None
    etag: str | None = None
    version_id: str | None = None
    last_modified: str | None = None  # ISO 8601, UTC, as the server said
    storage_class: str | None = None
    owner: str | None = None  # the bucket listing's owner display name (or id)

    @property
    def identity(self) -> str | None:
        """What says the object is unchanged since a listing: its ETag where
        the server gives one, else its Last-Modified time."""
        if self.etag:
            return f"etag:{self.etag}"
        return f"modified:{self.last_modified}" if self.last_modified else None


@dataclass(frozen=True)
class FileRef:
    """One file, loose or inside a chain of containers.

    `url` is the file's identity in the case: a path relative to the source,
    with `!/` between an archive and its member
    (`uploads/2024-04-01.zip!/INV/EP05/x.jpg`). `path` is where the bytes
    live on disk for loose files; members carry their bytes in `payload`
    (read once, in memory, by the source) or none when a limit refused them.
    `flags` are problems the source already found (a traversal name, a
    refused member); `entry` is what the enclosing archive said about it.
    `listed_atime_ns` is a symbolic link's atime as listed: reading a link's
    target sets its atime (readlink(2) takes no O_NOATIME), so the atime
    recorded is the one seen before that.
    """

    url: str
    path: str | None
    container: tuple[str, ...] = ()
    size: int | None = None
    mtime: float | None = None
    kind: Literal["file", "symlink", "directory", "special", "missing"] = "file"
    link_target: str | None = None
    entry: ArchiveEntry | None = None
    flags: tuple[Problem, ...] = ()
    payload: bytes | None = field(default=None, repr=False, compare=False)
    listed_atime_ns: int | None = None  # a link's atime before its target was read
    # the previous observation's results stand for this file: its identity
    # (size and mtime) is unchanged, so it is neither read nor walked into
    reused: bool = False
    remote: RemoteObject | None = None  # a remote object (its bytes are read from there)
    # what an HTTP server said as it sent the bytes read with the listing:
    # (":status", "200 OK"), then its headers (a preserved object's WARC record)
    response: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.url.rsplit("!/", 1)[-1].rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        name = self.name
        return name.rsplit(".", 1)[-1].lower() if "." in name.strip(".") else ""


@dataclass(frozen=True)
class Record:
    """Base of every extractor's output. Subclasses add typed fields and
    declare which of them are timestamps in `TIME_FIELDS`."""

    KIND: ClassVar[str] = "record"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {}
    # fields that name a person, a machine, an organisation or software,
    # with their role (entities.ROLES); "path" marks an embedded path,
    # whose user and host names are read out of it (entities.py)
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {}
    # a record that stands for saves of the work (a save history's line, a
    # document's last save): which field is the save's time, and which
    # name its user and host, the saves it counts and the editing seconds
    # it declares (keys: time, user, host, count, seconds; analysis/saves.py)
    SAVE: ClassVar[dict[str, str]] = {}

    extractor: str
    source: str  # what inside the file the record came from ("stat", "zip central directory", ...)

    def times(self) -> list[tuple[str, TimeField, TimeValue]]:
        """The record's timestamps that are set, in declaration order."""
        out = []
        for name, spec in self.TIME_FIELDS.items():
            value = getattr(self, name)
            if value is not None:
                out.append((name, self.describe(name, spec), value))
        return out

    def describe(self, name: str, spec: TimeField) -> TimeField:
        """The field's meaning; records whose fields are named by the data
        (an XMP property, a PNG text key) override this."""
        return spec

    @classmethod
    def entity_fields(cls, body: dict[str, Any]) -> dict[str, str]:
        """The entity fields of a record with this body; records whose
        fields are named by the data (a PNG text key) override this."""
        return cls.ENTITY_FIELDS

    def body(self) -> dict[str, Any]:
        return {name: _jsonable(getattr(self, name)) for name in _body_fields(type(self))}

    def body_json(self) -> str:
        return json.dumps(self.body(), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Note:
    """One piece of annotation text, whatever carried it.

    `origin` is one of ocr (written on an image in an ink or in pencil),
    printed (printed black text on an image), text_layer, layer_name, cell,
    path, comment (typed into a program's comment field). `box` is (left,
    top, right, bottom) in image pixels when the note has a place on an
    image. `confidence` is the recogniser's (0-1, None
    for text that was not recognised from pixels), `lang_confidence` the
    language detector's (0-1). `pair` numbers a Chinese note and the
    Korean note that translates it, `pair_score` (0-1) says how much of
    the Chinese was found read out in the Korean."""

    text: str
    lang: str = "und"
    confidence: float | None = None
    ink: str | None = None
    box: tuple[int, int, int, int] | None = None
    origin: str = "ocr"
    source: str = ""
    pair: int | None = None
    lang_confidence: float | None = None
    pair_score: float | None = None


ANNOTATION_ORIGINS = ("ocr", "text_layer", "layer_name", "comment")
"""Origins of the notes written on the files (ink and pencil, PSD text
layers, layer names, the comments typed into the software's comment
fields): what the timeline counts unless asked otherwise."""


@dataclass(frozen=True)
class Hashes:
    md5: str
    sha1: str
    sha256: str


@dataclass(frozen=True)
class FileResult:
    """Everything the worker learnt about one ref. `seconds` is wall time and
    the only field that differs between two runs over the same bytes."""

    ref: FileRef
    hashes: Hashes | None
    mime: str
    ext_mismatch: bool
    size: int | None = None  # bytes read; the declared size when none were
    records: tuple[Record, ...] = ()
    notes: tuple[Note, ...] = ()
    problems: tuple[Problem, ...] = ()
    seconds: float = 0.0


_BODY_FIELDS: dict[type, tuple[str, ...]] = {}


def _body_fields(cls: type) -> tuple[str, ...]:
    """A record kind's body fields, computed once per kind."""
    if cls not in _BODY_FIELDS:
        _BODY_FIELDS[cls] = tuple(
            f.name for f in dataclasses.fields(cls) if f.name not in ("extractor", "source")
        )
    return _BODY_FIELDS[cls]


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, RawTime):
        return value.text
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value
