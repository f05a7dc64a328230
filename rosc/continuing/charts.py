"""A small server-rendered line chart for 0-4 answers over time (the page shows the same numbers in a table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

COLOURS = ("#105f64", "#d4351c", "#4c2c92")  # teal, red, purple: each line also has its own marker shape
WIDTH, HEIGHT, LEFT, TOP, BOTTOM, RIGHT = 640, 260, 40, 16, 40, 16


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    dash: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points))


@dataclass(frozen=True)
class LineChart:
    title: str
    width: int
    height: int
    lines: tuple[Line, ...]
    y_ticks: tuple[tuple[float, int], ...]
    x_labels: tuple[tuple[float, str], ...]
    left: int = LEFT


def line_chart(title: str, series: list[tuple[str, list[tuple[date, int]]]], *, top_value: int = 4) -> LineChart | None:
    """Lines for each series of (day, value 0..top_value), on a shared time axis. None when nothing to draw."""
    days = sorted({day for _, points in series for day, _ in points})
    if not days:
        return None
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day: date) -> float:
        return LEFT + plot_w * ((day - first).days / span if len(days) > 1 else 0.5)

    def y_of(value: int) -> float:
        return TOP + plot_h * (1 - value / top_value)

    lines = tuple(
        Line(
            label,
            COLOURS[i % len(COLOURS)],
            ("", "6 4", "2 3")[i % 3],
            tuple(Point(x_of(d), y_of(v), v) for d, v in points),
        )
        for i, (label, points) in enumerate(series)
        if points
    )
    ticks = tuple((y_of(v), v) for v in range(top_value + 1))
    shown = days if len(days) <= 6 else [days[round(i * (len(days) - 1) / 5)] for i in range(6)]
    labels = tuple((x_of(d), d.strftime("%-d %b")) for d in dict.fromkeys(shown))
    return LineChart(title, WIDTH, HEIGHT, lines, ticks, labels)
