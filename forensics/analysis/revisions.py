"""Drawings and their revisions: which files are versions of one drawing.

Files with the same production code without its version (production.py)
are one drawing; a file whose name says too little joins, by nearly
identical pixels (perceptual hashes within `PHASH_DISTANCE` bits), the
named drawing or the earlier unnamed file it matches. Within a drawing,
files are ordered by time; the first one the case holds is new work, the
others are revisions. The rule goes by the case, not by the version
number: a `v04` whose earlier versions the case does not hold is a new
drawing in the case's figures (nothing in the case shows the earlier
work), and a `v02` seen before its `v01` makes the `v01` the revision."""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

PHASH_DISTANCE = 6  # of 64 bits: a re-export or a light correction, not another drawing


def _hamming(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


class HashIndex:
    """64-bit hashes indexed for "the nearest within `radius` bits": the
    hash is cut into radius + 1 bands, and by the pigeonhole principle two
    hashes within `radius` bits agree exactly on at least one band, so only
    hashes sharing a band with the query are compared. Exact, and on
    unrelated hashes close to linear in their number (a Burkhard-Keller
    tree prunes almost nothing at 6 bits of 64: random hashes sit 32 +- 4
    apart)."""

    def __init__(self, radius: int) -> None:
        self.radius = radius
        bands = radius + 1
        widths = [64 // bands + (1 if i < 64 % bands else 0) for i in range(bands)]
        self.bands: list[tuple[int, int]] = []
        shift = 0
        for w in widths:
            self.bands.append((shift, (1 << w) - 1))
            shift += w
        # each band's buckets of hash numbers, as machine integers numpy reads in place
        self.tables: list[dict[int, array[int]]] = [{} for _ in self.bands]
        self.hashes = array("Q")
        self.idents: list[str] = []

    def add(self, value: int, ident: str) -> None:
        n = len(self.hashes)
        self.hashes.append(value)
        self.idents.append(ident)
        for table, (shift, mask) in zip(self.tables, self.bands, strict=True):
            bucket = table.get(key := (value >> shift) & mask)
            if bucket is None:
                table[key] = bucket = array("q")
            bucket.append(n)

    def nearest(self, value: int) -> str | None:
        """The ident of the nearest hash within the radius (of equals, the
        one added first), or None. The candidates (the hashes sharing a
        band with it) are compared in numpy: a thousand at a time on
        unrelated hashes, where a Python loop spent most of `drawings()`."""
        import numpy as np

        found = [
            bucket
            for table, (shift, mask) in zip(self.tables, self.bands, strict=True)
            if (bucket := table.get((value >> shift) & mask)) is not None
        ]
        if not found:
            return None
        numbers = np.concatenate([np.frombuffer(b, dtype=np.int64) for b in found])
        hashes = np.frombuffer(self.hashes, dtype=np.uint64)[numbers]
        distance = np.bitwise_count(hashes ^ np.uint64(value))
        near = distance <= self.radius
        if not near.any():
            return None
        numbers, distance = numbers[near], distance[near]
        best = np.lexsort((numbers, distance))[0]  # the nearest, then the first added
        return self.idents[int(numbers[best])]


def assign(files: pd.DataFrame) -> pd.DataFrame:
    """files (path, drawing_key, phash, time) -> the same with drawing,
    version_index (0 for the first) and is_revision."""
    import pandas as pd

    out = files.copy()
    drawing = out["drawing_key"].astype(object)
    unnamed = out[drawing.isna() & out["phash"].notna()].sort_values("time", kind="stable")
    # a named drawing's first file stands for it: a redraw saved under a
    # name without a code joins the drawing whose pixels it keeps
    named = out[drawing.notna() & out["phash"].notna()].sort_values("time", kind="stable")
    firsts = named.drop_duplicates("drawing_key")
    clusters = HashIndex(PHASH_DISTANCE)  # representative hashes, each with its drawing id
    for rep, ident in zip(firsts["phash"], firsts["drawing_key"], strict=True):
        clusters.add(int(rep, 16), ident)
    for idx, phash in zip(unnamed.index, unnamed["phash"], strict=True):
        # the nearest drawing, not the first within reach: sheets of one
        # studio share a layout, and their hashes sit a few bits apart
        near = clusters.nearest(int(phash, 16))
        if near is not None:
            drawing[idx] = near
        else:
            ident = f"pixels:{phash}"
            clusters.add(int(phash, 16), ident)
            drawing[idx] = ident
    out["drawing"] = drawing.where(drawing.notna(), "file:" + out["path"]).astype("str")
    out = out.sort_values(["drawing", "time", "path"], kind="stable", na_position="last")
    out["version_index"] = out.groupby("drawing").cumcount()
    out["is_revision"] = out["version_index"] > 0
    return (
        out.sort_values("path").reset_index(drop=True)
        if len(out)
        else out.assign(drawing=pd.Series(dtype="str"))
    )


def summary(assigned: pd.DataFrame) -> pd.DataFrame:
    """Per drawing: files, versions, first and last seen, and the mean days
    between consecutive dated files (the span over one less than the dated
    files: the mean of the gaps telescopes), paths in time order."""
    import pandas as pd

    columns = ["drawing", "files", "versions", "first_seen", "last_seen", "days_between", "paths"]
    if assigned.empty:
        return pd.DataFrame(columns=columns)
    ordered = assigned.sort_values(["drawing", "time", "path"], kind="stable", na_position="last")
    groups = ordered.groupby("drawing", sort=True)
    out = groups.agg(
        files=("path", "size"),
        first_seen=("time", "min"),
        last_seen=("time", "max"),
        dated=("time", "count"),
        paths=("path", list),
    )
    versions = ordered.dropna(subset=["version"]).assign(version=lambda d: d["version"].astype(str))
    versions = versions.drop_duplicates(["drawing", "version"]).sort_values(["drawing", "version"])
    joined = versions.groupby("drawing")["version"].agg(", ".join)
    out["versions"] = joined.reindex(out.index).fillna("")
    span = (out["last_seen"] - out["first_seen"]).dt.total_seconds() / 86400
    gaps = (out["dated"] - 1).where(out["dated"] > 1)
    out["days_between"] = [
        round(float(s / g), 2) if g == g and g else None for s, g in zip(span, gaps, strict=True)
    ]
    return out.reset_index()[columns]
