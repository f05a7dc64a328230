"""The shared recovery record in a real browser: a keyworker adds someone with
their consent and writes a goal with them; the person opens their own link,
sees who has seen their record and withdraws consent with one click; the
information-governance lead reviews emergency access and answers a request for
a copy. Every page is checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_persona, organisation
from rosc.record.models import Consent, Person
from rosc.record.own_view import own_view_token
from rosc.record.tests.helpers import give_consent, make_person
from tests.browser.harness import CheckedPage


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_keyworker_adds_a_person_with_consent_and_writes_a_goal_with_them(
    javascript: bool, open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    keyworker = make_persona("keyworker_a")
    checked = open_page(session_key=signed_in_key(keyworker), javascript=javascript)
    page = checked.page

    checked.visit("/home/")
    checked.submit(page.get_by_role("link", name="Add a person"))
    checked.submit(page.get_by_role("button", name="Add them and record their consent"))
    assert "Enter their full name." in page.locator(".govuk-error-summary").inner_text()

    page.get_by_label("Full name").fill("Robin Example")
    page.get_by_label("Date of birth").fill("1990-04-01")
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_label("Housing", exact=True).check()
    page.get_by_label("Date consent ends").fill((timezone.localdate() + timedelta(days=300)).isoformat())
    page.get_by_label("In writing (signed form)").check()
    checked.submit(page.get_by_role("button", name="Add them and record their consent"))
    assert page.locator("h1").inner_text().startswith("Robin Example")

    checked.submit(page.get_by_role("link", name="See and update the whole plan"))
    checked.submit(page.get_by_role("link", name="Add a goal for housing"))
    page.get_by_label("The goal, in their own words").fill("A flat near my sister")
    page.get_by_label("Who owns this goal").select_option(label="Organisation A Treatment")
    page.get_by_label("Review date").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    checked.submit(page.get_by_role("button", name="Add the goal"))
    assert "A flat near my sister" in page.locator("#main-content").inner_text()

    checked.submit(page.get_by_role("link", name="Care team and consent"))
    checked.submit(page.get_by_role("link", name="Timeline"))
    assert "Goal added: Housing" in page.locator("#main-content").inner_text()
    checked.visit("/care/")
    assert "Robin Example" in page.locator("table").inner_text()


def test_the_person_opens_their_link_sees_who_has_seen_it_and_withdraws_consent(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable, transactional_db: None
) -> None:
    org_a = organisation("org-a")
    person = make_person(org_a, full_name="Robin Example")
    give_consent(person, organisations=[org_a])
    keyworker = make_persona("keyworker_a")
    worker_page = open_page(session_key=signed_in_key(keyworker))
    worker_page.visit(f"/care/people/{person.uuid}/")
    token = own_view_token(person)

    checked = open_page(javascript=False)
    checked.visit(f"/care/my-record/link/{token}/")
    page = checked.page
    assert page.locator("h1").inner_text() == "Your recovery record"
    log = page.locator("table", has_text="Every time").inner_text()
    assert "keyworker_a, Organisation A Treatment" in log
    checked.submit(page.get_by_role("button", name="Withdraw this consent"))
    assert "You have withdrawn this consent" in page.locator(".govuk-notification-banner").inner_text()
    assert Consent.objects.get(person=person).withdrawn_at is not None

    worker_page.visit(f"/care/people/{person.uuid}/plan/", status=404)


def test_the_ig_lead_reviews_emergency_access_and_answers_a_request_for_a_copy(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable, transactional_db: None
) -> None:
    org_a, org_b = organisation("org-a"), organisation("org-b")
    make_person(org_b, full_name="Robin Example", nhs_number="9434765919")
    keyworker = make_persona("keyworker_a")
    worker = open_page(session_key=signed_in_key(keyworker))
    worker.visit("/care/emergency-access/")
    worker.page.get_by_label("NHS number").fill("9434765919")
    worker.page.get_by_label("The safeguarding concern").fill("Their mother called: they may be at risk tonight.")
    worker.submit(worker.page.get_by_role("button", name="Open the record for safeguarding"))
    assert "You are using emergency access" in worker.page.locator("#main-content").inner_text()
    assert org_a.pk != org_b.pk

    lead = open_page(session_key=signed_in_key(make_persona("ig_lead")))
    page = lead.page
    lead.visit("/home/")
    lead.submit(page.get_by_role("link", name="Emergency access to review"))
    lead.submit(page.get_by_role("link", name="Review access by keyworker_a", exact=False))
    page.get_by_label("Yes, justified").check()
    lead.submit(page.get_by_role("button", name="Record the review"))
    assert "Your review has been recorded." in page.locator(".govuk-notification-banner").inner_text()

    admin = open_page(session_key=signed_in_key(make_persona("administrator")), javascript=False)
    admin.visit("/home/")
    admin.submit(admin.page.get_by_role("link", name="Data protection requests"))
    admin.submit(admin.page.get_by_role("button", name="Open a request"))
    admin.page.get_by_label("NHS number").fill("9434765919")
    admin.page.get_by_label("A copy of everything held (access)").check()
    admin.page.get_by_label("Date the request was received").fill(timezone.localdate().isoformat())
    admin.submit(admin.page.get_by_role("button", name="Open the request"))
    admin.submit(admin.page.get_by_role("link", name="Read it as a page"))
    assert "Robin Example" in admin.page.locator("#main-content").inner_text()
    assert Person.objects.filter(rights_requests__kind="access").count() == 1


def test_the_caseload_fits_a_phone(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable, transactional_db: None
) -> None:
    org_a = organisation("org-a")
    for name in ("Robin Example", "Alex Sample"):
        give_consent(make_person(org_a, full_name=name), organisations=[org_a])
    checked = open_page(
        session_key=signed_in_key(make_persona("keyworker_a")), viewport={"width": 375, "height": 812}, is_mobile=True
    )
    checked.visit("/care/")
    width = checked.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375
    assert "2 people" in checked.page.locator("caption").inner_text()
