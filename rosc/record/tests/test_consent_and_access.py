"""consent_covers, can_access and person_for: the one door to a person's record."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import organisation
from rosc.core.models import AuditEvent, OrganisationKind
from rosc.record import actions
from rosc.record.access import access_grant, can_access, person_for, record_disclosure
from rosc.record.categories import Category
from rosc.record.consent import consent_covers
from rosc.record.models import BreakGlass, CareTeamMember, ConsentKind, Disclosure, TeamRole
from rosc.record.tests.helpers import give_consent, make_person

pytestmark = pytest.mark.django_db


def test_a_consent_naming_the_organisation_covers_its_categories_only(org_a):
    person = make_person(org_a)
    consent = give_consent(person, organisations=[org_a], categories=[Category.PLAN])
    assert consent_covers(person, org_a, Category.PLAN) == consent
    assert consent_covers(person, org_a, Category.NOTES) is None


def test_a_consent_naming_a_kind_of_organisation_covers_every_organisation_of_that_kind(org_a, org_b):
    person = make_person(org_a, org_b)
    consent = give_consent(person, kinds=[OrganisationKind.HOUSING], categories=[Category.CONTACT])
    assert consent_covers(person, org_b, Category.CONTACT) == consent
    assert consent_covers(person, org_a, Category.CONTACT) is None


def test_expired_withdrawn_future_and_purpose_specific_consents_cover_nothing(org_a):
    person = make_person(org_a)
    expired = give_consent(person, organisations=[org_a], given_at=timezone.now() - timedelta(days=400), days=-1)
    withdrawn = give_consent(person, organisations=[org_a], withdrawn_at=timezone.now())
    give_consent(person, organisations=[org_a], given_at=timezone.now() + timedelta(days=2))
    give_consent(person, organisations=[org_a], kind=ConsentKind.SPECIFIC, recipient_description="My employer")
    assert not expired.is_live()
    assert not withdrawn.is_live()
    assert consent_covers(person, org_a, Category.PLAN) is None


def test_the_newest_of_two_live_consents_is_the_one_that_covers(org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a], given_at=timezone.now() - timedelta(days=10))
    newer = give_consent(person, organisations=[org_a])
    assert consent_covers(person, org_a, Category.PLAN) == newer


def test_a_worker_sees_a_category_only_with_their_organisation_in_the_team_and_consent(keyworker_a, keyworker_b, org_a):
    person = make_person(org_a)
    assert not can_access(keyworker_a, person, Category.PLAN)
    give_consent(person, organisations=[org_a, organisation("org-b")], categories=[Category.PLAN])
    assert can_access(keyworker_a, person, Category.PLAN)
    assert not can_access(keyworker_a, person, Category.NOTES)
    # Consent names organisation B, but B is not in the care team.
    assert not can_access(keyworker_b, person, Category.PLAN)


def test_leaving_the_care_team_ends_access(keyworker_a, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a])
    CareTeamMember.objects.filter(person=person).update(ended=timezone.localdate() - timedelta(days=1))
    assert not can_access(keyworker_a, person, Category.PLAN)


def test_withdrawing_consent_removes_access_at_once(keyworker_a, org_a):
    person = make_person(org_a)
    consent = give_consent(person, organisations=[org_a])
    assert can_access(keyworker_a, person, Category.CONTACT)
    actions.withdraw_consent(actor=None, consent=consent)
    assert not can_access(keyworker_a, person, Category.CONTACT)
    with pytest.raises(Http404):
        person_for(keyworker_a, person.uuid, category=Category.CONTACT, purpose="care coordination")


def test_a_peer_mentor_sees_contact_and_plan_only_of_the_people_they_mentor(peer_mentor, persona):
    peers = organisation("peers")
    person = make_person()
    CareTeamMember.objects.create(person=person, organisation=peers, worker=peer_mentor, role=TeamRole.PEER_MENTOR)
    give_consent(person, organisations=[peers])
    assert can_access(peer_mentor, person, Category.PLAN)
    assert can_access(peer_mentor, person, Category.CONTACT)
    assert not can_access(peer_mentor, person, Category.NOTES)
    assert not can_access(peer_mentor, person, Category.OUTCOMES)
    other = make_person(peers, role=TeamRole.PEER_MENTOR)
    give_consent(other, organisations=[peers])
    assert not can_access(peer_mentor, other, Category.PLAN), "not their mentee"


def test_restricted_and_erased_records_are_closed_to_everyone(keyworker_a, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a])
    person.restricted_at = timezone.now()
    assert not can_access(keyworker_a, person, Category.PLAN)
    person.restricted_at = None
    person.erased_at = timezone.now()
    assert not can_access(keyworker_a, person, Category.PLAN)


def test_break_glass_opens_every_category_for_a_few_hours_to_that_worker_only(
    keyworker_a, service_manager, org_a, org_b
):
    person = make_person(org_b)
    emergency = actions.break_glass(
        actor=keyworker_a, person=person, organisation=org_a, reason="Worried they are at risk of harm tonight."
    )
    grant = access_grant(keyworker_a, person, Category.NOTES)
    assert grant is not None
    assert grant.break_glass == emergency
    assert not can_access(service_manager, person, Category.NOTES)
    later = timezone.now() + timedelta(hours=4, minutes=1)
    assert access_grant(keyworker_a, person, Category.NOTES, at=later) is None
    assert emergency.review == "pending"


def test_person_for_audits_the_read_and_logs_the_disclosure(keyworker_a, org_a):
    person = make_person(org_a)
    consent = give_consent(person, organisations=[org_a])
    found = person_for(keyworker_a, person.uuid, category=Category.PLAN, purpose="care coordination")
    assert found == person
    event = AuditEvent.objects.get(action="record.read")
    assert event.actor == keyworker_a
    assert event.purpose == "care coordination"
    assert event.details["categories"] == ["plan"]
    assert event.details["consent_ids"] == [consent.pk]
    disclosure = Disclosure.objects.get(person=person)
    assert (disclosure.viewer, disclosure.organisation, disclosure.category) == (keyworker_a, org_a, "plan")
    assert disclosure.consent == consent


def test_person_for_answers_404_alike_for_a_missing_and_a_forbidden_record(keyworker_b, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a])
    for person_id in (person.uuid, "not-a-uuid", "3f1f1b5e-0000-4000-8000-000000000000", person.pk):
        with pytest.raises(Http404):
            person_for(keyworker_b, person_id, category=Category.PLAN, purpose="care coordination")
    assert not AuditEvent.objects.filter(action="record.read").exists()
    assert not Disclosure.objects.exists()


def test_record_disclosure_needs_a_purpose(keyworker_a, org_a):
    person = make_person(org_a)
    with pytest.raises(ValueError, match="purpose"):
        record_disclosure(person, keyworker_a, org_a, Category.REFERRALS, "")
    entry = record_disclosure(person, keyworker_a, org_a, Category.REFERRALS, "referral sent")
    assert entry.viewer_label == str(keyworker_a)


def test_no_access_for_commissioners_researchers_ig_or_the_public(persona, org_a):
    person = make_person(org_a, organisation("commissioning"), organisation("community"), organisation("platform"))
    give_consent(person, organisations=[org_a], kinds=list(OrganisationKind.values))
    for name in ("commissioner", "community_researcher", "ig_lead", "administrator", "person_in_recovery", "outsider"):
        assert not any(can_access(persona(name), person, c) for c in Category), name
    assert not BreakGlass.objects.exists()
