"""Inline SVG charts: no library, no script, nothing fetched."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def bar_chart(
    labels: list[str],
    values: list[int],
    title: str,
    label_every: int = 1,
    width: int = 1000,
    height: int = 220,
    label_chars: int = 5,
) -> str:
    """Vertical bars; each label keeps its last `label_chars` characters."""
    if not values:
        return "<p>No data.</p>"
    top = max(max(values), 1)
    bar = width / len(values)
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = (height - 40) * value / top
        x = i * bar
        bars.append(
            f"<rect x='{x + 1:.1f}' y='{height - 30 - h:.1f}' width='{max(bar - 2, 1):.1f}'"
            f" height='{h:.1f}' fill='#4a78b5'><title>{html.escape(label)}: {value}"
            "</title></rect>"
        )
        if i % label_every == 0:
            bars.append(
                f"<text x='{x + bar / 2:.1f}' y='{height - 12}' font-size='10' "
                f"text-anchor='middle'>{html.escape(label[-label_chars:])}</text>"
            )
    return (
        f"<svg role='img' aria-label='{html.escape(title)}' viewBox='0 0 {width} {height}' "
        f"width='100%'><title>{html.escape(title)}</title>{''.join(bars)}"
        f"<text x='4' y='12' font-size='11'>max {top}</text></svg>"
    )


def heatmap(matrix: pd.DataFrame, cell: int = 22) -> str:
    top = max(int(matrix.to_numpy().max()), 1)
    rows = []
    for d, day in enumerate(matrix.columns):
        rows.append(f"<text x='0' y='{30 + d * cell + 15}' font-size='11'>{day}</text>")
        for h in range(24):
            value = int(matrix.to_numpy()[h, d])
            shade = 255 - int(200 * value / top)
            rows.append(
                f"<rect x='{40 + h * cell}' y='{30 + d * cell}' width='{cell - 2}' "
                f"height='{cell - 2}' fill='rgb({shade},{shade},255)'>"
                f"<title>{day} {h:02d}h: {value}</title></rect>"
            )
    for h in range(0, 24, 3):
        rows.append(f"<text x='{40 + h * cell}' y='22' font-size='10'>{h:02d}</text>")
    width, height = 40 + 24 * cell, 30 + 7 * cell
    return (
        f"<svg role='img' aria-label='activity by hour and weekday' "
        f"viewBox='0 0 {width} {height}' width='100%'>{''.join(rows)}</svg>"
    )
