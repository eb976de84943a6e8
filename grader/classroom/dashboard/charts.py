"""Chart geometry for server-side SVG: numbers in, shapes out.

The templates draw the shapes (templates/charts.html), so every label goes
through Jinja2's autoescaping like any other text; nothing here writes markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # under or beside the bar
    value: str  # the figure it stands for, shown as text and in its tooltip
    kind: str = ""  # a CSS class: "key" for a quiz's right choice


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    title: str
    bars: tuple[Bar, ...] = ()
    line: str = ""  # a polyline's points
    dots: tuple[tuple[float, float, str], ...] = ()  # (x, y, tooltip)
    ticks: tuple[tuple[float, str], ...] = field(default=())  # (y, label) on the value axis


def columns(counts: list[int], labels: list[str], title: str, width: int = 320, height: int = 140) -> Chart:
    """Vertical bars (a histogram): one per count, the tallest reaching the top."""
    top, bottom = 14, 18  # room for the value above a bar and the label below
    inner = height - top - bottom
    peak = max(counts, default=0) or 1
    step = width / max(1, len(counts))
    bars = []
    for i, (count, label) in enumerate(zip(counts, labels, strict=True)):
        h = inner * count / peak
        bars.append(Bar(i * step + 1, top + inner - h, step - 2, h, label, str(count)))
    return Chart(width, height, title, tuple(bars))


def rows(
    values: list[float],
    labels: list[str],
    title: str,
    kinds: list[str] | None = None,
    scale: float | None = None,
    width: int = 320,
    row: int = 18,
    shown: list[str] | None = None,
) -> Chart:
    """Horizontal bars, one row each, scaled to `scale` (default: the largest value)."""
    label_width = 34
    peak = scale or max(values, default=0) or 1
    inner = width - label_width - 44  # room for the figure after the bar
    kinds = kinds or [""] * len(values)
    shown = shown or [f"{v:g}" for v in values]
    bars = tuple(
        Bar(label_width, i * row + 2, inner * max(0.0, v) / peak, row - 4, label, text, kind)
        for i, (v, label, kind, text) in enumerate(zip(values, labels, kinds, shown, strict=True))
    )
    return Chart(width, row * len(values) + 4, title, bars)


def line(values: list[float], labels: list[str], title: str, width: int = 480, height: int = 160) -> Chart:
    """A line over evenly spaced points, values between 0 and 1 (shares), with a 0-100 % axis."""
    left, right, top, bottom = 40, 12, 10, 20
    inner_w, inner_h = width - left - right, height - top - bottom
    step = inner_w / max(1, len(values) - 1)
    dots = tuple(
        (left + i * step, top + inner_h * (1 - min(1.0, max(0.0, v))), f"{label}: {v:.0%}")
        for i, (v, label) in enumerate(zip(values, labels, strict=True))
    )
    ticks = tuple((top + inner_h * (1 - t), f"{t:.0%}") for t in (0, 0.5, 1))
    return Chart(width, height, title, line=" ".join(f"{x:.1f},{y:.1f}" for x, y, _ in dots), dots=dots, ticks=ticks)
