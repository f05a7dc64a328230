"""Working days and response deadlines: weekends and England and Wales bank holidays do not count."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rosc.referrals.workdays import (
    add_working_days,
    is_working_day,
    load_bank_holidays,
    parse_bank_holidays,
    working_days_between,
)

HOLIDAYS = load_bank_holidays().dates


def test_two_working_days_from_a_monday_is_wednesday():
    assert add_working_days(date(2026, 11, 23), 2, HOLIDAYS) == date(2026, 11, 25)


def test_two_working_days_from_a_friday_or_a_saturday_is_tuesday():
    assert add_working_days(date(2026, 11, 27), 2, HOLIDAYS) == date(2026, 12, 1)
    assert add_working_days(date(2026, 11, 28), 2, HOLIDAYS) == date(2026, 12, 1)


def test_christmas_and_the_boxing_day_substitute_do_not_count():
    # Thursday 24 December 2026: Friday 25th and Monday 28th (Boxing Day moved) are bank holidays.
    assert add_working_days(date(2026, 12, 24), 2, HOLIDAYS) == date(2026, 12, 30)


def test_easter_does_not_count():
    # Thursday 2 April 2026: Good Friday 3rd and Easter Monday 6th.
    assert add_working_days(date(2026, 4, 2), 2, HOLIDAYS) == date(2026, 4, 8)
    # 2027: Good Friday 26 March, Easter Monday 29 March.
    assert add_working_days(date(2027, 3, 25), 1, HOLIDAYS) == date(2027, 3, 30)


def test_zero_days_means_today_if_it_is_a_working_day_or_else_the_next_one():
    assert add_working_days(date(2026, 11, 25), 0, HOLIDAYS) == date(2026, 11, 25)
    assert add_working_days(date(2026, 12, 25), 0, HOLIDAYS) == date(2026, 12, 29)


def test_a_negative_deadline_is_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 11, 25), -1, HOLIDAYS)


def test_the_file_names_its_source_and_covers_this_year_and_next():
    holidays = load_bank_holidays()
    assert "gov.uk/bank-holidays" in holidays.source
    assert holidays.covers_year(2026)
    assert holidays.covers_year(2027)
    assert not holidays.covers_year(2030)
    assert all(day.weekday() < 5 for day in holidays.dates), "a bank holiday listed on a weekend"
    assert date(2026, 12, 28) in holidays.dates
    assert date(2026, 12, 26) not in holidays.dates


def test_it_reads_a_file_in_the_gov_uk_shape():
    parsed = parse_bank_holidays('{"source": "test", "events": [{"date": "2031-01-01", "title": "New Year"}]}')
    assert parsed.dates == {date(2031, 1, 1)}
    assert parsed.covers_year(2031)


@given(st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 1)), st.integers(min_value=1, max_value=20))
def test_the_deadline_is_always_a_working_day_exactly_n_working_days_later(start, days):
    due = add_working_days(start, days, HOLIDAYS)
    assert is_working_day(due, HOLIDAYS)
    assert due > start
    assert working_days_between(start, due, HOLIDAYS) == days
    # The day before the deadline is strictly fewer working days away.
    assert working_days_between(start, due - timedelta(days=1), HOLIDAYS) == days - 1


def test_the_system_check_warns_when_next_year_is_missing(tmp_path, settings):
    from rosc.referrals.checks import bank_holidays_cover_next_year

    assert bank_holidays_cover_next_year() == []
    short = tmp_path / "holidays.json"
    short.write_text('{"source": "test", "events": [{"date": "2020-12-25", "title": "Christmas Day"}]}')
    settings.ROSC_BANK_HOLIDAYS_FILE = str(short)
    [warning] = bank_holidays_cover_next_year()
    assert warning.id == "referrals.W001"
    assert "stops in 2020" in warning.msg


def test_the_deadline_length_is_a_setting(settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from rosc.referrals.deadlines import respond_by_for

    monday = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    assert respond_by_for(monday) == date(2026, 11, 25)
    settings.ROSC_REFERRAL_RESPONSE_WORKING_DAYS = 5
    assert respond_by_for(monday) == date(2026, 11, 30)
    settings.ROSC_REFERRAL_RESPONSE_WORKING_DAYS = -1
    with pytest.raises(ValueError, match="cannot be negative"):
        respond_by_for(monday)
