"""XMP from every carrier: JPEG APP1 (extended XMP included), PNG iTXt
`XML:com.adobe.xmp`, TIFF tag 700, PSD resource 1060, GIF, PDF metadata
streams, `.xmp` sidecars, and packets embedded in other files (HEIC, WebP,
MP4...), found by their `<x:xmpmeta>` wrapper as ExifTool's scan does.

Parsed as XML with defusedxml (entity expansion and external references
refused), never with regular expressions. A packet that is not well-formed
is repaired before it is parsed again, as far as ExifTool (whose reader is
not an XML parser) still reads it: junk around the wrapper dropped, bytes
that are not UTF-8 replaced, the elements of a packet cut short closed; its
records are kept, with a `corrupt` warning saying what was repaired.
Every date-valued property
becomes a timestamp, and every `xmpMM:History` event is a record of its own
with its `stEvt:when`.
"""

from __future__ import annotations

import logging
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, ClassVar
from xml.etree.ElementTree import Element

from ..errors import CorruptInput, LimitExceeded, NotMyFormat
from ..records import FileRef, Note, Record, TimeField, TimeValue
from ..sniff import OLE_MAGIC
from . import fla_ole
from .base import Context, Extractor, ExtractorDoc
from .blocks import (
    XMP_EXT_JPEG_ID,
    XMP_JPEG_ID,
    gif_application_blocks,
    inflate,
    jpeg_segments,
    png_chunks,
    psd_resources,
    tiff_ifd0_tag,
)
from .dates import parse_iso8601
from .xmp_repair import parse_xml

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NAMESPACES = {
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#": "stEvt",
    "http://ns.adobe.com/xap/1.0/sType/ResourceRef#": "stRef",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://cipa.jp/exif/1.0/": "exifEX",
    "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://ns.adobe.com/xap/1.0/rights/": "xmpRights",
    "http://ns.adobe.com/camera-raw-settings/1.0/": "crs",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "Iptc4xmpCore",
    "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "Iptc4xmpExt",
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/": "xmpDM",
    "http://ns.adobe.com/exif/1.0/aux/": "aux",
    "http://ns.adobe.com/xap/1.0/t/pg/": "xmpTPg",
    "http://ns.adobe.com/xap/1.0/g/img/": "xmpGImg",
    "http://ns.adobe.com/lightroom/1.0/": "lr",
    "http://ns.microsoft.com/photo/1.0/": "MicrosoftPhoto",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "adobe:ns:meta/": "x",
}
_DATE_VALUE = re.compile(r"^\s*\d{4}[-:]\d{2}[-:]\d{2}")
_PACKET = re.compile(rb"<x(?:ap)?:x[am]pmeta[\s>].*?</x(?:ap)?:x[am]pmeta>", re.S)
_RDF_ONLY = re.compile(rb"<rdf:RDF[\s>].*?</rdf:RDF>", re.S)
SCAN_BYTES = 32 * 1024 * 1024
MAX_PACKET_BYTES = 64 * 1024 * 1024  # XMP read from one file, all packets together
# What finding packets may raise on damaged carriers: our block walkers stop
# quietly, so these come from struct unpacking, zlib and pypdf (its documented
# PyPdfError, added where a PDF is read: importing pypdf costs every worker a
# tenth of a second, plus the KeyError/IndexError/RecursionError it gives on
# broken object trees).
CARRIER_ERRORS: tuple[type[BaseException], ...] = (
    struct.error,
    zlib.error,
    OSError,
    ValueError,
    KeyError,
    IndexError,
    RecursionError,
)
UNKNOWN_SCAN_BYTES = 256 * 1024  # bytes of no known carrier: only their start is searched
# Types that may carry XMP (archives and office files do not, at top level).
_CARRIERS = (
    "image/",
    "video/",
    "audio/",
    "application/pdf",
    "text/",
    "application/xml",
    "application/vnd.adobe.fla",  # Flash CS4: UTF-16 XMP in its Contents stream
    "application/vnd.adobe.aftereffects",  # appended after the RIFX data
    "application/octet-stream",
    "application/x-clip-studio",
)


@dataclass(frozen=True)
class XmpRecord(Record):
    KIND: ClassVar[str] = "xmp"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {
        "creator_tool": "software",
        "creator": "author",
        "derived_from": "path",
    }
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "create_date": TimeField("XMP xmp:CreateDate"),
        "modify_date": TimeField("XMP xmp:ModifyDate", zone_evidence="naive"),
        "metadata_date": TimeField("XMP xmp:MetadataDate"),
        "date_created": TimeField("XMP photoshop:DateCreated"),
    }

    creator_tool: str | None = None
    create_date: TimeValue | None = None
    modify_date: TimeValue | None = None
    metadata_date: TimeValue | None = None
    date_created: TimeValue | None = None
    document_id: str | None = None
    instance_id: str | None = None
    original_document_id: str | None = None
    derived_from: str | None = None
    document_ancestors: tuple[str, ...] = ()
    creator: tuple[str, ...] = ()
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class XmpDateRecord(Record):
    """Any other date-valued XMP property (exif:DateTimeOriginal,
    tiff:DateTime, Iptc4xmpCore..., xmpDM...)."""

    KIND: ClassVar[str] = "xmp_date"
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {"when": TimeField("XMP date property")}

    property: str = ""
    when: TimeValue | None = None

    def describe(self, name: str, spec: TimeField) -> TimeField:
        return TimeField(f"XMP {self.property}")


@dataclass(frozen=True)
class XmpHistoryRecord(Record):
    """One event of `xmpMM:History`: what software did what, and when."""

    KIND: ClassVar[str] = "xmp_history"
    ENTITY_FIELDS: ClassVar[dict[str, str]] = {"software_agent": "software"}
    TIME_FIELDS: ClassVar[dict[str, TimeField]] = {
        "when": TimeField("XMP history event (xmpMM:History stEvt:when)")
    }

    index: int = 0
    action: str | None = None
    when: TimeValue | None = None
    software_agent: str | None = None
    changed: str | None = None
    instance_id: str | None = None
    parameters: str | None = None

    def describe(self, name: str, spec: TimeField) -> TimeField:
        return TimeField(f"XMP history: {self.action or 'event'} (stEvt:when)")


def qname(tag: str) -> str:
    """'{http://ns.adobe.com/xap/1.0/}ModifyDate' -> 'xmp:ModifyDate'."""
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        prefix = NAMESPACES.get(uri) or uri.rstrip("/#").rsplit("/", 1)[-1] or "ns"
        return f"{prefix}:{local}"
    return tag


def _items(element: Element) -> list[Element]:
    """The rdf:li of a container (Seq, Bag, Alt), or the element itself."""
    for container in element:
        if container.tag in (f"{{{RDF}}}Seq", f"{{{RDF}}}Bag", f"{{{RDF}}}Alt"):
            return [li for li in container if li.tag == f"{{{RDF}}}li"]
    return []


def _fields(element: Element) -> dict[str, str]:
    """A structure's fields, written as attributes or as child elements,
    inside an rdf:Description or with rdf:parseType="Resource"."""
    out = {qname(k): v for k, v in element.attrib.items() if not k.startswith(f"{{{RDF}}}")}
    for child in element:
        if child.tag == f"{{{RDF}}}Description":
            out.update(_fields(child))
        elif len(child) == 0:
            out[qname(child.tag)] = (child.text or "").strip()
        else:
            out.update({f"{qname(child.tag)}/{k}": v for k, v in _fields(child).items()})
    return out


def _descriptions(root: Element) -> list[Element]:
    """The packet's rdf:Description elements; where the RDF namespace itself
    is damaged (a flipped bit in its URI), the elements named Description."""
    found = list(root.iter(f"{{{RDF}}}Description"))
    return found or [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "Description"]


def parse_packet(
    packet: bytes,
) -> tuple[dict[str, str], list[dict[str, str]], dict[str, list[str]], str | None]:
    """(simple properties, history events, array properties, how the packet
    was repaired or None) of one packet."""
    root, repaired = parse_xml(packet)
    simple: dict[str, str] = {}
    arrays: dict[str, list[str]] = {}
    history: list[dict[str, str]] = []
    for desc in _descriptions(root):
        for key, value in desc.attrib.items():
            if not key.startswith(f"{{{RDF}}}"):
                simple.setdefault(qname(key), value)
        for prop in desc:
            name = qname(prop.tag)
            items = _items(prop)
            if name == "xmpMM:History":
                history.extend(_fields(li) for li in items)
            elif items:
                arrays[name] = [(li.text or "").strip() for li in items if (li.text or "").strip()]
                for n, li in enumerate(items, 1):  # structures in arrays (ArtworkOrObject...)
                    if len(li) or any(not k.startswith(f"{{{RDF}}}") for k in li.attrib):
                        for key, value in _fields(li).items():
                            simple.setdefault(f"{name}[{n}]/{key}", value)
                if name not in simple and arrays[name]:
                    simple[name] = (
                        arrays[name][0] if len(arrays[name]) == 1 else "; ".join(arrays[name])
                    )
            elif len(prop) == 0:
                value = prop.attrib.get(f"{{{RDF}}}resource", prop.text or "")
                simple.setdefault(name, value.strip())
            else:  # a structure (xmpMM:DerivedFrom, ...): its fields as name/field
                for key, value in _fields(prop).items():
                    simple.setdefault(f"{name}/{key}", value)
    return simple, history, arrays, repaired


def records_from_packet(
    packet: bytes, source: str, extractor: str = "xmp", ctx: Context | None = None
) -> list[Record]:
    """The records of one packet. A packet read only after repair keeps its
    records and says how through `ctx.warn` (a `corrupt` problem row)."""
    simple, history, arrays, repaired = parse_packet(packet)
    if repaired and ctx is not None:
        ctx.warn("corrupt", f"{source}: {repaired}")
    main = {"xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate", "photoshop:DateCreated"}
    derived = simple.get("xmpMM:DerivedFrom/stRef:documentID") or simple.get(
        "xmpMM:DerivedFrom/stRef:instanceID"
    )
    out: list[Record] = [
        XmpRecord(
            extractor=extractor,
            source=source,
            creator_tool=simple.get("xmp:CreatorTool"),
            create_date=parse_iso8601(simple.get("xmp:CreateDate")),
            modify_date=parse_iso8601(simple.get("xmp:ModifyDate")),
            metadata_date=parse_iso8601(simple.get("xmp:MetadataDate")),
            date_created=parse_iso8601(simple.get("photoshop:DateCreated")),
            document_id=simple.get("xmpMM:DocumentID"),
            instance_id=simple.get("xmpMM:InstanceID"),
            original_document_id=simple.get("xmpMM:OriginalDocumentID"),
            derived_from=derived,
            document_ancestors=tuple(arrays.get("photoshop:DocumentAncestors", ())),
            creator=tuple(arrays.get("dc:creator", ())),
            properties={k: v[:500] for k, v in sorted(simple.items())},
        )
    ]
    for name, value in sorted(simple.items()):
        if name in main or not _DATE_VALUE.match(value):
            continue
        when = parse_iso8601(value)
        if when is not None:
            out.append(XmpDateRecord(extractor=extractor, source=source, property=name, when=when))
    for i, event in enumerate(history):
        out.append(
            XmpHistoryRecord(
                extractor=extractor,
                source=source,
                index=i,
                action=event.get("stEvt:action"),
                when=parse_iso8601(event.get("stEvt:when")),
                software_agent=event.get("stEvt:softwareAgent"),
                changed=event.get("stEvt:changed"),
                instance_id=event.get("stEvt:instanceID"),
                parameters=event.get("stEvt:parameters"),
            )
        )
    return out


def _jpeg_packets(stream: BinaryIO) -> Iterator[tuple[str, bytes]]:
    extended: dict[bytes, dict[int, bytes]] = {}
    for marker, payload in jpeg_segments(stream):
        if marker != 0xE1:
            continue
        if payload.startswith(XMP_JPEG_ID):
            yield "JPEG APP1", payload[len(XMP_JPEG_ID) :]
        elif payload.startswith(XMP_EXT_JPEG_ID):
            body = payload[len(XMP_EXT_JPEG_ID) :]
            guid, offset = body[:32], int.from_bytes(body[36:40], "big")
            extended.setdefault(guid, {})[offset] = body[40:]
    for guid, parts in extended.items():
        yield (
            f"JPEG extended XMP {guid.decode('ascii', 'replace')}",
            b"".join(parts[k] for k in sorted(parts)),
        )


def _png_packets(stream: BinaryIO) -> Iterator[tuple[str, bytes]]:
    for ctype, data in png_chunks(stream, {b"iTXt", b"tEXt", b"zTXt"}):
        key, _, rest = data.partition(b"\x00")
        if key != b"XML:com.adobe.xmp":
            continue
        if ctype == b"iTXt":
            compressed = rest[:1] == b"\x01"
            _lang, _, rest = rest[2:].partition(b"\x00")
            _tkey, _, text = rest.partition(b"\x00")
            yield "PNG iTXt", inflate(text) if compressed else text
        elif ctype == b"zTXt":
            yield "PNG zTXt", inflate(rest[1:])
        else:
            yield "PNG tEXt", rest


def _pdf_packets(stream: BinaryIO) -> Iterator[tuple[str, bytes]]:
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings are our problems
    stream.seek(0)
    reader = PdfReader(stream, strict=False)
    root: Any = reader.trailer["/Root"].get_object()
    meta = root.get("/Metadata") if hasattr(root, "get") else None
    if meta is None:
        return
    stream_obj = meta.get_object()
    if not isinstance(stream_obj, StreamObject):  # a damaged /Metadata names a dictionary
        raise CorruptInput(f"PDF /Metadata is a {type(stream_obj).__name__}, not a stream")
    yield "PDF metadata stream", stream_obj.get_data()


def _fla_packets(stream: BinaryIO) -> Iterator[tuple[str, bytes]]:
    """A binary .fla's XMP: UTF-16 in its Contents stream (Flash CS4)."""
    try:
        data, _ = fla_ole.contents(stream)
    except (ValueError, OSError, EOFError):
        return  # the animate extractor says what is wrong with it
    if packet := fla_ole.utf16_xmp(data):
        yield "binary .fla Contents (UTF-16)", packet


def _scanned(data: bytes) -> Iterator[tuple[str, bytes]]:
    for match in _PACKET.finditer(data):
        yield "embedded packet", match.group(0)


def _known_carrier(head: bytes) -> bool:
    """ISO base media (HEIC, AVIF, MP4, MOV), RIFF (WebP, AVI), RIFX (After
    Effects), CLIP, or text."""
    return (
        head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free")
        or head[:4] in (b"RIFF", b"RIFX")  # RIFX: an After Effects project, XMP at its end
        or head.startswith(b"CSFCHUNK")
        or head.lstrip()[:1] == b"<"
    )


def find_packets(stream: BinaryIO, head: bytes) -> Iterator[tuple[str, bytes]]:
    """(where, packet bytes) of every XMP packet in the file."""
    if head.startswith(b"\xff\xd8"):
        yield from _jpeg_packets(stream)
    elif head.startswith(b"\x89PNG"):
        yield from _png_packets(stream)
    elif head.startswith(b"8BPS"):
        for rid, data in psd_resources(stream):
            if rid == 1060:
                yield "PSD resource 1060", data
    elif head[:4] in (b"II*\x00", b"MM\x00*"):
        stream.seek(0)
        data = stream.read(SCAN_BYTES)
        value = tiff_ifd0_tag(data, 700)
        if value:
            yield "TIFF tag 700", value
    elif head.startswith(b"GIF8"):
        stream.seek(0)
        for app, data in gif_application_blocks(stream.read(SCAN_BYTES)):
            if app == b"XMP DataXMP":
                yield "GIF application extension", data
    elif head.startswith(b"%PDF"):
        yield from _pdf_packets(stream)
    elif head.startswith(OLE_MAGIC):  # a binary .fla's directory may lie past the head
        yield from _fla_packets(stream)
    else:
        stream.seek(0)
        data = stream.read(SCAN_BYTES if _known_carrier(head) else UNKNOWN_SCAN_BYTES)
        found = list(_scanned(data))
        if not found and data.lstrip().startswith((b"<?xpacket", b"<rdf:RDF", b"<?xml")):
            found = [("sidecar", m.group(0)) for m in _RDF_ONLY.finditer(data)]
        yield from found


class XmpExtractor(Extractor):
    name = "xmp"
    version = "1.0"
    doc = ExtractorDoc(
        summary="XMP: CreatorTool, Create/Modify/MetadataDate, photoshop:DateCreated, "
        "document and instance ids, DocumentAncestors, every xmpMM:History event, and every "
        "other date-valued property.",
        reads="JPEG APP1 and extended XMP, PNG iTXt/zTXt/tEXt, TIFF 700, PSD 1060, GIF, PDF "
        "metadata stream, .xmp sidecars, and packets embedded in any other file (first 32 MB).",
        references=("ISO 16684-1 (XMP)", "Adobe XMP Specification Part 3 (storage in files)"),
        limits="Packets beyond the first 32 MB of formats read by scanning are not seen.",
    )
    record_kinds = (XmpRecord, XmpDateRecord, XmpHistoryRecord)

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return mime.startswith(_CARRIERS) or b"x:xmpmeta" in head or b"<rdf:RDF" in head

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        stream.seek(0)
        head = stream.read(16)
        any_found = False
        problems = []
        budget = MAX_PACKET_BYTES
        packets = find_packets(stream, head)  # lazily: one packet held at a time
        errors = CARRIER_ERRORS
        if head.startswith(b"%PDF"):
            from pypdf.errors import PyPdfError

            errors = (*CARRIER_ERRORS, PyPdfError)
        while True:
            try:
                found = next(packets, None)
            except errors as exc:  # a carrier too broken to find (more) packets in
                problems.append(f"could not look for XMP: {type(exc).__name__}: {exc}")
                break
            if found is None:
                break
            where, packet = found
            budget -= len(packet)
            if budget < 0:
                raise LimitExceeded(
                    f"XMP packets past {MAX_PACKET_BYTES} bytes in all: the rest not read"
                    + (f" (also: {'; '.join(problems)})" if problems else "")
                )
            try:
                records = records_from_packet(packet.strip(b"\x00 \r\n\t"), where, self.name, ctx)
            except CorruptInput as exc:
                problems.append(f"{where}: {exc}")
                continue
            any_found = True
            yield from records
        if problems:
            raise CorruptInput("; ".join(problems))
        if not any_found:
            raise NotMyFormat("no XMP")
