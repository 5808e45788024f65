"""What a file is to the work, for counting it: a drawing (an image, a
Photoshop, CLIP STUDIO, Krita or Harmony file, an OpenToonz level), a
document (PDF and office files: work logs, storyboards, exposure sheets),
a scene (an OpenToonz or Harmony scene: cells, camera and levels; a
Synfig, Animate, Pencil2D or After Effects project), a video, a text, an
archive, a part, or other.

An archive is transport, not work: its members are counted, not the
archive itself. A document of the production software that is a zip (a
Krita `.kra`, an Animate `.fla`, a Pencil2D `.pclx`) is the other way
round: it is the work, and its members (the merged image, the layers'
tiles) are its `part`s, rows of their own that are not counted again. A
file is an archive by its content type or because the case holds members
below it (a zip the scan walked into, whatever its type was called); the
type decides for an archive that could not be walked (a bomb refused, a
corrupt zip).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_DRAWING = {
    "image/vnd.adobe.photoshop",
    "application/x-clip-studio",
    "application/x-krita",
    "application/x-toonboom-tvg",  # a Harmony drawing
    "application/x-toonz-tlv",  # an OpenToonz level: its drawings
    "application/x-toonz-pli",
    "application/x-xfl-symbol",  # an Animate library symbol (LIBRARY/*.xml): a drawn asset
}
_SCENE = {
    "application/x-toonboom-harmony-scene",
    "application/x-opentoonz-scene",
    "application/x-synfig",
    "application/vnd.adobe.xfl",
    "application/vnd.adobe.fla",
    "application/x-xfl-document",
    "application/x-pencil2d",
    "application/x-pencil2d-document",
    "application/vnd.adobe.aftereffects.project",
    "application/vnd.adobe.aftereffects.projectx",
}
# works that are containers: their members are parts of them
WORK_CONTAINERS = {"application/x-krita", "application/vnd.adobe.xfl", "application/x-pencil2d"}
_DOCUMENT_PREFIXES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.oasis.opendocument.",
    "application/vnd.ms-excel",
    "application/msword",
    "application/vnd.ms-powerpoint",
    "application/x-exposure-sheet",
)
ARCHIVE_MIMES = {
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-bzip2",
    "application/x-xz",
    "application/zstd",
    "application/x-7z-compressed",
    "application/vnd.rar",
    "application/x-rar",
    "application/x-rar-compressed",
    "application/vnd.ms-cab-compressed",
    "application/x-iso9660-image",
    "application/x-cpio",
    "application/x-lzh-compressed",
}


def work_type(mime: str | None, holds_members: bool = False) -> str:
    """The work type of one file (see the module's doc)."""
    mime = (mime or "").lower()
    if mime in WORK_CONTAINERS:
        return work_type_of_content(mime)
    if holds_members or mime in ARCHIVE_MIMES:
        return "archive"
    if mime.startswith("image/") or mime in _DRAWING:
        return "drawing"
    if mime in _SCENE:
        return "scene"
    if mime.startswith(_DOCUMENT_PREFIXES):
        return "document"
    if mime.startswith("video/"):
        return "video"
    if mime.startswith("text/"):
        return "text"
    return "other"


def work_type_of_content(mime: str) -> str:
    return "drawing" if mime in _DRAWING else "scene" if mime in _SCENE else "other"


def work_types(files: pd.DataFrame) -> list[str]:
    """The work type of each row of a files view (path, container, mime)."""
    containers = set(files["container"].dropna())
    works = {
        path
        for path, mime in zip(files["path"].tolist(), files["mime"].tolist(), strict=True)
        if isinstance(mime, str) and mime.lower() in WORK_CONTAINERS
    }
    out = []
    for path, mime in zip(files["path"].tolist(), files["mime"].tolist(), strict=True):
        parts = str(path).split("!/")
        if works and any("!/".join(parts[:i]) in works for i in range(1, len(parts))):
            out.append("part")
        else:
            out.append(work_type(mime if isinstance(mime, str) else None, path in containers))
    return out
