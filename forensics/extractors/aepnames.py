"""Paths and names inside an After Effects project's chunks, as the versions
before the JSON `Alas` chunk (CS5.5 and earlier) wrote them; the reader is
`aftereffects.py`.

- `alas`: a footage item's file. Its body starts with a version, the
  file's Mac type (`TEXT`, `8BPS`...), four bytes, the length of the path
  and the path as the saving system
  wrote it: `:C::Program Files:...` (a Windows path, colons for
  backslashes), `:Macintosh HD:Applications:...` (a Mac volume and its
  folders) or `//Applications/...`. A Mac project follows it with an
  Alias Manager record (`CoSA`), whose tagged fields give the POSIX path
  (tag 18) and the volume's mount point (tag 19).
- `ldat` of the render queue (`LItm`): the output module's file, the same
  colon-for-backslash Windows form (`C::Documents and Settings:NAME:...`).
- `Utf8` in an item's or a layer's LIST: its name (CS4 and later); `idta`
  and `ldta`: the item's and layer's name in a fixed field of 32 bytes
  (older versions, the system's code page).

Written by hand: no library reads these (they are undocumented; the
layouts here are what the public projects show, e.g. the nas scripts'
projects of kiyo-nekomataya/remaping).
"""

from __future__ import annotations

import re
import struct

_WINDOWS = re.compile(r":?([A-Za-z])::(.*)", re.S)
_OUTPUT = re.compile(rb"(?:[A-Za-z]::|:\\)[^\x00]{2,}")
NAME_BYTES = 32
_NAME_AT = {b"idta": 24, b"ldta": 64}  # offset of the fixed name field


def text(raw: bytes) -> str:
    """UTF-8, else Shift_JIS (the Japanese system code page older versions
    wrote), else Latin-1."""
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def native(path: str) -> str:
    """A path as its system writes it: `C:\\Program Files\\...` for the
    colon-for-backslash Windows form, `/Applications/...` for a doubled
    slash, `Macintosh HD:Folder:...` (HFS, volume first) for a Mac path."""
    if m := _WINDOWS.fullmatch(path):
        return f"{m[1]}:\\" + m[2].replace(":", "\\")
    if path.startswith("//"):
        return "/" + path.lstrip("/")
    if path.startswith(":"):
        return path[1:]
    return path


def alias_paths(body: bytes) -> list[str]:
    """The file of an `alas` chunk: its path, and the POSIX path of its Mac
    alias record when it has one."""
    out = []
    if len(body) > 14 and body[13] == 0:  # after the file's Mac type (TEXT, 8BPS...) and the length
        end = body.find(b"\x00", 14)
        raw = body[14 : end if end >= 0 else len(body)]
        if raw[:1] in (b":", b"/") or raw[1:3] == b"::":
            out.append(native(text(raw)))
    posix = _alias_posix(body)
    if posix:
        out.append(posix)
    return out


def _alias_posix(body: bytes) -> str | None:
    at = body.find(b"CoSA")
    if at < 0:
        return None
    record = body[at:]
    if len(record) < 150 or struct.unpack(">H", record[6:8])[0] != 2:
        return None
    fields: dict[int, bytes] = {}
    pos = 150  # the tagged fields follow the fixed part of a version 2 record
    while pos + 4 <= len(record):
        tag, length = struct.unpack(">hH", record[pos : pos + 4])
        if tag == -1:
            break
        fields[tag] = record[pos + 4 : pos + 4 + length]
        pos += 4 + length + (length & 1)
    if 18 not in fields:
        return None
    mount = text(fields.get(19, b"/")).rstrip("/")
    return f"{mount}/{text(fields[18]).lstrip('/')}"


def output_paths(body: bytes) -> list[str]:
    """The output files named in a render queue item's `ldat`."""
    return [native(text(m.group(0))) for m in _OUTPUT.finditer(body)]


def item_name(cid: bytes, body: bytes, kind: bytes) -> str | None:
    """The name an item's or a layer's chunk gives, if it is one."""
    if kind not in (b"Item", b"Layr"):
        return None
    if cid == b"Utf8":
        name = text(body).strip()
    elif cid in _NAME_AT:
        at = _NAME_AT[cid]
        raw = body[at : at + NAME_BYTES].split(b"\x00", 1)[0]
        name = text(raw).strip()
    else:
        return None
    return name or None
