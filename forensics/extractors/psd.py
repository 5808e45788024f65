"""Photoshop PSD and PSB (psd-tools): canvas, depth, colour mode, the layer
tree, each layer's modification time, text layers and CJK layer names as
notes, and which image resources are present. EXIF (1058), XMP (1060) and
IPTC (1028) resources are read by their own extractors.

psd-tools reads PSB and 16/32-bit files and layers with masks, which
Pillow does not; it parses structure without decoding pixels.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

from ..errors import CorruptInput, NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from .base import Context, Extractor, ExtractorDoc
from .liberrors import PSD_TOOLS_ERRORS

logging.getLogger("psd_tools").setLevel(logging.CRITICAL)

CJK = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff]"
)
COLOR_MODES = {
    0: "bitmap",
    1: "grayscale",
    2: "indexed",
    3: "rgb",
    4: "cmyk",
    7: "multichannel",
    8: "duotone",
    9: "lab",
}
MAX_LAYERS = 10_000


@dataclass(frozen=True)
class PsdRecord(Record):
    KIND: ClassVar[str] = "psd"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"writer": "software"}

    format: str = "PSD"
    width: int = 0
    height: int = 0
    depth: int = 0
    color_mode: str = ""
    channels: int = 0
    layer_count: int = 0
    text_layer_count: int = 0
    layer_names: tuple[str, ...] = ()
    resources: tuple[int, ...] = ()
    has_thumbnail: bool = False
    writer: str | None = None


@dataclass(frozen=True)
class PsdLayerRecord(Record):
    """One layer: where it sits in the tree, and when it was last changed
    (Photoshop's 'shmd' layerTime, UTC seconds)."""

    KIND: ClassVar[str] = "psd_layer"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "modified": TimeField("PSD layer modified (layerTime)", utc_by_format=True)
    }

    index: int = 0
    path: str = ""
    kind: str = ""
    visible: bool = True
    opacity: int = 255
    bbox: tuple[int, int, int, int] = (0, 0, 0, 0)
    text: str | None = None
    modified: TimeValue | None = None


def layer_time(layer: Any) -> dt.datetime | None:
    from psd_tools.constants import Tag

    blocks = getattr(layer, "tagged_blocks", None)
    meta = blocks.get(Tag.METADATA_SETTING) if blocks else None
    for item in getattr(meta, "data", None) or []:
        if getattr(item, "key", None) == b"cust":
            raw: Any = dict(item.data).get(b"layerTime")
            try:
                seconds = float(getattr(raw, "value", raw))  # a descriptor Double
            except (TypeError, ValueError):
                continue
            if 0 < seconds < 2**33:
                return dt.datetime.fromtimestamp(0, tz=dt.UTC) + dt.timedelta(seconds=seconds)
    return None


def _writer(psd: Any) -> str | None:
    from psd_tools.constants import Resource

    info = psd.image_resources.get_data(Resource.VERSION_INFO)
    return getattr(info, "writer", None) or None


class PsdExtractor(Extractor):
    name = "psd"
    version = "1.0"
    doc = ExtractorDoc(
        summary="PSD/PSB canvas, depth, colour mode, layer tree, per-layer modification "
        "times, text layers and CJK layer names (as notes), image resources.",
        reads="The header, image resources and layer records (no pixels decoded).",
        references=("Adobe Photoshop File Formats Specification (2019)", "psd-tools"),
        limits="Text is read from the layer's 'Txt ' descriptor; styling (EngineData) is not kept.",
    )
    record_kinds = (PsdRecord, PsdLayerRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return head.startswith(b"8BPS")

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        from psd_tools import PSDImage

        stream.seek(0)
        if stream.read(4) != b"8BPS":
            raise NotMyFormat("not a PSD")
        stream.seek(0)
        try:
            psd = PSDImage.open(stream)
        except PSD_TOOLS_ERRORS as exc:
            raise CorruptInput(f"psd-tools could not read it: {type(exc).__name__}: {exc}") from exc
        names: list[str] = []
        texts = 0
        try:
            for i, (path, layer) in enumerate(_walk(psd)):
                if i >= MAX_LAYERS:
                    raise CorruptInput(f"more than {MAX_LAYERS} layers: the rest not listed")
                text = _text(layer)
                texts += text is not None
                names.append(layer.name)
                yield PsdLayerRecord(
                    extractor=self.name,
                    source="PSD layer record",
                    index=i,
                    path=path,
                    kind=layer.kind,
                    visible=bool(layer.visible),
                    opacity=int(layer.opacity),
                    bbox=tuple(int(v) for v in layer.bbox),  # type: ignore[arg-type]
                    text=text,
                    modified=layer_time(layer),
                )
                if text:
                    left, top, right, bottom = (int(v) for v in layer.bbox)
                    yield Note(
                        text=text, origin="text_layer", source=path, box=(left, top, right, bottom)
                    )
                if CJK.search(layer.name):
                    yield Note(text=layer.name, origin="layer_name", source=path)
        finally:
            resources = tuple(sorted(int(k) for k in psd.image_resources))
            yield PsdRecord(
                extractor=self.name,
                source="PSD header",
                format="PSB" if psd.version == 2 else "PSD",
                width=psd.width,
                height=psd.height,
                depth=psd.depth,
                color_mode=COLOR_MODES.get(int(psd.color_mode), str(psd.color_mode)),
                channels=psd.channels,
                layer_count=len(names),
                text_layer_count=texts,
                layer_names=tuple(names),
                resources=resources,
                has_thumbnail=1036 in resources or 1033 in resources,
                writer=_safe(_writer, psd),
            )


def _walk(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for layer in group:
        path = f"{prefix}/{layer.name}" if prefix else layer.name
        yield path, layer
        if layer.is_group():
            yield from _walk(layer, path)


def _text(layer: Any) -> str | None:
    if layer.kind != "type":
        return None
    try:
        text = layer.text
    except PSD_TOOLS_ERRORS:  # a damaged 'Txt ' descriptor: the layer stays, without text
        return None
    return str(text).replace("\r", "\n").strip() or None


def _safe(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except PSD_TOOLS_ERRORS:  # one unreadable property of a layer does not lose the layer
        return None
