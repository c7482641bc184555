"""Geometry of the small charts drawn as inline SVG on the server: no JavaScript library, nothing fetched.

    chart = bar_chart([("Абайский район", Decimal(1200), "1 200"), …], title="Посещения")
    {% include "reporting/_svg_bars.html" with chart=chart %}

    chart = line_chart(["01.2026", "02.2026"], [Series("2026", [Decimal(5), Decimal(7)], ["5", "7"])],
                       title="Посещения")
    {% include "reporting/_svg_line.html" with chart=chart %}

Python computes every coordinate (rounded, in the SVG's own units, so the templates print them with
`{% localize off %}`), the axis ticks at round numbers, and shortens long labels; the templates only draw.
The values arrive already formatted for reading (`shown`), so the chart speaks the page's language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

Number = Decimal | int | float

LABEL_CHARS = 24
BAR_THICKNESS = 18
BAR_GAP = 8


def _round(value: float) -> float:
    return round(value, 1)


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks covering [low, high]: steps of 1, 2, 2.5 or 5 times a power of ten."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= raw:
            step = multiple * magnitude
            break
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    steps = round((end - start) / step)
    return [round(start + index * step, 10) for index in range(steps + 1)]


def tick_label(value: float, ticks: Sequence[float]) -> str:
    """A tick's number in the active language, with as many decimals as the step needs."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = 0
    while decimals < 4 and abs(step - round(step)) > 1e-9:
        step, decimals = step * 10, decimals + 1
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


@dataclass
class Tick:
    position: float
    label: str


# --- bars ---------------------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str  # shortened to fit
    full_label: str
    shown: str  # the value as the reader reads it; "—" when there is none
    y: float  # top of the bar
    text_y: float  # baseline of the label and the value
    x: float = 0
    width: float = 0
    value_x: float = 0
    has_value: bool = True
    href: str = ""


@dataclass
class BarChart:
    title: str
    width: int
    height: int
    label_width: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    zero: float
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    id: str = "chart"
    thickness: int = BAR_THICKNESS

    @property
    def axis_y(self) -> float:
        return _round(self.plot_bottom + 14)


def _spaced(ticks: list[Tick], char_width: float = 7.0) -> list[Tick]:
    """Blank every other label (or more) where the labels of a horizontal axis would overlap."""
    if len(ticks) < 2:
        return ticks
    spacing = ticks[1].position - ticks[0].position
    needed = max(len(tick.label) for tick in ticks) * char_width + 10
    every = max(1, math.ceil(needed / spacing)) if spacing > 0 else 1
    return [Tick(t.position, t.label if i % every == 0 else "") for i, t in enumerate(ticks)]


def bar_chart(
    items: Sequence[tuple[str, Number | None, str]],
    *,
    title: str,
    width: int = 520,
    label_width: int = 170,
    value_width: int = 76,
    links: Sequence[str] | None = None,
    chart_id: str = "chart",
    tick_format: Callable[[float, Sequence[float]], str] = tick_label,
) -> BarChart:
    """Horizontal bars, one per item (label, value, value as shown), in the order given.

    Labels sit left of the plot, values at the end of their bars; an item without a value keeps its line
    with a dash. `links` (optional, one per item) makes a label a link.
    """
    numbers = [float(value) for _label, value, _shown in items if value is not None]
    low, high = min([0.0, *numbers]), max([0.0, *numbers])
    ticks = nice_ticks(low, high) if numbers else [0.0, 1.0]
    top, left, right = 6.0, float(label_width + 8), float(width - value_width)
    bottom = top + len(items) * (BAR_THICKNESS + BAR_GAP)
    span = ticks[-1] - ticks[0]

    def x_of(value: float) -> float:
        return left + (value - ticks[0]) / span * (right - left)

    zero = x_of(0.0)
    chart = BarChart(
        title=title,
        width=width,
        height=int(bottom + 24),
        label_width=label_width,
        plot_left=_round(left),
        plot_right=_round(right),
        plot_top=top,
        plot_bottom=_round(bottom),
        zero=_round(zero),
        ticks=_spaced([Tick(_round(x_of(tick)), tick_format(tick, ticks)) for tick in ticks]),
        id=chart_id,
    )
    for index, (label, value, shown) in enumerate(items):
        y = top + index * (BAR_THICKNESS + BAR_GAP) + BAR_GAP / 2
        bar = Bar(
            label=shorten(label),
            full_label=label,
            shown=shown if value is not None else "—",
            y=_round(y),
            text_y=_round(y + BAR_THICKNESS / 2 + 4.5),
            href=links[index] if links else "",
        )
        if value is None:
            bar.has_value = False
            bar.value_x = _round(zero + 4)
        else:
            end = x_of(float(value))
            bar.x, bar.width = _round(min(zero, end)), _round(max(abs(end - zero), 1.0))
            bar.value_x = _round(max(zero, end) + 4)
        chart.bars.append(bar)
    return chart


# --- lines --------------------------------------------------------------------------------------------------


@dataclass
class Series:
    name: str
    values: Sequence[Number | None]
    shown: Sequence[str]
    css: str = "chart-line"  # chart-line, chart-line-muted (dashed)


@dataclass
class Marker:
    x: float
    y: float
    title: str


@dataclass
class DrawnSeries:
    name: str
    css: str
    segments: list[str]  # "x,y x,y …" of each unbroken run of values
    markers: list[Marker]


@dataclass
class LineChart:
    title: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    series: list[DrawnSeries] = field(default_factory=list)
    x_labels: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    id: str = "chart"

    @property
    def x_label_y(self) -> float:
        return _round(self.plot_bottom + 18)

    @property
    def y_label_x(self) -> float:
        return _round(self.plot_left - 6)


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 560,
    height: int = 240,
    chart_id: str = "chart",
    tick_format: Callable[[float, Sequence[float]], str] = tick_label,
) -> LineChart:
    """Lines over the same points of time (`labels`); a missing value breaks its line."""
    left, right, top, bottom = 64.0, float(width - 28), 12.0, float(height - 32)
    numbers = [float(v) for s in series for v in s.values if v is not None]
    ticks = nice_ticks(min([0.0, *numbers]), max([0.0, *numbers])) if numbers else [0.0, 1.0]
    span = ticks[-1] - ticks[0]
    count = len(labels)

    def x_of(index: int) -> float:
        if count <= 1:
            return (left + right) / 2
        return left + index * (right - left) / (count - 1)

    def y_of(value: float) -> float:
        return bottom - (value - ticks[0]) / span * (bottom - top)

    chart = LineChart(
        title=title,
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        y_ticks=[Tick(_round(y_of(tick)), tick_format(tick, ticks)) for tick in ticks],
        id=chart_id,
    )
    # Labels no closer than ~56 units apart: every k-th one.
    every = max(1, math.ceil(count / max(1, (right - left) // 56)))
    chart.x_labels = [Tick(_round(x_of(i)), label) for i, label in enumerate(labels) if i % every == 0]
    for item in series:
        segments, run, markers = [], [], []
        for index, value in enumerate(item.values):
            if value is None:
                if run:
                    segments.append(" ".join(run))
                run = []
                continue
            x, y = _round(x_of(index)), _round(y_of(float(value)))
            run.append(f"{x},{y}")
            label = labels[index] if index < len(labels) else ""
            markers.append(Marker(x, y, f"{item.name}, {label}: {item.shown[index]}"))
        if run:
            segments.append(" ".join(run))
        chart.series.append(DrawnSeries(item.name, item.css, segments, markers))
    return chart
