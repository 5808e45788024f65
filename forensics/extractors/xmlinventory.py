"""What every XML document of the production software holds, whatever
its reader knows of it: an inventory beside the format's own record.

The format readers (`animate`, `pencil2d`, `synfig`, `opentoonz`,
`harmony`, `aftereffects`, `publish_settings`) read the fields they know,
as the versions they were written against lay them out. A newer or older
version, a plug-in's elements, a studio's own attributes hold more; an
analyst must not lose it because no reader names it. For each such
document this record keeps:

- `elements`: how many of each element it holds (`DOMSoundItem`: 9,
  `layer`: 4): what the document is made of, counted;
- `names`: every distinct value of an attribute or element that names
  something (a `name`, `label`, `title`, `href`, `src`, a path, a file, an
  identifier or class name): layers, symbols, instances, files (not the
  format's own parameter names: `<param name="amount">`);
- `paths`: every absolute path in it, in an attribute or a text, lists
  split on `;`: the artist's disk, whose user and host names the entities
  read as from any embedded path (`entities.from_path`).

Times are left to the format readers: a number is a time only where the
format says so. Parsed with defusedxml (`documents.parse`); a document in
the middle of a git merge is read without its marker lines, as its format
reader reads it (which warns of it once).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from ..errors import NotMyFormat
from ..records import FileRef, Record
from ..sniff import (
    AEPX_MIME,
    HARMONY_MIME,
    HARMONY_SCENE_MIME,
    PALETTE_MIME,
    PENCIL2D_DOCUMENT_MIME,
    PROJECT_MIME,
    PUBLISH_SETTINGS_MIME,
    SCENE_MIME,
    SYNFIG_MIME,
    XFL_DOCUMENT_MIME,
    XFL_SYMBOL_MIME,
    sniff_toonz,
)
from .base import Context, Extractor, ExtractorDoc
from .documents import escape_bare_ampersands, is_absolute_path, local_name, parse, read_whole

MAX_BYTES = 64 * 1024 * 1024
MAX_TAGS = 500
MAX_NAMES = 5_000
MAX_PATHS = 2_000
MAX_VALUE = 300  # a longer value is not a name
MAX_TEXT = 64 * 1024  # a longer text (embedded data) holds no path to split out
MIMES = frozenset(
    {
        XFL_DOCUMENT_MIME,
        XFL_SYMBOL_MIME,
        PUBLISH_SETTINGS_MIME,
        PENCIL2D_DOCUMENT_MIME,
        SYNFIG_MIME,
        SCENE_MIME,
        PALETTE_MIME,
        PROJECT_MIME,
        HARMONY_SCENE_MIME,
        HARMONY_MIME,
        AEPX_MIME,
    }
)
# what an attribute or element is called when its value names something
_NAMING = (
    "name",
    "label",
    "title",
    "href",
    "src",
    "path",
    "file",
    "filename",
    "filepath",
    "identifier",
    "classname",
)


# elements whose `name` is the format's own vocabulary, the same in every
# document (Synfig's <param name="amount">, Harmony's attributes), not a name
# the artist gave
_SCHEMA_TAGS = frozenset({"param", "attr", "meta", "property", "option"})


def _naming(key: str) -> bool:
    return local_name(key).casefold().endswith(_NAMING)


@dataclass(frozen=True)
class XmlInventoryRecord(Record):
    KIND: ClassVar[str] = "xml_inventory"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"paths": "path"}

    root: str = ""
    elements: dict[str, int] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()


class XmlInventoryExtractor(Extractor):
    name = "xml_inventory"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Every XML document of the production software (Animate, Pencil2D, Synfig, "
        "OpenToonz, Harmony, After Effects .aepx): its elements counted, every name it "
        "gives, every absolute path in it, whatever the format reader knows of it.",
        reads="the XML documents the production formats' sniffers recognise.",
        references=("the format readers' own references",),
        limits=f"At most {MAX_TAGS} element kinds, {MAX_NAMES} names, {MAX_PATHS} paths; "
        f"{MAX_BYTES} bytes.",
    )
    record_kinds = (XmlInventoryRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return mime in MIMES

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record]:
        data = read_whole(stream, MAX_BYTES, "an XML document")
        if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise NotMyFormat("not an XML document")
        if sniff_toonz(data[:8192]) is not None:  # OpenToonz's TOStream: `&` written bare
            data = escape_bare_ampersands(data)
        root = parse(data, "the document", lambda _kind, _message: None)  # its reader warns
        counts: Counter[str] = Counter()
        names: dict[str, None] = {}
        paths: dict[str, None] = {}
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            tag = local_name(el.tag)
            counts[tag] += 1
            values = list(el.attrib.items())
            if el.text and el.text.strip():
                values.append((tag, el.text))
            for key, raw in values:
                value = raw.strip()
                if not value or len(value) > MAX_TEXT:
                    continue
                for piece in (p.strip() for p in value.split(";")):  # path lists too
                    if is_absolute_path(piece):
                        paths[piece] = None
                schema = key == "name" and tag.casefold() in _SCHEMA_TAGS
                if _naming(key) and not schema and len(value) <= MAX_VALUE and "\n" not in value:
                    names[value] = None
        if len(counts) > MAX_TAGS or len(names) > MAX_NAMES or len(paths) > MAX_PATHS:
            ctx.warn(
                "limit_exceeded",
                f"{len(counts)} element kinds, {len(names)} names, {len(paths)} paths: "
                f"the first {MAX_TAGS}, {MAX_NAMES}, {MAX_PATHS} kept",
            )
        yield XmlInventoryRecord(
            extractor=self.name,
            source=local_name(root.tag),
            root=local_name(root.tag),
            elements=dict(counts.most_common(MAX_TAGS)),
            names=tuple(names)[:MAX_NAMES],
            paths=tuple(paths)[:MAX_PATHS],
        )
