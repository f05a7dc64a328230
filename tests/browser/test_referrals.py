"""A referral's whole loop in a real browser, every page checked with axe-core.

A treatment keyworker refers a person to a housing service and to a peer-support
charity. The housing worker accepts, puts them on the waiting list and completes
with "got help"; the peer-support service declines with a reason and passes the
referral on. The person sees each change, and their disclosure log names everyone
who looked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, expect

from conftest import make_persona, organisation
from rosc.core.models import Membership, Organisation, OrganisationKind, Role, User
from rosc.directory.models import Service
from rosc.record.categories import Category
from rosc.record.models import CATEGORY_FIELDS, CareTeamMember, Consent, ConsentGivenHow, ConsentKind, Person, TeamRole
from rosc.referrals.models import Referral, State
from tests.browser.harness import CheckedPage


def _service(org: Organisation, name: str, words: str) -> Service:
    return Service.objects.create(organisation=org, name=name, description="Help.", search_text=words)


@pytest.fixture
def loop(transactional_db: None) -> dict[str, Any]:
    keyworker = make_persona("keyworker_a")  # Organisation A Treatment
    housing_worker = make_persona("keyworker_b")  # Organisation B Housing
    peers = organisation("peers")
    peer_worker = User.objects.create_user("peer.coordinator@example.com", "a long password", display_name="Pat")
    Membership.objects.create(user=peer_worker, organisation=peers, role=Role.PRACTITIONER)
    recovery_space, _ = Organisation.objects.get_or_create(
        slug="recovery-space", defaults={"name": "Town Recovery Space", "kind": OrganisationKind.RECOVERY_COMMUNITY}
    )
    person_account = make_persona("person_in_recovery")
    person = Person.objects.create(
        full_name="Robin Example", date_of_birth=date(1985, 4, 1), account=person_account, email="person@example.com"
    )
    CareTeamMember.objects.create(
        person=person,
        organisation=organisation("org-a"),
        worker=keyworker,
        role=TeamRole.KEYWORKER,
        started=timezone.localdate() - timedelta(days=30),
    )
    now = timezone.now()
    consent = Consent.objects.create(
        person=person,
        kind=ConsentKind.CARE_COORDINATION,
        given_how=ConsentGivenHow.VERBAL,
        given_at=now - timedelta(days=1),
        expires_at=now + timedelta(days=365),
        **{CATEGORY_FIELDS[Category.REFERRALS]: True, CATEGORY_FIELDS[Category.CONTACT]: True},
    )
    consent.recipient_organisations.set([organisation("org-a"), organisation("org-b"), peers, recovery_space])
    _service(organisation("org-b"), "Supported housing", "supported housing harlow")
    _service(peers, "Peer support group", "peer support group")
    _service(recovery_space, "Recovery café", "recovery cafe community")
    return {
        "keyworker": keyworker,
        "housing_worker": housing_worker,
        "peer_worker": peer_worker,
        "person_account": person_account,
        "person": person,
    }


def refer(checked: CheckedPage, *, person: str, search: str, service: str, need: str) -> None:
    page = checked.page
    checked.visit("/home/")
    checked.submit(page.get_by_role("link", name="Make a referral"))
    checked.submit(page.get_by_role("link", name=person))
    page.get_by_label("Search the directory").fill(search)
    checked.submit(page.get_by_role("button", name="Search"))
    checked.submit(page.get_by_role("link", name=service))
    page.get_by_label("What help do they need from this service?").fill(need)
    page.get_by_label("Email").check()
    checked.submit(page.get_by_role("button", name="Continue"))
    expect(page.locator("h1")).to_have_text("Check the referral before you send it")
    checked.submit(page.get_by_role("button", name="Send the referral"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"sent to {service}")


def open_from_inbox(checked: CheckedPage, person: str) -> None:
    checked.visit("/home/")
    checked.submit(checked.page.get_by_role("link", name="Referrals to your services"))
    checked.submit(checked.page.get_by_role("link", name=person).first)


def step(checked: CheckedPage, link: str, button: str, fill: Callable[[Any], None] | None = None) -> None:
    page = checked.page
    checked.submit(page.get_by_role("link", name=link, exact=True))
    if fill is not None:
        fill(page)
    checked.submit(page.get_by_role("button", name=button, exact=True))
    expect(page.locator(".govuk-notification-banner")).to_be_visible()


def card_for(checked: CheckedPage, service: str) -> Locator:
    page = checked.page
    return page.locator(".govuk-summary-card").filter(has=page.get_by_role("heading", name=service, exact=True))


def person_sees(checked: CheckedPage, service: str, status: str) -> None:
    checked.visit("/referrals/mine/")
    expect(card_for(checked, service).locator(".govuk-tag")).to_have_text(status)


def test_a_referral_goes_round_the_whole_loop(
    loop: dict[str, Any], open_page: Callable[..., CheckedPage], signed_in_key: Callable[[Any], str]
) -> None:
    keyworker = open_page(session_key=signed_in_key(loop["keyworker"]))
    housing = open_page(session_key=signed_in_key(loop["housing_worker"]))
    peers = open_page(session_key=signed_in_key(loop["peer_worker"]))
    person = open_page(session_key=signed_in_key(loop["person_account"]))

    # The keyworker refers Robin to housing and to peer support.
    refer(
        keyworker,
        person="Robin Example",
        search="housing",
        service="Supported housing",
        need="Robin needs a safe place to live after detox.",
    )
    refer(
        keyworker,
        person="Robin Example",
        search="peer support",
        service="Peer support group",
        need="Robin would like to meet other people in recovery.",
    )
    person_sees(person, "Supported housing", "Sent")
    person_sees(person, "Peer support group", "Sent")

    # Housing: open (received), accept, waiting list, complete with "got help".
    open_from_inbox(housing, "Robin Example")
    expect(housing.page.locator("main")).to_contain_text("Received")
    person_sees(person, "Supported housing", "Received")
    step(housing, "Accept", "Accept")
    person_sees(person, "Supported housing", "Accepted")
    step(
        housing,
        "Put on the waiting list",
        "Put on the waiting list",
        lambda page: page.get_by_label("Note (optional)").fill("A room is likely in two weeks."),
    )
    person_sees(person, "Supported housing", "On the waiting list")
    step(
        housing,
        "Complete with an outcome",
        "Complete with an outcome",
        lambda page: page.get_by_label("Got help").check(),
    )
    person_sees(person, "Supported housing", "Completed")
    expect(card_for(person, "Supported housing")).to_contain_text("Got help")

    # Peer support: decline with a reason, then pass it on to the recovery space.
    open_from_inbox(peers, "Robin Example")

    def decline(page: Any) -> None:
        page.get_by_label("Another service would suit them better").check()
        page.get_by_label("Explain your decision").fill("Our group is full; the recovery café runs an open group.")

    step(peers, "Decline", "Decline", decline)
    person_sees(person, "Peer support group", "Declined")
    peers.submit(peers.page.get_by_role("link", name="Pass to another service", exact=True))
    peers.page.get_by_label("Search the directory").fill("recovery cafe")
    peers.submit(peers.page.get_by_role("button", name="Search"))
    peers.submit(peers.page.get_by_role("link", name="Recovery café"))
    peers.page.get_by_label("Why are you passing it on?").fill("They have space this month.")
    peers.submit(peers.page.get_by_role("button", name="Pass the referral on"))
    expect(peers.page.locator(".govuk-notification-banner")).to_contain_text("passed on to Recovery café")
    person_sees(person, "Peer support group", "Passed to another service")
    person_sees(person, "Recovery café", "Sent")

    # The person reads the whole history, with the comments and reasons everyone saw.
    person.submit(card_for(person, "Peer support group").get_by_role("link", name="See everything"))
    expect(person.page.locator("main")).to_contain_text("Our group is full; the recovery café runs an open group.")

    # The sender sees the same: the housing outcome and where the other one went.
    keyworker.visit("/referrals/sent/?view=all")
    sent_list = keyworker.page.locator("main")
    expect(sent_list).to_contain_text("Completed")
    expect(sent_list).to_contain_text("Passed to another service")
    expect(sent_list).to_contain_text("Recovery café")

    # The disclosure log on the person's own record names everyone who looked.
    person.visit("/care/my-record/")
    log = person.page.locator("main").inner_text()
    for viewer in ("keyworker_a", "keyworker_b", "Pat"):
        assert viewer in log, f"{viewer} is missing from the disclosure log"
    for organisation_name in ("Organisation B Housing", "Peer Mentors Charity", "Town Recovery Space"):
        assert organisation_name in log, f"sharing with {organisation_name} is missing from the disclosure log"

    states = dict(Referral.objects.values_list("service__name", "state"))
    assert states == {
        "Supported housing": State.COMPLETED,
        "Peer support group": State.REROUTED,
        "Recovery café": State.SENT,
    }


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_the_inbox_filters_errors_and_exception_review_pages_are_accessible(
    javascript: bool,
    loop: dict[str, Any],
    open_page: Callable[..., CheckedPage],
    signed_in_key: Callable[[Any], str],
) -> None:
    from rosc.referrals import actions
    from rosc.referrals.models import Basis

    _service(organisation("org-b"), "Tenancy support", "tenancy support")
    referral = actions.referral_send(
        actor=loop["keyworker"],
        person=loop["person"],
        service=Service.objects.get(name="Supported housing"),
        need="A safe place to live.",
        sender_organisation=organisation("org-a"),
    )
    # No consent covers the community organisation: this one goes under an exception.
    exception = actions.referral_send(
        actor=loop["keyworker"],
        person=loop["person"],
        service=_service(organisation("community"), "Community café", "community cafe"),
        need="Somewhere safe to be in the evenings.",
        sender_organisation=organisation("org-a"),
        basis=Basis.SAFEGUARDING,
        exception_reason="Risk of harm at home tonight; could not ask them first.",
    )

    worker = open_page(session_key=signed_in_key(loop["housing_worker"]), javascript=javascript)
    worker.visit("/referrals/inbox/")
    worker.page.get_by_text("Filter by organisation or service").click()
    worker.page.get_by_label("Service", exact=True).select_option(label="Tenancy support")
    worker.submit(worker.page.get_by_role("button", name="Show referrals"))
    expect(worker.page.locator("main")).to_contain_text("There are no referrals here.")
    worker.visit(f"/referrals/{referral.pk}/")
    worker.submit(worker.page.get_by_role("link", name="Decline", exact=True))
    worker.submit(worker.page.get_by_role("button", name="Decline", exact=True))
    expect(worker.page.locator(".govuk-error-summary")).to_contain_text("Select why you are declining the referral.")
    assert Referral.objects.get(pk=referral.pk).state == State.RECEIVED

    ig = open_page(session_key=signed_in_key(make_persona("ig_lead")), javascript=javascript)
    ig.visit("/home/")
    ig.submit(ig.page.get_by_role("link", name="Referrals sent without consent, to review"))
    ig.submit(ig.page.get_by_role("link", name=exception.reference))
    expect(ig.page.locator("main")).not_to_contain_text("Robin Example")
    ig.submit(ig.page.get_by_role("button", name="Record the review"))
    expect(ig.page.locator(".govuk-error-summary")).to_contain_text("Say what the review found.")
    ig.page.get_by_label("What did the review find?").fill("Justified: the police were involved.")
    ig.submit(ig.page.get_by_role("button", name="Record the review"))
    expect(ig.page.locator(".govuk-notification-banner")).to_contain_text("Review of referral")
