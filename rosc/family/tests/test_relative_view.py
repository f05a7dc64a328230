"""A family member sees about their relative only what a live consent covers, checked on every read."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rosc.core.testing import sign_in
from rosc.family.tests.helpers import linked, person_with_account
from rosc.record.actions import withdraw_consent
from rosc.record.models import Consent, ConsentKind, Disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(person_in_recovery):
    return person_with_account(person_in_recovery)


def test_it_shows_only_the_categories_consented(client, person, family_member):
    link = linked(person, family_member, categories=("plan",))
    sign_in(client, family_member, with_mfa=False)
    response = client.get(reverse("family:relative", args=[person.uuid]))
    assert response.status_code == 200
    assert b"Find a flat near my mum" in response.content
    assert b"Fill in the housing form" in response.content
    assert b"Their referrals" not in response.content
    assert link.consent.kind == ConsentKind.SPECIFIC
    assert link.consent.categories == ["plan"]


def test_it_shows_referrals_only_when_they_are_shared(client, person, family_member):
    linked(person, family_member, categories=("referrals",))
    sign_in(client, family_member, with_mfa=False)
    response = client.get(reverse("family:relative", args=[person.uuid]))
    assert b"Their referrals" in response.content
    assert b"Find a flat near my mum" not in response.content


def test_each_view_is_written_to_the_persons_disclosure_log(client, person, family_member):
    link = linked(person, family_member, categories=("plan", "referrals"))
    sign_in(client, family_member, with_mfa=False)
    client.get(reverse("family:relative", args=[person.uuid]))
    rows = list(Disclosure.objects.filter(person=person).order_by("category"))
    assert [row.category for row in rows] == ["plan", "referrals"]
    assert all(row.viewer == family_member and row.consent_id == link.consent_id for row in rows)
    assert all(row.purpose == "Support from a family member" for row in rows)
    assert rows[0].recipient_description == "Jo (mum), family member"


def test_withdrawing_the_consent_removes_access_at_once(client, person, family_member, person_in_recovery):
    link = linked(person, family_member, categories=("plan",))
    sign_in(client, family_member, with_mfa=False)
    assert b"Find a flat" in client.get(reverse("family:relative", args=[person.uuid])).content
    withdraw_consent(actor=person_in_recovery, consent=link.consent)
    before = Disclosure.objects.count()
    response = client.get(reverse("family:relative", args=[person.uuid]))
    assert response.status_code == 200
    assert b"Find a flat" not in response.content
    assert b"is not sharing anything with you at the moment" in response.content
    assert Disclosure.objects.count() == before


def test_an_expired_consent_shows_nothing(client, person, family_member):
    link = linked(person, family_member, categories=("plan",))
    Consent.objects.filter(pk=link.consent_id).update(
        given_at=timezone.now() - timedelta(days=10), expires_at=timezone.now() - timedelta(seconds=1)
    )
    sign_in(client, family_member, with_mfa=False)
    response = client.get(reverse("family:relative", args=[person.uuid]))
    assert b"Find a flat" not in response.content
    assert b"is not sharing anything" in response.content
    assert not Disclosure.objects.filter(person=person).exists()


def test_stopping_from_the_share_page_withdraws_the_consent(client, person, family_member, person_in_recovery):
    link = linked(person, family_member, categories=("plan",))
    sign_in(client, person_in_recovery, with_mfa=False)
    response = client.post(reverse("family:share_stop", args=[link.uuid]))
    assert response.status_code == 302
    link.consent.refresh_from_db()
    assert link.consent.withdrawn_at is not None
    client.logout()
    sign_in(client, family_member, with_mfa=False)
    assert client.get(reverse("family:relative", args=[person.uuid])).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "community_member", "person_in_recovery"])
def test_anyone_without_a_link_gets_404(client, persona, person, family_member, who):
    linked(person, family_member)
    sign_in(client, persona(who), with_mfa=False)
    assert client.get(reverse("family:relative", args=[person.uuid])).status_code == 404


def test_a_family_member_without_a_link_gets_404_for_any_uuid(client, person, family_member):
    import uuid

    sign_in(client, family_member, with_mfa=False)
    assert client.get(reverse("family:relative", args=[person.uuid])).status_code == 404
    assert client.get(reverse("family:relative", args=[uuid.uuid4()])).status_code == 404
    assert not Disclosure.objects.exists()


def test_staff_are_refused_even_with_a_link(client, person, family_member, keyworker_a):
    linked(person, family_member)
    sign_in(client, keyworker_a)
    assert client.get(reverse("family:relative", args=[person.uuid])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, person):
    response = client.get(reverse("family:relative", args=[person.uuid]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_relative_view_runs_the_same_number_of_queries_whatever_the_plan_size(client, person, family_member):
    from rosc.record.models import Goal, GoalAction, LifeDomain

    linked(person, family_member, categories=("plan", "referrals"))
    sign_in(client, family_member, with_mfa=False)
    url = reverse("family:relative", args=[person.uuid])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a session also updates the session
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    owner = Goal.objects.filter(person=person).first().owner_organisation
    for number in range(30):
        goal = Goal.objects.create(
            person=person,
            domain=LifeDomain.MONEY_AND_WORK,
            in_own_words=f"Goal {number}",
            owner_organisation=owner,
            review_on=timezone.localdate() + timedelta(days=30),
        )
        GoalAction.objects.bulk_create([GoalAction(goal=goal, description=f"Step {i}") for i in range(3)])
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert b"Goal 29" in response.content
    assert len(large.captured_queries) == len(small.captured_queries)
