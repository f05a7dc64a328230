"""Continuing care in a real browser, every page checked with axe-core.

A person answers a weekly check-in from the link in their message on a phone, sees the kind page
when they open the used link again, asks for a new link, and presses "I need help now". Their
keyworker then finds the alert, reads the answers and the chart, and picks it up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_persona
from rosc.continuing import actions
from rosc.continuing.models import Alert, CheckIn, CheckInStatus
from rosc.continuing.questions import QUESTIONS
from rosc.continuing.tests.helpers import at, person_in_care, start_plan, token_from_outbox
from tests.browser.harness import CheckedPage

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}
ANSWERS = {
    "physical_health": "Good",
    "sleep_days": "1 or 2 days",
    "low_mood_days": "None",
    "alcohol_days": "None",
    "heavy_drinking_days": "None",
    "drug_days": "None",
    "cravings": "Quite a lot",
    "confidence": "A little",
    "meeting_days": "1 or 2 days",
    "risky_days": "3 or 4 days",
    "work_days": "None",
    "enough_money": "Yes",
    "conflict_days": "None",
    "support_days": "1 or 2 days",
    "satisfaction": "Moderately",
    "wants_contact": "Yes",
}


@pytest.fixture
def link(transactional_db: None) -> dict[str, Any]:
    person = person_in_care()
    start_plan(person, started_on=timezone.localdate() - timedelta(days=7))
    actions.run_continuing_care(now=at(timezone.localdate()))
    return {"token": token_from_outbox(), "person": person}


def no_sideways_scroll(checked: CheckedPage) -> None:
    widths = checked.page.evaluate("() => ({view: window.innerWidth, html: document.documentElement.scrollWidth})")
    assert widths["html"] <= widths["view"], f"{checked.path()} scrolls sideways on a phone: {widths}"


def test_answering_a_check_in_from_a_link_on_a_phone(
    link: dict[str, Any], open_page: Callable[..., CheckedPage]
) -> None:
    person = open_page(**PHONE)
    page = person.page
    url = f"/continuing-care/check-in/{link['token']}/"
    person.visit(url)
    expect(page.get_by_role("button", name="I need help now").first).to_be_visible()
    expect(page.locator("h1")).to_have_text("Your check-in")
    no_sideways_scroll(person)

    # Sending nothing says what is missing and saves nothing.
    person.submit(page.get_by_role("button", name="Send my answers"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Answer the question: How has your physical health been?"
    )
    assert CheckIn.objects.get().status == CheckInStatus.OPEN

    for question in QUESTIONS:
        page.get_by_role("group", name=question.text).get_by_label(ANSWERS[question.code], exact=True).check()
    person.submit(page.get_by_role("button", name="Send my answers"))
    expect(page.locator(".govuk-panel__title")).to_have_text("Thank you")
    expect(page.locator("main")).to_contain_text("Someone from your support team will contact you")
    no_sideways_scroll(person)
    check_in = CheckIn.objects.get()
    assert check_in.status == CheckInStatus.ANSWERED
    assert check_in.answers["risky_days"] == 3
    assert {a.rule_code for a in Alert.objects.all()} == {"cravings_low_confidence", "risky_situations", "contact_me"}

    # The used link, opened again: said kindly, with a new link offered (the contact is not shown).
    person.visit(url, status=410)
    expect(page.locator("h1")).to_have_text("You have already answered this check-in")
    expect(page.locator("main")).not_to_contain_text("robin@example.com")
    person.submit(page.get_by_role("button", name="Send me a new link"))
    expect(page.locator("h1")).to_have_text("We have sent you a new link")

    # "I need help now": the crisis routes at once, and the team is told.
    person.submit(page.get_by_role("button", name="I need help now").first)
    expect(page.locator("h1")).to_have_text("Get help now")
    routes = page.locator("#crisis-routes")
    for words in ("Call 999", "NHS 111", "116 123"):
        expect(routes).to_contain_text(words)
    expect(page.locator("#team-told")).to_be_visible()
    no_sideways_scroll(person)
    assert Alert.objects.filter(rule_code="help_now", severity="urgent").count() == 1


def test_the_check_in_and_help_pages_work_without_javascript_at_320_pixels(
    link: dict[str, Any], open_page: Callable[..., CheckedPage]
) -> None:
    person = open_page(javascript=False, viewport={"width": 320, "height": 640})
    page = person.page
    person.visit(f"/continuing-care/check-in/{link['token']}/")
    no_sideways_scroll(person)
    person.submit(page.get_by_role("button", name="I need help now").first)
    expect(page.locator("#crisis-routes")).to_contain_text("116 123")
    person.visit("/continuing-care/check-in/not-a-real-link/", status=404)
    expect(page.locator("h1")).to_have_text("We could not find this check-in")


def test_the_keyworker_picks_up_the_alert(
    link: dict[str, Any], open_page: Callable[..., CheckedPage], signed_in_key: Callable[[Any], str]
) -> None:
    from rosc.continuing.tests.helpers import CALM

    actions.check_in_answer(token=link["token"], answers={**CALM, "wants_contact": "yes", "cravings": "4"})
    keyworker = open_page(session_key=signed_in_key(make_persona("keyworker_a")))
    page = keyworker.page
    keyworker.visit("/continuing-care/alerts/")
    keyworker.submit(page.get_by_role("link", name="Robin Example").first)
    expect(page.locator("main")).to_contain_text("Their answers (last 7 days)")
    keyworker.submit(page.get_by_role("button", name="Pick up this alert"))
    expect(page.locator("main")).to_contain_text("Picked up")
    keyworker.submit(page.get_by_role("link", name="All their check-ins"))
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Answers at each check-in")
