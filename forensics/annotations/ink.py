"""Correction ink, separated from the drawing by colour.

Each ink of the palette (palette.toml, or a studio's own file) is a hue
window and a minimum chroma. Graphite and black line art have no chroma,
paper has little, and light-blue construction lines are too pale to reach
the blue ink's minimum, so what is left is what a corrector wrote.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .params import INKS

DEFAULT_PALETTE = "palette.toml"


@dataclass(frozen=True)
class Ink:
    name: str
    hue: tuple[float, float]
    min_chroma: int
    enabled: bool = True


def load_palette(path: str | Path | None = None, all_inks: bool = False) -> tuple[Ink, ...]:
    """The inks of a palette file (the package's by default), enabled ones
    only unless `all_inks`."""
    if path is None:
        text = resources.files(__package__).joinpath(DEFAULT_PALETTE).read_text()
    else:
        text = Path(path).read_text()
    data = tomllib.loads(text)
    inks = []
    for name, spec in sorted(data.get("ink", {}).items()):
        low, high = spec["hue"]
        ink = Ink(
            name,
            (float(low), float(high)),
            int(spec["min_chroma"]),
            bool(spec.get("enabled", True)),
        )
        if ink.enabled or all_inks:
            inks.append(ink)
    return tuple(inks)


def hue_chroma(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hue in degrees and chroma (0-255) of an H x W x 3 uint8 image."""
    a = rgb.astype(np.int16)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    high = a.max(axis=2)
    chroma = high - a.min(axis=2)
    safe = np.where(chroma == 0, 1, chroma).astype(np.float32)
    hue = (
        np.where(
            high == r,
            ((g - b) / safe) % 6,
            np.where(high == g, (b - r) / safe + 2, (r - g) / safe + 4),
        )
        * 60.0
    )
    return hue.astype(np.float32), chroma


def in_hue(hue: np.ndarray, window: tuple[float, float]) -> np.ndarray:
    low, high = window
    if low <= high:
        return (hue >= low) & (hue <= high)
    return (hue >= low) | (hue <= high)


def ink_masks(rgb: np.ndarray, palette: tuple[Ink, ...]) -> dict[str, np.ndarray]:
    """A boolean mask per ink."""
    hue, chroma = hue_chroma(rgb)
    return {ink.name: in_hue(hue, ink.hue) & (chroma >= ink.min_chroma) for ink in palette}


def coverage(masks: dict[str, np.ndarray]) -> dict[str, float]:
    """Share of the sheet's pixels in each ink: how heavily it was corrected."""
    return {name: round(float(mask.mean()), 6) for name, mask in masks.items()}


def ink_darkness(rgb: np.ndarray, ink: Ink) -> np.ndarray:
    """How much of the ink each pixel holds (0-1): the pixel's darkness
    against the paper, where the ink's hue is.

    The shape comes from luminance, not chroma: JPEG keeps chroma at half
    resolution, so a thin pen stroke's chroma is smeared and weak while its
    luminance is sharp. The hue (from 0.4 of the ink's minimum chroma,
    grown by two pixels to cover that smear) only says where the ink is,
    so pencil and line art under and beside the writing stay out."""
    from scipy import ndimage

    hue, chroma = hue_chroma(rgb)
    gate = np.where(in_hue(hue, ink.hue), np.clip(chroma / (INKS.gate * ink.min_chroma), 0, 1), 0)
    gate = ndimage.grey_dilation(gate, size=(5, 5))
    lum = rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    dark = np.clip(np.percentile(lum, 90) - lum, 0, None) * gate
    inked = gate > 0.5
    full = float(np.percentile(dark[inked], 95)) * 0.8 if inked.any() else 1.0
    return np.clip(dark / max(full, 1.0), 0, 1)
