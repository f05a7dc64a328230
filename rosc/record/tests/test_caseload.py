"""The caseload: who shows, what it says, what it logs, and a constant number of queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import organisation
from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.record.categories import Category
from rosc.record.models import (
    CATEGORY_FIELDS,
    CareTeamMember,
    Consent,
    ConsentGivenHow,
    ConsentKind,
    Disclosure,
    Goal,
    Person,
    TeamRole,
)
from rosc.record.selectors import caseload_for
from rosc.record.tests.helpers import give_consent, make_person

pytestmark = pytest.mark.django_db


def bulk_caseload(organisation_, count: int, *, start: int = 0) -> list[Person]:
    """``count`` people in the organisation's care team, with consent and a goal each, in a few queries."""
    people = Person.objects.bulk_create(
        [Person(full_name=f"Person {start + i:04d}", date_of_birth=date(1980, 1, 1)) for i in range(count)]
    )
    today = timezone.localdate()
    CareTeamMember.objects.bulk_create(
        [CareTeamMember(person=p, organisation=organisation_, role=TeamRole.KEYWORKER, started=today) for p in people]
    )
    now = timezone.now()
    consents = Consent.objects.bulk_create(
        [
            Consent(
                person=p,
                kind=ConsentKind.CARE_COORDINATION,
                given_how=ConsentGivenHow.VERBAL,
                given_at=now - timedelta(days=1),
                expires_at=now + timedelta(days=300),
                **{field: True for field in CATEGORY_FIELDS.values()},
            )
            for p in people
        ]
    )
    Consent.recipient_organisations.through.objects.bulk_create(
        [Consent.recipient_organisations.through(consent_id=c.pk, organisation_id=organisation_.pk) for c in consents]
    )
    Goal.objects.bulk_create(
        [
            Goal(
                person=p,
                domain="housing",
                in_own_words="A home",
                owner_organisation=organisation_,
                review_on=today + timedelta(days=i % 30),
            )
            for i, p in enumerate(people)
        ]
    )
    return people


def test_it_lists_people_it_may_see_with_their_next_review(keyworker_a, org_a, org_b):
    visible = make_person(org_a, full_name="Visible Person")
    give_consent(visible, organisations=[org_a])
    Goal.objects.create(
        person=visible, domain="housing", in_own_words="x", owner_organisation=org_a, review_on=date(2030, 1, 5)
    )
    Goal.objects.create(
        person=visible,
        domain="legal",
        in_own_words="y",
        owner_organisation=org_a,
        review_on=date(2030, 1, 2),
        status="achieved",
    )
    elsewhere = make_person(org_b, full_name="Someone Else")
    give_consent(elsewhere, organisations=[org_b])
    rows = caseload_for(keyworker_a).rows
    assert [row.person.full_name for row in rows] == ["Visible Person"]
    assert rows[0].next_review == date(2030, 1, 5), "achieved goals do not count"


def test_people_without_live_consent_show_by_name_only_to_renew_it(client, keyworker_a, org_a):
    lapsed = make_person(org_a, full_name="Lapsed Consent", area="Harlow")
    give_consent(lapsed, organisations=[org_a], given_at=timezone.now() - timedelta(days=400), days=-1)
    loaded = caseload_for(keyworker_a)
    assert loaded.without_consent == 1
    assert loaded.rows[0].needs_consent
    sign_in(client, keyworker_a)
    page = client.get(reverse("record:caseload")).content.decode()
    assert "Lapsed Consent" in page
    assert "Consent needed" in page
    assert "Harlow" not in page
    assert reverse("record:team", kwargs={"person_id": lapsed.uuid}) in page


def test_a_peer_mentor_sees_only_the_people_they_mentor(peer_mentor):
    peers = organisation("peers")
    mine = make_person(full_name="My Mentee")
    CareTeamMember.objects.create(person=mine, organisation=peers, worker=peer_mentor, role=TeamRole.PEER_MENTOR)
    give_consent(mine, organisations=[peers], categories=[Category.PLAN])
    theirs = make_person(peers, full_name="Not Mine")
    give_consent(theirs, organisations=[peers])
    assert [row.person.full_name for row in caseload_for(peer_mentor).rows] == ["My Mentee"]


def test_the_page_logs_each_person_shown_once_a_day(client, keyworker_a, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a])
    sign_in(client, keyworker_a)
    client.get(reverse("record:caseload"))
    client.get(reverse("record:caseload"))
    assert Disclosure.objects.filter(person=person, purpose="caseload list").count() == 1
    assert AuditEvent.objects.filter(action="record.caseload_read").count() == 2


def test_search_narrows_by_name(client, keyworker_a, org_a):
    for name in ("Alex Smith", "Jordan Jones"):
        give_consent(make_person(org_a, full_name=name), organisations=[org_a])
    sign_in(client, keyworker_a)
    page = client.get(reverse("record:caseload"), {"q": "jones"}).content.decode()
    assert "Jordan Jones" in page
    assert "Alex Smith" not in page


def test_it_refuses_people_who_do_not_work_with_records(client, persona):
    for name in ("commissioner", "community_researcher", "ig_lead", "person_in_recovery"):
        user = persona(name)
        sign_in(client, user, with_mfa=name != "person_in_recovery")
        assert client.get(reverse("record:caseload")).status_code == 403, name


def test_the_caseload_page_takes_the_same_number_of_queries_for_5_and_500_people(
    client, keyworker_a, org_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, keyworker_a)
    client.get(reverse("record:caseload"))  # the session settles on a first visit
    bulk_caseload(org_a, 5)
    with CaptureQueriesContext(connection) as small:
        assert "5 people" in client.get(reverse("record:caseload")).content.decode()
    bulk_caseload(org_a, 495, start=5)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("record:caseload"))
    assert "500 people" in response.content.decode()
