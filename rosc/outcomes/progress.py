"""Charts and tables of one person's (or family member's) measurements over time.

Takes measurements already read through ``rosc.outcomes.selectors``; makes no query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rosc.core.charts import Chart, Series, line_chart
from rosc.outcomes.instruments import (
    BARC10,
    BARC10_REMISSION_CUT_OFF,
    BARC10_REMISSION_WORDING,
    ONS4,
    ONS4_SHORT_LABELS,
    TOP,
    TOP_SECTIONS,
    TOP_STAGES,
)
from rosc.outcomes.models import Measurement


def _of(measurements: Sequence[Measurement], code: str) -> list[Measurement]:
    return [m for m in measurements if m.instrument == code]


def barc10_chart(measurements: Sequence[Measurement], *, chart_id: str = "barc10-chart") -> Chart:
    rows = _of(measurements, "barc10")
    return line_chart(
        [Series("BARC-10 total", [(m.taken_at, m.scores.get("total")) for m in rows])],
        y_min=10,
        y_max=60,
        y_step=10,
        y_label="Total (10 to 60)",
        title="Recovery capital (BARC-10 total) over time",
        description=(
            "BARC-10 totals from 10 to 60 by date, with a dashed line at 47: a total of 47 or more is "
            f"{BARC10_REMISSION_WORDING}. The table after the chart gives the same figures."
        ),
        reference=(BARC10_REMISSION_CUT_OFF, f"47: {BARC10_REMISSION_WORDING}"),
        missing_text="Not scored (not every question answered)",
        chart_id=chart_id,
        caption="Recovery capital (BARC-10 total)",
    )


def ons4_chart(measurements: Sequence[Measurement], *, chart_id: str = "ons4-chart") -> Chart:
    rows = _of(measurements, "ons4")
    return line_chart(
        [
            Series(
                ONS4_SHORT_LABELS[item.key],
                [(m.taken_at, (m.scores.get(item.key) or {}).get("score")) for m in rows],
            )
            for item in ONS4.items
        ],
        y_min=0,
        y_max=10,
        y_step=2,
        y_label="Score (0 to 10)",
        title="Personal wellbeing (ONS4) over time",
        description=(
            "The four ONS4 scores from 0 to 10 by date: life satisfaction, worthwhile, happiness (higher is better) "
            "and anxiety (lower is better). They are not added together. The table after the chart gives the same "
            "figures."
        ),
        chart_id=chart_id,
        caption="Personal wellbeing (ONS4), four separate scores",
    )


TOP_RATINGS = ("psychological_health", "physical_health", "quality_of_life")


def top_ratings_chart(measurements: Sequence[Measurement], *, chart_id: str = "top-chart") -> Chart:
    rows = _of(measurements, "top")
    return line_chart(
        [Series(TOP.item(key).text, [(m.taken_at, m.answers.get(key)) for m in rows]) for key in TOP_RATINGS],
        y_min=0,
        y_max=20,
        y_step=5,
        y_label="Rating (0 to 20)",
        title="Treatment Outcomes Profile ratings over time",
        description=(
            "Psychological health, physical health and overall quality of life, each rated 0 to 20 (higher is "
            "better), at each TOP. The table after the chart gives the same figures."
        ),
        chart_id=chart_id,
        caption="TOP health and quality of life ratings",
    )


@dataclass(frozen=True)
class TopColumn:
    measurement: Measurement
    stage_label: str


@dataclass(frozen=True)
class TopSectionRow:
    text: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class TopSection:
    label: str
    rows: tuple[TopSectionRow, ...]


def _top_cell(kind: str, value: Any) -> str:
    if value is None:
        return "Not recorded"
    if kind == "yes_no":
        return "Yes" if value else "No"
    return str(value)


def top_sections(measurements: Sequence[Measurement]) -> tuple[list[TopColumn], list[TopSection]]:
    """TOP as recorded: one column per TOP (start, review, exit), one row per question, section by section."""
    stages = dict(TOP_STAGES)
    rows = _of(measurements, "top")
    columns = [TopColumn(m, stages.get(m.stage, "Not stated")) for m in rows]
    sections = []
    for code, label in TOP_SECTIONS:
        items = [item for item in TOP.items if item.section == code]
        sections.append(
            TopSection(
                label=label,
                rows=tuple(
                    TopSectionRow(item.text, tuple(_top_cell(item.kind, m.answers.get(item.key)) for m in rows))
                    for item in items
                ),
            )
        )
    return columns, sections


def barc10_text(measurement: Measurement) -> str:
    """The BARC-10 result in words: the total, with the published cut-off wording when it applies."""
    scores = measurement.scores
    if scores.get("total") is None:
        return f"Not scored: {scores.get('answered', 0)} of {len(BARC10.items)} questions answered"
    text = f"{scores['total']} out of 60"
    if scores.get("at_or_above_47"):
        text += f" (47 or more: {BARC10_REMISSION_WORDING})"
    return text
