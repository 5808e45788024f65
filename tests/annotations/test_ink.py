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
