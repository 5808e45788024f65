"""Krita documents (`.kra`, `.krz`): a zip whose `mimetype` member says
`application/x-krita`, holding `documentinfo.xml` (what Krita's
KoDocumentInfo writes: title, abstract, the initial creator, the number of
saves and the editing time, the creation and last save dates, the author's
name, company and contacts) and `maindoc.xml` (the Krita version that saved
it, the image's name and size, its layers, the animation's frame rate and
range).

Both are read with defusedxml. Krita writes its dates with Qt's ISO format
from the local clock, without an offset: they are naive, as written. The
editing time is in seconds, and the editing cycles count the saves (an
autosave does not count). Layer names are notes (origin `layer_name`), as
a PSD's are; the texts of its vector (shape) layers, SVG members of the
zip, are notes too (origin `text_layer`: what was typed on the drawing).
A file layer shows another file, named relative to the document's folder
(absolute across drives): kept as written, the absolute ones as paths.
The document is also a container: its members (the merged image, the
layers' tiles) stay rows of their own, walked by the sources.

References: Krita's `libs/ui/KoDocumentInfo.cpp` (the tags and how they are
written) and `plugins/impex/libkra/kis_kra_savexml_visitor.cpp` (maindoc).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar
from xml.etree.ElementTree import Element

from ..errors import CorruptInput, LimitExceeded, NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .dates import parse_iso8601
from .documents import is_absolute_path, local_name, parse

MIME = "application/x-krita"
MAX_PART = 8 * 1024 * 1024  # documentinfo.xml and maindoc.xml are kilobytes
MAX_LAYER_NOTES = 2_000


@dataclass(frozen=True)
class KritaRecord(Record):
    KIND: ClassVar[str] = "krita"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "created": TimeField("Krita creation date (documentinfo creation-date)"),
        "saved": TimeField("Krita last save date (documentinfo date)"),
    }
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "initial_creator": "creator",
        "author": "author",
        "company": "organization",
        "email": "email",
        "software": "software",
        "file_layer_paths": "path",
    }
    # the document's last save, by its author; its editing cycles and time
    # are the document's totals since it was created
    SAVE: ClassVar[dict[str, str]] = {
        "time": "saved",
        "user": "author",
        "count": "editing_cycles",
        "seconds": "editing_seconds",
    }

    title: str | None = None
    subject: str | None = None
    description: str | None = None
    abstract: str | None = None
    keywords: str | None = None
    initial_creator: str | None = None
    author: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    author_title: str | None = None
    position: str | None = None
    company: str | None = None
    email: str | None = None
    contacts: tuple[tuple[str, str], ...] = ()  # (type, value): telephone, fax, homepage...
    editing_cycles: int | None = None  # saves
    editing_seconds: int | None = None
    created: TimeValue | None = None
    saved: TimeValue | None = None
    language: str | None = None
    license: str | None = None
    software: str | None = None  # "Krita 5.1.5", from maindoc's kritaVersion
    syntax_version: str | None = None
    image_name: str | None = None
    width: int | None = None
    height: int | None = None
    color_space: str | None = None
    layers: int | None = None
    # a file layer shows another file, named relative to the document's folder
    # (absolute when on another drive): the artist's folders, as written
    file_layers: tuple[str, ...] = ()
    file_layer_paths: tuple[str, ...] = ()  # the absolute ones among them
    frame_rate: int | None = None
    frames: int | None = None  # of the animation's range, first to last
    fonts: tuple[str, ...] = ()  # the font families of the texts on its vector layers


def _int(text: str | None) -> int | None:
    try:
        return int(float(text)) if text not in (None, "") else None
    except ValueError:
        return None


def _part(zf: zipfile.ZipFile, name: str) -> Element | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise LimitExceeded(f"{name} is {info.file_size} bytes, past the {MAX_PART} read")
    return parse(zf.read(info), name)


def _children(root: Element | None, section: str) -> dict[str, str]:
    """Tag -> text of the elements under `section` (namespace dropped)."""
    out: dict[str, str] = {}
    if root is None:
        return out
    for el in root:
        if local_name(el.tag) == section:
            for child in el:
                text = "".join(child.itertext()).strip()
                if text and local_name(child.tag) != "contact":
                    out.setdefault(local_name(child.tag), text)
    return out


def _contacts(root: Element | None) -> list[tuple[str, str]]:
    if root is None:
        return []
    return [
        (el.get("type") or "", "".join(el.itertext()).strip())
        for el in root.iter()
        if local_name(el.tag) == "contact" and "".join(el.itertext()).strip()
    ]


def _time(text: str | None) -> TimeValue | None:
    return parse_iso8601(text) if text else None


class KritaExtractor(Extractor):
    name = "krita"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Krita documents: creator, author, company, e-mail, saves (editing cycles), "
        "editing time, creation and last save dates, Krita version, image size, layer names "
        "and the texts of vector layers (as notes) with their fonts, animation frame rate and "
        "range.",
        reads="documentinfo.xml, maindoc.xml and the shape layers' content.svg of a .kra/.krz "
        "zip (mimetype application/x-krita).",
        references=(
            "Krita libs/ui/KoDocumentInfo.cpp (documentinfo.xml)",
            "Krita plugins/impex/libkra (maindoc.xml)",
        ),
        limits="Dates are the saving machine's local time without an offset (naive). "
        f"At most {MAX_LAYER_NOTES} layer names as notes. The layers' pixels are not read.",
    )
    record_kinds = (KritaRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and (mime == MIME or ref.extension in ("kra", "krz"))

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        try:
            zf = zipfile.ZipFile(stream)
        except zipfile.BadZipFile as exc:
            raise NotMyFormat(f"not a zip: {exc}") from exc
        with zf:
            names = set(zf.namelist())
            if "maindoc.xml" not in names and "documentinfo.xml" not in names:
                raise NotMyFormat("no maindoc.xml or documentinfo.xml: not a Krita document")
            try:
                info = _part(zf, "documentinfo.xml")
                main = _part(zf, "maindoc.xml")
                shapes = [
                    (name, zf.read(name))
                    for name in sorted(names)
                    if name.endswith(".shapelayer/content.svg")
                    and zf.getinfo(name).file_size <= MAX_PART
                ][:MAX_LAYER_NOTES]
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                zlib.error,
                NotImplementedError,
                RuntimeError,
            ) as exc:
                raise CorruptInput(f"Krita document unreadable: {exc}") from exc
        about, author = _children(info, "about"), _children(info, "author")
        contacts = _contacts(info)
        email = next((v for t, v in contacts if t == "email"), None)
        tree = main.iter() if main is not None else iter(())
        image = next((el for el in tree if local_name(el.tag) == "IMAGE"), None)
        nodes = image.iter() if image is not None else iter(())
        layers = [el for el in nodes if local_name(el.tag) == "layer"]
        sources = tuple(
            dict.fromkeys(
                src
                for layer in layers
                if layer.get("nodetype") == "filelayer" and (src := (layer.get("source") or ""))
            )
        )[:MAX_LAYER_NOTES]
        rate = range_ = None
        if main is not None:
            for el in main.iter():
                if local_name(el.tag) == "framerate":
                    rate = _int(el.get("value"))
                elif local_name(el.tag) == "range":
                    first, last = _int(el.get("from")), _int(el.get("to"))
                    if first is not None and last is not None and last >= first:
                        range_ = last - first + 1
        version = main.get("kritaVersion") if main is not None else None
        editor = (main.get("editor") if main is not None else None) or "Krita"
        named = {f"{layer.get('filename')}.shapelayer": layer.get("name", "") for layer in layers}
        texts: list[Note] = []
        fonts: dict[str, None] = {}
        for member, svg in shapes:
            where = f"shape layer {named.get(member.split('/')[-2], '')!r}"
            for text, family in _shape_text(member, svg, ctx):
                if family:
                    fonts[family] = None
                if text:
                    texts.append(Note(text=text, origin="text_layer", source=where))
        yield KritaRecord(
            extractor=self.name,
            source="documentinfo.xml" if info is not None else "maindoc.xml",
            title=about.get("title"),
            subject=about.get("subject"),
            description=about.get("description"),
            abstract=about.get("abstract"),
            keywords=about.get("keyword"),
            initial_creator=about.get("initial-creator"),
            author=author.get("full-name") or author.get("creator"),
            first_name=author.get("creator-first-name"),
            last_name=author.get("creator-last-name"),
            author_title=author.get("author-title"),
            position=author.get("position"),
            company=author.get("company"),
            email=email,
            contacts=tuple((t, v) for t, v in contacts if t != "email"),
            editing_cycles=_int(about.get("editing-cycles")),
            editing_seconds=_int(about.get("editing-time")),
            created=_time(about.get("creation-date")),
            saved=_time(about.get("date")),
            language=about.get("language"),
            license=about.get("license"),
            software=f"{editor} {version}" if version else None,
            syntax_version=main.get("syntaxVersion") if main is not None else None,
            image_name=image.get("name") if image is not None else None,
            width=_int(image.get("width")) if image is not None else None,
            height=_int(image.get("height")) if image is not None else None,
            color_space=image.get("colorspacename") if image is not None else None,
            layers=len(layers) if image is not None else None,
            file_layers=sources,
            file_layer_paths=tuple(p for p in sources if is_absolute_path(p)),
            frame_rate=rate,
            frames=range_,
            fonts=tuple(fonts),
        )
        for layer in layers[:MAX_LAYER_NOTES]:
            name = (layer.get("name") or "").strip()
            if name:
                yield Note(text=name, origin="layer_name", source=f"maindoc.xml layer {name!r}")
        if len(layers) > MAX_LAYER_NOTES:
            ctx.warn(
                "limit_exceeded", f"{len(layers)} layers: the first {MAX_LAYER_NOTES} as notes"
            )
        yield from texts


def _shape_text(member: str, svg: bytes, ctx: Context) -> Iterator[tuple[str, str | None]]:
    """(words, font family) of each text a vector (shape) layer holds: each
    SVG <text>, its spans joined as they are drawn ("chat" "." "horse" read
    "chat.horse"), a line to each span placed anew."""
    try:
        root = parse(svg, member)
    except CorruptInput as exc:
        ctx.warn("corrupt", f"{member}: {exc}")
        return
    for el in root.iter():
        if isinstance(el.tag, str) and local_name(el.tag) == "text":
            family = el.get("font-family") or _style_font(el.get("style") or "")
            yield _lines(el), family.strip().strip("'\"") if family else None


def _style_font(style: str) -> str | None:
    """The font-family of an inline CSS style (`font-family:Noto Sans;...`)."""
    m = re.search(r"font-family\s*:\s*([^;]+)", style)
    return m.group(1) if m else None


def _lines(text: Element) -> str:
    """A <text>'s words as drawn: a top-level span placed anew (`x` or
    `dy`, as Krita writes each line after the first) starts a new line."""
    out = [text.text or ""]
    for span in text:
        if (span.get("x") is not None or span.get("dy") is not None) and "".join(out).strip():
            out.append("\n")
        out.extend([*span.itertext(), span.tail or ""])
    return "\n".join(line.strip() for line in "".join(out).strip().split("\n"))
