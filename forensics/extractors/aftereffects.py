"""Adobe After Effects projects: `.aep` (RIFX: big-endian RIFF, form type
`Egg!`) and `.aepx` (the same project as XML).

What an analyst reads off a project without After Effects: the files its
footage items point at (`fullpath`: the artist's disk, a server share;
`server_name` and `server_volume_name`: the machine and the disk it was
found on), which the binary project keeps as small JSON objects in its
`Alas` chunks (`alas` inside `Als2` in CC 2018) and the XML project as
`fileReference` elements; the count of its chunks; each composition's
frame size, frame rate and duration (`cdta`); the items' comments (`cmta`,
notes); every text its `Utf8` chunks hold (loose, or wrapped in `tdsn` and
`fnam`) besides the items' and layers' names (effects and their controls,
masks, the 3D views as the installed After Effects names them: the
language of the artist's copy, expressions, text layers), and the e-mail
addresses among them. The project's XMP (save history, document ids,
CreatorTool) is appended after the RIFX data; the `xmp` extractor reads it
(a RIFX file is one of its known carriers).

The RIFX walk is ours (a few lines: chunk id, big-endian size, data, even
padding; `LIST` chunks nest, except `btdk`, whose body is not chunks): no
maintained Python reader of AEP exists. A chunk that says it runs past its
parent is `corrupt`, and what was read before it is kept. XML through
defusedxml. References: RIFF (Microsoft, 1991), Lottie's "Parsing AEP
files" notes.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..errors import NotMyFormat
from ..records import FileRef, Note, Record
from ..sniff import is_aep, is_aepx
from . import aepnames
from .base import Context, Extractor, ExtractorDoc
from .documents import EMAIL, local_name, parse, read_whole

MAX_BYTES = 256 * 1024 * 1024
MAX_CHUNKS = 1_000_000
MAX_DEPTH = 64
MAX_TEXTS = 20_000
MAX_TEXT = 4_000  # an expression is code, kept whole up to this


@dataclass(frozen=True)
class AfterEffectsRecord(Record):
    KIND: ClassVar[str] = "aftereffects"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "footage_paths": "path",
        "output_paths": "path",
        "servers": "host",
        "emails": "email",
    }

    format: str = ""  # aep or aepx
    chunks: int = 0
    footage_paths: tuple[str, ...] = ()
    output_paths: tuple[str, ...] = ()  # the render queue's output files
    servers: tuple[str, ...] = ()  # the machines the footage was found on (alias server_name)
    volumes: tuple[str, ...] = ()  # the disks it was on (server_volume_name: "Macintosh HD")
    # every other text the project holds (Utf8 chunks): effects' and their
    # controls' names, masks, views (in the language of the After Effects
    # that wrote them), expressions, text layers' words
    texts: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()  # the e-mail addresses among them
    # (name, width, height, frames per second, duration in seconds) of each
    # composition, as its `cdta` chunk gives them
    compositions: tuple[tuple[str, int, int, float, float], ...] = ()
    comments: tuple[str, ...] = ()  # the items' comments (cmta), as the artist typed them


def walk_rifx(data: bytes, ctx: Context) -> Iterator[tuple[bytes, bytes, bytes]]:
    """(chunk id, body, type of the LIST it is in) of every chunk, depth
    first, within the limits."""
    stack = [(12, min(len(data), 8 + struct.unpack(">I", data[4:8])[0]), 0, b"Egg!")]
    count = 0
    while stack:
        pos, end, depth, kind = stack.pop()
        while pos + 8 <= end:
            cid = data[pos : pos + 4]
            (size,) = struct.unpack(">I", data[pos + 4 : pos + 8])
            body_end = pos + 8 + size
            if body_end > end:
                ctx.warn("corrupt", f"chunk {cid!r} at {pos} says {size} bytes, past its parent")
                break
            count += 1
            if count > MAX_CHUNKS:
                ctx.warn("limit_exceeded", f"more than {MAX_CHUNKS} chunks: the rest not read")
                return
            if cid == b"LIST" and size >= 4 and data[pos + 8 : pos + 12] != b"btdk":
                if depth < MAX_DEPTH:
                    stack.append((body_end + (size & 1), end, depth, kind))
                    pos, end, depth, kind = pos + 12, body_end, depth + 1, data[pos + 8 : pos + 12]
                    continue
                ctx.warn("limit_exceeded", f"LIST chunks nested deeper than {MAX_DEPTH}")
            else:
                yield cid, data[pos + 8 : body_end], kind
            pos = body_end + (size & 1)


def _utf8(cid: bytes, body: bytes) -> str:
    """The text of a `Utf8` chunk, or of one wrapped whole in another
    chunk (`tdsn`: a property's or a mask's name as the artist gave it;
    `fnam`: an effect's name, in the installed After Effects' language)."""
    if cid != b"Utf8":
        if body[:4] != b"Utf8" or len(body) < 8:
            return ""
        (size,) = struct.unpack_from(">I", body, 4)
        body = body[8 : 8 + size]
    return aepnames.text(body).strip()


def composition(name: str, body: bytes) -> tuple[str, int, int, float, float] | None:
    """A composition's settings from its `cdta` chunk: the duration as a
    fraction at bytes 44 and 48, the frame size at 140, the frame rate (16.16
    fixed point) at 156. The layout is the same from CS3 to 2025 (checked on
    the public projects of bench/production.py; Lottie's AEP notes and
    aep_parser's description agree); a chunk too short, or a value no
    composition can have, is left out."""
    if len(body) < 160:
        return None
    dividend, divisor = struct.unpack_from(">II", body, 44)
    width, height = struct.unpack_from(">HH", body, 140)
    whole, part = struct.unpack_from(">HH", body, 156)
    rate = whole + part / 65536
    if not divisor or not width or not height or not 0 < rate <= 1000:
        return None
    return (name, width, height, round(rate, 3), round(dividend / divisor, 3))


class AfterEffectsExtractor(Extractor):
    name = "aftereffects"
    version = "1.0"
    doc = ExtractorDoc(
        summary="After Effects projects (.aep RIFX, .aepx XML): the footage items' file paths "
        "(users and shares from the artist's disk), the render queue's output paths, the "
        "names of items (compositions, folders) and layers as notes, each composition's frame "
        "size, frame rate and duration, the items' comments (notes), every other text (effects, "
        "masks, views, expressions) and its e-mail addresses, the footage's servers; the XMP "
        "after the RIFX data goes to `xmp`.",
        reads="The RIFX chunks of an .aep (Alas: footage JSON; alas: the older footage alias, "
        "its path and Mac alias record; ldat of the render queue; Utf8, idta and ldta names; "
        "cdta: a composition's settings; cmta: an item's comment), "
        "fileReference elements of an .aepx.",
        references=(
            "RIFF (Microsoft Multimedia Programming Interface, 1991)",
            "Apple Alias Manager: AliasRecord and its tagged fields",
        ),
        limits="Of a composition's settings only its frame size, frame rate and duration are "
        "read; layers' and keyframes' times are not decoded (After Effects' chunk "
        "layouts are undocumented); names older projects store in the system's code page are "
        f"read as UTF-8, else Shift_JIS. At most {MAX_CHUNKS} chunks.",
    )
    record_kinds = (AfterEffectsRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return is_aep(head) or is_aepx(head[:4096])

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        data = read_whole(stream, MAX_BYTES, "an After Effects project")
        if is_aep(data[:12]):
            paths: list[str] = []
            outputs: list[str] = []
            servers: list[str] = []
            volumes: list[str] = []
            names: dict[str, str] = {}  # name -> Item or Layer, first seen
            texts: dict[str, None] = {}
            compositions: list[tuple[str, int, int, float, float]] = []
            comments: dict[str, None] = {}
            item = ""  # the name of the item whose chunks are being read
            chunks = 0
            for cid, body, kind in walk_rifx(data, ctx):
                chunks += 1
                if cid == b"Alas" or (cid == b"alas" and body.lstrip()[:1] == b"{"):
                    # JSON since CC (lower-case `alas` inside `Als2` in CC 2018)
                    try:
                        value = json.loads(body.rstrip(b"\x00").decode("utf-8"))
                    except (UnicodeDecodeError, ValueError):
                        ctx.warn("corrupt", "an Alas chunk is not the JSON it should be")
                        continue
                    fields = value if isinstance(value, dict) else {}
                    for key, into in (
                        ("fullpath", paths),
                        ("server_name", servers),
                        ("server_volume_name", volumes),
                    ):
                        if isinstance(fields.get(key), str):
                            into.append(fields[key])
                elif cid == b"alas":
                    paths.extend(aepnames.alias_paths(body))
                elif cid == b"ldat" and kind in (b"LItm", b"list"):  # the render queue
                    outputs.extend(aepnames.output_paths(body))
                elif cid == b"cdta" and kind == b"Item":
                    if settings := composition(item, body):
                        compositions.append(settings)
                elif cid == b"cmta" and kind == b"Item":
                    if comment := aepnames.text(body.split(b"\x00", 1)[0]).strip():
                        comments[comment] = None
                elif name := aepnames.item_name(cid, body, kind):
                    names.setdefault(name, "Layer" if kind == b"Layr" else "Item")
                    if kind == b"Item":
                        item = name
                elif (
                    (value := _utf8(cid, body))
                    and len(value) <= MAX_TEXT
                    and len(texts) < MAX_TEXTS
                ):
                    texts[value] = None
            yield AfterEffectsRecord(
                extractor=self.name,
                source="RIFX",
                format="aep",
                chunks=chunks,
                footage_paths=tuple(dict.fromkeys(paths)),
                output_paths=tuple(dict.fromkeys(outputs)),
                servers=tuple(dict.fromkeys(s for s in servers if s.strip())),
                volumes=tuple(dict.fromkeys(v for v in volumes if v.strip())),
                texts=tuple(t for t in texts if t not in names),
                emails=tuple(dict.fromkeys(m.group() for t in texts for m in EMAIL.finditer(t))),
                compositions=tuple(compositions),
                comments=tuple(comments),
            )
            for name, where in names.items():
                yield Note(text=name, origin="layer_name", source=where)
            for comment in comments:
                yield Note(text=comment, origin="comment", source="Item")
            return
        if not is_aepx(data[:4096]):
            raise NotMyFormat("not an After Effects project")
        root = parse(data, "the .aepx project", ctx.warn)
        paths = [
            el.get("fullpath", "")
            for el in root.iter()
            if local_name(el.tag) == "fileReference" and el.get("fullpath")
        ]
        yield AfterEffectsRecord(
            extractor=self.name,
            source="XML",
            format="aepx",
            footage_paths=tuple(dict.fromkeys(paths)),
        )
