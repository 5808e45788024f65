"""Reading the production software's documents, the same way in every
reader: the whole file within a bound (`read_whole`), one member of a
document that is a zip (`zip_member`), and XML by defusedxml (`parse`:
entity declarations and external references are refused, and both those
and a document that is not well-formed are `CorruptInput` naming what was
read)."""

from __future__ import annotations

import zipfile
import zlib
from typing import BinaryIO
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from ..errors import CorruptInput, LimitExceeded, NotMyFormat
from ..sources.formats.zipdirectory import open_zip


def read_whole(stream: BinaryIO, limit: int, what: str) -> bytes:
    """The stream's bytes from the start, refused past `limit`."""
    stream.seek(0)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise LimitExceeded(f"more than {limit} bytes: not {what} to read")
    return data


def zip_member(
    stream: BinaryIO, name: str, limit: int, what: str
) -> tuple[bytes, list[zipfile.ZipInfo]]:
    """The member `name` of the zip `what` (NotMyFormat when it has none),
    with the zip's member list."""
    stream.seek(0)
    try:
        opened, _ = open_zip(stream)  # an Animate .fla's overstated directory read past
        with opened as zf:
            try:
                info = zf.getinfo(name)
            except KeyError:
                raise NotMyFormat(f"no {name}: not {what}") from None
            if info.file_size > limit:
                raise LimitExceeded(f"{name} is {info.file_size} bytes, past the {limit} read")
            return zf.read(info), zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
        raise CorruptInput(f"{what} is an unreadable zip: {exc}") from exc


def parse(data: bytes, what: str) -> Element:
    """The root element of `data`, the XML of `what` ("main.xml")."""
    try:
        return SafeET.fromstring(data)
    except SafeET.ParseError as exc:
        raise CorruptInput(f"{what} is not well-formed XML: {exc}") from exc
    except ValueError as exc:  # defusedxml's refusals: entities, external references
        raise CorruptInput(f"{what} refused: {type(exc).__name__}: {exc}") from exc
