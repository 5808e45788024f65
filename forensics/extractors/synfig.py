"""Synfig Studio documents (`.sif`; a `.sifz` is one gzipped, walked by the
sources into its `.sif`): the `<canvas>` root's size, frame rate and time
range, its name and description, its `<meta>` pairs (as written: the
program keeps guides, grid and background settings there, and authors
whatever they add), the files its import layers bring in (absolute paths
show the artist's disk), the layers' descriptions and the keyframes'
labels (the words the artist named a moment with: notes, origin
`layer_name`; the keyframes' times kept on the record), and the text
layers' words (notes, origin `text_layer`) and font families.

Parsed with defusedxml (entities refused). Synfig writes no save date and
no author of its own. Reference: the Synfig file format
(synfig-core `loadcanvas.cpp` / `savecanvas.cpp`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..records import FileRef, Note, Record
from ..sniff import SYNFIG_MIME as MIME
from ..sniff import is_synfig
from .base import Context, Extractor, ExtractorDoc
from .documents import read_document

MAX_BYTES = 64 * 1024 * 1024
MAX_NOTES = 2_000


@dataclass(frozen=True)
class SynfigRecord(Record):
    KIND: ClassVar[str] = "synfig"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"imported": "path", "author": "author"}

    name: str | None = None
    description: str | None = None
    format_version: str | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    begin_time: str | None = None  # as written: "0f", "5s", "1m 2s"
    end_time: str | None = None
    duration_seconds: float | None = None
    layers: int = 0
    imported: tuple[str, ...] = ()  # files the import layers bring in
    fonts: tuple[str, ...] = ()  # the font families its text layers are set in
    # the keyframes (time as written, and the words the artist named the moment with)
    keyframes: tuple[tuple[str, str], ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    author: str | None = None  # a <meta name="author"> where one was written


def seconds(text: str | None, fps: float | None) -> float | None:
    """A Synfig time ("2s", "48f", "1m 2s 6f", "1h", or bare seconds) in
    seconds; frames need the frame rate."""
    if not text:
        return None
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    total, found = 0.0, False
    for value, unit in re.findall(r"(-?\d+(?:\.\d+)?)\s*([hmsf])", text):
        found = True
        if unit == "f":
            if not fps:
                return None
            total += float(value) / fps
        else:
            total += float(value) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total if found else None


class SynfigExtractor(Extractor):
    name = "synfig"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Synfig documents (.sif, and .sifz through the walker): name, description, "
        "size, fps, time range, meta pairs, imported file paths, keyframes, fonts, layer "
        "descriptions, keyframe labels and text layers' words as notes.",
        reads="The <canvas> XML.",
        references=("Synfig synfig-core loadcanvas.cpp / savecanvas.cpp",),
        limits=f"No save date or author is written by Synfig itself. At most {MAX_NOTES} notes.",
    )
    record_kinds = (SynfigRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return mime == MIME or is_synfig(head[:4096])

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        root = read_document(
            stream, MAX_BYTES, is_synfig, ("canvas",), "a Synfig document", ctx.warn
        )
        fps = _float(root.get("fps"))
        meta = tuple(
            (m.get("name", ""), m.get("content", "")) for m in root.findall("meta") if m.get("name")
        )
        layers = list(root.iter("layer"))
        imported = []
        texts: list[tuple[str, str]] = []  # (the text layer's description, its text)
        fonts: dict[str, None] = {}
        for layer in layers:
            for param in layer.findall("param"):
                name, value = param.get("name"), "".join(param.itertext()).strip()
                if not value:
                    continue
                if layer.get("type") == "import" and name == "filename":
                    imported.append(value)
                elif layer.get("type") == "text" and name == "text":
                    texts.append((layer.get("desc") or "", value))
                elif layer.get("type") == "text" and name == "family":
                    fonts[value] = None
        labelled = [(k.get("time", ""), (k.text or "").strip()) for k in root.findall("keyframe")]
        start, end = root.get("begin-time"), root.get("end-time")
        begin_s, end_s = seconds(start, fps), seconds(end, fps)
        yield SynfigRecord(
            extractor=self.name,
            source="canvas",
            name=(root.findtext("name") or "").strip() or None,
            description=(root.findtext("desc") or "").strip() or None,
            format_version=root.get("version"),
            width=_int(root.get("width")),
            height=_int(root.get("height")),
            fps=fps,
            begin_time=start,
            end_time=end,
            duration_seconds=end_s - begin_s if begin_s is not None and end_s is not None else None,
            layers=len(layers),
            keyframes=tuple(labelled[:MAX_NOTES]),
            imported=tuple(imported),
            fonts=tuple(fonts),
            meta=meta,
            author=next((v for k, v in meta if k.lower() == "author" and v), None),
        )
        described = [(layer.get("desc") or "").strip() for layer in layers]
        for text in [d for d in described if d][:MAX_NOTES]:
            yield Note(text=text, origin="layer_name", source=f"layer {text!r}")
        for time, text in [(t, x) for t, x in labelled if x][:MAX_NOTES]:
            yield Note(text=text, origin="layer_name", source=f"keyframe {time}")
        for desc, text in texts[:MAX_NOTES]:
            yield Note(text=text, origin="text_layer", source=f"text layer {desc!r}")


def _int(text: str | None) -> int | None:
    value = _float(text)
    return int(value) if value is not None else None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None
