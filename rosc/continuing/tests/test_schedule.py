"""When check-ins fall due (pure)."""

import itertools
from datetime import date

import pytest

from rosc.continuing.schedule import MONTHLY, QUARTERLY, WEEKLY, Schedule, add_months, all_due, due


def test_the_default_schedule_is_weekly_for_12_weeks_monthly_to_a_year_then_quarterly_to_two_years():
    items = all_due(Schedule(), date(2026, 1, 5))
    kinds = [i.kind for i in items]
    assert kinds.count(WEEKLY) == 12
    assert kinds.count(MONTHLY) == 10
    assert kinds.count(QUARTERLY) == 4
    assert items[0].due_on == date(2026, 1, 12)
    assert items[11].due_on == date(2026, 3, 30)
    assert items[12].due_on == date(2026, 4, 5)  # month 3, after the last weekly one
    assert items[21].due_on == date(2027, 1, 5)  # month 12
    assert [i.due_on for i in items if i.kind == QUARTERLY] == [
        date(2027, 4, 5),
        date(2027, 7, 5),
        date(2027, 10, 5),
        date(2028, 1, 5),
    ]
    assert [i.number for i in items] == list(range(1, 27))
    assert all(a.due_on < b.due_on for a, b in itertools.pairwise(items))


def test_a_service_can_shorten_every_part():
    items = all_due(Schedule(4, 6, 12), date(2026, 1, 5))
    assert [i.kind for i in items] == [WEEKLY] * 4 + [MONTHLY] * 6 + [QUARTERLY] * 2
    assert all(a.due_on < b.due_on for a, b in itertools.pairwise(items))


def test_month_ends_are_kept_inside_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_numbers_start_at_one_and_end_with_none():
    with pytest.raises(ValueError, match="numbered from 1"):
        due(Schedule(), date(2026, 1, 1), 0)
    assert due(Schedule(), date(2026, 1, 1), 27) is None
