"""OpenToonz (and Toonz, Tahoma2D) scenes `.tnz`, level histories `.hst`,
palettes `.tpl` and projects (`.otprj`, `*_otprj.xml`): the files
OpenToonz writes with its own `TOStream`, an XML dialect (tags, quoted
strings with escaped backslashes, numbers; an `&` in a value is written
bare, and escaped here before parsing).

- A scene names the program and version that saved it (`<generator>`),
  its frame count and format version, its camera, its output path, and
  every level it uses with the level's path (an absolute path shows the
  artist's disk: `C:/Users/NAME/...`). Its `<history>` is the scene's save
  history, one line a save: number, date and time (to the minute), the
  machine (`COMPUTERNAME`) and the user (`USERNAME`).
- A level's `.hst` (beside its `.tlv`) is the same history for the level,
  with the frames each save changed.
- A palette names itself (a studio palette by the Unix time it was
  created or imported and a random number: a time, an event), the studio
  palettes its styles were copied from, the reference image it was picked
  from, its format version, its styles (counted), the brush files its
  styles paint with (MyPaint `.myb`) and its style pages.
- A project names its folders (name and path), its default output (path,
  frame rate) and its camera's resolution.
- A level's drawings (`.tlv` raster, `.pli` vector) are not read; their
  header names the program that wrote them ("OpenToonz 1.4"), a TLV 1.4
  header the frames' size and number; a vector level carries its own save
  history and its styles' names in tags (`pli.py`).

Each save is a record of its own (`opentoonz_save`): its time is the
saving machine's local clock, written without a zone (naive), and its
machine and user are entities. The history lines are fixed-width columns
(`TContentHistory::getLine` in OpenToonz's `toonzlib/tcontenthistory.cpp`:
number 4, date 20, machine 12, user 15, frames 20 characters); the month
is Qt's abbreviated name (English, or the system's language under Qt 5).

Parsed with defusedxml; a file that is not well-formed XML, or that
declares entities, is read with the same rules from its text instead (the
history, the generator, the levels' paths), never expanded, and flagged
`corrupt`. References: OpenToonz `toonzlib/toonzscene.cpp` (saveData),
`toonzlib/levelset.cpp`, `toonzlib/tcontenthistory.cpp`.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO, ClassVar
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from ..errors import NotMyFormat
from ..records import FileRef, Note, RawTime, Record, TimeField, TimeValue
from ..sniff import HISTORY_MIME, PALETTE_MIME, PROJECT_MIME, SCENE_MIME, sniff_toonz
from . import pli
from .base import Context, Extractor, ExtractorDoc
from .documents import escape_bare_ampersands, read_whole

MAX_BYTES = 64 * 1024 * 1024  # a scene of thousands of cells is megabytes
MAX_SAVES = 10_000
_LINE = re.compile(r"\| #([^|]*)\|")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
# Qt 5 writes the month as the system's language abbreviates it (CLDR's
# abbreviated month names, which QLocale carries): the first three letters
# (dot and case aside) of English, German, Dutch, Swedish, Spanish,
# Portuguese, Italian, French, Indonesian, Turkish, Polish, Czech and Russian
# ones; French "juin" and "juil." share their first three, so whole words
# come first. A numeric month ("10月", "10월") is read by its digits.
_MONTH_WORDS = {"juin": 6, "juil": 7, "июня": 6, "июля": 7}
_MONTHS = {
    name: month
    for month, names in enumerate(
        (
            "jan ene gen janv led sty oca янв",
            "feb fev fév úno lut şub фев",
            "mar mär mrt bře мар",
            "apr abr avr dub kwi nis апр",
            "may mai mei mag maj kvě мая май",
            "jun giu čvn cze haz июн",
            "jul lug čvc lip tem июл",
            "aug ago aoû agu srp sie ağu авг",
            "sep set zář wrz eyl сен",
            "oct okt out ott říj paź eki окт",
            "nov lis kas ноя",
            "dec dic dez déc des pro gru ara дек",
        ),
        1,
    )
    for name in names.split()
}


@dataclass(frozen=True)
class OpenToonzRecord(Record):
    KIND: ClassVar[str] = "opentoonz"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "palette_created": TimeField(
            "OpenToonz studio palette created (its global name: Unix seconds)", True
        ),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "generator": "software",
        "level_paths": "path",
        "output_path": "path",
        "reference_image": "path",
    }

    document: str = ""  # scene, level history, palette
    generator: str | None = None  # "OpenToonz 1.7.1"
    format_version: str | None = None
    frame_count: int | None = None
    camera_width: int | None = None  # the camera's resolution, in pixels
    camera_height: int | None = None
    output_path: str | None = None
    level_names: tuple[str, ...] = ()
    level_paths: tuple[str, ...] = ()
    level_count: int | None = None  # the scene's levels
    saves: int = 0  # lines of the save history
    fps: float | None = None  # of the scene's (or project's) main output
    palette_name: str | None = None
    # a studio palette's global name is the Unix time it was created or
    # imported, an underscore and a random number ("1612345678_41")
    palette_created: dt.datetime | None = None
    # the studio palettes a level palette's styles were copied from (their
    # global names, each with its creation time in it)
    studio_palettes: tuple[str, ...] = ()
    reference_image: str | None = None
    styles: int | None = None  # a palette's colour styles
    brushes: tuple[str, ...] = ()  # the brush files its styles paint with (MyPaint .myb)
    frame_width: int | None = None  # a raster level's frames (TLV 1.4 header)
    frame_height: int | None = None
    pages: tuple[str, ...] = ()  # a palette's style pages
    style_names: tuple[str, ...] = ()  # a vector level's styles, by the names given them
    folders: tuple[tuple[str, str], ...] = ()  # a project's (name, path) folders


@dataclass(frozen=True)
class OpenToonzSaveRecord(Record):
    KIND: ClassVar[str] = "opentoonz_save"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "saved": TimeField("OpenToonz save (history line; local time, to the minute)"),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"machine": "host", "user": "user"}
    SAVE: ClassVar[dict[str, str]] = {"time": "saved", "user": "user", "host": "machine"}

    number: int | None = None
    saved: TimeValue | None = None
    machine: str | None = None
    user: str | None = None
    frames: str | None = None  # of a level: the frames this save changed ("1-4, 7")


def parse_saved(text: str) -> TimeValue | None:
    """ "28 Oct 25   15:24" (Qt's "dd MMM yy   hh:mm"), also with a numeric
    or localised month ("28 10월 25"); naive, as written."""
    text = " ".join(text.split())
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2}) (\S+?)\.? (\d{2,4}) (\d{1,2}):(\d{2})", text)
    if m:
        day, month_text, year, hour, minute = m.groups()
        digits = re.sub(r"\D", "", month_text)
        word = month_text.lower().rstrip(".")
        month = _MONTH_WORDS.get(word) or _MONTHS.get(word[:3]) or (int(digits) if digits else None)
        full = int(year) + (2000 if len(year) == 2 else 0)
        try:
            if month:
                return dt.datetime(full, month, int(day), int(hour), int(minute))  # noqa: DTZ001
        except ValueError:
            pass
    return RawTime(text)


def _fps(root: Element | None) -> float | None:
    """The main output's frame rate (a scene's or a project's)."""
    found = root.find(".//outputs/output/fps") if root is not None else None
    try:
        return float("".join(found.itertext()).strip()) if found is not None else None
    except ValueError:
        return None


def history_lines(text: str) -> list[tuple[int | None, TimeValue | None, str, str, str]]:
    """(number, saved, machine, user, frames) of each line of a content
    history, in the fixed columns `TContentHistory` writes."""
    out = []
    for m in _LINE.finditer(text):
        body = m.group(1)
        if "DATE:" in body:
            continue
        number = body[0:4].strip()
        user_and_frames = body[36:]
        out.append(
            (
                int(number) if number.isdigit() else None,
                parse_saved(body[4:24]),
                body[24:36].strip(),
                user_and_frames[:15].strip(),
                user_and_frames[15:].strip(),
            )
        )
    return out


def _unquote(text: str | None) -> str | None:
    """A TOStream value: a quoted string loses its quotes and its escapes
    (`\\\\` and `\\"`: TOStream escapes a path's backslashes)."""
    if text is None:
        return None
    text = text.strip()
    m = _QUOTED.fullmatch(text)
    if m:
        return re.sub(r'\\(["\\])', r"\1", m.group(1)).strip() or None
    return text or None


def _history_text(root: Element | None, text: str) -> str:
    if root is not None:
        found = root.find("history")
        return "".join(_QUOTED.findall("".join(found.itertext()))) if found is not None else ""
    m = re.search(r"<history>(.*?)</history>", text, re.S)
    return "".join(_QUOTED.findall(m.group(1))) if m else ""


_GLOBAL_NAME = re.compile(r"(\d{9,10})_\d+")
_EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # Toonz's studio palettes are younger
_LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
# a style's global name: "-" (its own studio palette) or "+" (linked to one),
# the palette's global name, "-", the style's index
_STYLE_LINK = re.compile(r"(?<![\w.])[+-](\d{9,10}_\d+)-\d+")


def _palette_time(name: str | None) -> dt.datetime | None:
    """The creation time in a studio palette's global name (StudioPalette::
    createPalette and importPalette: `time()` "_" `rand()`)."""
    m = _GLOBAL_NAME.fullmatch(name or "")
    if not m:
        return None
    when = dt.datetime.fromtimestamp(int(m.group(1)), dt.UTC)
    return when if _EARLIEST < when < _LATEST else None


def _resolution(root: Element | None) -> tuple[int | None, int | None]:
    """The camera's resolution (`<cameraRes>1920 1080</cameraRes>`)."""
    found = root.find(".//cameraRes") if root is not None else None
    text = "".join(found.itertext()) if found is not None else ""
    values = [int(v) for v in text.split() if v.isdigit()]
    return (values[0], values[1]) if len(values) >= 2 else (None, None)


def _levels(root: Element | None, text: str) -> tuple[list[str], list[str]]:
    names, paths = [], []
    if root is not None:
        level_set = root.find("levelSet")
        for level in level_set.iter("level") if level_set is not None else ():
            name = _unquote(level.text)
            if name:
                names.append(name)
            path = level.find("path")
            if path is not None and (value := _unquote("".join(path.itertext()))):
                paths.append(value)
        return names, paths
    m = re.search(r"<levelSet>(.*?)</levelSet>", text, re.S)
    for value in re.findall(r"<path>\s*(.*?)\s*</path>", m.group(1) if m else "", re.S):
        if unquoted := _unquote(value):
            paths.append(unquoted)
    return names, paths


class OpenToonzExtractor(Extractor):
    name = "opentoonz"
    version = "1.0"
    doc = ExtractorDoc(
        summary="OpenToonz scenes (.tnz), level histories (.hst), palettes (.tpl) and levels "
        "(.pli, .tlv): the save history (each save's time, machine and user), generator and "
        "version, frame count, camera, output path, levels and their paths, a vector level's "
        "style names.",
        reads="The TOStream XML of a scene or palette; the content-history lines of a scene's "
        "<history>, a level's .hst file or a .pli level's text tag; a .pli's style tags.",
        references=(
            "OpenToonz toonzlib/toonzscene.cpp (ToonzScene::saveData)",
            "OpenToonz toonzlib/tcontenthistory.cpp (the history lines)",
            "OpenToonz image/pli/pli_io.cpp (the PLI tags)",
        ),
        limits="History times are local and to the minute (naive). A level's own drawings "
        f"(.pli strokes, .tlv frames) are not read. At most {MAX_SAVES} saves per file.",
    )
    record_kinds = (OpenToonzRecord, OpenToonzSaveRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return (
            mime in (SCENE_MIME, HISTORY_MIME, PALETTE_MIME, PROJECT_MIME)
            or sniff_toonz(head) is not None
            or head.startswith((b"TLV1", b"PLIMG"))
        )

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        magic = stream.read(64)
        if magic.startswith(b"TLV1"):
            yield self._level(magic)
            return
        if magic.startswith(b"PLIMG"):
            stream.seek(0)
            yield from self._vector_level(read_whole(stream, MAX_BYTES, "a PLI level"), ctx)
            return
        data = read_whole(stream, MAX_BYTES, "an OpenToonz file")
        kind = sniff_toonz(data[:8192])
        if kind is None:
            raise NotMyFormat("not an OpenToonz scene, history or palette")
        text = data.decode("utf-8", "replace")
        if kind == HISTORY_MIME:
            lines = history_lines("".join(_QUOTED.findall(text)) or text)
            yield OpenToonzRecord(
                extractor=self.name,
                source="level history",
                document="level history",
                saves=len(lines),
            )
            yield from self._saves(lines, "level history", ctx)
            return
        root = None
        try:
            # TOStream writes a value's & as it is ("Lempel-Ziv & Welch"): escaped first
            root = SafeET.fromstring(escape_bare_ampersands(data))
        except SafeET.ParseError as exc:
            ctx.warn("corrupt", f"not well-formed XML ({exc}): read from its text")
        except ValueError as exc:  # entities or external references: refused, never expanded
            ctx.warn("corrupt", f"XML refused ({type(exc).__name__}: {exc}): read from its text")
        if kind == PALETTE_MIME:
            yield self._palette(root, text)
            return
        lines = history_lines(_history_text(root, text))
        names, paths = _levels(root, text)
        generator = (
            _unquote("".join(root.find("generator").itertext()))
            if root is not None and root.find("generator") is not None
            else _unquote(m.group(1))
            if (m := re.search(r"<generator>(.*?)</generator>", text, re.S))
            else None
        )
        head = re.search(r"<tnz\b([^>]*)>", text)
        attrs = dict(re.findall(r"""(\w+)=["']([^"']*)["']""", head.group(1))) if head else {}
        output = root.find(".//outputs/output/path") if root is not None else None
        width, height = _resolution(root)
        if kind == PROJECT_MIME:
            yield self._project(root, text, output, (width, height))
            return
        yield OpenToonzRecord(
            extractor=self.name,
            source="scene",
            document="scene",
            generator=generator,
            format_version=attrs.get("version"),
            frame_count=int(attrs["framecount"]) if attrs.get("framecount", "").isdigit() else None,
            camera_width=width,
            camera_height=height,
            output_path=_unquote("".join(output.itertext())) if output is not None else None,
            level_names=tuple(names),
            level_paths=tuple(paths),
            level_count=len(names) if root is not None else None,
            saves=len(lines),
            fps=_fps(root),
        )
        yield from self._saves(lines, "scene history", ctx)

    def _saves(
        self,
        lines: list[tuple[int | None, TimeValue | None, str, str, str]],
        source: str,
        ctx: Context,
    ) -> Iterator[Record]:
        for number, saved, machine, user, frames in lines[:MAX_SAVES]:
            yield OpenToonzSaveRecord(
                extractor=self.name,
                source=source,
                number=number,
                saved=saved,
                machine=machine or None,
                user=user or None,
                frames=frames or None,
            )
        if len(lines) > MAX_SAVES:
            ctx.warn("limit_exceeded", f"{len(lines)} saves: the first {MAX_SAVES} read")

    def _vector_level(self, data: bytes, ctx: Context) -> Iterator[Record]:
        """A PLI level's header, its history (a tag of its own: each save
        with the frames it changed) and its styles' names."""
        info = pli.read(data)
        if not info.complete:
            ctx.warn("corrupt", "a PLI tag runs past the end of the file: read up to it")
        lines = history_lines(info.history)
        yield replace(self._level(data[:64]), saves=len(lines), style_names=info.style_names)
        yield from self._saves(lines, "level history", ctx)

    def _level(self, head: bytes) -> OpenToonzRecord:
        """A level's header: its format and the program that wrote it
        ("TLV14B1a" or "PLIMG", then "OpenToonz 1.4 CM(f1)"); a TLV 1.4
        raster level's creator field is 40 bytes, followed by the header's
        size, the frames' width and height and the number of frames
        (little-endian 32-bit: OpenToonz `tiio_tzl.cpp`)."""
        raster = head.startswith(b"TLV1")
        m = re.match(rb"(?:TLV1\w{4}|PLIMG\x00..)([\x20-\x7e]{3,60})\x00", head, re.S)
        width = height = frames = None
        if re.match(rb"TLV1[4-9]", head) and len(head) >= 64:
            _, lx, ly, count = struct.unpack_from("<4i", head, 48)
            if 0 < lx <= 1 << 16 and 0 < ly <= 1 << 16 and 0 <= count <= 1 << 20:
                width, height, frames = lx, ly, count
        return OpenToonzRecord(
            extractor=self.name,
            source="level header",
            document="raster level" if raster else "vector level",
            format_version=head[:8].decode("ascii", "replace") if raster else None,
            generator=m.group(1).decode("ascii") if m else None,
            frame_width=width,
            frame_height=height,
            frame_count=frames,
        )

    def _project(
        self,
        root: Element | None,
        text: str,
        output: Element | None,
        camera: tuple[int | None, int | None],
    ) -> OpenToonzRecord:
        if root is not None:
            version = root.find("version")
            folders = tuple((f.get("name", ""), f.get("path", "")) for f in root.iter("folder"))[
                :MAX_SAVES
            ]
        else:
            version = None
            folders = tuple(re.findall(r'<folder name="([^"]*)" path="([^"]*)"', text))[:MAX_SAVES]
        return OpenToonzRecord(
            extractor=self.name,
            source="project",
            document="project",
            format_version=" ".join("".join(version.itertext()).split())
            if version is not None
            else None,
            output_path=_unquote("".join(output.itertext())) if output is not None else None,
            fps=_fps(root),
            folders=folders,
            camera_width=camera[0],
            camera_height=camera[1],
        )

    def _palette(self, root: Element | None, text: str) -> OpenToonzRecord:
        name = root.get("name") if root is not None else None
        if root is None and (m := re.search(r"""<palette\b[^>]*\bname=["']([^"']*)["']""", text)):
            name = m.group(1)
        ref = root.find(".//refImgPath") if root is not None else None
        version = root.find("version") if root is not None else None
        pages = (
            tuple(
                _unquote("".join(n.itertext())) or "" for n in root.iterfind("stylepages/page/name")
            )
            if root is not None
            else ()
        )
        styles = (
            ["".join(st.itertext()) for st in root.iterfind("styles/style")]
            if root is not None
            else []
        )
        links = _STYLE_LINK.findall(" ".join(styles) if root is not None else text)
        return OpenToonzRecord(
            extractor=self.name,
            source="palette",
            document="palette",
            palette_name=name or None,
            palette_created=_palette_time(name),
            studio_palettes=tuple(dict.fromkeys(links))[:MAX_SAVES],
            reference_image=_unquote("".join(ref.itertext())) if ref is not None else None,
            format_version=" ".join("".join(version.itertext()).split())
            if version is not None
            else None,
            styles=len(styles) if root is not None else None,
            brushes=tuple(
                dict.fromkeys(
                    path
                    for style in styles
                    for quoted in _QUOTED.findall(style)
                    if (path := _unquote(f'"{quoted}"'))
                )
            )[:MAX_SAVES],
            pages=pages,
        )
