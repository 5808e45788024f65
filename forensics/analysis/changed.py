"""How much of a changed drawing changed: the share of its pixels that
differ from its previous version, when both versions' bytes are in the
case (preserved: `objects.py`). A new correction in ink is a small share;
a redraw, most of the sheet."""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

from ..objects import preserved

if TYPE_CHECKING:
    import pandas as pd

TOLERANCE = 24  # of 255 grey levels: a re-save's compression noise is not a change


def pixel_share(old: bytes, new: bytes) -> float | None:
    """The share of pixels that differ by more than `TOLERANCE` grey
    levels; None when either does not decode or their sizes differ."""
    import numpy as np
    from PIL import Image

    try:
        with Image.open(io.BytesIO(old)) as a, Image.open(io.BytesIO(new)) as b:
            if a.size != b.size:
                return None
            left = np.asarray(a.convert("L"), dtype=np.int16)
            right = np.asarray(b.convert("L"), dtype=np.int16)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return round(float((np.abs(left - right) > TOLERANCE).mean()), 4)


def add_pixel_shares(folder: str | os.PathLike[str], changes: pd.DataFrame) -> pd.DataFrame:
    """`changes` with `pixels_changed` for the changed images whose two
    versions the case preserved (top-level files; NaN otherwise)."""
    import pandas as pd

    shares: list[float | None] = []
    for status, mime, now, before in zip(
        changes["status"],
        changes["mime"],
        changes["sha256"],
        changes["previous_sha256"],
        strict=True,
    ):
        share = None
        if status == "changed" and str(mime).startswith("image/") and isinstance(before, str):
            old, new = preserved(folder, before), preserved(folder, now)
            if old is not None and new is not None:
                share = pixel_share(old, new)
        shares.append(share)
    out = changes.copy()
    out["pixels_changed"] = pd.array(shares, dtype="Float64")
    return out
