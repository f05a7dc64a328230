"""A horizontal bar chart drawn as server-side SVG, with the numbers kept for a table beside it. Pure logic."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 24
GAP = 12
LABEL_WIDTH = 260
PLOT_WIDTH = 300
VALUE_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH

    @property
    def value_x(self) -> int:
        return self.label_width + 8


def bar_chart(rows: list[tuple[str, int]], *, title: str) -> BarChart:
    """Bars scaled to the largest value; every bar at least 2 pixels wide so a one still shows."""
    largest = max((value for _, value in rows), default=0)
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        width = 0 if largest == 0 else max(2, round(PLOT_WIDTH * value / largest))
        short = label if len(label) <= 34 else label[:33] + "…"
        bars.append(Bar(label=short, value=value, y=y, width=width, text_y=y + BAR_HEIGHT // 2 + 5))
    height = max(BAR_HEIGHT, len(rows) * (BAR_HEIGHT + GAP) - GAP)
    return BarChart(title=title, bars=bars, width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, height=height)
