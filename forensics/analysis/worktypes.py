"""What a file is to the work, for counting it: a drawing (an image, a
Photoshop or CLIP STUDIO file), a document (PDF and office files: work
logs, storyboards), a video, a text, an archive, or other.

An archive is transport, not work: its members are counted, not the
archive itself. A file is an archive by its content type or because the
case holds members below it (a zip the scan walked into, whatever its
type was called); the type decides for an archive that could not be
walked (a bomb refused, a corrupt zip).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_DRAWING = {
    "image/vnd.adobe.photoshop",
    "application/x-clip-studio",
}
_DOCUMENT_PREFIXES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.oasis.opendocument.",
    "application/vnd.ms-excel",
    "application/msword",
    "application/vnd.ms-powerpoint",
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
    if holds_members or mime in ARCHIVE_MIMES:
        return "archive"
    if mime.startswith("image/") or mime in _DRAWING:
        return "drawing"
    if mime.startswith(_DOCUMENT_PREFIXES):
        return "document"
    if mime.startswith("video/"):
        return "video"
    if mime.startswith("text/"):
        return "text"
    return "other"


def work_types(files: pd.DataFrame) -> list[str]:
    """The work type of each row of a files view (path, container, mime)."""
    containers = set(files["container"].dropna())
    return [
        work_type(mime if isinstance(mime, str) else None, path in containers)
        for path, mime in zip(files["path"], files["mime"], strict=True)
    ]
