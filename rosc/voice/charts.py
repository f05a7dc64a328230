"""A horizontal bar chart drawn as server-side SVG geometry (the template draws it; a table beside
it gives the same numbers). Each label sits above its bar, so the chart stays narrow enough to read
on a phone. Pure: no Django import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR_SPACE = 320
VALUE_SPACE = 80
ROW_HEIGHT = 54
LABEL_BASELINE = 18
BAR_TOP = 26
BAR_HEIGHT = 20


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int
    label_y: int
    y: int
    value_y: int
    width: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int


def bar_chart(rows: Sequence[tuple[str, str, int]]) -> BarChart:
    """``rows`` of (key, label, count) as bars scaled to the largest count. A count above zero
    always gets a visible bar; zero gets none."""
    top = max((count for _, _, count in rows), default=0)
    bars = []
    for index, (key, label, count) in enumerate(rows):
        if count < 0:
            raise ValueError("Counts cannot be negative.")
        width = round(BAR_SPACE * count / top) if top else 0
        if count and width < 2:
            width = 2
        row_top = index * ROW_HEIGHT
        bars.append(
            Bar(
                key=key,
                label=label,
                count=count,
                label_y=row_top + LABEL_BASELINE,
                y=row_top + BAR_TOP,
                value_y=row_top + BAR_TOP + BAR_HEIGHT - 4,
                width=width,
                value_x=width + 8,
            )
        )
    return BarChart(
        bars=bars,
        width=BAR_SPACE + VALUE_SPACE,
        height=max(len(rows), 1) * ROW_HEIGHT,
        bar_height=BAR_HEIGHT,
    )
