"""Chinese characters between their Traditional and Simplified forms, by
OpenCC: one converter per process for each direction."""

from __future__ import annotations

import functools


@functools.cache
def _opencc(config: str) -> object:
    import opencc

    return opencc.OpenCC(config)


def convert(text: str, config: str) -> str:
    """OpenCC's conversion of `text` (`t2s`: Traditional to Simplified,
    `s2t` the other way)."""
    return str(_opencc(config).convert(text))  # type: ignore[attr-defined]
