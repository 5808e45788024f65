"""Office Open XML documents (xlsx, docx, pptx): core properties (creator,
lastModifiedBy, created, modified, lastPrinted), the application that wrote
them, and in spreadsheets every text cell as a note (origin `cell`): work
logs and retake sheets are spreadsheets.

The package parts are read directly (zipfile + defusedxml): the core and
app properties are two small XML files, and the same code then serves every
OOXML kind; text cells come from the shared strings and worksheet parts
(openpyxl was 10x slower for this and reads far more than text).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

from defusedxml import ElementTree as SafeET

from ..errors import CorruptInput, LimitExceeded, NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .dates import parse_iso8601

MAX_CELL_NOTES = 5_000
MAX_PART = 16 * 1024 * 1024
MAX_SHEET_PART = 64 * 1024 * 1024  # one worksheet part
MAX_SHEET_BYTES = 128 * 1024 * 1024  # worksheet XML read from one workbook, all parts together
_DC = "{http://purl.org/dc/elements/1.1/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DCT = "{http://purl.org/dc/terms/}"
_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


@dataclass(frozen=True)
class OfficeRecord(Record):
    KIND: ClassVar[str] = "office"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "creator": "creator",
        "last_modified_by": "last_modified_by",
        "application": "software",
        "company": "organization",
    }
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "created": TimeField("Office core created"),
        "modified": TimeField("Office core modified"),
        "last_printed": TimeField("Office core lastPrinted"),
    }

    document_type: str = ""
    creator: str | None = None
    last_modified_by: str | None = None
    created: TimeValue | None = None
    modified: TimeValue | None = None
    last_printed: TimeValue | None = None
    title: str | None = None
    application: str | None = None
    app_version: str | None = None
    company: str | None = None
    sheets: tuple[str, ...] = ()


def _read_part(zf: zipfile.ZipFile, name: str, limit: int = MAX_PART) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        raise LimitExceeded(f"{name} is {info.file_size} bytes, past the {limit} read from a part")
    return zf.read(info)


def _text(root: object, tag: str) -> str | None:
    el = root.find(tag) if root is not None else None  # type: ignore[attr-defined]
    return (el.text or "").strip() or None if el is not None else None


class OfficeExtractor(Extractor):
    name = "office"
    version = "1.0"
    doc = ExtractorDoc(
        summary="OOXML core properties (creator, lastModifiedBy, created, modified, "
        "lastPrinted), application, and spreadsheet text cells as notes.",
        reads="docProps/core.xml, docProps/app.xml, and xlsx shared strings and worksheets.",
        references=("ECMA-376 Part 2 (Open Packaging Conventions), 11 Core Properties",),
        limits=f"At most {MAX_CELL_NOTES} cell notes per workbook. Legacy .xls/.doc are not read.",
    )
    record_kinds = (OfficeRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and (
            "openxmlformats" in mime or ref.extension in ("xlsx", "xlsm", "docx", "pptx")
        )

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        try:
            zf = zipfile.ZipFile(stream)
        except zipfile.BadZipFile as exc:
            raise NotMyFormat(f"not a zip package: {exc}") from exc
        with zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" not in names:
                raise NotMyFormat("not an OOXML package")
            kind = (
                "xlsx"
                if "xl/workbook.xml" in names
                else "docx"
                if "word/document.xml" in names
                else "pptx"
                if "ppt/presentation.xml" in names
                else "ooxml"
            )
            try:
                core_xml = _read_part(zf, "docProps/core.xml")
                app_xml = _read_part(zf, "docProps/app.xml")
                core = SafeET.fromstring(core_xml) if core_xml else None
                app = SafeET.fromstring(app_xml) if app_xml else None
            except (SafeET.ParseError, zipfile.BadZipFile, OSError, zlib.error, EOFError) as exc:
                raise CorruptInput(f"properties unreadable: {exc}") from exc
            sheets: list[str] = []
            notes: list[Note] = []
            if kind == "xlsx":
                sheets, notes, skipped = _cells(zf)
                if skipped:
                    ctx.warn("limit_exceeded", "worksheets not read: " + "; ".join(skipped))
        yield OfficeRecord(
            extractor=self.name,
            source="docProps",
            document_type=kind,
            creator=_text(core, f"{_DC}creator"),
            last_modified_by=_text(core, f"{_CP}lastModifiedBy"),
            created=parse_iso8601(_text(core, f"{_DCT}created")),
            modified=parse_iso8601(_text(core, f"{_DCT}modified")),
            last_printed=parse_iso8601(_text(core, f"{_CP}lastPrinted")),
            title=_text(core, f"{_DC}title"),
            application=_text(app, f"{_APP}Application"),
            app_version=_text(app, f"{_APP}AppVersion"),
            company=_text(app, f"{_APP}Company"),
            sheets=tuple(sheets),
        )
        yield from notes


_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _string_item(si: Any) -> str:
    """A shared string or inline string: plain <t> or rich-text runs <r><t>."""
    return "".join(t.text or "" for t in si.iter(f"{_S}t"))


def _cells(zf: zipfile.ZipFile) -> tuple[list[str], list[Note], list[str]]:
    """Sheet names and text cells, read from the SpreadsheetML parts.

    openpyxl took 17 ms per small workbook, most of the scan's time on a dump
    of work logs; the text cells are three small XML parts away."""
    try:
        workbook = SafeET.fromstring(_read_part(zf, "xl/workbook.xml") or b"<x/>")
        rels = SafeET.fromstring(_read_part(zf, "xl/_rels/workbook.xml.rels") or b"<x/>")
        shared_xml = _read_part(zf, "xl/sharedStrings.xml")
        shared = (
            [_string_item(si) for si in SafeET.fromstring(shared_xml).iter(f"{_S}si")]
            if shared_xml
            else []
        )
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
        notes: list[Note] = []
        names: list[str] = []
        read: set[str] = set()
        skipped: list[str] = []
        budget = MAX_SHEET_BYTES
        for sheet in workbook.iter(f"{_S}sheet"):
            name = sheet.get("name", "")
            names.append(name)
            target = targets.get(sheet.get(f"{_R}id"), "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            # A part is read once however many sheets name it (1,000 sheets
            # pointing at one 15 MB part took 45 minutes), and the parts read
            # stop at a total: the sheet names are all kept.
            if part in read or len(notes) >= MAX_CELL_NOTES or budget <= 0:
                continue
            read.add(part)
            try:
                xml = _read_part(zf, part, min(budget, MAX_SHEET_PART))
            except LimitExceeded as exc:
                skipped.append(str(exc))
                continue
            if xml is None:
                continue
            budget -= len(xml)
            for cell in SafeET.fromstring(xml).iter(f"{_S}c"):
                kind = cell.get("t")
                if kind == "s":
                    v = cell.find(f"{_S}v")
                    index = int(v.text) if v is not None and (v.text or "").isdigit() else -1
                    text = shared[index] if 0 <= index < len(shared) else ""
                elif kind == "inlineStr":
                    text = "".join(_string_item(i) for i in cell.iter(f"{_S}is"))
                elif kind == "str":
                    v = cell.find(f"{_S}v")
                    text = v.text or "" if v is not None else ""
                else:
                    continue
                if text.strip() and len(notes) < MAX_CELL_NOTES:
                    notes.append(
                        Note(text=text.strip(), origin="cell", source=f"{name}!{cell.get('r', '')}")
                    )
        return names, notes, skipped
    except (
        SafeET.ParseError,
        ValueError,
        KeyError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
    ) as exc:  # a damaged part fails inflating (zlib) as often as parsing
        raise CorruptInput(f"worksheet unreadable: {exc}") from exc
