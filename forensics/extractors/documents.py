"""Reading the production software's documents, the same way in every
reader: the whole file within a bound (`read_whole`), one member of a
document that is a zip (`zip_member`), and XML by defusedxml (`parse`:
entity declarations and external references are refused, and both those
and a document that is not well-formed are `CorruptInput` naming what was
read; one left with git's merge conflict markers is read without them;
`read_document`: all of that for a one-format XML file, its start and root
checked), and what they name (`is_absolute_path`, `EMAIL`)."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from typing import BinaryIO
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from ..errors import CorruptInput, LimitExceeded, NotMyFormat
from ..sources.formats.zipdirectory import open_zip

Warn = Callable[[str, str], None]  # an extractor's ctx.warn: (problem kind, message)

# a path from the artist's disk: a drive (C:\, D:/), a share (\\HOST\), or a Unix
# home or volume; one line, of a sane length
_ABSOLUTE = re.compile(
    r"^(?:[A-Za-z]:[\\/]|\\\\[\w.-]+\\|//[\w.-]+/|/(?:Users|home|Volumes|mnt|media)/)[^\n]{0,1000}$"
)


# an e-mail address in a text the software keeps (an effect's label, a script)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")


def local_name(tag: str) -> str:
    """An element's tag without its namespace (`{http://ns.adobe.com/xfl/2008/}Include`)."""
    return tag.rsplit("}", 1)[-1]


def is_absolute_path(text: str) -> bool:
    """Whether a value the software wrote is an absolute path (whose user
    and host names the entities read: entities.from_path)."""
    return bool(_ABSOLUTE.match(text))


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


_BARE_AMP = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")


def escape_bare_ampersands(data: bytes) -> bytes:
    """OpenToonz's TOStream writes a value's `&` as it is ("Lempel-Ziv &
    Welch"), which is not XML; escaped, the document parses as written."""
    return _BARE_AMP.sub(b"&amp;", data)


def read_document(
    stream: BinaryIO,
    max_bytes: int,
    is_mine: Callable[[bytes], bool],
    roots: tuple[str, ...],
    what: str,
    warn: Warn,
) -> Element:
    """The root of an XML document of one format, read whole: NotMyFormat
    when its start is not the format's (`is_mine`) or its root is none of
    `roots`; parsed as `parse` does."""
    data = read_whole(stream, max_bytes, what)
    if not is_mine(data[:4096]):
        raise NotMyFormat(f"not {what}")
    return rooted(parse(data, what, warn), roots, what)


def rooted(root: Element, roots: tuple[str, ...], what: str) -> Element:
    """`root`, when it is one of `roots`; else NotMyFormat."""
    if root.tag not in roots:
        raise NotMyFormat(f"root is <{root.tag}>, not that of {what}")
    return root


_CONFLICT = re.compile(rb"^(?:<{7}|={7}|>{7}|\|{7})(?:[ \t][^\r\n]*)?\r?$\n?", re.MULTILINE)


def parse(data: bytes, what: str, warn: Warn | None = None) -> Element:
    """The root element of `data`, the XML of `what` ("main.xml").

    A document committed to git in the middle of a merge holds conflict
    markers (`<<<<<<< HEAD`, `=======`, `>>>>>>> branch` on lines of their
    own) and is not XML; the production files of a shared repository often
    are. With `warn` given, such a document is read again without the
    marker lines (both sides of each conflict kept: the times and names of
    both are evidence) and the warning says so."""
    try:
        return _parse(data, what)
    except CorruptInput:
        if warn is None or not _CONFLICT.search(data):
            raise
    cleaned, markers = _CONFLICT.subn(b"", data)
    root = _parse(cleaned, what)
    warn(
        "corrupt",
        f"{what} holds {markers} git merge conflict marker lines; read without them, "
        "both sides of each conflict kept",
    )
    return root


def _parse(data: bytes, what: str) -> Element:
    try:
        return SafeET.fromstring(data)
    except SafeET.ParseError as exc:
        raise CorruptInput(f"{what} is not well-formed XML: {exc}") from exc
    except ValueError as exc:  # defusedxml's refusals: entities, external references
        raise CorruptInput(f"{what} refused: {type(exc).__name__}: {exc}") from exc
