"""Content type from the bytes (libmagic), and whether the name agrees.

libmagic (through python-magic) knows thousands of formats and is what
`file(1)` uses; we only add the few answers it leaves generic and the
extension table used to flag names that lie about their content."""

from __future__ import annotations

import functools
import mimetypes
import re
import struct

import magic

# Extensions a type is known by, beyond what `mimetypes` says.
_EXTRA_EXTENSIONS: dict[str, set[str]] = {
    "image/jpeg": {"jpg", "jpeg", "jpe", "jfif"},
    "image/png": {"png"},
    "image/tiff": {"tif", "tiff", "dng", "nef", "cr2", "arw"},
    "image/heic": {"heic", "heif"},
    "image/heif": {"heic", "heif"},
    "image/vnd.adobe.photoshop": {"psd", "psb"},
    "image/webp": {"webp"},
    "image/gif": {"gif"},
    "application/zip": {"zip", "clip", "cbz", "xlsx", "docx", "pptx"},
    "application/gzip": {"gz", "tgz"},
    "application/x-gzip": {"gz", "tgz"},
    "application/x-bzip2": {"bz2", "tbz", "tbz2"},
    "application/x-xz": {"xz", "txz"},
    "application/x-tar": {"tar"},
    "application/pdf": {"pdf"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "text/plain": {"txt", "text", "log", "md", "csv", "xmp", "json", "xml", "sxf"},
    "text/csv": {"csv", "txt"},
    "application/json": {"json", "xdts"},
    "text/xml": {"xml", "xmp"},
    "video/mp4": {"mp4", "m4v"},
    "video/quicktime": {"mov", "qt"},
    "application/x-krita": {"kra", "krz"},
    "application/x-exposure-sheet": {"xdts", "tdts", "xps"},
    "application/x-synfig": {"sif"},
    "application/vnd.adobe.xfl": {"fla"},
    "application/vnd.adobe.fla": {"fla"},
    "application/x-pencil2d": {"pclx"},
    "application/vnd.adobe.aftereffects.project": {"aep"},
    "application/vnd.adobe.aftereffects.projectx": {"aepx"},
    "application/x-pencil2d-document": {"pcl", "xml"},
    "application/x-xfl-document": {"xml"},
    "application/x-xfl-symbol": {"xml"},
    "application/x-animate-publish-settings": {"xml"},
    "application/x-opentoonz-scene": {"tnz"},
    "text/x-opentoonz-history": {"hst"},
    "application/x-opentoonz-palette": {"tpl"},
    "application/x-opentoonz-project": {"otprj", "xml"},
    "application/x-toonz-tlv": {"tlv"},
    "application/x-toonz-pli": {"pli"},
    "application/x-toonboom-harmony-scene": {"xstage"},
    "application/x-toonboom-harmony": {"aux", "elementtable", "versiontable", "plt"},
    "application/x-toonboom-tvg": {"tvg"},
    "application/octet-stream": set(),
    "inode/x-empty": set(),
}

# Extensions that claim a definite type: a file so named whose bytes are of
# no known type (or of another) is flagged.
_CLAIMING = {ext for exts in _EXTRA_EXTENSIONS.values() for ext in exts} - {"txt", "log", "text"}


@functools.cache
def _magic() -> magic.Magic:
    return magic.Magic(mime=True)


def sniff(head: bytes) -> str:
    """MIME type of the bytes, from their first bytes only."""
    if not head:
        return "inode/x-empty"
    if head.startswith(b"8BPS"):
        return "image/vnd.adobe.photoshop"
    if head.startswith(b"CSFCHUNK"):
        return "application/x-clip-studio"
    if toonz := sniff_toonz(head):
        return toonz
    if head.startswith(b"TLV1"):
        return TOONZ_RASTER_MIME
    if head.startswith(b"PLIMG"):
        return TOONZ_VECTOR_MIME
    if head.lstrip(b"\xef\xbb\xbf").startswith(_SHEETS):
        return "application/x-exposure-sheet"
    if is_synfig(head[:4096]):
        return SYNFIG_MIME
    if is_xfl_document(head[:4096]):
        return XFL_DOCUMENT_MIME
    if is_xfl_symbol(head[:4096]):
        return XFL_SYMBOL_MIME
    if is_publish_settings(head[:4096]):
        return PUBLISH_SETTINGS_MIME
    if is_pencil2d_document(head[:4096]):
        return PENCIL2D_DOCUMENT_MIME
    if is_aep(head):
        return AEP_MIME
    if is_aepx(head[:4096]):
        return AEPX_MIME
    if harmony := sniff_harmony(head[:4096]):
        return harmony
    if is_binary_fla(head):
        return FLA_OLE_MIME
    try:
        found = str(_magic().from_buffer(head))
    except magic.MagicException:
        found = "application/octet-stream"
    if found in ("application/zip", "application/octet-stream") and (own := _zip_mimetype(head)):
        return own
    if found == "application/zip" and _PENCIL2D_FIRST.match(_first_member(head)):
        return PENCIL2D_MIME
    if found == "application/zip" and _first_member(head).endswith(b".xfl") and _XFL_PROXY in head:
        return XFL_MIME  # Animate's recovered or rewritten .fla: its stale a.xfl comes first
    if found == "application/zip" and b"DOMDocument.xml" in _leading_members(head):
        return XFL_MIME  # Flash CS5 wrote its folders first and no mimetype member
    return found


_MIME = re.compile(rb"application/[A-Za-z0-9.+-]{1,80}")
# the self-declared types taken at their word (a zip may claim anything)
_ZIP_TYPES = (
    "application/x-krita",
    "application/vnd.adobe.xfl",
    "application/vnd.oasis.",
    "application/x-pencil2d-pclx",
)
_ZIP_TYPE_NAMES = {"application/x-pencil2d-pclx": "application/x-pencil2d"}  # as we name it


def _first_member(head: bytes) -> bytes:
    """The name of a zip's first member, from its local header."""
    if len(head) < 30 or not head.startswith(b"PK\x03\x04"):
        return b""
    (name_len,) = struct.unpack_from("<H", head, 26)
    return head[30 : 30 + name_len]


def _leading_members(head: bytes, count: int = 8) -> list[bytes]:
    """The names of a zip's first members, walked by their local headers
    as far as the sizes they give lead (a data descriptor's zero size
    ends the walk, unless the member is a folder)."""
    names: list[bytes] = []
    pos = 0
    while len(names) < count and head.startswith(b"PK\x03\x04", pos) and pos + 30 <= len(head):
        flags, size, name_len, extra_len = struct.unpack_from("<H10xI4xHH", head, pos + 6)
        name = head[pos + 30 : pos + 30 + name_len]
        names.append(name)
        if flags & 8 and not size and not name.endswith(b"/"):
            break
        pos += 30 + name_len + extra_len + size
    return names


def _zip_mimetype(head: bytes) -> str | None:
    """The type a zip names itself by: a first member called `mimetype`,
    stored, holding a MIME type (the OpenDocument convention, which Krita
    (`application/x-krita`), Animate (`application/vnd.adobe.xfl`) and
    Pencil2D (0.6.6's `application/x-pencil2d-pclx`, its sizes in a data
    descriptor) follow too; libmagic names only some of them)."""
    if len(head) < 30 or not head.startswith(b"PK\x03\x04"):
        return None
    method, _, _, _, packed, _, name_len, extra_len = struct.unpack_from("<HHHIIIHH", head, 8)
    start = 30 + name_len + extra_len
    if method != 0 or head[30 : 30 + name_len] != b"mimetype":
        return None
    (flags,) = struct.unpack_from("<H", head, 6)
    if packed == 0 and flags & 0x08:  # sizes in a data descriptor after it (Pencil2D's miniz)
        end = head.find(b"PK\x07\x08", start, start + 120)
        value = head[start:end] if end > 0 else b""
    else:
        value = head[start : start + packed].strip()
    if not _MIME.fullmatch(value) or not value.decode("ascii").startswith(_ZIP_TYPES):
        return None
    return _ZIP_TYPE_NAMES.get(value.decode("ascii"), value.decode("ascii"))


def allowed_extensions(mime: str) -> set[str]:
    exts = {e.lstrip(".") for e in mimetypes.guess_all_extensions(mime, strict=False)}
    return exts | _EXTRA_EXTENSIONS.get(mime, set())


def extension_mismatch(ext: str, mime: str) -> bool:
    """True when the name's extension claims a type the bytes are not."""
    if not ext:
        return False
    allowed = allowed_extensions(mime)
    if ext in allowed:
        return False
    if mime.startswith("text/") and ext not in _CLAIMING:
        return False
    return ext in _CLAIMING or bool(allowed)


_SHEETS = (
    b"exchangeDigitalTimeSheet Save Data",
    b"toeiDigitalTimeSheet Save Data",
    b"nasTIME-SHEET ",  # the nas .xps
)
SCENE_MIME = "application/x-opentoonz-scene"
HISTORY_MIME = "text/x-opentoonz-history"
PALETTE_MIME = "application/x-opentoonz-palette"
PROJECT_MIME = "application/x-opentoonz-project"
TOONZ_RASTER_MIME = "application/x-toonz-tlv"  # a Toonz raster level (.tlv)
TOONZ_VECTOR_MIME = "application/x-toonz-pli"  # a Toonz vector level (.pli)
_HEADER = b"| #    DATE:"


# What may come before an XML document's root: a byte-order mark, an XML
# declaration, comments and a document type (whose name is kept: Pencil2D's
# main.xml is told by it). A hostile file declares entities there: it is
# still recognised, so that its reader refuses it as a problem row.
_PROLOG = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.{0,2000}?-->\s*)*"
    rb"(?:<!DOCTYPE\s+([\w:.-]{1,100})[^\[>]{0,200}(?:\[.{0,4096}?\])?\s*>\s*)?",
    re.S,
)


def _root(head: bytes) -> tuple[bytes, bytes | None]:
    """The bytes from an XML document's root element on, and its document
    type's name (None without one)."""
    m = _PROLOG.match(head)
    assert m is not None  # every part of the pattern is optional
    return head[m.end() :], m.group(1)


def sniff_toonz(head: bytes) -> str | None:
    """The OpenToonz type of these first bytes, if they are one (libmagic
    calls a scene HTML or XML and a history plain text)."""
    start, _ = _root(head)
    if start.startswith((b"<tnz ", b"<tnz>")):
        return SCENE_MIME
    if start.startswith((_HEADER, b'"| #    DATE:')):
        return HISTORY_MIME
    if start.startswith(b"<project>") and re.search(rb"<folders>|<sceneProperties>", start[:4096]):
        return PROJECT_MIME  # an OpenToonz project (a Harmony scene's <project> has attributes)
    if start.startswith((b"<palette ", b"<palette>")) and re.search(
        rb"<(?:styles|version|refImgPath)[\s>]", start[:4096]
    ):  # a TOStream palette (Pencil2D's own palette.xml is <palette><Color .../>)
        return PALETTE_MIME
    return None


SYNFIG_MIME = "application/x-synfig"


def is_synfig(head: bytes) -> bool:
    """A Synfig document: a <canvas> root."""
    return bool(re.match(rb"<canvas[\s>]", _root(head)[0]))


XFL_MIME = "application/vnd.adobe.xfl"  # a .fla zip, by its mimetype member
XFL_DOCUMENT_MIME = "application/x-xfl-document"  # DOMDocument.xml of an XFL folder
_XFL_PROXY = b"PROXY-CS5"  # what an XFL's own .xfl member holds
FLA_OLE_MIME = "application/vnd.adobe.fla"  # Flash MX to CS4: an OLE compound file
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FLA_STREAMS = tuple(f"{name} ".encode("utf-16le") for name in ("Page", "Symbol", "Media"))
# Flash CS3's and CS4's shorter: "P 1 1329273949" (a letter, the number, the
# Unix time the item was made)
_FLA_CS3_STREAM = re.compile(rb"[PSM]\x00 \x00(?:[0-9]\x00){1,6} \x00(?:[0-9]\x00){9,10}\x00\x00")


def is_binary_fla(head: bytes) -> bool:
    """A binary .fla: a compound file naming a `Contents` stream and the
    library's `Page`, `Symbol` or `Media` streams in its first bytes."""
    return (
        head.startswith(OLE_MAGIC)
        and "Contents".encode("utf-16le") in head
        and (any(name in head for name in _FLA_STREAMS) or bool(_FLA_CS3_STREAM.search(head)))
    )


def is_xfl_document(head: bytes) -> bool:
    """An Animate XFL document: a <DOMDocument> root."""
    return bool(re.match(rb"<DOMDocument[\s>/]", _root(head)[0]))


XFL_SYMBOL_MIME = "application/x-xfl-symbol"  # LIBRARY/*.xml of an XFL folder or .fla


def is_xfl_symbol(head: bytes) -> bool:
    """A symbol of an XFL library: a <DOMSymbolItem> root."""
    return bool(re.match(rb"<DOMSymbolItem[\s>/]", _root(head)[0]))


PUBLISH_SETTINGS_MIME = "application/x-animate-publish-settings"  # an XFL's PublishSettings.xml


def is_publish_settings(head: bytes) -> bool:
    """Animate's publish settings: a <flash_profiles> root, or (an HTML5
    canvas document's, Animate 2017 on) a <profiles> root whose profile
    holds publish formats."""
    start = _root(head)[0]
    return bool(
        re.match(rb"<flash_profiles[\s>]", start)
        or (re.match(rb"<profiles[\s>]", start) and b"<PublishFormatProperties" in start)
    )


PENCIL2D_MIME = "application/x-pencil2d"  # a .pclx zip
PENCIL2D_DOCUMENT_MIME = "application/x-pencil2d-document"  # main.xml, or an old loose .pcl
# Pencil2D's zip writer adds the keyframes first ("data/001.001.png"), then main.xml
_PENCIL2D_FIRST = re.compile(rb"^(?:data/\d{3}\.\d{3}\.(?:png|vec)|main\.xml)$")


def is_pencil2d_document(head: bytes) -> bool:
    """Pencil2D's main.xml: the doctype PencilDocument (MyObject before 0.5)."""
    return _root(head)[1] in (b"PencilDocument", b"MyObject")


AEP_MIME = "application/vnd.adobe.aftereffects.project"
AEPX_MIME = "application/vnd.adobe.aftereffects.projectx"


def is_aep(head: bytes) -> bool:
    """An After Effects project: RIFX (big-endian RIFF) of form `Egg!`."""
    return head[:4] == b"RIFX" and head[8:12] == b"Egg!"


def is_aepx(head: bytes) -> bool:
    """An After Effects XML project: an <AfterEffectsProject> root."""
    return _root(head)[0].startswith(b"<AfterEffectsProject")


HARMONY_SCENE_MIME = "application/x-toonboom-harmony-scene"  # .xstage
HARMONY_MIME = "application/x-toonboom-harmony"  # .aux, .elementTable, .versionTable, palettes
HARMONY_DRAWING_MIME = "application/x-toonboom-tvg"
# the programs of Toon Boom's scene format: Harmony, Stage (Harmony 12's scene program), and
# Storyboard Pro, which writes the same element tables
_HARMONY_SOURCE = re.compile(
    rb"""\bsource=["'](?:Harmony|Stage|Storyboard Pro|Toon Boom)|\bcreator=["']harmony"""
)


def sniff_harmony(head: bytes) -> str | None:
    """The Toon Boom Harmony type of these first bytes, if they are one:
    a drawing (`OTVG`), a scene (`<project>` written by Harmony), its
    element, version and scene-version tables, a palette or palette list."""
    if head.startswith(b"OTVG"):
        return HARMONY_DRAWING_MIME
    if head.startswith(b"ToonBoomAnimationInc Palette"):
        return HARMONY_MIME
    start, doctype = _root(head)
    tag = start[: start.find(b">") + 1]
    if tag.startswith(b"<project ") and _HARMONY_SOURCE.search(tag):
        return HARMONY_SCENE_MIME
    if tag.startswith(b"<elements ") and _HARMONY_SOURCE.search(tag):
        return HARMONY_MIME
    if doctype == b"SceneVersion" and start.startswith(b"<SceneVersion"):
        return HARMONY_MIME
    if doctype == b"Scene" and start.startswith(b"<Scene ") and b"EnableVersionDrawing" in tag:
        return HARMONY_MIME
    return None
