"""Animate's publish settings (`PublishSettings.xml`, a `<flash_profiles>`
document beside an XFL's DOMDocument.xml and inside every `.fla`; a
`<profiles>` one for an HTML5 canvas document, its formats' settings as
`<Property name=...>` pairs): how the movie is published, as the artist's
copy of Animate left it.

What an analyst reads off it:

- the profiles (their names, the current one) and the files each format
  publishes to (`flashFileName`, `htmlFileName`, ...: the movie's name);
- the document class, the class paths and the player it was tested in;
- every absolute path it holds: the HTML template's path lies inside the
  artist's own Animate configuration (`C:\\Users\\NAME\\AppData\\Local\\Adobe\\
  Animate CC 2019\\zh_CN\\Configuration\\HTML\\Default.html`), the class paths
  often on the artist's desktop; these name the user and the disk as
  embedded paths do (`entities.from_path`);
- from that configuration path, the product as installed ("Animate CC
  2019", "Flash CS5.5") and the language of the installation ("zh_CN",
  "ru_RU"): which edition of the software, in which language, the artist
  ran, whatever language the document's own names are in.

Parsed with defusedxml (through `documents.parse`). Reference: the XFL
folder as Flash CS5 to Animate 2024 write it (PublishSettings.xml).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar
from xml.etree.ElementTree import Element

from ..records import FileRef, Record
from ..sniff import PUBLISH_SETTINGS_MIME, is_publish_settings
from .base import Context, Extractor, ExtractorDoc
from .documents import is_absolute_path, read_document

MAX_BYTES = 16 * 1024 * 1024
MAX_VALUES = 2_000
# ...\Adobe\<product>\<locale>\Configuration\...: Windows and macOS alike
_CONFIGURATION = re.compile(
    r"[\\/]Adobe[\\/]+(?P<product>[^\\/]{1,80})[\\/]+(?P<locale>[a-z]{2}_[A-Z]{2})[\\/]+Configuration",
    re.I,
)
_PATH_LISTS = ("PackagePaths", "ClassPath", "LibraryPath", "ExternalLibraryPath")


@dataclass(frozen=True)
class AnimatePublishSettingsRecord(Record):
    KIND: ClassVar[str] = "animate_publish_settings"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"paths": "path", "product": "software"}

    profiles: tuple[str, ...] = ()
    current_profile: str | None = None
    outputs: tuple[str, ...] = ()  # the files the formats publish to
    document_class: str | None = None
    player: str | None = None  # the Flash Player version it is tested in
    template: str | None = None  # the HTML template's path (or title, for an HTML5 canvas)
    product: str | None = None  # as installed: "Animate CC 2019"
    locale: str | None = None  # the installation's language: "zh_CN"
    paths: tuple[str, ...] = ()  # every absolute path it holds
    class_paths: tuple[str, ...] = ()  # the ActionScript class and package paths, as written
    # an HTML5 canvas document's publish properties (name, value), as written
    properties: tuple[tuple[str, str], ...] = ()


class PublishSettingsExtractor(Extractor):
    name = "publish_settings"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Animate publish settings (PublishSettings.xml of an XFL or .fla): profiles, "
        "output files, document class, player, the absolute paths (user names) and the "
        "product and language of the Animate installation they were written by.",
        reads="a <flash_profiles> (or an HTML5 canvas document's <profiles>) document, loose "
        "or a member of a .fla.",
        references=("Adobe XFL PublishSettings.xml as written by Flash CS5 to Animate 2024",),
        limits=f"At most {MAX_VALUES} output names and paths each; {MAX_BYTES} bytes.",
    )
    record_kinds = (AnimatePublishSettingsRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return mime == PUBLISH_SETTINGS_MIME or is_publish_settings(head[:4096])

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record]:
        root = read_document(
            stream,
            MAX_BYTES,
            is_publish_settings,
            ("flash_profiles", "profiles"),
            "Animate's publish settings",
            ctx.warn,
        )
        profiles = [el for el in root if el.tag in ("flash_profile", "profile")]
        current = next((el for el in profiles if el.get("current") == "true"), None)
        outputs: dict[str, None] = {}
        paths: dict[str, None] = {}
        class_paths: dict[str, None] = {}
        properties: dict[tuple[str, str], None] = {}
        texts: dict[str, str] = {}  # by tag, the last profile's
        for el in root.iter():
            text = (el.text or "").strip()
            if not text:
                continue
            texts[el.tag] = text
            pieces = text.split(";") if el.tag.endswith(_PATH_LISTS) else [text]
            for piece in (p.strip() for p in pieces):
                if el.tag.endswith(_PATH_LISTS) and piece not in ("", "."):
                    class_paths[piece] = None
                if is_absolute_path(piece):
                    paths[piece] = None
                elif _names_output(el) and "/" not in piece and "\\" not in piece:
                    outputs[piece] = None
            if el.tag == "Property" and el.get("name") and len(properties) < MAX_VALUES:
                properties[(el.get("name", ""), text)] = None
        template = texts.get("TemplateFileName")
        where = next(filter(None, (_CONFIGURATION.search(p) for p in paths)), None)
        if len(outputs) > MAX_VALUES or len(paths) > MAX_VALUES:
            ctx.warn("limit_exceeded", f"more than {MAX_VALUES} output names or paths: cut")
        yield AnimatePublishSettingsRecord(
            extractor=self.name,
            source="PublishSettings.xml",
            profiles=tuple(el.get("name", "") for el in profiles),
            current_profile=current.get("name") if current is not None else None,
            outputs=tuple(outputs)[:MAX_VALUES],
            document_class=texts.get("DocumentClass"),
            player=texts.get("ExternalPlayer"),
            template=template or _property(properties, "templateTitle"),
            product=where.group("product") if where else None,
            locale=where.group("locale") if where else None,
            paths=tuple(paths)[:MAX_VALUES],
            class_paths=tuple(class_paths)[:MAX_VALUES],
            properties=tuple(properties),
        )


def _names_output(el: Element) -> bool:
    """An element naming a published file: `flashFileName`, `htmlFileName`,
    or an HTML5 canvas format's `<Property name="filename">`."""
    if el.tag == "Property":
        return el.get("name") == "filename"
    return el.tag.endswith("FileName") and el.tag != "TemplateFileName"


def _property(properties: dict[tuple[str, str], None], name: str) -> str | None:
    return next((v for k, v in properties if k == name and v), None)
