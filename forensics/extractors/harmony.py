"""Toon Boom Harmony scenes and drawings: the scene `.xstage`, its
`.aux` (scene version), `scene.elementTable`, `scene.versionTable`,
`PALETTE_LIST`, palettes (`.plt`), and the `.tvg` vector drawings.

- A scene (`<project>`) names the program, its version, build and build
  date (`source="Harmony Premium (HarmonyPremium.exe) version 22.0.3 build
  19258 2023-01-18 ..."`); newer versions add the save: `date` (the saving
  machine's local clock, as Qt's `ctime` form writes it), `timeMsec` (the
  same instant in milliseconds since the Unix epoch: UTC), `username` and
  `realUsername`. The pair gives the saving machine's UTC offset. Its
  elements (each a folder of drawings), scenes and their frame counts, and
  any absolute path among its attributes are kept.
- The `.aux` says when the scene version was modified (local, naive),
  and which drawings each element holds.
- `PALETTE_LIST` links each palette by an absolute path from the disk
  that created the scene (`C:/Users/NAME/...`).
- A `.tvg` (`OTVG`) begins with the licence certificate of the copy of
  Harmony that drew it (an X.509 certificate issued by Toon Boom's
  licence server: its subject is the licence's id, its validity the
  licence's dates) and holds, in its `TVCI` block, the drawing machine's
  host name and the product ("Torrell-PC - unknown host type (12):
  Harmony Advanced"; some write a bare name, or a number, for the host).
  Older drawings (format 0x3f0) compress everything after the header in
  one zlib block; only its first bytes are inflated.

Written here: Toon Boom publishes no description of these files; the
layouts are read from the files themselves (tags of four characters, the
sizes after them little-endian). The certificate is read by `cryptography`;
XML through defusedxml.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar
from xml.etree.ElementTree import Element

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, RawTime, Record, TimeField, TimeValue
from ..sniff import HARMONY_DRAWING_MIME, HARMONY_MIME, HARMONY_SCENE_MIME, sniff_harmony
from .base import Context, Extractor, ExtractorDoc
from .documents import is_absolute_path, parse, read_whole

MAX_BYTES = 64 * 1024 * 1024  # a scene of many columns is megabytes
MAX_ITEMS = 10_000
INFO_BYTES = 64 * 1024  # of an old drawing's zlib block: the info is at its start
_SOURCE = re.compile(
    r"^(?P<product>.*?)\s*(?:\((?P<exe>[^)]*)\))?\s*version\s+(?P<version>\S+)"
    r"(?:\s+build\s+(?P<build>\S+))?(?:\s+(?P<date>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}))?"
)
_COLOUR = re.compile(r'^\w+\s+(?:"([^"]*)"|(\S+))')  # a palette line: kind, then name
_COLOUR_ID = re.compile(r"(?<!\w)0x[0-9a-fA-F]{16}(?!\w)")  # then its 64-bit id
# a palette's link: its path quoted (Windows) or not (macOS writes it bare)
_LINK = re.compile(r'^(\S+)\s+LINK\s+(?:"([^"]*)"|(\S.*?))\s*$', re.M)
# the drawing machine's "HOST - HOST TYPE:" (or a bare name), then the product
_INFO = re.compile(rb"([\x20-\xff]{1,255})\x00([\x20-\xff]{1,100})\x00")


@dataclass(frozen=True)
class HarmonyRecord(Record):
    KIND: ClassVar[str] = "harmony"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "saved": TimeField(
            "Harmony scene save (date: the saving machine's local time)", zone_evidence="naive"
        ),
        "saved_utc": TimeField(
            "Harmony scene save (timeMsec: milliseconds since 1970, UTC)",
            utc_by_format=True,
            zone_evidence="utc",
        ),
        "modified": TimeField("Harmony scene version modified (.aux: local time)"),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "product": "software",
        "user": "user",
        "real_user": "user",
        "palette_paths": "path",
        "paths": "path",
    }
    SAVE: ClassVar[dict[str, str]] = {"time": "saved_utc", "user": "user"}

    document: str = ""  # scene, element table, version table, scene version, palette list, palette
    generator: str | None = None  # the `source` attribute whole, as the program wrote it
    product: str | None = None  # "Harmony Advanced", "Stage"
    product_version: str | None = None  # "25.1.0"
    build: str | None = None
    build_date: str | None = None  # of the program, as written (not the work's)
    format_version: str | None = None  # "2510"
    saved: TimeValue | None = None
    saved_utc: dt.datetime | None = None
    modified: TimeValue | None = None
    user: str | None = None
    real_user: str | None = None
    scene_names: tuple[str, ...] = ()
    frame_count: int | None = None
    elements: tuple[tuple[str, int], ...] = ()  # (element name, its drawings)
    element_count: int | None = None
    drawings: int | None = None
    columns: int | None = None
    nodes: int | None = None
    palette_names: tuple[str, ...] = ()
    palette_paths: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    colours: int | None = None
    colour_names: tuple[str, ...] = ()  # a palette's, as its artist named them
    colour_ids: tuple[str, ...] = ()  # their ids (0x...): a colour copied keeps its id


@dataclass(frozen=True)
class HarmonyDrawingRecord(Record):
    KIND: ClassVar[str] = "harmony_drawing"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "licence_valid_from": TimeField(
            "Harmony licence certificate valid from (UTC)", utc_by_format=True
        ),
        "licence_valid_to": TimeField(
            "Harmony licence certificate valid to (UTC)", utc_by_format=True
        ),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "host": "host",
        "product": "software",
        "licence_id": "licence",
    }

    format_version: int | None = None
    compressed: bool = False
    host: str | None = None
    host_type: str | None = None  # "unknown host type (12)", as Harmony writes it
    product: str | None = None
    licence_id: str | None = None  # the certificate's subject common name
    licence_issuer: str | None = None
    licence_serial: str | None = None
    licence_valid_from: dt.datetime | None = None
    licence_valid_to: dt.datetime | None = None


def parse_ctime(text: str | None) -> TimeValue | None:
    """Qt's default date text, "Tue Dec 16 23:48:04 2025" (C locale), naive."""
    if not text or not text.strip():
        return None
    try:
        return dt.datetime.strptime(" ".join(text.split()), "%a %b %d %H:%M:%S %Y")  # noqa: DTZ007
    except ValueError:
        return RawTime(text)


def parse_modified(text: str | None) -> TimeValue | None:
    if not text or not text.strip():
        return None
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return RawTime(text)


def _msec(text: str | None) -> dt.datetime | None:
    if not text or not text.strip().isdigit():
        return None
    try:
        return dt.datetime.fromtimestamp(int(text) / 1000, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def _source(attrs: dict[str, str]) -> dict[str, str | None]:
    m = _SOURCE.match(attrs.get("source", ""))
    if not m:
        return {"product": attrs.get("source") or None, "generator": attrs.get("source") or None}
    return {
        "generator": attrs.get("source"),
        "product": m.group("product") or None,
        "product_version": m.group("version"),
        "build": m.group("build") or attrs.get("build"),
        "build_date": m.group("date"),
    }


def _absolute_paths(root: Element) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for element in root.iter():
        for value in element.attrib.values():
            if is_absolute_path(value) and len(found) < MAX_ITEMS:
                found[value] = None
    return tuple(found)


class HarmonyExtractor(Extractor):
    name = "harmony"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Toon Boom Harmony scenes (.xstage, .aux, element and version tables, "
        "PALETTE_LIST, palettes) and drawings (.tvg): program, version and build, the save's "
        "local and UTC times and user names, scenes and frame counts, elements and drawings, "
        "absolute paths; a drawing's host name, product and licence certificate.",
        reads="The scene XML files; a PALETTE_LIST's LINK lines; a .tvg's CERT and TVCI blocks.",
        references=("The files themselves (Toon Boom publishes no format description)",),
        limits="Drawing strokes are not read. An old drawing's zlib block is inflated to its "
        f"first {INFO_BYTES // 1024} KiB only. At most {MAX_ITEMS} elements or paths per file.",
    )
    record_kinds = (HarmonyRecord, HarmonyDrawingRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return mime in (HARMONY_SCENE_MIME, HARMONY_MIME, HARMONY_DRAWING_MIME) or (
            sniff_harmony(head[:4096]) is not None
        )

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        data = read_whole(stream, MAX_BYTES, "a Harmony file")
        kind = sniff_harmony(data[:4096])
        if kind is None:
            raise NotMyFormat("not a Toon Boom Harmony scene, table, palette or drawing")
        if kind == HARMONY_DRAWING_MIME:
            yield self._drawing(data, ctx)
        elif data.startswith(b"ToonBoomAnimationInc Palette"):
            yield self._palette(data)
        else:
            yield from self._xml(parse(data, "a Harmony scene file", ctx.warn), ctx)

    def _xml(self, root: Element, ctx: Context) -> Iterator[Record | Note]:
        attrs = dict(root.attrib)
        common = {
            **_source(attrs),
            "format_version": attrs.get("version"),
            "saved": parse_ctime(attrs.get("date")),
            "saved_utc": _msec(attrs.get("timeMsec")),
            "user": attrs.get("username") or None,
            "real_user": attrs.get("realUsername") or None,
        }
        if root.tag == "SceneVersion":
            elements = self._elements(root.iterfind("Element"), "Name", "Drawing", ctx)
            yield HarmonyRecord(
                extractor=self.name,
                source="scene version",
                document="scene version",
                scene_names=(attrs["VersionName"],) if attrs.get("VersionName") else (),
                modified=parse_modified(attrs.get("Modified")),
                elements=elements,
                element_count=len(elements),
                drawings=sum(n for _, n in elements),
            )
            return
        if root.tag == "Scene":
            yield HarmonyRecord(
                extractor=self.name,
                source="version table",
                document="version table",
                scene_names=(attrs["Name"],) if attrs.get("Name") else (),
            )
            return
        if root.tag == "elements":
            elements = self._elements(root.iterfind("element"), "elementName", "dwg", ctx)
            yield HarmonyRecord(
                extractor=self.name,
                source="element table",
                document="element table",
                elements=elements,
                element_count=len(elements),
                **common,  # type: ignore[arg-type]
            )
            return
        if root.tag != "project":
            raise CorruptInput(f"a Harmony file whose root is <{root.tag}>")
        table = root.find("elements")
        found = table.iterfind("element") if table is not None else iter(())
        elements = self._elements(found, "elementName", "dwg", ctx)
        scenes = list(root.iter("scene"))
        yield HarmonyRecord(
            extractor=self.name,
            source="scene",
            document="scene",
            scene_names=tuple(s.get("name", "") for s in scenes[:MAX_ITEMS] if s.get("name")),
            frame_count=_int(scenes[0].get("nbframes")) if scenes else None,
            elements=elements,
            element_count=len(elements),
            drawings=sum(n for _, n in elements),
            columns=sum(1 for _ in root.iter("column")),
            nodes=sum(1 for _ in root.iter("module")),
            paths=_absolute_paths(root),
            **common,  # type: ignore[arg-type]
        )
        # named columns are the artist's words (the anonymous ones are ids)
        for column in root.iter("column"):
            if column.get("anonymous") != "true" and (name := column.get("name")):
                yield Note(text=name, origin="layer_name", source=f"xstage column {name!r}")

    def _elements(
        self, found: Iterator[Element], name: str, drawing: str, ctx: Context
    ) -> tuple[tuple[str, int], ...]:
        out: list[tuple[str, int]] = []
        for element in found:
            if len(out) == MAX_ITEMS:
                ctx.warn("limit_exceeded", f"more than {MAX_ITEMS} elements: the first read")
                break
            out.append((element.get(name, ""), sum(1 for _ in element.iter(drawing))))
        return tuple(out)

    def _palette(self, data: bytes) -> HarmonyRecord:
        text = data.decode("utf-8", "replace")
        if text.startswith("ToonBoomAnimationInc PaletteList"):
            links = [(n, quoted or bare) for n, quoted, bare in _LINK.findall(text)][:MAX_ITEMS]
            return HarmonyRecord(
                extractor=self.name,
                source="palette list",
                document="palette list",
                palette_names=tuple(name for name, _ in links),
                palette_paths=tuple(path for _, path in links if is_absolute_path(path)),
                paths=(),
            )
        lines = [line for line in text.splitlines()[1:] if line.strip()]
        names = [m.group(1) or m.group(2) for m in map(_COLOUR.match, lines) if m]
        return HarmonyRecord(
            extractor=self.name,
            source="palette",
            document="palette",
            colours=len(lines),
            colour_names=tuple(names[:MAX_ITEMS]),
            colour_ids=tuple(dict.fromkeys(_COLOUR_ID.findall(text)))[:MAX_ITEMS],
        )

    def _drawing(self, data: bytes, ctx: Context) -> HarmonyDrawingRecord:
        if len(data) < 16 or data[4:8] not in (b"full", b"diff", b"part"):
            ctx.warn("corrupt", f"a drawing header of {len(data)} bytes: read as far as it goes")
        (version,) = struct.unpack_from("<I", data, 8) if len(data) >= 12 else (None,)
        fields: dict[str, object] = {"format_version": version}
        body = data[16:]
        if body.startswith(b"ZLIB") and len(body) >= 12:
            fields["compressed"] = True
            packed, _ = struct.unpack_from("<II", body, 4)
            try:
                body = zlib.decompressobj().decompress(body[12 : 12 + packed], INFO_BYTES)
            except zlib.error as exc:
                ctx.warn("corrupt", f"the drawing's zlib block does not inflate: {exc}")
                body = b""
        fields.update(self._certificate(data, ctx))
        info = body.find(b"TVCIUNCO")
        if info >= 0 and (m := _INFO.search(body, info + 8, info + 4096)):
            machine = m.group(1).decode("utf-8", "replace").rstrip(":").strip()
            host, _, kind = machine.partition(" - ")
            fields["host"] = host.strip() or None
            fields["host_type"] = kind.strip() or None
            fields["product"] = m.group(2).decode("utf-8", "replace").strip() or None
        elif info < 0 and not fields.get("licence_id"):
            ctx.warn("corrupt", "a drawing without its TVCI block: truncated or damaged")
        return HarmonyDrawingRecord(extractor=self.name, source="drawing", **fields)  # type: ignore[arg-type]

    def _certificate(self, data: bytes, ctx: Context) -> dict[str, object]:
        start = data.find(b"-----BEGIN CERTIFICATE-----", 0, 8192)
        if start < 0:
            return {}
        end = data.find(b"-----END CERTIFICATE-----", start, start + 16384)
        if end < 0:
            ctx.warn("corrupt", "the drawing's licence certificate is cut short")
            return {}
        from cryptography import x509
        from cryptography.x509.oid import NameOID

        try:
            cert = x509.load_pem_x509_certificate(data[start : end + 25])
        except ValueError as exc:
            ctx.warn("corrupt", f"the drawing's licence certificate does not read: {exc}")
            return {}

        def common_name(name: x509.Name) -> str | None:
            found = name.get_attributes_for_oid(NameOID.COMMON_NAME)
            value = found[0].value if found else None
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else value

        return {
            "licence_id": common_name(cert.subject),
            "licence_issuer": common_name(cert.issuer),
            "licence_serial": str(cert.serial_number),
            "licence_valid_from": cert.not_valid_before_utc,
            "licence_valid_to": cert.not_valid_after_utc,
        }
