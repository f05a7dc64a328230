"""When check-ins fall due. Pure Python, no Django.

A plan starts on a day (the discharge, or the day it was started on demand). Check-in 1 is due a
week later. With the defaults: weekly for 12 weeks (check-ins 1 to 12), then monthly on the same
day of the month until the end of the first year (months 3 to 12, check-ins 13 to 22), then a
quarterly recovery check-up until two years (months 15, 18, 21 and 24, check-ins 23 to 26). A
service can change the three lengths; the plan keeps the values it started with.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

WEEKLY = "weekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
KIND_LABELS = {WEEKLY: "Weekly check-in", MONTHLY: "Monthly check-in", QUARTERLY: "Recovery check-up"}


@dataclass(frozen=True)
class Schedule:
    weekly_weeks: int = 12
    monthly_until_month: int = 12
    quarterly_until_month: int = 24


@dataclass(frozen=True)
class Due:
    number: int
    due_on: date
    kind: str


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_of(schedule: Schedule) -> list[tuple[int, str]]:
    """The months after the start of the monthly and quarterly check-ins, in order."""
    # The first whole month that ends after the last weekly check-in (30 days a month, for the count only).
    first_month = schedule.weekly_weeks * 7 // 30 + 1
    found: list[tuple[int, str]] = [(m, MONTHLY) for m in range(first_month, schedule.monthly_until_month + 1)]
    after = max(schedule.monthly_until_month, first_month - 1)
    quarter = (after // 3 + 1) * 3
    while quarter <= schedule.quarterly_until_month:
        found.append((quarter, QUARTERLY))
        quarter += 3
    return found


def due(schedule: Schedule, started_on: date, number: int) -> Due | None:
    """Check-in ``number`` (from 1) of a plan that started on ``started_on``, or None when the plan is over."""
    if number < 1:
        raise ValueError("Check-ins are numbered from 1.")
    if number <= schedule.weekly_weeks:
        return Due(number, started_on + timedelta(weeks=number), WEEKLY)
    months = months_of(schedule)
    index = number - schedule.weekly_weeks - 1
    if index >= len(months):
        return None
    month, kind = months[index]
    return Due(number, add_months(started_on, month), kind)


def all_due(schedule: Schedule, started_on: date) -> list[Due]:
    found: list[Due] = []
    number = 1
    while (item := due(schedule, started_on, number)) is not None:
        found.append(item)
        number += 1
    return found
