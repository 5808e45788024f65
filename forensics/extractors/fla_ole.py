"""Flash's binary `.fla` (Flash MX to CS4): an OLE compound file whose
`Contents` stream is the library and the document's settings, beside
one stream a scene (`Page N`), a symbol (`Symbol N`) and an imported
file (`Media N`). Read through `olefile`.

Flash CS3 and CS4 (9, 10) may name the streams by a letter, the number and
the Unix time the item was made instead (`P 1 1329273949`, `S 3 ...`,
`M 2 ...`; public documents of both versions do).

`Contents` is a sequence of MFC objects. Its strings are MFC `CString`s:
the marker `FF FE FF`, a length in UTF-16 units (a byte; `FF` then a
16-bit length; `FFFF` then a 32-bit one) and the UTF-16LE text. Each
library entry names its stream (`Page 3`, `Symbol 12`, `Media 5`) and
then what the artist called it (the scene's or symbol's name); an
imported file's entry goes on with its file name, the path it was
imported from (relative or absolute: the artist's disk) and, after the
path, three Unix times 12 bytes apart. In the public documents we read,
the first is the source file's own date (years before the document for a
file from a texture pack), the third minutes after it (the import), and
the second is shared by every item of the document. The first is kept as
the source file's modification time and the third as the import, as XFL
names them (sourceLastModified, sourceLastImported), and all three by
position (`times`); this reading is ours, from the files, not from a
specification.

A symbol's entry goes on, after its name, with the identifier or class it
is exported to ActionScript as and, for a symbol shared from another
document, that document's path (`_symbol_link`, by position, ours too).

`Contents` also names the version that saved the document, in ASCII, with
that save's Unix time ("Saved by Adobe Flash Windows 9.0 build 494
timecount = 1329278382"), and keeps the document's settings as a map of
CString pairs, key then value ("PublishFormatProperties::flashFileName",
"cut12.swf"; "PublishHtmlProperties::TemplateFileName", a path in the
artist's profile); those with a value other than a number are kept.

CS4 writes the document's XMP into `Contents` in UTF-16: `utf16_xmp`
gives it back as UTF-8 for the XMP reader.

Written here: neither olefile nor any Python library reads `Contents`.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from dataclasses import dataclass, field
from typing import BinaryIO

MAX_CONTENTS = 64 * 1024 * 1024
MAX_ITEMS = 20_000
# Flash 8 to CS4 name the streams "Page 3", "Symbol 12", "Media 5"; CS3 and
# CS4 also "P 1 1329273949", "S 3 ...", "M 2 ...": a letter, the number and
# the Unix time the item was made
_ENTRY = re.compile(r"^(Page|Symbol|Media|[PSM]) (\d+)(?: \d{9,10})?$")
_ENTRY_BYTES = re.compile(  # a stream's name in UTF-16, then a CString
    rb"(P\x00a\x00g\x00e\x00|S\x00y\x00m\x00b\x00o\x00l\x00|M\x00e\x00d\x00i\x00a\x00|[PSM]\x00)"
    rb" \x00(?:[0-9]\x00){1,6}(?: \x00(?:[0-9]\x00){9,10})?\xff\xfe\xff"
)
_KINDS = {"P": "Page", "S": "Symbol", "M": "Media"}
_SETTING = re.compile(r"^[A-Za-z]{2,40}::[\w ]{2,60}$")  # "PublishFormatProperties::flashFileName"
_FILE = re.compile(r"^[^\x00-\x1f]{0,400}[\\/][^\\/\x00-\x1f]{1,200}\.[A-Za-z0-9]{2,5}$")
_NUMBER = re.compile(r"^[-\d.,;]*$")
_SAVED_BY = re.compile(rb"(Saved by [\x20-\x7e]{3,120}?)(?: timecount = (\d{9,10}))?\x00")
_XMP = re.compile(r"<\?xpacket begin=.*?<\?xpacket end=[^>]*>", re.S)
_EARLIEST, _LATEST = 631_152_000, 4_102_444_800  # 1990, 2100


@dataclass
class FlaMedia:
    stream: str
    name: str
    path: str | None
    times: tuple[dt.datetime | None, ...] = ()


@dataclass
class FlaLibrary:
    scenes: list[str] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)
    media: list[FlaMedia] = field(default_factory=list)
    saved_by: str | None = None  # "Saved by Adobe Flash Windows 9.0 build 494"
    saved: dt.datetime | None = None  # its "timecount": the save's Unix time
    # the document's settings as Contents keeps them, key then value
    # ("PublishFormatProperties::flashFileName", "cut12.swf"), those with a value
    settings: list[tuple[str, str]] = field(default_factory=list)
    # every file path Contents names: a symbol's source document (".\\lib.fla"
    # of a shared symbol), imports, templates
    files: list[str] = field(default_factory=list)
    # (symbol, the class or identifier it is exported to ActionScript as, the
    # document a shared symbol comes from) for the symbols with either
    links: list[tuple[str, str | None, str | None]] = field(default_factory=list)


def contents(stream: BinaryIO) -> tuple[bytes, tuple[dt.datetime | None, dt.datetime | None]]:
    """The `Contents` stream of an OLE `.fla`, and the root storage's
    (created, modified) times; ValueError when the file is not one."""
    import olefile

    stream.seek(0)
    try:
        ole = olefile.OleFileIO(stream)
    except (OSError, ValueError, struct.error) as exc:  # olefile's errors on a bad header
        raise ValueError(f"not a readable compound file: {exc}") from exc
    with ole:
        names = {"/".join(e) for e in ole.listdir(streams=True, storages=False)}
        if "Contents" not in names or not any(_ENTRY.match(n) for n in names):
            raise ValueError("a compound file without Contents and Page streams: not a .fla")
        if ole.get_size("Contents") > MAX_CONTENTS:
            raise ValueError(f"a Contents stream over {MAX_CONTENTS} bytes")
        data = ole.openstream("Contents").read()
        times = (_aware(ole.root.getctime()), _aware(ole.root.getmtime()))
    return data, times


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """olefile gives FILETIMEs naive; they are UTC by the format (the zero
    FILETIME, 1601, means none)."""
    if value is None or value.year < 1980:
        return None
    return value.replace(tzinfo=dt.UTC)


def _cstring(data: bytes, at: int) -> tuple[str, int] | None:
    """The CString at `at` (its `FF FE FF` marker) and where it ends."""
    if data[at : at + 3] != b"\xff\xfe\xff" or at + 4 > len(data):
        return None
    pos = at + 4
    length = data[at + 3]
    if length == 0xFF and pos + 2 <= len(data):
        (length,) = struct.unpack_from("<H", data, pos)
        pos += 2
        if length == 0xFFFF and pos + 4 <= len(data):
            (length,) = struct.unpack_from("<I", data, pos)
            pos += 4
    end = pos + 2 * length
    if end > len(data):
        return None
    return data[pos:end].decode("utf-16le", "replace"), end


def _unix(data: bytes, at: int) -> dt.datetime | None:
    if at + 4 > len(data):
        return None
    (value,) = struct.unpack_from("<I", data, at)
    return dt.datetime.fromtimestamp(value, dt.UTC) if _EARLIEST < value < _LATEST else None


def library(data: bytes) -> FlaLibrary:
    """The scenes, symbols and imported files `Contents` names: each entry
    is its stream's name (a length byte and UTF-16, no marker), then the
    CString of what the artist called it; an imported file's goes on with
    a 16-bit number and the CString of its source path, then its times."""
    found = FlaLibrary()
    if saved := _SAVED_BY.search(data):
        found.saved_by = saved.group(1).decode("ascii")
        found.saved = _unix_text(saved.group(2))
    found.settings, found.files = _strings(data)
    for m in _ENTRY_BYTES.finditer(data):
        kind = m.group(1).decode("utf-16le")
        if kind in _KINDS:  # a CS3 name: only where its length byte says so
            if m.start() < 1 or data[m.start() - 1] != (m.end() - 3 - m.start()) // 2:
                continue
            kind = _KINDS[kind]
        named = _cstring(data, m.end() - 3)
        if named is None:
            continue
        name, end = named
        if kind == "Page":
            found.scenes.append(name)
        elif kind == "Symbol":
            found.symbols.append(name)
            if len(found.links) < MAX_ITEMS and (link := _symbol_link(data, end)) != (None, None):
                found.links.append((name, *link))
        elif len(found.media) < MAX_ITEMS:
            stream = m.group(0)[:-3].decode("utf-16le")
            marker = data.find(b"\xff\xfe\xff", end, end + 16)
            path = _cstring(data, marker) if marker >= 0 else None
            if path is None:
                found.media.append(FlaMedia(stream, name, None))
                continue
            after = path[1]
            times = (_unix(data, after), _unix(data, after + 12), _unix(data, after + 24))
            found.media.append(FlaMedia(stream, name, path[0] or None, times))
    return found


def _symbol_link(data: bytes, end: int) -> tuple[str | None, str | None]:
    """A symbol entry's linkage and source, by position: the CStrings after
    its name are an empty one, the ActionScript 2 identifier, another, the
    ActionScript 3 class, then the document a shared symbol is taken from
    (".\\lib.fla"), as the public documents of Flash CS3 and CS4 show them."""
    strings: list[str] = []
    at = data.find(b"\xff\xfe\xff", end, end + 64)
    while at >= 0 and len(strings) < 5:
        found = _cstring(data, at)
        if found is None:
            break
        strings.append(found[0])
        at = data.find(b"\xff\xfe\xff", found[1], found[1] + 64)
    if len(strings) < 5:
        return None, None
    linkage = strings[1] or strings[3] or None
    source = strings[4] if _FILE.match(strings[4]) else None
    return linkage, source


def _unix_text(text: bytes | None) -> dt.datetime | None:
    value = int(text) if text else 0
    return dt.datetime.fromtimestamp(value, dt.UTC) if _EARLIEST < value < _LATEST else None


def _strings(data: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """The (key, value) pairs of `Contents`' property map (a CString naming
    a setting, "Vector::DocumentClass", and the CString right after it),
    and every CString that is a file's path (a folder separator, a name with
    an extension)."""
    out: list[tuple[str, str]] = []
    files: dict[str, None] = {}
    at = data.find(b"\xff\xfe\xff")
    while at >= 0 and len(out) < MAX_ITEMS:
        key = _cstring(data, at)
        if key is None:
            at = data.find(b"\xff\xfe\xff", at + 3)
            continue
        name, end = key
        if len(files) < MAX_ITEMS and _FILE.match(name):
            files[name] = None
        value = _cstring(data, end) if _SETTING.match(name) else None
        if value is not None:
            if value[0].strip() and not _NUMBER.match(value[0]):  # the switches and sizes left
                out.append((name, value[0]))
            if len(files) < MAX_ITEMS and _FILE.match(value[0]):
                files[value[0]] = None
            end = value[1]
        at = data.find(b"\xff\xfe\xff", end)
    return out, list(files)


def utf16_xmp(data: bytes) -> bytes | None:
    """The XMP packet CS4 writes into `Contents` in UTF-16, as UTF-8."""
    start = data.find("<?xpacket begin=".encode("utf-16le"))
    if start < 0:
        return None
    text = data[start:].decode("utf-16le", "replace")
    m = _XMP.match(text)
    return m.group(0).encode("utf-8") if m else None
