"""Peer mentoring in a real browser, every page checked with axe-core.

A coordinator of a peer-support organisation opens the waiting list, looks at the suggestions for one person,
proposes matches for the whole list and confirms them; the matched mentor then logs a session with their new
mentee, and the keyworker reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_persona
from rosc.peers.models import PeerSession
from rosc.peers.tests.helpers import coordinator, mentor, waiting_person
from rosc.record.models import CareTeamMember, TeamRole
from tests.browser.harness import CheckedPage


@pytest.fixture
def waiting(transactional_db: None) -> dict[str, Any]:
    first, _ = waiting_person("Robin Example")
    second, _ = waiting_person("Alex Sample", substances=["cocaine"])
    good = mentor("good@example.com", display_name="Morgan Mentor", capacity=2, substances=["alcohol", "cocaine"])
    lapsed = mentor("lapsed@example.com", display_name="Lapsed Mentor", expired_dbs=True, capacity=3)
    return {
        "coordinator": coordinator(),
        "mentor": good,
        "lapsed": lapsed,
        "people": [first, second],
        "keyworker": make_persona("keyworker_a"),
    }


def test_a_coordinator_confirms_matches_and_the_mentor_logs_a_session(
    waiting: dict[str, Any], open_page: Callable[..., CheckedPage], signed_in_key: Callable[[Any], str]
) -> None:
    # The coordinator works with JavaScript off: every step is a plain link or form.
    boss = open_page(session_key=signed_in_key(waiting["coordinator"]), javascript=False)
    page = boss.page

    # Waiting list, then one person's ranked suggestions with reasons; the lapsed mentor is not offered.
    boss.visit("/home/")
    boss.submit(page.get_by_role("link", name="Waiting list for a peer mentor"))
    expect(page.locator("h1")).to_have_text("Waiting list for a peer mentor")
    boss.submit(page.get_by_role("link", name="Robin Example"))
    expect(page.locator(".govuk-radios")).to_contain_text("Morgan Mentor")
    expect(page.locator(".govuk-radios")).to_contain_text("Shared lived experience")
    expect(page.locator(".govuk-radios")).not_to_contain_text("Lapsed Mentor")

    # The whole list: review the proposal and confirm it.
    boss.visit("/peer-support/coordinate/proposal/")
    expect(page.locator("main")).to_contain_text("2 of 2 people matched")
    expect(page.locator("main")).not_to_contain_text("Lapsed Mentor")
    boss.submit(page.get_by_role("button", name="Confirm chosen matches"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 matches confirmed")
    for person in waiting["people"]:
        assert CareTeamMember.objects.filter(
            person=person, role=TeamRole.PEER_MENTOR, worker=waiting["mentor"].user
        ).exists()

    # The mentor logs a session with a new mentee; a mistake is explained first.
    # The mentor is on a phone, 320 pixels wide.
    mentor_page = open_page(session_key=signed_in_key(waiting["mentor"].user), viewport={"width": 320, "height": 640})
    mp = mentor_page.page
    mentor_page.visit("/peer-support/")
    mentor_page.submit(mp.get_by_role("link", name="log a session with Robin Example"))
    mentor_page.submit(mp.get_by_role("button", name="Save session"))
    expect(mp.locator(".govuk-error-summary")).to_contain_text("Enter the date of the session.")
    mp.get_by_label("Date of the session").fill(timezone.localdate().isoformat())
    mp.get_by_label("Phone").check()
    mp.get_by_label("How long it lasted").fill("40")
    mp.get_by_label("Cravings and hard days").check()
    mp.get_by_label("Agreed next steps (optional)").fill("Try the Tuesday group together.")
    mentor_page.submit(mp.get_by_role("button", name="Save session"))
    expect(mp.locator(".govuk-notification-banner")).to_contain_text("Session logged")
    assert mp.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    assert PeerSession.objects.filter(person=waiting["people"][0]).count() == 1

    # The keyworker, whose organisation the person's consent covers, reads it.
    keyworker = open_page(session_key=signed_in_key(waiting["keyworker"]))
    keyworker.visit(f"/peer-support/people/{waiting['people'][0].uuid}/sessions/")
    expect(keyworker.page.locator("main")).to_contain_text("Try the Tuesday group together.")

    # The coordinator's mentors page flags the expired check.
    boss.visit("/peer-support/coordinate/mentors/")
    expect(page.locator("main")).to_contain_text("Expired")
