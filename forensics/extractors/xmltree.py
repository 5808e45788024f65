"""XML of the production software's documents, parsed with defusedxml:
entity declarations and external references are refused, and both those
and a document that is not well-formed are `CorruptInput` naming what was
read."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from ..errors import CorruptInput


def parse(data: bytes, what: str) -> Element:
    """The root element of `data`, the XML of `what` ("main.xml")."""
    try:
        return SafeET.fromstring(data)
    except SafeET.ParseError as exc:
        raise CorruptInput(f"{what} is not well-formed XML: {exc}") from exc
    except ValueError as exc:  # defusedxml's refusals: entities, external references
        raise CorruptInput(f"{what} refused: {type(exc).__name__}: {exc}") from exc
