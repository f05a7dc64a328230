"""Creating people, their care team and consents: who may, what is checked, and all-or-nothing writes."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conftest import organisation
from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent, OrganisationKind
from rosc.record import actions
from rosc.record.actions import ConsentTerms
from rosc.record.categories import Category
from rosc.record.models import CareTeamMember, Consent, ConsentKind, CreatedVia, Person, TeamRole
from rosc.record.tests.helpers import give_consent, make_person

pytestmark = pytest.mark.django_db


def terms(*orgs, **extra):
    values = {
        "kind": ConsentKind.CARE_COORDINATION,
        "categories": [Category.PLAN, Category.CONTACT],
        "expires_at": timezone.now() + timedelta(days=200),
        "given_how": "written",
        "organisations": orgs,
    }
    values.update(extra)
    return ConsentTerms(**values)


def test_a_practitioner_adds_a_person_to_their_organisations_care_team_with_consent(keyworker_a, org_a):
    person = actions.create_person(
        actor=keyworker_a,
        organisation=org_a,
        full_name=" Robin Example ",
        date_of_birth=date(1990, 1, 2),
        nhs_number="943 476 5919",
        email="Robin@Example.com",
        consent=terms(org_a),
    )
    assert person.full_name == "Robin Example"
    assert person.nhs_number == "9434765919"
    assert person.email == "robin@example.com"
    member = CareTeamMember.objects.get(person=person)
    assert (member.organisation, member.worker, member.role) == (org_a, keyworker_a, TeamRole.KEYWORKER)
    consent = Consent.objects.get(person=person)
    assert consent.recorded_by == keyworker_a
    assert consent.categories == ["contact", "plan"]
    created = AuditEvent.objects.get(action="record.person_created")
    assert "Robin" not in str(created.details)
    assert created.details["organisation_id"] == org_a.pk
    assert AuditEvent.objects.filter(action="record.consent_recorded").exists()


def test_a_practitioner_cannot_add_for_another_organisation_and_others_cannot_add_at_all(persona, org_b):
    for name in ("keyworker_a", "peer_mentor", "commissioner", "ig_lead", "person_in_recovery"):
        with pytest.raises(PermissionDenied):
            actions.create_person(actor=persona(name), organisation=org_b, full_name="Robin Example")
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"full_name": "  "}, "full_name", "Enter their full name."),
        ({"nhs_number": "9434765918"}, "nhs_number", "Enter a valid NHS number"),
        ({"date_of_birth": date(2999, 1, 1)}, "date_of_birth", "must be in the past"),
        ({"email": "not-an-email"}, "email", "right format"),
        ({"phone": "call me"}, "phone", "Enter a phone number"),
        ({"full_name": "x" * 201}, "full_name", "200 characters or fewer"),
    ],
)
def test_bad_details_are_refused_with_a_clear_message_and_nothing_saved(keyworker_a, org_a, fields, field, message):
    values = {"full_name": "Robin Example", **fields}
    with pytest.raises(ActionRefused) as refused:
        actions.create_person(actor=keyworker_a, organisation=org_a, consent=terms(org_a), **values)
    assert refused.value.field == field
    assert message in refused.value.message
    assert not Person.objects.exists()
    assert not Consent.objects.exists()


def test_a_second_record_with_the_same_nhs_number_is_refused(keyworker_a, org_a):
    actions.create_person(actor=keyworker_a, organisation=org_a, full_name="A", nhs_number="9434765919")
    with pytest.raises(ActionRefused, match="already has this NHS number"):
        actions.create_person(actor=keyworker_a, organisation=org_a, full_name="B", nhs_number="9434765919")
    assert Person.objects.count() == 1


def test_a_crash_part_way_leaves_no_half_written_person(keyworker_a, org_a):
    with (
        mock.patch("rosc.record.actions._create_consent", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        actions.create_person(actor=keyworker_a, organisation=org_a, full_name="Robin", consent=terms(org_a))
    assert not Person.objects.exists()
    assert not CareTeamMember.objects.exists()
    assert not AuditEvent.objects.filter(action="record.person_created").exists()


def test_the_front_door_creates_a_record_with_consent_given_online(org_a, person_in_recovery):
    person = actions.create_person(
        actor=person_in_recovery,
        organisation=org_a,
        full_name="Robin",
        created_via=CreatedVia.FRONT_DOOR,
        account=person_in_recovery,
        team_role=TeamRole.SERVICE,
        consent=terms(org_a, given_how="online"),
    )
    assert person.account == person_in_recovery
    assert person.created_by is None
    with pytest.raises(ActionRefused):
        actions.create_person(
            actor=None,
            organisation=org_a,
            full_name="Robin",
            created_via=CreatedVia.FRONT_DOOR,
            consent=terms(org_a, given_how="verbal"),
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"categories": []}, "categories"),
        ({"organisations": ()}, "organisations"),
        ({"expires_at": timezone.now() - timedelta(days=1)}, "expires_at"),
        ({"expires_at": timezone.now() + timedelta(days=4 * 365)}, "expires_at"),
        ({"given_how": "telepathy"}, "given_how"),
        ({"organisation_kinds": [OrganisationKind.COMMISSIONER]}, "organisations"),
        ({"kind": ConsentKind.SPECIFIC}, "recipient_description"),
    ],
)
def test_consent_terms_are_checked(keyworker_a, org_a, change, field):
    person = make_person(org_a)
    with pytest.raises(ActionRefused) as refused:
        actions.record_consent(actor=keyworker_a, person=person, terms=terms(org_a, **change))
    assert refused.value.field == field
    assert not Consent.objects.exists()


def test_a_care_team_worker_records_consent_again_after_it_lapsed(keyworker_a, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a], given_at=timezone.now() - timedelta(days=400), days=-1)
    consent = actions.record_consent(actor=keyworker_a, person=person, terms=terms(org_a))
    assert consent.is_live()


def test_a_worker_outside_the_care_team_cannot_record_consent(keyworker_b, org_a, org_b):
    person = make_person(org_a)
    with pytest.raises(PermissionDenied):
        actions.record_consent(actor=keyworker_b, person=person, terms=terms(org_b))


def test_a_purpose_specific_consent_names_someone_outside_and_opens_nothing(keyworker_a, org_a):
    person = make_person(org_a)
    consent = actions.record_consent(
        actor=keyworker_a,
        person=person,
        terms=terms(kind=ConsentKind.SPECIFIC, recipient_description="Their employer", purpose="Phased return"),
    )
    assert consent.kind == ConsentKind.SPECIFIC
    assert not consent.recipient_organisations.exists()
    from rosc.record.access import can_access

    assert not can_access(keyworker_a, person, Category.PLAN)


def test_withdrawing_twice_is_refused_and_audited_once(keyworker_a, org_a):
    person = make_person(org_a)
    consent = give_consent(person, organisations=[org_a])
    actions.withdraw_consent(actor=keyworker_a, consent=consent)
    with pytest.raises(ActionRefused, match="already been withdrawn"):
        actions.withdraw_consent(actor=keyworker_a, consent=consent)
    assert AuditEvent.objects.filter(action="record.consent_withdrawn").count() == 1


def test_only_the_person_the_care_team_or_an_administrator_may_withdraw(keyworker_b, person_in_recovery, org_a):
    person = make_person(org_a)
    consent = give_consent(person, organisations=[org_a])
    for actor in (keyworker_b, person_in_recovery):
        with pytest.raises(PermissionDenied):
            actions.withdraw_consent(actor=actor, consent=consent)
    person.account = person_in_recovery
    person.save()
    consent.refresh_from_db()
    actions.withdraw_consent(actor=person_in_recovery, consent=consent)


def test_care_team_rules(keyworker_a, keyworker_b, peer_mentor, org_a, org_b):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a])
    with pytest.raises(ActionRefused, match="Commissioners"):
        actions.add_to_care_team(
            actor=keyworker_a, person=person, role=TeamRole.SERVICE, organisation=organisation("commissioning")
        )
    with pytest.raises(ActionRefused, match="name"):
        actions.add_to_care_team(actor=keyworker_a, person=person, role=TeamRole.FAMILY)
    with pytest.raises(ActionRefused, match="not part of"):
        actions.add_to_care_team(
            actor=keyworker_a, person=person, role=TeamRole.PEER_MENTOR, organisation=org_b, worker=peer_mentor
        )
    family = actions.add_to_care_team(
        actor=keyworker_a, person=person, role=TeamRole.FAMILY, name="Jo", relationship="mother"
    )
    assert family.organisation is None
    with pytest.raises(PermissionDenied):
        actions.add_to_care_team(actor=keyworker_b, person=person, role=TeamRole.SERVICE, organisation=org_b)


def test_an_organisation_named_in_consent_may_join_the_team_itself(keyworker_b, org_a, org_b):
    person = make_person(org_a)
    give_consent(person, kinds=[OrganisationKind.HOUSING])
    member = actions.add_to_care_team(actor=keyworker_b, person=person, role=TeamRole.SERVICE, organisation=org_b)
    assert member.organisation == org_b


def test_ending_a_team_place_keeps_the_row(keyworker_a, org_a):
    person = make_person(org_a)
    member = actions.add_to_care_team(actor=keyworker_a, person=person, role=TeamRole.FAMILY, name="Jo")
    ended = actions.end_care_team_member(actor=keyworker_a, member=member)
    assert ended.ended == timezone.localdate()
    assert CareTeamMember.objects.filter(pk=member.pk).exists()


def test_break_glass_needs_a_real_reason_and_a_working_role(keyworker_a, peer_mentor, org_a, org_b):
    person = make_person(org_b)
    with pytest.raises(ActionRefused, match="safeguarding concern"):
        actions.break_glass(actor=keyworker_a, person=person, organisation=org_a, reason="because")
    with pytest.raises(ActionRefused):
        actions.break_glass(actor=keyworker_a, person=person, organisation=org_a, reason="x" * 30, hours=48)
    with pytest.raises(PermissionDenied):
        actions.break_glass(actor=keyworker_a, person=person, organisation=org_b, reason="x" * 30)
    with pytest.raises(PermissionDenied):
        actions.break_glass(actor=peer_mentor, person=person, organisation=organisation("peers"), reason="x" * 30)


def test_break_glass_tells_the_ig_lead_and_the_review_is_recorded_once(keyworker_a, ig_lead, org_a, org_b):
    from rosc.core.models import Notification

    person = make_person(org_b)
    emergency = actions.break_glass(
        actor=keyworker_a, person=person, organisation=org_a, reason="Worried about immediate risk of harm."
    )
    assert Notification.objects.filter(reason="break_glass_review", recipient=ig_lead).exists()
    with pytest.raises(ActionRefused, match="what will happen next"):
        actions.review_break_glass(actor=ig_lead, emergency=emergency, outcome="not_justified", note="")
    reviewed = actions.review_break_glass(actor=ig_lead, emergency=emergency, outcome="not_justified", note="Retrain.")
    assert reviewed.review == "not_justified"
    assert reviewed.expires_at <= timezone.now()
    with pytest.raises(ActionRefused, match="already been reviewed"):
        actions.review_break_glass(actor=ig_lead, emergency=emergency, outcome="justified", note="")
    with pytest.raises(PermissionDenied):
        actions.review_break_glass(actor=keyworker_a, emergency=emergency, outcome="justified", note="")
