"""Ink separation on drawn sheets: the masks against where the generator
really put correction ink (pencil, construction lines and paper left out)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pytest

from forensics.annotations.ink import Ink, coverage, ink_masks, load_palette

from ..conftest import FONTS, SAMPLES

sys.path.insert(0, str(SAMPLES))


@pytest.fixture(scope="module")
def sheets() -> list[tuple[np.ndarray, np.ndarray]]:
    if any(not Path(f).exists() for f in FONTS):
        pytest.skip("fonts missing")
    from make_samples import Sampler

    sampler = Sampler(seed=5, offset=dt.timedelta(hours=9))
    out = []
    for i in range(6):
        code = sampler.code("INV", 5, "LO")
        img, _notes = sampler.sheet(code, noisy=i % 2 == 0)
        out.append((np.asarray(img), np.asarray(sampler.ink_layer) > 60))
    return out


def test_masks_overlap_the_true_ink(sheets: list[tuple[np.ndarray, np.ndarray]]) -> None:
    palette = load_palette()
    for rgb, truth in sheets:
        ours = np.zeros(truth.shape, bool)
        for mask in ink_masks(rgb, palette).values():
            ours |= mask
        # ink pixels drawn with anti-aliasing: compare the cores
        inter, union = (ours & truth).sum(), (ours | truth).sum()
        assert inter / union >= 0.6, inter / union
        false_ink = ours & ~truth
        assert false_ink.sum() <= 0.01 * truth.sum()  # pencil and construction lines stay out


def test_coverage_and_palette_file(
    tmp_path: Path, sheets: list[tuple[np.ndarray, np.ndarray]]
) -> None:
    rgb, truth = sheets[0]
    cov = coverage(ink_masks(rgb, load_palette()))
    assert set(cov) == {"blue", "red", "pink", "orange"}  # the palette's enabled inks
    assert 0 < sum(cov.values()) < 0.05
    assert abs(sum(cov.values()) - truth.mean()) < truth.mean()
    custom = tmp_path / "studio.toml"
    custom.write_text("[ink.green]\nhue = [80, 160]\nmin_chroma = 70\n")
    assert load_palette(custom) == (Ink("green", (80.0, 160.0), 70),)
    assert {i.name for i in load_palette(all_inks=True)} >= {"pink", "yellow", "orange", "green"}


def test_thin_dark_pen_is_an_ink_and_print_is_black() -> None:
    """A thin ballpoint stroke on tinted paper, JPEG at quality 40: JPEG
    keeps colour at half resolution, so hardly a pixel of the stroke is
    hued any more, yet the writing is blue pen, not print; black print on
    the same paper stays printed black."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    from forensics.annotations.detect import Region
    from forensics.annotations.reader import region_ink

    found = sorted(Path("/usr/share/fonts").rglob("NanumMyeongjo.ttf"))
    if not found:
        pytest.skip("NanumMyeongjo not installed")
    font = ImageFont.truetype(str(found[0]), 26)
    img = Image.new("RGB", (420, 140), (238, 236, 222))
    d = ImageDraw.Draw(img)
    d.text((20, 20), "눈 위치 수정 바람", font=font, fill=(44, 52, 112))  # dark ballpoint blue
    d.text((20, 90), "KMR S01 EP12 C156", font=font, fill=(20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=40)
    rgb = np.asarray(Image.open(buf).convert("RGB"))
    palette = load_palette()
    pen = Region(cx=130, cy=35, width=240, height=36, angle=0.0, score=1.0)
    printed = Region(cx=150, cy=104, width=280, height=36, angle=0.0, score=1.0)
    assert region_ink(rgb, pen, palette) == "blue"
    assert region_ink(rgb, printed, palette) == "black"
