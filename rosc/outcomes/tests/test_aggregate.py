"""Median first and latest scores by quarter, with small numbers suppressed (pure)."""

from datetime import UTC, date, datetime

import pytest

from rosc.outcomes.aggregate import Reading, first_vs_latest, quarter_label, quarter_of


def reading(person, day, value):
    return Reading(person, datetime(day.year, day.month, day.day, 12, tzinfo=UTC), day, value)


@pytest.mark.parametrize(
    ("day", "quarter", "label"),
    [
        (date(2026, 1, 1), date(2026, 1, 1), "Jan to Mar 2026"),
        (date(2026, 3, 31), date(2026, 1, 1), "Jan to Mar 2026"),
        (date(2026, 4, 1), date(2026, 4, 1), "Apr to Jun 2026"),
        (date(2025, 12, 31), date(2025, 10, 1), "Oct to Dec 2025"),
    ],
)
def test_quarters(day, quarter, label):
    assert quarter_of(day) == quarter
    assert quarter_label(quarter_of(day)) == label


def test_medians_of_first_and_latest_scores_for_people_followed_up():
    readings = []
    # Five people measured first in January, then twice in April-June (the latest counts).
    for person, (first, mid, latest) in enumerate(
        [(20, 25, 30), (30, 31, 40), (40, 44, 47), (25, 20, 28), (35, 40, 50)]
    ):
        readings += [
            reading(person, date(2026, 1, 10), first),
            reading(person, date(2026, 4, 10), mid),
            reading(person, date(2026, 5, 20), latest),
        ]
    q1, q2 = first_vs_latest(readings, threshold=5)
    assert q1.quarter == date(2026, 1, 1)
    assert q1.measured == 5
    assert q1.followed_up is None  # nobody had an earlier score
    assert q1.followed_up_text == "fewer than 5"
    assert q1.median_first is None
    assert q1.median_latest is None
    assert q2.measured == 5
    assert q2.followed_up == 5
    assert q2.median_first == 30  # of 20, 30, 40, 25, 35
    assert q2.median_latest == 40  # of 30, 40, 47, 28, 50


def test_an_even_number_of_people_gives_the_mean_of_the_middle_two():
    readings = []
    for person, (first, latest) in enumerate([(10, 20), (12, 22), (14, 24), (16, 26), (18, 28), (20, 31)]):
        readings += [reading(person, date(2026, 1, 2), first), reading(person, date(2026, 2, 2), latest)]
    (q1,) = first_vs_latest(readings, threshold=5)
    assert q1.median_first == 15.0  # (14 + 16) / 2
    assert q1.median_latest == 25.0  # (24 + 26) / 2


def test_fewer_people_than_the_threshold_are_suppressed():
    readings = [reading(p, date(2026, 1, 2), 20) for p in range(4)] + [
        reading(p, date(2026, 2, 2), 30) for p in range(4)
    ]
    (q1,) = first_vs_latest(readings, threshold=5)
    assert q1.measured is None
    assert q1.measured_text == "fewer than 5"
    assert q1.median_first is None
    assert not q1.medians_shown
    (shown,) = first_vs_latest(readings, threshold=2)
    assert shown.measured == 4
    assert shown.median_first == 20
    assert shown.median_latest == 30


def test_missing_scores_are_left_out_and_only_the_last_quarters_are_kept():
    readings = [reading(1, date(2026, 1, 2), None)]
    assert first_vs_latest(readings, threshold=2) == []
    readings = [reading(1, date(2020 + y, 1, 2), 20) for y in range(6)]
    figures = first_vs_latest(readings, threshold=2, last=3)
    assert [f.quarter.year for f in figures] == [2023, 2024, 2025]
