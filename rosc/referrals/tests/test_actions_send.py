"""Sending a referral: consent, exceptions, who may send, and what it records."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings

from conftest import organisation
from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent, Notification
from rosc.directory.models import ServiceStatus
from rosc.record.models import Disclosure, DisclosureHow
from rosc.referrals import actions
from rosc.referrals.models import Basis, EventKind, Referral, Source, State
from rosc.referrals.tests.helpers import person_in_team, send, service_in, worker

pytestmark = pytest.mark.django_db


def test_a_keyworker_sends_a_referral_covered_by_consent(keyworker_a):
    referral = send(keyworker_a)

    assert referral.state == State.SENT
    assert referral.version == 1
    assert referral.basis == Basis.CONSENT
    assert referral.consent is not None
    assert referral.receiving_organisation == organisation("org-b")
    assert referral.sender == keyworker_a
    assert not referral.ig_review_needed
    assert [e.kind for e in referral.events.all()] == [EventKind.SENT]
    event = AuditEvent.objects.get(action="referral.sent")
    assert event.object_id == str(referral.pk)
    assert event.details["basis"] == "consent"
    assert "detox" not in str(event.details)


def test_sending_writes_the_share_in_the_persons_disclosure_log(keyworker_a):
    referral = send(keyworker_a)
    shared = Disclosure.objects.get(person=referral.person)
    assert shared.how == DisclosureHow.SHARED
    assert shared.organisation == organisation("org-b")
    assert shared.consent == referral.consent


@override_settings(ROSC_REFERRAL_RESPONSE_WORKING_DAYS=2)
def test_the_answer_is_due_two_working_days_later(keyworker_a, monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    friday = datetime(2026, 12, 24, 15, 0, tzinfo=ZoneInfo("Europe/London"))  # Thursday before Christmas
    monkeypatch.setattr(timezone, "now", lambda: friday)
    referral = send(keyworker_a)
    assert referral.respond_by == date(2026, 12, 30)


def test_without_consent_it_is_refused_with_a_clear_message(keyworker_a):
    person = person_in_team("org-a")  # consent covers org-a only
    with pytest.raises(ActionRefused) as refused:
        send(keyworker_a, person=person)
    assert refused.value.field == "basis"
    assert "has not agreed to referrals being shared with Organisation B Housing" in refused.value.message
    assert not Referral.objects.exists()
    assert not Notification.objects.exists()


def test_a_safeguarding_exception_needs_a_reason_and_is_flagged_for_review(keyworker_a, ig_lead):
    person = person_in_team("org-a")
    with pytest.raises(ActionRefused) as refused:
        send(keyworker_a, person=person, basis=Basis.SAFEGUARDING, exception_reason="risk")
    assert refused.value.field == "exception_reason"

    referral = send(
        keyworker_a,
        person=person,
        basis=Basis.SAFEGUARDING,
        exception_reason="Immediate risk of harm at home; cannot reach them to ask.",
    )
    assert referral.basis == Basis.SAFEGUARDING
    assert referral.consent is None
    assert referral.ig_review_needed
    assert Notification.objects.filter(reason="referral_exception", to=ig_lead.email).exists()
    assert Disclosure.objects.get(person=person).purpose == "referral sent without consent (safeguarding)"


def test_a_consent_in_place_wins_over_an_exception(keyworker_a):
    referral = send(keyworker_a, basis=Basis.VITAL_INTERESTS, exception_reason="Not needed at all here, really.")
    assert referral.basis == Basis.CONSENT
    assert referral.exception_reason == ""
    assert not referral.ig_review_needed


def test_a_self_referral_needs_consent_and_has_no_sender_organisation():
    person = person_in_team(consent_to=["org-b"])
    service = service_in("org-b")
    referral = actions.referral_send(
        actor=None, person=person, service=service, need="I want help with housing.", sender_organisation=None
    )
    assert referral.source == Source.SELF
    assert referral.sender_organisation is None
    assert referral.sender_name == "The person themselves"

    no_consent = person_in_team()
    with pytest.raises(ActionRefused, match="has not agreed"):
        actions.referral_send(
            actor=None,
            person=no_consent,
            service=service,
            need="I want help.",
            sender_organisation=None,
            basis=Basis.SAFEGUARDING,
            exception_reason="Self-referrals can never use an exception.",
        )


def test_someone_outside_the_care_team_cannot_refer(keyworker_b):
    person = person_in_team("org-a", consent_to=["org-b"])
    service = service_in("org-b")
    with pytest.raises(Http404):
        actions.referral_send(
            actor=keyworker_b, person=person, service=service, need="Help.", sender_organisation=organisation("org-b")
        )


def test_it_refuses_to_send_from_an_organisation_the_actor_does_not_work_for(keyworker_a):
    with pytest.raises(PermissionDenied):
        send(keyworker_a, sender_organisation=organisation("org-b"))


@pytest.mark.parametrize("persona_name", ["peer_mentor", "commissioner", "ig_lead", "person_in_recovery"])
def test_people_without_the_capability_cannot_send(persona, persona_name):
    with pytest.raises(PermissionDenied):
        send(persona(persona_name))


def test_a_closed_service_takes_no_referrals(keyworker_a):
    service = service_in("org-b", status=ServiceStatus.TEMPORARILY_CLOSED)
    with pytest.raises(ActionRefused, match="not taking referrals at the moment"):
        send(keyworker_a, service=service)


def test_a_second_open_referral_to_the_same_service_is_refused(keyworker_a):
    first = send(keyworker_a)
    with pytest.raises(ActionRefused, match="already an open referral"):
        send(keyworker_a, person=first.person, service=first.service)


@pytest.mark.parametrize(("need", "message"), [("   ", "Enter what help"), ("x" * 2001, "2000 characters or fewer")])
def test_the_need_must_be_given_and_not_too_long(keyworker_a, need, message):
    with pytest.raises(ActionRefused, match=message):
        send(keyworker_a, need=need)
    assert not Referral.objects.exists()


def test_the_person_is_told_only_by_the_ways_they_chose(keyworker_a):
    person = person_in_team("org-a", consent_to=["org-b"], email="robin@example.com", phone="07700 900 982")
    send(keyworker_a, person=person, tell_person_by_sms=True)
    person_messages = Notification.objects.filter(reason="referral_update_person")
    assert [(n.channel, n.to) for n in person_messages] == [("sms", "07700 900 982")]
    assert "Housing" not in person_messages[0].body


def test_it_refuses_a_way_of_telling_the_person_their_record_cannot_reach(keyworker_a):
    with pytest.raises(ActionRefused, match="no email address"):
        send(keyworker_a, tell_person_by_email=True)


def test_the_receiving_service_is_told_at_its_own_address_without_the_persons_name(keyworker_a):
    service = service_in("org-b", "Housing advice", email="referrals@housing.example")
    referral = send(keyworker_a, service=service)
    message = Notification.objects.get(reason="referral_received")
    assert message.to == "referrals@housing.example"
    assert referral.reference in message.body
    assert referral.person.full_name not in message.body


def test_without_a_service_address_the_managers_of_the_receiving_organisation_are_told(keyworker_a):
    manager = worker("boss@housing.example", "org-b", role="service_manager")
    send(keyworker_a)
    assert list(Notification.objects.filter(reason="referral_received").values_list("to", flat=True)) == [manager.email]


def test_only_the_person_themselves_can_make_a_self_referral(keyworker_a, person_in_recovery):
    person = person_in_team(consent_to=["org-b"], account=person_in_recovery)
    service = service_in("org-b")
    with pytest.raises(PermissionDenied):
        actions.referral_send(actor=keyworker_a, person=person, service=service, need="Help.", sender_organisation=None)
    referral = actions.referral_send(
        actor=person_in_recovery, person=person, service=service, need="Help.", sender_organisation=None
    )
    assert referral.sender == person_in_recovery
    assert referral.source == Source.SELF
