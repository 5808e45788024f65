"""Adobe Animate (Flash Professional CS5 and later) documents: a `.fla` is
a zip whose `mimetype` member says `application/vnd.adobe.xfl`, holding the
XFL document `DOMDocument.xml`; an uncompressed XFL folder has the same
`DOMDocument.xml` loose. What an analyst reads off it:

- the document's `versionInfo` ("Saved by Animate Windows 21.0 build 349"),
  creator, platform, XFL version, stage size, frame rate;
- every library item (bitmaps, sounds, videos, symbols) with the times
  Animate records for it, as Unix seconds: when a bitmap was last imported
  (`sourceLastImported`) and when its source file was last modified as
  Animate saw it (`sourceLastModified`, `lastModified`), and the path it
  was imported from (`sourceExternalFilepath`: the artist's disk);
- the timelines' (scenes') names; the library's folder names and the
  document's layer names, as notes (origin `layer_name`, as the other
  programs' layer names); the names of symbol instances on its timelines
  and the identifiers library items are exported to ActionScript as;
- the publish history: each time the movie was published (Unix seconds),
  its size and whether for debugging, a record each (`animate_publish`);
- the document's `persistentData` (name and value pairs Animate and its
  publishing extensions keep: the document's own path, output and
  temporary folders), the absolute paths among them naming the artist's
  disk as embedded paths do.

- the words of every text field on its timelines (static, dynamic, input
  text: notes, origin `text_layer`).

A library symbol is a file of its own in an XFL folder or a `.fla`
(`LIBRARY/NAME.xml`, root `DOMSymbolItem`): its name, type, exported class,
when it was last changed (`lastModified`, Unix seconds), its layers (names
as notes), key frames, the instances it names, the library items it places,
its text fields, their fonts and their words (a record `animate_symbol`).

Each library item with a time is a record of its own (`animate_item`).
Unix seconds are instants: zone basis `utc`. Parsed with defusedxml.
Reference: the XFL format as Animate writes it (DOMDocument.xml,
DOMBitmapItem, DOMSoundItem, Include).

Flash MX to CS4 wrote a binary `.fla`, an OLE compound file: its scenes,
symbols and imported files (names, source paths, times) are read from its
`Contents` stream (`fla_ole.py`), the compound file's own times kept; its
XMP (CS4, UTF-16 in `Contents`) is the xmp extractor's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar
from xml.etree.ElementTree import Element

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, Record, TimeField
from ..sniff import (
    FLA_OLE_MIME,
    OLE_MAGIC,
    XFL_DOCUMENT_MIME,
    XFL_MIME,
    XFL_SYMBOL_MIME,
    is_binary_fla,
    is_xfl_document,
    is_xfl_symbol,
)
from . import fla_ole
from .base import Context, Extractor, ExtractorDoc
from .documents import EMAIL, is_absolute_path, local_name, parse, read_whole, zip_member

MAX_BYTES = 64 * 1024 * 1024
MAX_ITEMS = 20_000
_ITEM_TAGS = (
    "DOMBitmapItem",
    "DOMSoundItem",
    "DOMVideoItem",
    "DOMCompiledClipItem",
    "DOMFontItem",
    "Include",
)
_TIMES = ("sourceLastImported", "sourceLastModified", "lastModified")
# what a frame script reaches out to: web addresses (and e-mail addresses: EMAIL)
_URL = re.compile(r"\b(?:https?|ftp|rtmpe?)://[^\s'\"<>()\\]{1,500}", re.I)


@dataclass(frozen=True)
class AnimateRecord(Record):
    KIND: ClassVar[str] = "animate"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "created": TimeField("Flash .fla compound file created (FILETIME, UTC)", True),
        "modified": TimeField("Flash .fla compound file modified (FILETIME, UTC)", True),
        "saved": TimeField("Flash .fla saved (its versionInfo's timecount, Unix seconds)", True),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "saved_by": "software",
        "creator": "software",
        "paths": "path",
        "script_emails": "email",
    }

    saved_by: str | None = None  # versionInfo
    creator: str | None = None  # creatorInfo
    platform: str | None = None
    xfl_version: str | None = None
    width: int | None = None
    height: int | None = None
    frame_rate: float | None = None
    items: int = 0
    timelines: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    file_guid: str | None = None  # fileGUID: the document's id, kept across saves
    symbols: tuple[str, ...] = ()  # the library's symbols (an XFL's Include files)
    symbol_count: int = 0
    bitmaps: int = 0  # the library's bitmap items
    sounds: int = 0
    videos: int = 0
    # the names given to symbol instances on the document's timelines (what
    # its ActionScript calls them: "loadingmc")
    instance_names: tuple[str, ...] = ()
    created: dt.datetime | None = None  # of a binary .fla: its compound file's times
    modified: dt.datetime | None = None
    saved: dt.datetime | None = None  # of a binary .fla: the save its versionInfo dates
    # a binary .fla's settings, as its Contents keeps them (key, value): the
    # published files' names, the HTML template, the document class...
    settings: tuple[tuple[str, str], ...] = ()
    linked_files: tuple[str, ...] = ()  # of a binary .fla: every file its Contents names
    publishes: int = 0  # the publish history's entries (each an animate_publish record)
    # persistentData: what Animate and its publishing extensions keep with the
    # document (the .fla's own path, output folders, temporary folders...)
    persistent: tuple[tuple[str, str], ...] = ()
    paths: tuple[str, ...] = ()  # the absolute paths among them: the artist's disk
    # the web and e-mail addresses its frame scripts (ActionScript, or an
    # HTML5 canvas's JavaScript) name
    script_urls: tuple[str, ...] = ()
    script_emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnimatePublishRecord(Record):
    """One entry of the document's publish history: the movie published
    (a SWF, an app) at that instant, its size, and whether for debugging."""

    KIND: ClassVar[str] = "animate_publish"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "published": TimeField("Animate document published (publishHistory)", True),
    }

    published: dt.datetime | None = None
    size: int | None = None
    debug: bool = False


@dataclass(frozen=True)
class AnimateItemRecord(Record):
    KIND: ClassVar[str] = "animate_item"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "imported": TimeField("Animate library item imported (sourceLastImported)", True),
        "source_modified": TimeField("Animate item source modified (sourceLastModified)", True),
        "modified": TimeField("Animate library item modified (lastModified)", True),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"source_path": "path"}

    item_type: str = ""  # bitmap, sound, video, clip, font, symbol (media: a binary .fla's)
    name: str | None = None
    font: str | None = None  # a font item's typeface, as embedded
    source_path: str | None = None
    # the ActionScript 3 class it is exported as, or its ActionScript 2 identifier
    linkage_class: str | None = None
    imported: dt.datetime | None = None
    source_modified: dt.datetime | None = None
    modified: dt.datetime | None = None


@dataclass(frozen=True)
class AnimateSymbolRecord(Record):
    """A symbol of the library, as its own XML file (`LIBRARY/NAME.xml` of an
    XFL folder or a `.fla`): when it was last changed and what it holds."""

    KIND: ClassVar[str] = "animate_symbol"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "modified": TimeField("Animate symbol modified (lastModified)", True),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"script_emails": "email"}

    name: str | None = None
    item_id: str | None = None
    symbol_type: str | None = None  # graphic, button, movie clip (none written)
    linkage_class: str | None = None
    modified: dt.datetime | None = None
    layers: int = 0
    frames: int = 0  # its timeline's key frames
    instance_names: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()  # the library items its frames place
    text_fields: tuple[str, ...] = ()  # the names of its text fields
    fonts: tuple[str, ...] = ()  # the faces its texts are set in
    script_urls: tuple[str, ...] = ()  # as the document's
    script_emails: tuple[str, ...] = ()


def _unix(text: str | None) -> dt.datetime | None:
    try:
        value = int(text) if text else 0
    except ValueError:
        return None
    if not 0 < value < 4_102_444_800:  # before 2100: an Animate time, not a counter
        return None
    return dt.datetime.fromtimestamp(value, dt.UTC)


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


class AnimateExtractor(Extractor):
    name = "animate"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Adobe Animate XFL documents (.fla zips, loose DOMDocument.xml): versionInfo, "
        "stage, frame rate, library items with their import and modification times and "
        "source paths, the publish history, persistent data and its paths, instance names, "
        "the web and e-mail addresses its frame scripts name; timeline names; folder and "
        "layer names and text fields' words as notes; each library symbol's file (name, "
        "class, last change, layers, instances, texts, fonts).",
        reads="DOMDocument.xml of a .fla (mimetype application/vnd.adobe.xfl) or an XFL folder, "
        "the library's symbol files (LIBRARY/*.xml); "
        "the Contents stream of a binary (OLE) .fla.",
        references=("Adobe XFL (DOMDocument.xml) as written by Flash CS5 to Animate 2024",),
        limits="A binary .fla's Symbol streams are not opened; its item times are read by "
        "their position (fla_ole.py). At most "
        f"{MAX_ITEMS} library items.",
    )
    record_kinds = (AnimateRecord, AnimateItemRecord, AnimatePublishRecord, AnimateSymbolRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        if (
            ref.entry is not None
            and ref.entry.format == "zip"
            and ref.entry.name == "DOMDocument.xml"
        ):
            return False  # a .fla's own document: read once, as the .fla
        return (
            mime in (XFL_MIME, XFL_DOCUMENT_MIME, XFL_SYMBOL_MIME, FLA_OLE_MIME)
            or is_xfl_document(head[:4096])
            or is_xfl_symbol(head[:4096])
        )

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        magic = stream.read(8)
        if magic == OLE_MAGIC:
            yield from self._binary(stream, ctx)
            return
        if magic[:4] == b"PK\x03\x04":
            xml, _ = zip_member(stream, "DOMDocument.xml", MAX_BYTES, "an XFL document")
        else:
            xml = read_whole(stream, MAX_BYTES, "an XFL document")
            if is_xfl_symbol(xml[:4096]):
                yield from self._symbol(parse(xml, "the symbol", ctx.warn))
                return
            if not is_xfl_document(xml[:4096]):
                raise NotMyFormat("not an XFL document")
        root = parse(xml, "DOMDocument.xml", ctx.warn)
        if local_name(root.tag) != "DOMDocument":
            raise NotMyFormat(f"root is <{local_name(root.tag)}>, not <DOMDocument>")
        yield from self._read(root, ctx)

    def _binary(self, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        try:
            data, (created, modified) = fla_ole.contents(stream)
        except ValueError as exc:
            stream.seek(0)
            if is_binary_fla(stream.read(1 << 16)):  # its directory says .fla: it is damaged
                raise CorruptInput(f"a binary .fla that does not read: {exc}") from exc
            raise NotMyFormat(str(exc)) from exc
        except (OSError, EOFError) as exc:  # a stream cut short inside the compound file
            raise CorruptInput(f"a binary .fla that does not read: {exc}") from exc
        found = fla_ole.library(data)
        yield AnimateRecord(
            extractor=self.name,
            source="Contents",
            saved_by=found.saved_by,
            saved=found.saved,
            settings=tuple(found.settings),
            linked_files=tuple(found.files),
            paths=tuple(p for p in found.files if is_absolute_path(p)),
            items=len(found.symbols) + len(found.media),
            timelines=tuple(found.scenes),
            symbols=tuple(found.symbols[:MAX_ITEMS]),
            symbol_count=len(found.symbols),
            created=created,
            modified=modified,
        )
        for media in found.media:
            times = media.times + (None,) * (3 - len(media.times))
            if not media.path and not any(times):
                continue
            yield AnimateItemRecord(
                extractor=self.name,
                source=f"Contents {media.stream}",
                item_type="media",
                name=media.name,
                source_path=media.path,
                imported=times[2],
                source_modified=times[0],
            )
        for symbol, linkage, document in found.links:  # exported, or shared from another .fla
            yield AnimateItemRecord(
                extractor=self.name,
                source=f"Contents symbol {symbol}",
                item_type="symbol",
                name=symbol,
                linkage_class=linkage,
                source_path=document,
            )

    def _read(self, root: Element, ctx: Context) -> Iterator[Record | Note]:
        elements = _tagged(root)

        def named(tag: str, key: str = "name") -> list[str]:
            return [el.get(key, "") for el, t in elements if t == tag]

        items = [el for el, t in elements if t in _ITEM_TAGS]
        tags = [t for _, t in elements if t in _ITEM_TAGS]
        timelines, folders, layers = named("DOMTimeline"), named("DOMFolderItem"), named("DOMLayer")
        published = [el for el, t in elements if t == "PublishItem"]
        symbols = named("Include", "href")
        links = _script_links(elements)
        persistent = tuple(
            (el.get("n", ""), el.get("v", ""))
            for el, t in elements
            if t == "PD" and el.get("n") and el.get("v")
        )[:MAX_ITEMS]
        yield AnimateRecord(
            extractor=self.name,
            source="DOMDocument.xml",
            saved_by=root.get("versionInfo"),
            creator=root.get("creatorInfo"),
            platform=root.get("platform"),
            xfl_version=root.get("xflVersion"),
            width=int(w) if (w := _number(root.get("width"))) is not None else None,
            height=int(h) if (h := _number(root.get("height"))) is not None else None,
            frame_rate=_number(root.get("frameRate")),
            file_guid=root.get("fileGUID"),
            items=len(items),
            timelines=tuple(t for t in timelines if t),
            folders=tuple(f for f in folders if f),
            symbols=tuple(h for h in symbols if h)[:MAX_ITEMS],
            symbol_count=len(symbols),
            bitmaps=tags.count("DOMBitmapItem"),
            sounds=tags.count("DOMSoundItem"),
            videos=tags.count("DOMVideoItem"),
            instance_names=_distinct(named("DOMSymbolInstance")),
            publishes=len(published),
            persistent=persistent,
            paths=tuple(dict.fromkeys(v for _, v in persistent if is_absolute_path(v))),
            script_urls=links["script_urls"],
            script_emails=links["script_emails"],
        )
        for el in published[:MAX_ITEMS]:
            when = _unix(el.get("publishTime"))
            size = _number(el.get("publishSize"))
            yield AnimatePublishRecord(
                extractor=self.name,
                source="publishHistory",
                published=when,
                size=int(size) if size is not None else None,
                debug=el.get("publishDebug") == "true",
            )
        kinds = {
            "DOMBitmapItem": "bitmap",
            "DOMSoundItem": "sound",
            "DOMVideoItem": "video",
            "DOMCompiledClipItem": "clip",
            "DOMFontItem": "font",
            "Include": "symbol",
        }
        for el in items[:MAX_ITEMS]:
            times = [_unix(el.get(name)) for name in _TIMES]
            path = el.get("sourceExternalFilepath")
            if not any(times) and not path and not el.get("font"):
                continue
            yield AnimateItemRecord(
                extractor=self.name,
                source=f"{local_name(el.tag)} {el.get('name') or el.get('href') or ''}".strip(),
                item_type=kinds[local_name(el.tag)],
                name=el.get("name") or el.get("href"),
                font=el.get("font"),
                source_path=path,
                linkage_class=el.get("linkageClassName") or el.get("linkageIdentifier"),
                imported=times[0],
                source_modified=times[1],
                modified=times[2],
            )
        if len(items) > MAX_ITEMS:
            ctx.warn("limit_exceeded", f"{len(items)} library items: the first {MAX_ITEMS} read")
        # the library's folders and the document's layers, as the studio named them
        yield from _named(elements, [*folders, *layers], "DOMDocument.xml")

    def _symbol(self, root: Element) -> Iterator[Record | Note]:
        if local_name(root.tag) != "DOMSymbolItem":
            raise NotMyFormat(f"root is <{local_name(root.tag)}>, not <DOMSymbolItem>")
        elements = _tagged(root)
        layers = [el.get("name", "") for el, tag in elements if tag == "DOMLayer"]
        links = _script_links(elements)
        yield AnimateSymbolRecord(
            extractor=self.name,
            source="DOMSymbolItem",
            name=root.get("name"),
            item_id=root.get("itemID"),
            symbol_type=root.get("symbolType"),
            linkage_class=root.get("linkageClassName") or root.get("linkageIdentifier"),
            modified=_unix(root.get("lastModified")),
            layers=len(layers),
            frames=sum(1 for _, tag in elements if tag == "DOMFrame"),
            instance_names=_distinct(
                el.get("name") for el, tag in elements if tag.endswith("Instance")
            ),
            uses=_distinct(el.get("libraryItemName") for el, _ in elements),
            text_fields=_distinct(el.get("name") for el, tag in elements if tag in _TEXT_TAGS),
            fonts=_distinct(el.get("face") for el, tag in elements if tag == "DOMTextAttrs"),
            script_urls=links["script_urls"],
            script_emails=links["script_emails"],
        )
        yield from _named(elements, layers, "DOMSymbolItem")


_TEXT_TAGS = ("DOMStaticText", "DOMDynamicText", "DOMInputText")


def _script_links(elements: list[tuple[Element, str]]) -> dict[str, tuple[str, ...]]:
    """The web and e-mail addresses in a timeline's frame scripts (each
    frame's `<script>`, ActionScript or JavaScript), as the records' fields
    `script_urls` and `script_emails`."""
    code = [el.text or "" for el, tag in elements if tag == "script"]
    urls = _distinct(m.group().rstrip(".,;") for c in code for m in _URL.finditer(c))
    emails = _distinct(m.group() for c in code for m in EMAIL.finditer(c))
    return {"script_urls": urls, "script_emails": emails}


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))[:MAX_ITEMS]


def _tagged(root: Element) -> list[tuple[Element, str]]:
    """Every element of a document with its tag's local name: one walk for
    all that is read of it."""
    return [(el, local_name(el.tag)) for el in root.iter() if isinstance(el.tag, str)]


def _named(elements: list[tuple[Element, str]], names: list[str], source: str) -> Iterator[Note]:
    """The studio's own words in a timeline: its folders' and layers' names
    (origin `layer_name`, once each), then the words of every text field
    (static, dynamic, input: their runs' characters joined; Animate writes a
    line break as a carriage return; origin `text_layer`)."""
    for name in dict.fromkeys(n.strip() for n in names[:MAX_ITEMS]):
        if name:
            yield Note(text=name, origin="layer_name", source=source)
    for el, tag in elements:
        if tag in _TEXT_TAGS:
            runs = (c for c in el.iter() if isinstance(c.tag, str))
            words = "".join(c.text or "" for c in runs if local_name(c.tag) == "characters")
            if text := words.replace("\r", "\n").strip():
                yield Note(text=text, origin="text_layer", source=f"{source} {tag}")
