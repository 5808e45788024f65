"""Agreement with ExifTool: is every date ExifTool reports in the groups we
cover the wall-clock (`local`) time of one of our events for that file?

Used by the oracle test and by `bench/oracle.py`. ExifTool's JSON
(`exiftool -j -G1 -n -a -u -r`) names each value `Group:Tag`; dates are
compared on their wall-clock part to the second, since ExifTool prints
offsets and sub-seconds in several ways and our `local` is as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

# ExifTool groups of the formats the issue covers: EXIF, XMP, IPTC, PNG,
# PDF, QuickTime and ZIP (Composite, MakerNotes and ICC profiles are not).
COVERED = re.compile(
    r"^(IFD\d|ExifIFD|GPS|SubIFD\d*|InteropIFD|XMP-[\w-]+|IPTC|PNG|PDF|"
    r"QuickTime|Track\d+|ZIP|Photoshop)$"
)
# Every group ExifTool reports but its own Composite (derived), ICC profile
# and System (the file as found on disk: ours is the filesystem extractor's)
# and File / ExifTool (about the file type and the run): issue 16's
# "every date ExifTool sees".
ALL_DATES = re.compile(r"^(?!(?:Composite|System|File|ExifTool)$)(?!ICC)[\w-]+$")
_DATE = re.compile(r"^\s*(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")


@dataclass(frozen=True)
class Miss:
    path: str
    tag: str
    value: str


def wall_clock(value: str) -> str | None:
    m = _DATE.match(value)
    if not m:
        return None
    y, mo, d, h, mi, s = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}"


def exiftool_dates(
    entry: dict[str, object], groups: re.Pattern[str] = COVERED
) -> list[tuple[str, str, str]]:
    """(tag, value as printed, wall-clock) of every date of one file in the
    groups `groups` matches (default: those the issues cover)."""
    out = []
    for key, value in entry.items():
        group = key.split(":", 1)[0]
        if ":" not in key or not groups.match(group):
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str) and (wall := wall_clock(v)):
                out.append((key, v, wall))
    return out


def compare(
    truth: Iterable[dict[str, object]],
    events: pd.DataFrame,
    path_of: dict[str, str],
    groups: re.Pattern[str] = COVERED,
) -> tuple[int, list[Miss]]:
    """(dates ExifTool reported in `groups`, the ones we missed). `path_of`
    maps ExifTool's SourceFile to the case path. A date ExifTool gives an
    archive counts as found on the archive's members too: ExifTool reads a
    stored member's bytes as the archive's own (a RAR of stored JPEGs is to
    it "JPEG-like data after unknown 95-byte header"), where we date the
    member."""
    ours: dict[str, set[str]] = {}
    for path, local in zip(events["path"], events["local"], strict=True):
        text = str(local)
        wall = wall_clock(text) or text[:19]
        ours.setdefault(path, set()).add(wall)
        while "!/" in path:
            path = path.rsplit("!/", 1)[0]
            ours.setdefault(path, set()).add(wall)
    total, misses = 0, []
    for entry in truth:
        source = str(entry.get("SourceFile"))
        path = path_of.get(source)
        if path is None:
            continue
        for tag, value, wall in exiftool_dates(entry, groups):
            total += 1
            if wall not in ours.get(path, set()):
                misses.append(Miss(path, tag, value))
    return total, misses
