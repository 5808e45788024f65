"""The nas TIME-SHEET text format (`.xps`, Nekomataya's remaping and the
nas library): `nasTIME-SHEET 0.x` on the first line; `##KEY=value`
header lines (TITLE, SUB_TITLE, OPUS, SCENE, CUT, TIME, CREATE_USER,
UPDATE_USER, CREATE_TIME, UPDATE_TIME, FRAME_RATE, Line, Stage, Job,
CurrentStatus); an optional `##<signatures>` block of approval stamps
(`\\t[number\\tlabel\\tdate\\tname:e-mail]` under a `line//stage` line);
`[option ...]` and `[CELL ...]` rows naming the tracks; one `.` row a
frame; `[END]`, then the sheet's memo.

Written here: no library reads it. The layout follows the writer,
`Xps.prototype.toString` in remaping's `xpsio.js`. Users are written
`handle:e-mail` or as a bare name; times `2023/03/14 9:36:42` or a date
(`2005/05/05`), signatures `2022.01.23`, all local and without a zone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..records import RawTime, TimeValue

_HEADER = re.compile(r"^##([A-Za-z_]+)=(.*)$")
_SIGNATURE = re.compile(r"^\s*\[(\d+)\t([^\t]*)\t([^\t]*)\t([^\]\t]*)\]\s*$")
_CONTINUED = {"|", "｜", "", ":", "：", "____", "---"}


@dataclass
class NasSheet:
    version: str = ""
    header: dict[str, str] = field(default_factory=dict)
    signatures: list[tuple[str, int, str, TimeValue | None, str | None, str | None]] = field(
        default_factory=list
    )  # (stage, number, label, signed, name, e-mail)
    tracks: list[tuple[str, str]] = field(default_factory=list)  # (option, name)
    frames: int = 0
    dialogue: list[tuple[str, str]] = field(default_factory=list)  # (track, line)
    memo: str = ""


def parse_time(text: str | None) -> TimeValue | None:
    """A nas time or date, naive; a date alone is its day's midnight."""
    if not text or not text.strip() or text.strip() in ("undefined", "null"):
        return None
    value = " ".join(text.split())
    for form in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, form)  # noqa: DTZ007 - local, as written
        except ValueError:
            continue
    return RawTime(text)


def split_user(text: str | None) -> tuple[str | None, str | None]:
    """`handle:e-mail` (or a bare name) as (name, e-mail)."""
    if not text or not text.strip() or text.strip() in ("undefined", "null"):
        return None, None
    name, sep, mail = text.strip().partition(":")
    if sep and "@" in mail:
        return name.strip() or None, mail.strip()
    return text.strip(), None


def parse_nas(text: str) -> NasSheet:
    lines = text.splitlines()
    sheet = NasSheet(version=lines[0].removeprefix("nasTIME-SHEET").strip() if lines else "")
    stage = ""
    in_signatures = False
    options: list[str] = []
    names: list[str] = []
    columns: list[list[str]] = []
    end = len(lines)
    for number, line in enumerate(lines[1:], 1):
        if line.startswith("##<signatures>"):
            in_signatures = not line.endswith("/")
            continue
        if in_signatures:
            m = _SIGNATURE.match(line)
            if m:
                name, mail = split_user(m.group(4))
                sheet.signatures.append(
                    (stage, int(m.group(1)), m.group(2), parse_time(m.group(3)), name, mail)
                )
            elif line.strip():
                stage = line.strip()
            continue
        if m := _HEADER.match(line):
            sheet.header.setdefault(m.group(1).upper(), m.group(2).strip())
        elif line.startswith("[option"):
            options = line.strip("[]").split("\t")[1:]
        elif line.startswith("[CELL"):
            names = line.strip("[]").split("\t")[1:]
        elif line.startswith(".\t") or line == ".":
            sheet.frames += 1
            cells = line.split("\t")[1:]
            for i, cell in enumerate(cells):
                while len(columns) <= i:
                    columns.append([])
                columns[i].append(cell.strip())
        elif line.startswith("[END]"):
            end = number
            break
    sheet.tracks = [
        (options[i] if i < len(options) else "", names[i] if i < len(names) else "")
        for i in range(max(len(options), len(names)))
    ]
    for i, cells in enumerate(columns):
        if i < len(options) and options[i] == "dialog":
            track = names[i] if i < len(names) else ""
            sheet.dialogue += [(track, spoken) for spoken in _spoken(cells)]
    sheet.memo = "\n".join(lines[end + 1 :]).strip()
    return sheet


def _spoken(cells: list[str]) -> list[str]:
    """A dialogue track's lines: its characters down the frames, one line
    from the first to the `____` that closes it."""
    out, current = [], ""
    for cell in cells:
        if cell.startswith("____"):
            if current:
                out.append(current)
            current = ""
        elif cell not in _CONTINUED:
            current += cell
    if current:
        out.append(current)
    return out
