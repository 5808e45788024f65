"""Pencil2D projects: `.pclx` (a zip: the keyframes under `data/`, then
`main.xml`, then the palette) and the old loose `.pcl` (the same
`main.xml`, its frames in a folder beside it).

`main.xml` (doctype `PencilDocument`) holds the project data (frame rate,
playback range, current frame) and the object: every layer with its name,
type (bitmap, vector, sound, camera) and keyframes (their frame numbers and
the files that hold them); the camera layer holds the frame's size. Layer
names are notes (origin `layer_name`); a keyframe whose file the `.pclx`
lacks is listed (`missing_files`: a drawing taken out, or never saved).

Pencil2D writes no author and no save date, and its zip writer (miniz)
sets every member's DOS time to zero: the members of a `.pclx` carry no
time at all (the record says so in `member_times_zero`), and nothing is
dated 1980 by them (their times are flagged `epoch_default` or
unparsable). Parsed with defusedxml. Reference: Pencil2D
`core_lib/src/structure/filemanager.cpp` and `layer.cpp`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar
from xml.etree.ElementTree import Element

from ..records import FileRef, Note, Record
from ..sniff import PENCIL2D_DOCUMENT_MIME, PENCIL2D_MIME, is_pencil2d_document
from .base import Context, Extractor, ExtractorDoc
from .documents import parse, read_document, rooted, zip_member

MAX_BYTES = 64 * 1024 * 1024
_ROOTS = ("document", "object")  # a document's main.xml; an old loose .pcl
MAX_NOTES = 2_000
MAX_FILES = 10_000
LAYER_TYPES = {"1": "bitmap", "2": "vector", "3": "movie", "4": "sound", "5": "camera"}


@dataclass(frozen=True)
class Pencil2dRecord(Record):
    KIND: ClassVar[str] = "pencil2d"

    version: str | None = None  # where the document states one
    fps: int | None = None
    mark_in: int | None = None
    mark_out: int | None = None
    current_frame: int | None = None
    layers: tuple[tuple[str, str], ...] = ()  # (type, name)
    layer_count: int = 0
    camera_width: int | None = None  # the camera layer's frame, in pixels
    camera_height: int | None = None
    keyframes: int = 0
    keyframe_files: tuple[str, ...] = ()  # the files under data/ that the keyframes name
    missing_files: tuple[str, ...] = ()  # named by a keyframe, not in the .pclx
    last_frame: int | None = None
    member_times_zero: bool | None = None  # a .pclx whose members carry no time


def _int(text: str | None) -> int | None:
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


class Pencil2dExtractor(Extractor):
    name = "pencil2d"
    version = "1.0"
    doc = ExtractorDoc(
        summary="Pencil2D projects (.pclx, .pcl): frame rate, playback range, camera size, "
        "layers with their types (names as notes), keyframes, their files (and those the "
        ".pclx lacks) and the last frame.",
        reads="main.xml of a .pclx zip, or a loose .pcl.",
        references=("Pencil2D core_lib/src/structure/filemanager.cpp, layer.cpp",),
        limits="Pencil2D records no author or save time; a .pclx's member times are zero. "
        f"At most {MAX_NOTES} layer names as notes, {MAX_FILES} keyframe files.",
    )
    record_kinds = (Pencil2dRecord,)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        if ref.entry is not None and ref.entry.format == "zip" and ref.entry.name == "main.xml":
            return False  # a .pclx's own main.xml: read once, as the .pclx
        return mime in (PENCIL2D_MIME, PENCIL2D_DOCUMENT_MIME) or is_pencil2d_document(head[:4096])

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        zeros: bool | None = None
        members: set[str] | None = None
        if stream.read(4) == b"PK\x03\x04":
            xml, infos = zip_member(stream, "main.xml", MAX_BYTES, "a Pencil2D project")
            zeros = all(i.date_time[:3] in ((1980, 0, 0), (1980, 1, 1)) for i in infos)
            members = {i.filename for i in infos}
            root = rooted(parse(xml, "main.xml", ctx.warn), _ROOTS, "a Pencil2D document")
        else:
            root = read_document(
                stream, MAX_BYTES, is_pencil2d_document, _ROOTS, "a Pencil2D document", ctx.warn
            )
        yield from self._read(root, zeros, members)

    def _read(
        self, root: Element, zeros: bool | None, members: set[str] | None
    ) -> Iterator[Record | Note]:
        data = root.find("projectdata")
        data = data if data is not None else root.find("editor")

        def value(tag: str) -> int | None:
            el = data.find(tag) if data is not None else None
            return _int(el.get("value")) if el is not None else None

        layers = list(root.iter("layer"))
        frames = [
            n for layer in layers for key in layer if (n := _int(key.get("frame"))) is not None
        ]
        version = root.get("version") or (root.findtext("version") or "").strip() or None
        files = tuple(
            dict.fromkeys(
                src for layer in layers for key in layer if (src := (key.get("src") or "").strip())
            )
        )[:MAX_FILES]
        camera = next((layer for layer in layers if layer.get("type") == "5"), None)
        yield Pencil2dRecord(
            extractor=self.name,
            source="main.xml",
            version=version,
            fps=value("fps") or value("currentFps"),
            mark_in=value("markInFrame"),
            mark_out=value("markOutFrame"),
            current_frame=value("currentFrame"),
            layers=tuple(
                (
                    LAYER_TYPES.get(layer.get("type", ""), layer.get("type", "")),
                    layer.get("name", ""),
                )
                for layer in layers
            ),
            layer_count=len(layers),
            camera_width=_int(camera.get("width")) if camera is not None else None,
            camera_height=_int(camera.get("height")) if camera is not None else None,
            keyframes=len(frames),
            keyframe_files=files,
            missing_files=tuple(f for f in files if f"data/{f}" not in members)
            if members is not None
            else (),
            last_frame=max(frames) if frames else None,
            member_times_zero=zeros,
        )
        for layer in layers[:MAX_NOTES]:
            name = (layer.get("name") or "").strip()
            if name:
                yield Note(text=name, origin="layer_name", source=f"main.xml layer {name!r}")
