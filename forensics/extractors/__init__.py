"""The extractor registry: built-ins plus the entry point group
`forensics.extractors` for third-party formats."""

from __future__ import annotations

import functools
from importlib.metadata import entry_points

from .aftereffects import AfterEffectsExtractor
from .animate import AnimateExtractor
from .annotations import AnnotationsExtractor
from .archive import ArchiveEntryExtractor
from .asf import AsfExtractor
from .base import Extractor, ExtractorDoc
from .clip import ClipExtractor
from .exif import ExifExtractor
from .filesystem import FilesystemExtractor
from .flashpix import FlashPixExtractor
from .harmony import HarmonyExtractor
from .iptc import IptcExtractor
from .krita import KritaExtractor
from .objects import ObjectExtractor
from .office import OfficeExtractor
from .opentoonz import OpenToonzExtractor
from .paths import PathWordsExtractor
from .pdf import PdfExtractor
from .pencil2d import Pencil2dExtractor
from .perceptual import PerceptualHashExtractor
from .png import PngExtractor
from .psd import PsdExtractor
from .publishsettings import PublishSettingsExtractor
from .riff import RiffExtractor
from .synfig import SynfigExtractor
from .timesheet import TimesheetExtractor
from .video import VideoExtractor
from .xmlinventory import XmlInventoryExtractor
from .xmp import XmpExtractor
from .zipfile_meta import ZipExtractor

BUILTIN_EXTRACTORS: tuple[type[Extractor], ...] = (
    FilesystemExtractor,
    ObjectExtractor,
    ArchiveEntryExtractor,
    ExifExtractor,
    FlashPixExtractor,
    XmpExtractor,
    IptcExtractor,
    PngExtractor,
    PsdExtractor,
    ClipExtractor,
    PdfExtractor,
    OfficeExtractor,
    KritaExtractor,
    OpenToonzExtractor,
    TimesheetExtractor,
    SynfigExtractor,
    AnimateExtractor,
    PublishSettingsExtractor,
    Pencil2dExtractor,
    AfterEffectsExtractor,
    HarmonyExtractor,
    XmlInventoryExtractor,
    VideoExtractor,
    RiffExtractor,
    AsfExtractor,
    ZipExtractor,
    PathWordsExtractor,
    PerceptualHashExtractor,
    AnnotationsExtractor,
)

ENTRY_POINT_GROUP = "forensics.extractors"


@functools.cache
def registry() -> tuple[Extractor, ...]:
    """Instances of every extractor, built-ins first, then plug-ins by name.
    Names must be unique: a plug-in cannot shadow a built-in."""
    classes = list(BUILTIN_EXTRACTORS)
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        classes.append(ep.load())
    seen: set[str] = set()
    for cls in classes:
        if cls.name in seen:
            raise ValueError(f"two extractors are named {cls.name!r}")
        seen.add(cls.name)
    return tuple(cls() for cls in classes)


__all__ = ["BUILTIN_EXTRACTORS", "Extractor", "ExtractorDoc", "registry"]
