"""Inline SVG charts: no library, no script, nothing fetched. Every figure
is printed on the chart itself (axis ticks, values on the bars, numbers in
the heatmap's cells), not only in hover text, so that it survives print."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

LEFT = 48  # room for the y axis and its ticks


def _ticks(top: int) -> list[int]:
    """Round values from 0 to at least `top`, four or five of them."""
    if top <= 4:
        return list(range(top + 1))
    step = 10 ** math.floor(math.log10(top / 4))
    for mult in (1, 2, 5, 10):
        if top / (step * mult) <= 5:
            step *= mult
            break
    return list(range(0, top + step, step))


def _axes(unit: str, ticks: list[int], plot_h: float, base: float, width: int) -> list[str]:
    """The y axis in `unit` with its ticks and grid lines, and the x axis."""
    top = ticks[-1]
    parts = [
        f"<text x='4' y='12' font-size='11'>{html.escape(unit)}</text>",
        f"<line x1='{LEFT}' y1='{base - plot_h}' x2='{LEFT}' y2='{base}' stroke='#333'/>",
        f"<line x1='{LEFT}' y1='{base}' x2='{width}' y2='{base}' stroke='#333'/>",
    ]
    for t in ticks:
        y = base - plot_h * t / top
        parts.append(
            f"<line x1='{LEFT - 4}' y1='{y:.1f}' x2='{width}' y2='{y:.1f}' stroke='#ddd'/>"
            f"<text x='{LEFT - 6}' y='{y + 4:.1f}' font-size='10' text-anchor='end'>{t}</text>"
        )
    return parts


def _bar(x: float, w: float, h: float, base: float, fill: str, tip: str, value: int) -> str:
    """One bar with its hover text, and its value above it when there is room."""
    out = (
        f"<rect x='{x:.1f}' y='{base - h:.1f}' width='{w:.1f}'"
        f" height='{h:.1f}' fill='{fill}'><title>{html.escape(tip)}: {value}</title></rect>"
    )
    if value and w >= 11:
        out += (
            f"<text x='{x + w / 2:.1f}' y='{base - h - 3:.1f}' font-size='9' "
            f"text-anchor='middle'>{value}</text>"
        )
    return out


def _svg(title: str, width: int, height: int, parts: list[str]) -> str:
    return (
        f"<svg role='img' aria-label='{html.escape(title)}' viewBox='0 0 {width} {height}' "
        f"width='100%'><title>{html.escape(title)}</title>{''.join(parts)}</svg>"
    )


def bar_chart(
    labels: list[str],
    values: list[int],
    title: str,
    label_every: int = 1,
    width: int = 1000,
    height: int = 240,
    label_chars: int = 5,
    unit: str = "files",
) -> str:
    """Vertical bars with a y axis in `unit`, each bar's value above it;
    each x label keeps its last `label_chars` characters."""
    if not values:
        return "<p>No data.</p>"
    ticks = _ticks(max(max(values), 1))
    top = ticks[-1]
    plot_h = height - 60
    base = height - 30
    bar = (width - LEFT) / len(values)
    parts = _axes(unit, ticks, plot_h, base, width)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + i * bar
        parts.append(
            _bar(x + 1, max(bar - 2, 1), plot_h * value / top, base, "#4a78b5", label, value)
        )
        if i % label_every == 0:
            parts.append(
                f"<text x='{x + bar / 2:.1f}' y='{base + 16}' font-size='10' "
                f"text-anchor='middle'>{html.escape(label[-label_chars:])}</text>"
            )
    return _svg(title, width, height, parts)


def heatmap(matrix: pd.DataFrame, cell: int = 24, unit: str = "files") -> str:
    """Hour (columns) by weekday (rows), each cell's count printed in it,
    with a legend of the shades."""
    values = matrix.to_numpy()
    top = max(int(values.max()), 1)

    def shade(value: int) -> str:
        level = 255 - int(200 * value / top)
        return f"rgb({level},{level},255)"

    rows = []
    for d, day in enumerate(matrix.columns):
        rows.append(f"<text x='0' y='{30 + d * cell + 16}' font-size='11'>{day}</text>")
        for h in range(24):
            value = int(values[h, d])
            rows.append(
                f"<rect x='{40 + h * cell}' y='{30 + d * cell}' width='{cell - 2}' "
                f"height='{cell - 2}' fill='{shade(value)}'>"
                f"<title>{day} {h:02d}h: {value}</title></rect>"
            )
            if value:
                colour = "#fff" if value > top / 2 else "#000"
                rows.append(
                    f"<text x='{40 + h * cell + (cell - 2) / 2}' y='{30 + d * cell + 15}' "
                    f"font-size='9' text-anchor='middle' fill='{colour}'>{value}</text>"
                )
    for h in range(0, 24, 3):
        rows.append(f"<text x='{40 + h * cell}' y='22' font-size='10'>{h:02d}h</text>")
    legend_y = 30 + 7 * cell + 14
    rows.append(f"<text x='0' y='{legend_y + 11}' font-size='10'>{html.escape(unit)}:</text>")
    for n, value in enumerate(sorted({0, max(1, top // 4), max(1, top // 2), top})):
        x = 40 + n * 70
        rows.append(
            f"<rect x='{x}' y='{legend_y}' width='14' height='14' fill='{shade(value)}' "
            f"stroke='#999'/><text x='{x + 18}' y='{legend_y + 11}' font-size='10'>{value}</text>"
        )
    width, height = 40 + 24 * cell, legend_y + 20
    return (
        f"<svg role='img' aria-label='activity by hour and weekday' "
        f"viewBox='0 0 {width} {height}' width='100%'>{''.join(rows)}</svg>"
    )


PALETTE = ("#4a78b5", "#d9822b", "#3f9e5a", "#b84a62", "#7a5cb8", "#8c8c3a", "#2f8f9d", "#999")


def grouped_chart(
    labels: list[str],
    series: list[tuple[str, list[int]]],
    title: str,
    label_every: int = 1,
    width: int = 1000,
    height: int = 260,
    unit: str = "count",
) -> str:
    """Bars side by side for each label, one colour per series, with a
    legend and each bar's value above it where there is room: several
    daily figures (drawings, notes in each language) on one time axis."""
    if not labels or not series:
        return "<p>No data.</p>"
    ticks = _ticks(max(max(max(v) for _, v in series), 1))
    top = ticks[-1]
    plot_h = height - 80
    base = height - 30
    group = (width - LEFT) / len(labels)
    bar = group / (len(series) + 0.5)
    parts = _axes(unit, ticks, plot_h, base, width)
    for k, (name, _values) in enumerate(series):  # the legend, on one line above the plot
        lx = LEFT + 10 + k * 130
        colour = PALETTE[k % len(PALETTE)]
        parts.append(
            f"<rect x='{lx}' y='4' width='10' height='10' fill='{colour}'/>"
            f"<text x='{lx + 14}' y='13' font-size='11'>{html.escape(name)}</text>"
        )
    for i, label in enumerate(labels):
        x0 = LEFT + i * group + bar / 4
        for k, (name, values) in enumerate(series):
            colour = PALETTE[k % len(PALETTE)]
            h = plot_h * values[i] / top
            parts.append(
                _bar(x0 + k * bar, max(bar - 1, 1), h, base, colour, f"{label} {name}", values[i])
            )
        if i % label_every == 0:
            parts.append(
                f"<text x='{LEFT + (i + 0.5) * group:.1f}' y='{base + 16}' font-size='10' "
                f"text-anchor='middle'>{html.escape(label[-5:])}</text>"
            )
    return _svg(title, width, height, parts)
