"""Which members of a zip are the parts of a document (Office Open XML,
OpenDocument, EPUB) and which are files of the dump that happen to sit in it.

A document's parts are not files of the dump: a .docx is one file. But a
`[Content_Types].xml` or a `mimetype` member alone does not make a zip a
document, and a document zip can carry other files besides its parts.
So a zip is a document only when its package structure holds: for OOXML the
content types parse and the package relationships name a main part that is
there; for ODF and EPUB the first member is `mimetype`, stored, naming such a
type, and the manifest (or container) is there. The parts are what the
package itself names; every other member is listed as usual. When in doubt
the zip is a folder: listing a part costs a row, hiding a file loses it.
"""

from __future__ import annotations

import posixpath
import zipfile
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeTree

MAX_PART_XML = 4 * 2**20  # bytes of a package's own XML (content types, rels, manifest) read

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOC = "/officeDocument"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"


def document_parts(zf: zipfile.ZipFile) -> set[str] | None:
    """The member names that are parts of the document this zip is, or None
    when it is not a document."""
    names = {info.filename for info in zf.infolist()}
    try:
        if "[Content_Types].xml" in names:
            return _ooxml(zf, names)
        first = zf.infolist()[0] if zf.infolist() else None
        if first is not None and first.filename == "mimetype":
            return _odf_or_epub(zf, names, first)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, NotImplementedError):
        return None  # a package too damaged to read its structure: list its members
    return None


def _xml(zf: zipfile.ZipFile, name: str) -> Element | None:
    info = zf.getinfo(name)
    if info.file_size > MAX_PART_XML:
        return None
    with zf.open(info) as fh:
        data = fh.read(MAX_PART_XML + 1)
    if len(data) > MAX_PART_XML:
        return None
    try:
        return SafeTree.fromstring(data)
    except (SafeTree.ParseError, ValueError):  # defusedxml's refusals are ValueErrors
        return None


def _ooxml(zf: zipfile.ZipFile, names: set[str]) -> set[str] | None:
    types = _xml(zf, "[Content_Types].xml")
    if types is None or types.tag != f"{_CT}Types" or "_rels/.rels" not in names:
        return None
    parts = {"[Content_Types].xml"}
    for override in types.iter(f"{_CT}Override"):
        parts.add(override.get("PartName", "").lstrip("/"))
    main = None
    for rels_name in sorted(n for n in names if n.endswith(".rels")):
        rels = _xml(zf, rels_name)
        if rels is None:
            continue
        parts.add(rels_name)
        # _rels/.rels speaks for the package root; word/_rels/document.xml.rels for word/
        base = posixpath.dirname(posixpath.dirname(rels_name))
        for rel in rels.iter(f"{_REL}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            path = posixpath.normpath(path)
            parts.add(path)
            if rels_name == "_rels/.rels" and rel.get("Type", "").endswith(_OFFICE_DOC):
                main = path
    if main is None or main not in names:
        return None
    return parts & names


_ODF_TYPES = ("application/vnd.oasis.opendocument.", "application/epub+zip")


def _odf_or_epub(zf: zipfile.ZipFile, names: set[str], first: zipfile.ZipInfo) -> set[str] | None:
    if first.compress_type != zipfile.ZIP_STORED or first.file_size > 200:
        return None
    mimetype = zf.read(first).decode("ascii", "replace").strip()
    if not mimetype.startswith(_ODF_TYPES):
        return None
    parts = {"mimetype"} | {n for n in names if n.startswith("META-INF/")}
    if mimetype == "application/epub+zip":
        if "META-INF/container.xml" not in names:
            return None
        container = _xml(zf, "META-INF/container.xml")
        if container is None:
            return None
        for root in container.iter(f"{_CONTAINER}rootfile"):
            opf = root.get("full-path", "")
            folder = posixpath.dirname(opf)
            parts |= {n for n in names if not folder or n.startswith(folder + "/")}
        return parts
    if "META-INF/manifest.xml" not in names:
        return None
    manifest = _xml(zf, "META-INF/manifest.xml")
    if manifest is None:
        return None
    for entry in manifest.iter(f"{_MANIFEST}file-entry"):
        parts.add(entry.get(f"{_MANIFEST}full-path", ""))
    # Thumbnails, settings and the like are named by folder entries ("Pictures/")
    folders = tuple(p for p in parts if p.endswith("/"))
    parts |= {n for n in names if folders and n.startswith(folders)}
    return parts & names
