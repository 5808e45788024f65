"""An XMP packet parsed as XML with defusedxml, and, when it is not
well-formed, repaired as far as ExifTool (whose XMP reader is not an XML
parser) still reads it: junk around the wrapper dropped, bytes that are not
UTF-8 replaced, the elements of a packet cut short closed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from ..errors import CorruptInput

_XMP_SPAN = re.compile(rb"<x(?:ap)?:x[am]pmeta[\s>].*?(?:</x(?:ap)?:x[am]pmeta>|\Z)", re.S)
_RDF_SPAN = re.compile(rb"<rdf:RDF[\s>].*?(?:</rdf:RDF>|\Z)", re.S)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed anywhere in XML 1.0
_TAG = re.compile(rb"<(/?)([A-Za-z_][\w:.-]*)(?:\s[^<>]*?)?(/?)>")


def _repairs(packet: bytes) -> Iterator[tuple[str, bytes]]:
    """Ways to read a packet that is not well-formed, mildest first and each
    on top of the one before, as ExifTool (whose XMP reader is not an XML
    parser) still reads them: junk around the wrapper (a truncated or
    doubled `<?xpacket end?>`, the tail of an older and longer packet),
    bytes that are not UTF-8 and control characters, and a packet cut short, whose open elements are
    closed after its last complete tag."""
    span = _XMP_SPAN.search(packet) or _RDF_SPAN.search(packet)
    body = span.group(0) if span else packet
    if body != packet:
        yield "the junk around its wrapper dropped", body
    text = _CONTROL.sub(b" ", body.decode("utf-8", "replace").encode("utf-8"))
    if text != body:
        yield "bytes that are not UTF-8 or are control characters replaced", text
    cut = text.rfind(b">") + 1
    stack: list[bytes] = []
    for m in _TAG.finditer(text, 0, cut):
        closing, name, empty = m.groups()
        if empty:
            continue
        if not closing:
            stack.append(name)
        elif name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name) :]
    if stack:
        closers = b"".join(b"</" + name + b">" for name in reversed(stack))
        yield "its open elements closed (cut short)", text[:cut] + closers


def parse_xml(packet: bytes) -> tuple[Element, str | None]:
    """The packet's root element, and how it had to be repaired (None: it
    did not)."""
    try:
        return SafeET.fromstring(packet), None
    except SafeET.ParseError as exc:
        first = exc
    except ValueError as exc:  # defusedxml's refusals of entities and external references
        raise CorruptInput(f"XMP refused: {type(exc).__name__}: {exc}") from exc
    for how, attempt in _repairs(packet):
        try:
            root = SafeET.fromstring(attempt)
        except SafeET.ParseError:
            continue
        except ValueError as exc:
            raise CorruptInput(f"XMP refused: {type(exc).__name__}: {exc}") from exc
        return root, f"XMP is not well-formed XML ({first}): read with {how}"
    raise CorruptInput(f"XMP is not well-formed XML: {first}") from first
