"""Office Open XML documents (xlsx, docx, pptx): core properties (creator,
lastModifiedBy, created, modified, lastPrinted), the application that wrote
them, and in spreadsheets every text cell as a note (origin `cell`): work
logs and retake sheets are spreadsheets.

The package parts are read directly (zipfile + defusedxml): the core and
app properties are two small XML files, and the same code then serves every
OOXML kind. Cells come from openpyxl in read-only mode.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from defusedxml import ElementTree as SafeET

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from .base import Extractor, ExtractorDoc
from .dates import parse_iso8601

MAX_CELL_NOTES = 5_000
MAX_PART = 16 * 1024 * 1024
_DC = "{http://purl.org/dc/elements/1.1/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DCT = "{http://purl.org/dc/terms/}"
_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


@dataclass(frozen=True)
class OfficeRecord(Record):
    KIND: ClassVar[str] = "office"
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


def _read_part(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise CorruptInput(f"{name} is {info.file_size} bytes: too large for a properties part")
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
        reads="docProps/core.xml, docProps/app.xml, and xlsx worksheets (openpyxl, read-only).",
        references=("ECMA-376 Part 2 (Open Packaging Conventions), 11 Core Properties",),
        limits=f"At most {MAX_CELL_NOTES} cell notes per workbook. Legacy .xls/.doc are not read.",
    )
    record_kinds = (OfficeRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and (
            "openxmlformats" in mime or ref.extension in ("xlsx", "xlsm", "docx", "pptx")
        )

    def extract(self, ref: FileRef, stream: BinaryIO) -> Iterator[Record | Note]:
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
            except (SafeET.ParseError, zipfile.BadZipFile, OSError) as exc:
                raise CorruptInput(f"properties unreadable: {exc}") from exc
        sheets: list[str] = []
        notes: list[Note] = []
        if kind == "xlsx":
            sheets, notes = _cells(stream)
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


def _cells(stream: BinaryIO) -> tuple[list[str], list[Note]]:
    from openpyxl import load_workbook

    stream.seek(0)
    try:
        wb = load_workbook(io.BytesIO(stream.read()), read_only=True, data_only=True)
    except Exception as exc:
        raise CorruptInput(f"openpyxl could not read the workbook: {exc}") from exc
    notes: list[Note] = []
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if isinstance(value, str) and value.strip() and len(notes) < MAX_CELL_NOTES:
                        notes.append(
                            Note(
                                text=value.strip(),
                                origin="cell",
                                source=f"{ws.title}!{cell.coordinate}",
                            )
                        )
        return [ws.title for ws in wb.worksheets], notes
    finally:
        wb.close()
