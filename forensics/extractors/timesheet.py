"""Digital exposure sheets: XDTS (`exchangeDigitalTimeSheet Save Data`,
written by CLIP STUDIO PAINT, OpenToonz and others) and TDTS
(`toeiDigitalTimeSheet Save Data`, Toei's): a one-line header, then JSON.

What an analyst reads off a sheet: the cut and scene it is for, its
format version, each time table's name, duration (frames) and frame rate,
the names of its tracks by field (cells, dialogue, camera work), and what
the dialogue and camera tracks say (notes, origin `cell`, as a
spreadsheet's text cells). Whatever else the header holds (TDTS writes
more of it) is kept as (key, value) pairs, so that nothing is lost.

Parsed with the standard library's `json` (no entity expansion to fear);
a sheet that stops being JSON is a `CorruptInput`. Reference: Celsys,
"XDTS file format" ver. 1.0 (2022), and OpenToonz's `xdtsio.cpp`.

The nas TIME-SHEET `.xps` (Nekomataya's remaping and its kin: a text
file, `nasTIME-SHEET 0.x` on its first line, then `##KEY=value` lines) is
read in `nas_sheet.py`: title, episode, scene and cut, duration, who
created and last updated it and when, and its approval signatures (stage,
label, date, name and e-mail of each: a record each, `timesheet_signature`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .documents import read_whole
from .nas_sheet import parse_nas, parse_time, split_user

XDTS = b"exchangeDigitalTimeSheet Save Data"
TDTS = b"toeiDigitalTimeSheet Save Data"
NAS = b"nasTIME-SHEET "
MIME = "application/x-exposure-sheet"
MAX_BYTES = 32 * 1024 * 1024
MAX_NOTES = 5_000
FIELDS = {0: "cell", 3: "dialog", 5: "camerawork"}  # the specification's field ids
_SYMBOLS = ("SYMBOL_",)  # continuation, in-between and empty-cell marks: not text


@dataclass(frozen=True)
class TimesheetRecord(Record):
    KIND: ClassVar[str] = "timesheet"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "created": TimeField("exposure sheet created (nas CREATE_TIME: local, maybe a date only)"),
        "updated": TimeField(
            "exposure sheet last updated (nas UPDATE_TIME: local time)", zone_evidence="naive"
        ),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "create_user": "creator",
        "update_user": "last_modified_by",
        "create_email": "email",
        "update_email": "email",
    }
    SAVE: ClassVar[dict[str, str]] = {"time": "updated", "user": "update_user"}

    format: str = ""  # xdts, tdts or nas
    version: int | None = None
    cut: str | None = None
    scene: str | None = None
    header: tuple[tuple[str, str], ...] = ()  # every string of the header, as written
    sheets: tuple[str, ...] = ()  # the time tables' names
    duration: int | None = None  # frames, of the longest time table
    frame_rate: float | None = None
    tracks: tuple[tuple[str, str], ...] = ()  # (field, track name)
    title: str | None = None
    episode: str | None = None  # nas OPUS
    sub_title: str | None = None
    created: TimeValue | None = None
    updated: TimeValue | None = None
    create_user: str | None = None
    create_email: str | None = None
    update_user: str | None = None
    update_email: str | None = None
    status: str | None = None  # nas Line, Stage, Job and CurrentStatus, as written


@dataclass(frozen=True)
class TimesheetSignatureRecord(Record):
    """One approval stamp on a sheet: who signed which stage, and when."""

    KIND: ClassVar[str] = "timesheet_signature"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "signed": TimeField("exposure sheet approval signed (nas signature: a date)"),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"name": "approver", "email": "email"}

    stage: str | None = None  # "0//LO:1": the line and stage the stamps are for
    number: int | None = None
    label: str | None = None  # "監督OK", "-済-"
    signed: TimeValue | None = None
    name: str | None = None
    email: str | None = None


def _strings(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(
                item, f"{prefix}{key}." if isinstance(item, dict) else f"{prefix}{key}"
            )
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        yield prefix, str(value)


def _field(field_id: object) -> str:
    return FIELDS.get(field_id, str(field_id)) if isinstance(field_id, int) else str(field_id)


class TimesheetExtractor(Extractor):
    name = "timesheet"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Digital exposure sheets (XDTS, TDTS, nas .xps): cut, scene, sheets, duration, "
        "frame rate, track names; dialogue and camera-work text as notes; a nas sheet's "
        "creating and updating users and times and its approval signatures.",
        reads="The JSON after the sheet's one-line header; a nas sheet's header lines, "
        "signatures, track rows, dialogue cells and memo.",
        references=("Celsys, XDTS file format ver. 1.0", "OpenToonz toonz/xdtsio.cpp"),
        limits=f"At most {MAX_NOTES} notes a sheet. Cell timing itself (which drawing on which "
        "frame) is not recorded.",
    )
    record_kinds = (TimesheetRecord, TimesheetSignatureRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return mime == MIME or head.lstrip(b"\xef\xbb\xbf").startswith((XDTS, TDTS, NAS))

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        data = read_whole(stream, MAX_BYTES, "an exposure sheet")
        data = data.lstrip(b"\xef\xbb\xbf")
        if data.startswith(NAS):
            yield from self._nas(data, ctx)
            return
        if not data.startswith((XDTS, TDTS)):
            raise NotMyFormat("no exposure-sheet header line")
        kind = "xdts" if data.startswith(XDTS) else "tdts"
        _, _, body = data.partition(b"\n")
        try:
            sheet = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise CorruptInput(f"{kind} sheet is not JSON after its header: {exc}") from exc
        if not isinstance(sheet, dict):
            raise CorruptInput(f"{kind} sheet holds {type(sheet).__name__}, not an object")
        found = sheet.get("header")
        header: dict[str, Any] = found if isinstance(found, dict) else {}
        tables = [t for t in sheet.get("timeTables") or [] if isinstance(t, dict)]
        tracks: list[tuple[str, str]] = []
        notes: list[Note] = []
        for table in tables:
            for head in table.get("timeTableHeaders") or []:
                if not isinstance(head, dict):
                    continue
                field = _field(head.get("fieldId"))
                tracks += [(field, str(n)) for n in head.get("names") or [] if str(n).strip()]
            for fld in table.get("fields") or []:
                if not isinstance(fld, dict) or _field(fld.get("fieldId")) == "cell":
                    continue
                for track in fld.get("tracks") or []:
                    for frame in (track or {}).get("frames") or []:
                        for entry in (frame or {}).get("data") or []:
                            for value in (entry or {}).get("values") or []:
                                text = str(value).strip()
                                if text and not text.startswith(_SYMBOLS):
                                    notes.append(
                                        Note(
                                            text=text,
                                            origin="cell",
                                            source=f"{table.get('name', '')} frame "
                                            f"{(frame or {}).get('frame')}",
                                        )
                                    )
        durations = [int(t["duration"]) for t in tables if isinstance(t.get("duration"), int)]
        rates = [
            float(t["frameRate"]) for t in tables if isinstance(t.get("frameRate"), int | float)
        ]
        version = sheet.get("version")
        yield TimesheetRecord(
            extractor=self.name,
            source=kind,
            format=kind,
            version=version if isinstance(version, int) else None,
            cut=str(header["cut"]) if "cut" in header else None,
            scene=str(header["scene"]) if "scene" in header else None,
            header=tuple(_strings(header)),
            sheets=tuple(str(t.get("name", "")) for t in tables),
            duration=max(durations) if durations else None,
            frame_rate=rates[0] if rates else None,
            tracks=tuple(tracks),
        )
        yield from notes[:MAX_NOTES]
        if len(notes) > MAX_NOTES:
            ctx.warn("limit_exceeded", f"{len(notes)} sheet texts: the first {MAX_NOTES} as notes")

    def _nas(self, data: bytes, ctx: Context) -> Iterator[Record | Note]:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:  # the older writers' Shift_JIS
            text = data.decode("cp932", "replace")
        sheet = parse_nas(text)
        head = sheet.header

        def value(key: str) -> str | None:
            found = head.get(key, "").strip()
            return found if found and found not in ("undefined", "null") else None

        creator, creator_mail = split_user(value("CREATE_USER"))
        updater, updater_mail = split_user(value("UPDATE_USER"))
        rate = re.match(r"\d+(?:\.\d+)?", value("FRAME_RATE") or "")
        fps = float(rate.group()) if rate else None
        # TIME is seconds+frames ("12+00"); the frame rows may run past it
        length = re.fullmatch(r"(\d+)\+(\d+)\.?", value("TIME") or "")
        duration = (
            int(length.group(1)) * round(fps) + int(length.group(2))
            if length and fps
            else sheet.frames or None
        )
        status = [f"{k}={head[k]}" for k in ("LINE", "STAGE", "JOB", "CURRENTSTATUS") if k in head]
        yield TimesheetRecord(
            extractor=self.name,
            source="nas",
            format="nas",
            cut=value("CUT"),
            scene=value("SCENE"),
            header=tuple((k, v) for k, v in head.items()),
            duration=duration,
            frame_rate=fps,
            tracks=tuple((option, name) for option, name in sheet.tracks if option or name),
            title=value("TITLE"),
            episode=value("OPUS"),
            sub_title=value("SUB_TITLE"),
            created=parse_time(value("CREATE_TIME")),
            updated=parse_time(value("UPDATE_TIME")),
            create_user=creator,
            create_email=creator_mail,
            update_user=updater,
            update_email=updater_mail,
            status="; ".join(status) or None,
        )
        for stage, number, label, signed, name, mail in sheet.signatures[:MAX_NOTES]:
            yield TimesheetSignatureRecord(
                extractor=self.name,
                source="nas signatures",
                stage=stage or None,
                number=number,
                label=label or None,
                signed=signed,
                name=name,
                email=mail,
            )
        notes = [
            Note(text=line, origin="cell", source=f"dialogue {track}".strip())
            for track, line in sheet.dialogue
        ]
        if sheet.memo:
            notes.append(Note(text=sheet.memo, origin="cell", source="memo"))
        yield from notes[:MAX_NOTES]
