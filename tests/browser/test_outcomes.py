"""Outcome measures in a real browser: the charts plot exactly the numbers in their tables (read from the
SVG's markers and the table cells), a keyworker records an ONS4 after a clear error, the person fills in
BARC-10 on a phone, and a service manager reads suppressed service figures. Every page is checked with
axe-core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_persona, organisation
from rosc.outcomes.instruments import score
from rosc.outcomes.models import Measurement, Via
from rosc.record.tests.helpers import give_consent, make_person
from tests.browser.harness import CheckedPage

PHONE = {"viewport": {"width": 320, "height": 740}, "is_mobile": True, "has_touch": True}
BARC_VALUES = [
    (120, (4, 3, 2, 3, 2, 3, 3, 4, 3, 3)),
    (60, (5, 4, 3, 3, 3, 4, 3, 5, 4, 4)),
    (5, (6, 5, 4, 4, 5, 5, 5, 5, 5, 5)),
]
ONS_VALUES = [(120, (3, 4, 3, 8)), (60, (5, 5, 5, 6)), (5, (7, 8, 7, 3))]


def _measure(person, code, answers, days, via=Via.PRACTITIONER):
    Measurement.objects.create(
        instrument=code,
        version="x",
        person=person,
        answers=answers,
        scores=score(code, answers),
        taken_at=timezone.now() - timedelta(days=days),
        via=via,
    )


def _person_with_history(account=None, name="Robin Example"):
    org_a = organisation("org-a")
    person = make_person(org_a, full_name=name, account=account)
    give_consent(person, organisations=[org_a])
    for days, values in BARC_VALUES:
        _measure(person, "barc10", {f"q{i}": v for i, v in enumerate(values, start=1)}, days)
    for days, (life, worth, happy, anxious) in ONS_VALUES:
        answers = {"life_satisfaction": life, "worthwhile": worth, "happiness": happy, "anxiety": anxious}
        _measure(person, "ons4", answers, days)
    return person


def chart_points(checked: CheckedPage, chart_id: str) -> list[tuple[str, str, str]]:
    """(series, x label, value) of every marker plotted in the SVG."""
    points = checked.page.locator(f"svg#{chart_id} .rosc-chart__point").evaluate_all(
        "nodes => nodes.map(n => [n.dataset.series, n.dataset.x, n.dataset.value])"
    )
    return sorted(tuple(p) for p in points)


def table_numbers(checked: CheckedPage, chart_id: str) -> list[tuple[str, str, str]]:
    """(column heading, row heading, cell) of every numeric cell of the chart's table."""
    table = checked.page.locator(f'table[data-chart="{chart_id}"]')
    headings = table.locator("thead th").all_inner_texts()
    found = []
    for row in table.locator("tbody tr").all():
        header = row.locator("th").inner_text().strip()
        for heading, cell in zip(headings[1:], row.locator("td").all_inner_texts(), strict=True):
            cell = cell.strip()
            if cell.replace(".", "", 1).isdigit():
                found.append((heading.strip(), header, cell))
    return sorted(found)


def assert_chart_matches_table(checked: CheckedPage, chart_id: str, expected_count: int) -> None:
    points = chart_points(checked, chart_id)
    assert len(points) == expected_count, points
    assert points == table_numbers(checked, chart_id)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_the_keyworker_sees_charts_that_match_their_tables_and_records_an_ons4(
    javascript: bool, open_page: Callable[..., CheckedPage], signed_in_key: Callable, transactional_db: None
) -> None:
    person = _person_with_history()
    keyworker = make_persona("keyworker_a")
    checked = open_page(session_key=signed_in_key(keyworker), javascript=javascript)
    page = checked.page

    checked.visit(f"/outcomes/people/{person.uuid}/")
    assert_chart_matches_table(checked, "barc10-chart", 3)
    assert_chart_matches_table(checked, "ons4-chart", 12)
    values = [value for _, _, value in chart_points(checked, "barc10-chart")]
    assert sorted(values) == ["30", "38", "49"]
    text = page.locator("#main-content").inner_text()
    assert "49 out of 60 (47 or more: associated with sustained remission)" in text
    assert "3 (very low)" not in text
    assert "3 (low)" in text

    checked.submit(page.get_by_role("link", name="Record an ONS4 (personal wellbeing)"))
    checked.submit(page.get_by_role("button", name="Save ONS4"))
    assert "Answer at least one question." in page.locator(".govuk-error-summary").inner_text()
    assert Measurement.objects.filter(person=person).count() == 6

    page.get_by_role("group", name="Overall, how satisfied are you with your life nowadays?").get_by_label(
        "8", exact=True
    ).check()
    page.get_by_role("group", name="Overall, how anxious did you feel yesterday?").get_by_label("2", exact=True).check()
    checked.submit(page.get_by_role("button", name="Save ONS4"))
    assert "ONS4 saved." in page.locator(".govuk-notification-banner").inner_text()
    assert_chart_matches_table(checked, "ons4-chart", 14)  # two answered questions, two more points
    saved = Measurement.objects.filter(person=person, instrument="ons4").latest("created_at")
    assert saved.scores["life_satisfaction"] == {"score": 8, "band": "high"}
    assert saved.scores["worthwhile"] == {"score": None, "band": None}


def test_the_person_fills_in_barc10_on_a_phone_and_sees_their_chart(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable, transactional_db: None
) -> None:
    account = make_persona("person_in_recovery")
    person = _person_with_history(account=account)
    checked = open_page(session_key=signed_in_key(account), javascript=False, **PHONE)
    page = checked.page
    checked.visit("/home/")
    checked.submit(page.get_by_role("link", name="See how things are changing for you", exact=False))
    assert page.locator("h1").inner_text() == "Your progress"
    assert_chart_matches_table(checked, "barc10-chart", 3)
    checked.submit(page.get_by_role("link", name="Fill in BARC-10 (recovery capital, 10 questions)"))
    questions = page.locator("fieldset")
    assert questions.count() == 10
    for index in range(10):
        questions.nth(index).get_by_label("5 \N{EN DASH} Agree", exact=True).check()
    checked.submit(page.get_by_role("button", name="Save BARC-10"))
    assert "Your BARC-10 answers are saved" in page.locator(".govuk-notification-banner").inner_text()
    assert_chart_matches_table(checked, "barc10-chart", 4)
    assert Measurement.objects.get(person=person, via=Via.SELF).scores["total"] == 50
    widths = page.evaluate("() => ({view: window.innerWidth, html: document.documentElement.scrollWidth})")
    assert widths["html"] <= widths["view"], widths


def test_the_service_manager_reads_suppressed_figures_whose_chart_matches_the_table(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable, transactional_db: None
) -> None:
    for number in range(6):
        _person_with_history(name=f"Person {number}")
    manager = make_persona("service_manager")
    checked = open_page(session_key=signed_in_key(manager))
    page = checked.page
    checked.visit("/home/")
    checked.submit(page.get_by_role("link", name="Recovery capital and wellbeing by service"))
    assert page.locator("h1").inner_text() == "Organisation A Treatment"
    points = chart_points(checked, "service-barc10")
    assert points == table_numbers(checked, "service-barc10")
    assert points, "six people followed up should give medians"
    assert ("Median latest score", points[-1][1], "49") in points
    assert "fewer than 5" in page.locator("#main-content").inner_text()  # the first quarters have no follow-up
