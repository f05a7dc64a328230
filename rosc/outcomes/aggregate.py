"""Service figures: median first and latest scores by quarter, with small numbers suppressed. Pure logic.

For each calendar quarter and each score (the BARC-10 total, or one ONS4
question):

- **people measured**: people with a score in that quarter;
- **people followed up**: of those, people who also had an earlier score
  (so a first and a later score can be compared);
- **median first score**: the median of those followed-up people's first
  ever score;
- **median latest score**: the median of their latest score in the quarter.

Counts below the threshold (``ROSC_RESEARCH_SUPPRESS_BELOW``, read by the
caller) are shown as "fewer than N" and the medians of a quarter with fewer
followed-up people than the threshold are not shown, using the research
area's suppression rule (``rosc.research.suppression.may_publish_total``).
The two counts overlap (followed-up people are a subset of people measured)
and neither is published with its complement, so no secondary suppression is
needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from rosc.research.suppression import may_publish_total

QUARTER_NAMES = ("Jan to Mar", "Apr to Jun", "Jul to Sep", "Oct to Dec")


@dataclass(frozen=True)
class Reading:
    person: int
    at: datetime
    day: date
    value: float | None


@dataclass(frozen=True)
class QuarterFigures:
    quarter: date
    measured: int | None  # None when suppressed
    followed_up: int | None
    median_first: float | None
    median_latest: float | None
    threshold: int

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)

    @property
    def measured_text(self) -> str:
        return str(self.measured) if self.measured is not None else f"fewer than {self.threshold}"

    @property
    def followed_up_text(self) -> str:
        return str(self.followed_up) if self.followed_up is not None else f"fewer than {self.threshold}"

    @property
    def medians_shown(self) -> bool:
        return self.median_first is not None


def quarter_of(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(quarter: date | datetime) -> str:
    day = quarter.date() if isinstance(quarter, datetime) else quarter
    return f"{QUARTER_NAMES[(day.month - 1) // 3]} {day.year}"


def first_vs_latest(readings: Iterable[Reading], *, threshold: int, last: int = 8) -> list[QuarterFigures]:
    """Quarter by quarter figures for the ``last`` quarters that have any score, oldest first."""
    by_person: dict[int, list[Reading]] = defaultdict(list)
    for reading in readings:
        if reading.value is not None:
            by_person[reading.person].append(reading)
    # quarter -> person -> (first ever value, latest value in the quarter, whether followed up)
    quarters: dict[date, dict[int, tuple[float, float, bool]]] = defaultdict(dict)
    for person, rows in by_person.items():
        rows.sort(key=lambda r: r.at)
        first = rows[0]
        first_value = float(first.value or 0)
        for row in rows:
            is_later = row.at > first.at
            quarters[quarter_of(row.day)][person] = (first_value, float(row.value or 0), is_later)
    figures = []
    for quarter in sorted(quarters)[-last:]:
        people = quarters[quarter]
        followed = [(f, latest) for f, latest, is_followed in people.values() if is_followed]
        measured_ok = may_publish_total(len(people), threshold)
        followed_ok = may_publish_total(len(followed), threshold)
        figures.append(
            QuarterFigures(
                quarter=quarter,
                measured=len(people) if measured_ok else None,
                followed_up=len(followed) if followed_ok else None,
                median_first=_median([f for f, _ in followed]) if followed_ok else None,
                median_latest=_median([latest for _, latest in followed]) if followed_ok else None,
                threshold=threshold,
            )
        )
    return figures


def _median(values: Sequence[float]) -> float | None:
    return float(median(values)) if values else None
