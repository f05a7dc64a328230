"""Server-rendered, accessible SVG charts, each with a table holding exactly the same numbers.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and described by
its ``<desc>``, drawn with presentation attributes only (no inline styles or
scripts, so the Content Security Policy stays strict). Series differ by colour
*and* marker shape and line pattern, so colour is never the only cue. Each
plotted value is a marker carrying ``data-series``, ``data-x`` and
``data-value``, which is what the browser tests compare with the table.

Templates show ``chart.svg`` and then the table (``outcomes/_chart.html`` does
both: ``{% include "outcomes/_chart.html" with chart=chart %}``)::

    chart = line_chart([Series("Total", [(date(2026, 1, 5), 38), ...])],
                       y_min=10, y_max=60, y_label="BARC-10 total", title="Recovery capital over time")
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime

XValue = date | datetime
Number = int | float

# Colours from the GOV.UK palette, each at least 3:1 against white (WCAG 1.4.11), with a marker shape and line
# pattern each so that series can be told apart without colour.
STYLES: tuple[tuple[str, str, str], ...] = (
    ("#1d70b8", "circle", ""),
    ("#d4351c", "square", "6 3"),
    ("#00703c", "triangle", "2 3"),
    ("#4c2c92", "diamond", "10 3 2 3"),
    ("#505a5f", "circle", "1 3"),
    ("#942514", "square", "12 4"),
)
TEXT = "#0b0c0c"
GRID = "#b1b4b6"


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[XValue, Number | None]]


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number | None
    note: str = ""


@dataclass(frozen=True)
class ChartRow:
    header: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    """``svg`` is safe HTML; ``columns`` and ``rows`` are the same numbers as a table."""

    svg: SafeString
    title: str
    description: str
    columns: tuple[str, ...]
    rows: tuple[ChartRow, ...]
    caption: str = ""
    empty: bool = False
    chart_id: str = "chart"
    values: tuple[tuple[str, str, str], ...] = field(default=(), repr=False)  # (series, x label, value) plotted

    @property
    def table(self) -> tuple[ChartRow, ...]:
        return self.rows


def format_number(value: Number | None) -> str:
    """Whole numbers without a decimal point, others to one decimal place."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def format_date(value: XValue) -> str:
    if isinstance(value, datetime):
        value = (localtime(value) if is_aware(value) else value).date()
    return f"{value.day} {value:%b %Y}"


def _ordinal(value: XValue) -> float:
    if isinstance(value, datetime):
        moment = localtime(value) if is_aware(value) else value
        return moment.toordinal() + (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400
    return float(value.toordinal())


def _nice_step(span: float, most: int = 6) -> float:
    if span <= 0:
        return 1.0
    raw = span / most
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return float(factor * magnitude)
    return float(10 * magnitude)


def _marker(shape: str, x: float, y: float, colour: str, attrs: str) -> str:
    r = 5.0
    if shape == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill="{colour}" {attrs}/>'
        )
    if shape == "triangle":
        d = f"M{x:.1f} {y - r - 1:.1f} L{x + r + 1:.1f} {y + r:.1f} L{x - r - 1:.1f} {y + r:.1f} Z"
        return f'<path d="{d}" fill="{colour}" {attrs}/>'
    if shape == "diamond":
        d = f"M{x:.1f} {y - r - 1:.1f} L{x + r + 1:.1f} {y:.1f} L{x:.1f} {y + r + 1:.1f} L{x - r - 1:.1f} {y:.1f} Z"
        return f'<path d="{d}" fill="{colour}" {attrs}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" {attrs}/>'


def _svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg class="rosc-chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" focusable="false" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def line_chart(
    series: Sequence[Series],
    *,
    y_min: Number,
    y_max: Number,
    y_label: str,
    title: str,
    description: str = "",
    x_label: str = "Date",
    x_format: Callable[[XValue], str] = format_date,
    value_format: Callable[[Number | None], str] = format_number,
    missing_text: str = "Not recorded",
    y_step: Number | None = None,
    reference: tuple[Number, str] | None = None,
    chart_id: str = "chart",
    caption: str = "",
    width: int = 640,
    height: int = 340,
) -> Chart:
    """Values over time, one line per series; gaps where a value is None.

    The table has one row per x value (in order) and one column per series;
    a cell holds the same formatted number the marker's ``data-value`` holds,
    or ``missing_text`` where nothing is plotted.
    """
    xs = sorted({x for s in series for x, _ in s.points}, key=_ordinal)
    lookup = [{x: v for x, v in s.points} for s in series]
    columns = (x_label, *(s.label for s in series))
    rows = tuple(
        ChartRow(
            header=x_format(x),
            cells=tuple(value_format(values[x]) if values.get(x) is not None else missing_text for values in lookup),
        )
        for x in xs
    )
    if not description:
        description = (
            f"{y_label} from {y_min} to {y_max} against {x_label.lower()}, for {', '.join(s.label for s in series)}. "
            "The table after the chart gives the same figures."
        )
    legend_rows = math.ceil(len(series) / 2) if len(series) > 1 else 0
    left, right, top, bottom = 56, 48, 16 + legend_rows * 22, 54
    plot_w, plot_h = width - left - right, height - top - bottom
    lo, hi = float(y_min), float(y_max)
    step = float(y_step) if y_step else _nice_step(hi - lo)
    ords = [_ordinal(x) for x in xs]
    x_lo, x_hi = (min(ords), max(ords)) if ords else (0.0, 1.0)

    def px(x: XValue) -> float:
        if x_hi == x_lo:
            return left + plot_w / 2
        return left + (_ordinal(x) - x_lo) / (x_hi - x_lo) * plot_w

    def py(value: Number) -> float:
        clamped = min(max(float(value), lo), hi)
        return top + plot_h - (clamped - lo) / (hi - lo) * plot_h

    parts = _svg_open(chart_id, width, height, title, description)
    # Legend.
    for index, s in enumerate(series if len(series) > 1 else ()):
        colour, shape, dash = STYLES[index % len(STYLES)]
        lx = left + (index % 2) * (plot_w / 2)
        ly = 12 + (index // 2) * 22
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx:.1f}" y1="{ly:.1f}" x2="{lx + 28:.1f}" y2="{ly:.1f}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
        )
        parts.append(_marker(shape, lx + 14, ly, colour, 'aria-hidden="true"'))
        parts.append(f'<text x="{lx + 36:.1f}" y="{ly + 5:.1f}" font-size="14" fill="{TEXT}">{escape(s.label)}</text>')
    # Grid and y ticks.
    tick = lo
    while tick <= hi + 1e-9:
        y = py(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 8}" y="{y + 5:.1f}" text-anchor="end" font-size="13" fill="{TEXT}">'
            f"{format_number(tick)}</text>"
        )
        tick += step
    parts.append(
        f'<text x="14" y="{top + plot_h / 2:.1f}" transform="rotate(-90 14 {top + plot_h / 2:.1f})" '
        f'text-anchor="middle" font-size="13" fill="{TEXT}">{escape(y_label)}</text>'
    )
    # Reference line (for example a published cut-off).
    if reference is not None and lo <= float(reference[0]) <= hi:
        ry = py(reference[0])
        parts.append(
            f'<line x1="{left}" y1="{ry:.1f}" x2="{left + plot_w}" y2="{ry:.1f}" stroke="{TEXT}" '
            'stroke-width="1.5" stroke-dasharray="4 4" data-reference="true"/>'
        )
        parts.append(
            f'<text x="{left + 4}" y="{ry - 6:.1f}" font-size="13" fill="{TEXT}">{escape(reference[1])}</text>'
        )
    # X ticks: at every x when there are few, otherwise at up to five evenly spread points.
    if len(xs) <= 6:
        tick_xs = xs
    else:
        picks = sorted({round(i * (len(xs) - 1) / 4) for i in range(5)})
        tick_xs = [xs[i] for i in picks]
    for x in tick_xs:
        tx = px(x)
        parts.append(f'<line x1="{tx:.1f}" y1="{top + plot_h}" x2="{tx:.1f}" y2="{top + plot_h + 5}" stroke="{TEXT}"/>')
        parts.append(
            f'<text x="{tx:.1f}" y="{top + plot_h + 22}" text-anchor="middle" font-size="12" fill="{TEXT}">'
            f"{escape(x_format(x))}</text>"
        )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{TEXT}"/>')
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="13" fill="{TEXT}">'
        f"{escape(x_label)}</text>"
    )
    # Lines and markers.
    plotted: list[tuple[str, str, str]] = []
    for index, s in enumerate(series):
        colour, shape, dash = STYLES[index % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        ordered = sorted(s.points, key=lambda p: _ordinal(p[0]))
        parts.append(f'<g data-series="{escape(s.label)}">')
        for has_value, run in itertools.groupby(ordered, key=lambda p: p[1] is not None):
            run_points = list(run)
            if has_value and len(run_points) > 1:
                coords = " ".join(f"{px(x):.1f},{py(v):.1f}" for x, v in run_points if v is not None)
                parts.append(
                    f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
                )
        for x, value in ordered:
            if value is None:
                continue
            shown = value_format(value)
            label = x_format(x)
            attrs = (
                f'data-series="{escape(s.label)}" data-x="{escape(label)}" data-value="{escape(shown)}" '
                'class="rosc-chart__point"'
            )
            parts.append(_marker(shape, px(x), py(value), colour, attrs))
            plotted.append((s.label, label, shown))
        parts.append("</g>")
    if not plotted:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" text-anchor="middle" font-size="15" '
            f'fill="{TEXT}">Nothing to show yet</text>'
        )
    parts.append("</svg>")
    return Chart(
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text is escaped above
        title=title,
        description=description,
        columns=columns,
        rows=rows,
        caption=caption or title,
        empty=not plotted,
        chart_id=chart_id,
        values=tuple(plotted),
    )


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    value_label: str,
    x_max: Number | None = None,
    description: str = "",
    label_heading: str = "",
    value_format: Callable[[Number | None], str] = format_number,
    missing_text: str = "Not shown",
    chart_id: str = "chart",
    caption: str = "",
    width: int = 640,
    label_width: int = 220,
) -> Chart:
    """Horizontal bars, one per label; a bar whose value is None is left out and its cell says ``missing_text``
    (or the bar's own ``note``, for example "fewer than 5")."""
    top_value = float(x_max) if x_max is not None else max([float(b.value) for b in bars if b.value is not None] or [1])
    top_value = top_value or 1.0
    bar_h, gap = 24, 12
    height = max(len(bars), 1) * (bar_h + gap) + 40
    plot_w = width - label_width - 70
    if not description:
        description = f"{value_label} for each of {len(bars)} groups. The table after the chart gives the same figures."
    parts = _svg_open(chart_id, width, height, title, description)
    plotted: list[tuple[str, str, str]] = []
    for index, bar in enumerate(bars):
        y = 10 + index * (bar_h + gap)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="14" fill="{TEXT}">'
            f"{escape(bar.label)}</text>"
        )
        if bar.value is None:
            parts.append(
                f'<text x="{label_width + 4}" y="{y + 17}" font-size="14" fill="{TEXT}">'
                f"{escape(bar.note or missing_text)}</text>"
            )
            continue
        bar_w = max(min(float(bar.value), top_value), 0.0) / top_value * plot_w
        shown = value_format(bar.value)
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{bar_w:.1f}" height="{bar_h}" fill="{STYLES[0][0]}" '
            f'class="rosc-chart__point" data-series="{escape(value_label)}" data-x="{escape(bar.label)}" '
            f'data-value="{escape(shown)}"/>'
        )
        parts.append(
            f'<text x="{label_width + bar_w + 6:.1f}" y="{y + 17}" font-size="14" fill="{TEXT}">{escape(shown)}</text>'
        )
        plotted.append((value_label, bar.label, shown))
    axis_y = 10 + len(bars) * (bar_h + gap)
    parts.append(
        f'<line x1="{label_width}" y1="4" x2="{label_width}" y2="{axis_y}" stroke="{TEXT}"/>'
        f'<text x="{label_width + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="13" '
        f'fill="{TEXT}">{escape(value_label)}</text>'
    )
    parts.append("</svg>")
    rows = tuple(
        ChartRow(
            header=bar.label,
            cells=(value_format(bar.value) if bar.value is not None else (bar.note or missing_text),),
        )
        for bar in bars
    )
    return Chart(
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text is escaped above
        title=title,
        description=description,
        columns=(label_heading or "Group", value_label),
        rows=rows,
        caption=caption or title,
        empty=not plotted,
        chart_id=chart_id,
        values=tuple(plotted),
    )
