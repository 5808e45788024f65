"""Drawings: the same code without version, or nearly the same pixels."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

import forensics


def _sheet(seed: int, extra: bool = False) -> bytes:
    rng = np.random.default_rng(seed)
    img = Image.new("L", (400, 300), 240)
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x0, y0 = rng.integers(0, 300, 2)
        draw.line([(int(x0), int(y0)), (int(x0) + 90, int(y0) + 60)], fill=40, width=4)
    if extra:  # a small correction
        draw.line([(10, 10), (30, 12)], fill=40, width=2)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _write(folder: Path, name: str, data: bytes, day: int) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    t = 1_712_000_000 + day * 86_400
    os.utime(path, (t, t))


def test_versions_by_code_and_by_pixels(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _write(src, "INV/EP05/LO/INV_S03_EP05_SC012_C003_LO_v01.png", _sheet(1), 0)
    _write(src, "INV/EP05/LO/INV_S03_EP05_SC012_C003_LO_v02.png", _sheet(2), 2)
    _write(src, "INV/EP05/LO/INV_S03_EP05_SC012_C003_LO_v03.png", _sheet(3), 5)
    _write(src, "scans/unnamed_a.png", _sheet(7), 1)
    _write(src, "scans/unnamed_b.png", _sheet(7, extra=True), 3)  # same drawing, touched up
    _write(src, "scans/other.png", _sheet(9), 4)
    # pixels are hashed by a full scan (--no-ocr is metadata only)
    case = forensics.scan(src, tmp_path / "case", executor="serial", ocr=True)
    drawings = case.drawings().set_index("path")
    coded = drawings.loc[drawings.index.str.startswith("INV/")]
    assert coded["drawing"].nunique() == 1
    assert list(coded.sort_values("version_index")["version"]) == ["1", "2", "3"]
    assert list(coded.sort_values("version_index")["is_revision"]) == [False, True, True]
    assert (
        drawings.loc["scans/unnamed_a.png", "drawing"]
        == drawings.loc["scans/unnamed_b.png", "drawing"]
    )
    assert drawings.loc["scans/unnamed_b.png", "is_revision"]
    assert (
        drawings.loc["scans/other.png", "drawing"] != drawings.loc["scans/unnamed_a.png", "drawing"]
    )
    summary = case.revisions().set_index("drawing")
    row = summary.loc[coded["drawing"].iloc[0]]
    assert row["files"] == 3 and row["versions"] == "1, 2, 3" and row["days_between"] == 2.5
    table = case.timeline(freq="D", tz="UTC")
    assert table["revisions"].sum() == 3 and table["new_drawings"].sum() == 3


def test_hash_index_finds_the_nearest_as_a_full_search_does() -> None:
    import random

    from forensics.analysis.revisions import HashIndex, _hamming

    rng = random.Random(5)
    base = [rng.getrandbits(64) for _ in range(40)]
    # hashes near a few bases, as re-exports of one drawing are
    hashes = [
        b ^ (1 << rng.randrange(64)) ^ (1 << rng.randrange(64)) for b in base for _ in range(5)
    ]
    tree = HashIndex(6)
    reps: list[tuple[int, str]] = []
    for n, h in enumerate(hashes):
        want = min(
            ((bin(r ^ h).count("1"), i, ident) for i, (r, ident) in enumerate(reps)),
            default=None,
        )
        want_ident = want[2] if want is not None and want[0] <= 6 else None
        assert tree.nearest(h) == want_ident, n
        if want_ident is None:
            reps.append((h, f"d{n}"))
            tree.add(h, f"d{n}")
    assert len(reps) == len(base)  # each base's variants joined it
    assert _hamming("ff", "0f") == 4
