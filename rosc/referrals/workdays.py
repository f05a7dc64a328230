"""Working days: Monday to Friday, except bank holidays in England and Wales.

Pure logic with no Django import. The bank holidays come from a small dated
file (``data/bank_holidays_england_wales.json``, copied from GOV.UK's list at
https://www.gov.uk/bank-holidays.json, division "england-and-wales"); a new
year is added when GOV.UK publishes it. Beyond the last year in the file only
weekends count as non-working, and ``covers_year`` lets a system check warn
about that in good time.

A response deadline of N working days means: by the end of the Nth working
day after the day the referral was sent. Sent on a Friday with a two-day
deadline, it must be answered by the end of Tuesday; sent on a Saturday, the
same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "bank_holidays_england_wales.json"


@dataclass(frozen=True)
class BankHolidays:
    dates: frozenset[date]
    source: str = ""
    first_year: int = 0
    last_year: int = 0

    def covers_year(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


def parse_bank_holidays(text: str) -> BankHolidays:
    """Read the GOV.UK-shaped file: {"source": ..., "events": [{"date": "2026-12-25", ...}]}."""
    data = json.loads(text)
    dates = frozenset(date.fromisoformat(event["date"]) for event in data["events"])
    years = [day.year for day in dates] or [0]
    return BankHolidays(dates=dates, source=str(data.get("source", "")), first_year=min(years), last_year=max(years))


@cache
def load_bank_holidays(path: str | None = None) -> BankHolidays:
    return parse_bank_holidays(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: frozenset[date]) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts).

    With ``days`` 0 the answer is ``start`` if it is a working day, else the next one.
    """
    if days < 0:
        raise ValueError("A deadline cannot be a negative number of working days.")
    current = start
    if days == 0:
        while not is_working_day(current, holidays):
            current += timedelta(days=1)
        return current
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            counted += 1
    return current


def working_days_between(start: date, end: date, holidays: frozenset[date]) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            count += 1
    return count
