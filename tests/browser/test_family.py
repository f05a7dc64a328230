"""Family support in a real browser, on a phone: a family member fills in a wellbeing check-in and reads
their chart, whose plotted points match its table; a person invites them, they accept and see only the plan.
Every page is checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_persona
from rosc.family.tests.helpers import invite, person_with_account
from rosc.outcomes.actions import record_measurement
from tests.browser.harness import CheckedPage

PHONE = {"viewport": {"width": 320, "height": 740}, "is_mobile": True, "has_touch": True}


def _fits(checked: CheckedPage) -> None:
    widths = checked.page.evaluate("() => ({view: window.innerWidth, html: document.documentElement.scrollWidth})")
    assert widths["html"] <= widths["view"], f"{checked.path()} scrolls sideways on a phone: {widths}"


def test_a_family_members_wellbeing_chart_matches_its_table_on_a_phone(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    jo = make_persona("family_member")
    for days, value in ((90, 3), (45, 5)):
        record_measurement(
            actor=jo,
            instrument="ons4",
            answers={"life_satisfaction": value, "worthwhile": value + 2, "happiness": value + 1, "anxiety": 8 - value},
            family_member=jo,
            via="family",
            taken_at=timezone.now() - timedelta(days=days),
        )
    phone = open_page(session_key=signed_in_key(jo), **PHONE)
    page = phone.page
    phone.visit("/family/")
    _fits(phone)
    phone.submit(page.get_by_role("link", name="Fill in a wellbeing check-in"))
    phone.submit(page.get_by_role("button", name="Save my check-in"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a number from 0 to 10")
    for key, answer in (("life_satisfaction", "8"), ("worthwhile", "9"), ("happiness", "7"), ("anxiety", "2")):
        page.locator(f"input[name={key}][value='{answer}']").check()
    phone.submit(page.get_by_role("button", name="Save my check-in"))
    expect(page.get_by_role("heading", name="Your wellbeing over time")).to_be_visible()
    _fits(phone)

    points = page.locator("#ons4-chart .rosc-chart__point")
    assert points.count() == 12, "three check-ins, four separate lines"
    plotted = {
        (p.get_attribute("data-series"), p.get_attribute("data-x"), p.get_attribute("data-value")) for p in points.all()
    }
    headers = [cell.inner_text().strip() for cell in page.locator("#ons4-chart-table thead th").all()]
    assert headers == ["Date", "Life satisfaction", "Worthwhile", "Happiness", "Anxiety"]
    tabled = set()
    for row in page.locator("#ons4-chart-table tbody tr").all():
        when = row.locator("th").inner_text().strip()
        for series, cell in zip(headers[1:], row.locator("td").all(), strict=True):
            tabled.add((series, when, cell.inner_text().strip()))
    assert plotted == tabled


def test_a_person_shares_their_plan_and_the_family_member_sees_only_that(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    sam = make_persona("person_in_recovery")
    jo = make_persona("family_member")
    person = person_with_account(sam, full_name="Sam Example")
    desk = open_page(session_key=signed_in_key(sam), **PHONE)
    page = desk.page
    desk.visit("/family/share/")
    page.get_by_label("Their name").fill("Jo")
    page.get_by_label("How are they related to you?").fill("mum")
    page.get_by_label("Their email address").fill("family@example.com")
    page.get_by_label("My recovery plan: my goals and the steps towards them").check()
    page.get_by_label("6 months").check()
    desk.submit(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", name="Check before you share")).to_be_visible()
    desk.submit(page.get_by_role("button", name="Agree and send the invitation"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("We have emailed Jo an invitation.")
    _fits(desk)

    token = invite(person, categories=("plan",)).token
    family = open_page(session_key=signed_in_key(jo), **PHONE)
    family.visit(f"/family/invitation/{token}/")
    family.submit(family.page.get_by_role("button", name="Accept the invitation"))
    expect(family.page.get_by_text("Find a flat near my mum")).to_be_visible()
    expect(family.page.get_by_text("Their referrals")).to_have_count(0)
    _fits(family)
