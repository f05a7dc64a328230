"""record_measurement: who may record what, bad answers refused with nothing saved, audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent
from rosc.outcomes.actions import record_measurement
from rosc.outcomes.models import Measurement, Via
from rosc.outcomes.tests.helpers import BARC_47, ONS, person_in_care_of
from rosc.record.categories import Category
from rosc.record.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(org_a, person_in_recovery):
    return person_in_care_of(org_a, account=person_in_recovery)


def test_a_keyworker_in_the_care_team_with_consent_records_a_barc10(keyworker_a, person, org_a):
    measurement = record_measurement(
        actor=keyworker_a, instrument="barc10", answers=BARC_47, person=person, via=Via.PRACTITIONER
    )
    assert measurement.scores["total"] == 47
    assert measurement.scores["at_or_above_47"] is True
    assert measurement.version == "2017"
    assert measurement.organisation == org_a
    assert measurement.recorded_by == keyworker_a
    event = AuditEvent.objects.get(action="outcomes.measurement_recorded")
    assert event.details == {
        "instrument": "barc10",
        "via": "practitioner",
        "person_id": person.pk,
        "family_member_id": None,
        "organisation_id": org_a.pk,
    }


def test_a_keyworker_of_another_organisation_is_refused(keyworker_b, person):
    with pytest.raises(PermissionDenied):
        record_measurement(actor=keyworker_b, instrument="ons4", answers=ONS, person=person, via=Via.PRACTITIONER)
    assert not Measurement.objects.exists()


def test_consent_that_does_not_cover_outcomes_refuses_the_keyworker(keyworker_a, org_a):
    person = person_in_care_of(org_a, categories=[Category.CONTACT, Category.PLAN])
    with pytest.raises(PermissionDenied):
        record_measurement(actor=keyworker_a, instrument="ons4", answers=ONS, person=person, via=Via.PRACTITIONER)


def test_a_peer_mentor_cannot_record_as_a_practitioner(peer_mentor, person):
    with pytest.raises(PermissionDenied):
        record_measurement(actor=peer_mentor, instrument="ons4", answers=ONS, person=person, via=Via.PRACTITIONER)


def test_out_of_range_answers_are_refused_and_nothing_is_saved(keyworker_a, person):
    with pytest.raises(ActionRefused) as refused:
        record_measurement(
            actor=keyworker_a, instrument="ons4", answers={**ONS, "anxiety": 12}, person=person, via=Via.PRACTITIONER
        )
    assert refused.value.field == "anxiety"
    assert "from 0 to 10" in refused.value.message
    assert not Measurement.objects.exists()
    assert not AuditEvent.objects.filter(action="outcomes.measurement_recorded").exists()


def test_a_date_in_the_future_is_refused(keyworker_a, person):
    with pytest.raises(ActionRefused) as refused:
        record_measurement(
            actor=keyworker_a,
            instrument="ons4",
            answers=ONS,
            person=person,
            via=Via.PRACTITIONER,
            taken_at=timezone.localdate() + timedelta(days=2),
        )
    assert refused.value.field == "taken_at"


def test_a_top_needs_its_stage_and_stores_it(keyworker_a, person):
    with pytest.raises(ActionRefused):
        record_measurement(
            actor=keyworker_a, instrument="top", answers={"alcohol_days": 4}, person=person, via=Via.PRACTITIONER
        )
    measurement = record_measurement(
        actor=keyworker_a,
        instrument="top",
        answers={"stage": "review", "alcohol_days": 4, "risk_of_eviction": 1},
        person=person,
        via=Via.PRACTITIONER,
    )
    assert measurement.stage == "review"
    assert measurement.answers["risk_of_eviction"] is True


def test_the_person_fills_in_their_own_barc10_and_ons4(person_in_recovery, person):
    record_measurement(actor=person_in_recovery, instrument="ons4", answers=ONS, person=person, via=Via.SELF)
    record_measurement(actor=person_in_recovery, instrument="barc10", answers=BARC_47, person=person, via=Via.SELF)
    assert Measurement.objects.filter(person=person, via=Via.SELF).count() == 2


def test_the_person_cannot_fill_in_a_top_or_someone_elses_measures(person_in_recovery, person, org_a):
    with pytest.raises(ActionRefused):
        record_measurement(
            actor=person_in_recovery, instrument="top", answers={"stage": "start"}, person=person, via=Via.SELF
        )
    other = person_in_care_of(org_a, full_name="Someone Else")
    with pytest.raises(PermissionDenied):
        record_measurement(actor=person_in_recovery, instrument="ons4", answers=ONS, person=other, via=Via.SELF)


def test_only_a_check_in_may_be_recorded_without_a_signed_in_user(person):
    with pytest.raises(PermissionDenied):
        record_measurement(actor=None, instrument="ons4", answers=ONS, person=person, via=Via.SELF)
    measurement = record_measurement(actor=None, instrument="barc10", answers=BARC_47, person=person, via=Via.CHECK_IN)
    assert measurement.recorded_by is None
    assert AuditEvent.objects.get(action="outcomes.measurement_recorded").actor is None


def test_a_family_member_records_their_own_ons4_only(family_member, community_member):
    measurement = record_measurement(
        actor=family_member, instrument="ons4", answers=ONS, family_member=family_member, via=Via.FAMILY
    )
    assert measurement.person is None
    assert measurement.scores["anxiety"] == {"score": 4, "band": "medium"}
    with pytest.raises(ActionRefused):
        record_measurement(
            actor=family_member, instrument="barc10", answers=BARC_47, family_member=family_member, via=Via.FAMILY
        )
    with pytest.raises(PermissionDenied):
        record_measurement(
            actor=community_member, instrument="ons4", answers=ONS, family_member=family_member, via=Via.FAMILY
        )
    check_in = record_measurement(
        actor=None, instrument="ons4", answers=ONS, family_member=family_member, via=Via.CHECK_IN
    )
    assert check_in.family_member == family_member


def test_a_measurement_is_about_exactly_one_subject(keyworker_a, person, family_member):
    with pytest.raises(ValueError, match="one person or one family member"):
        record_measurement(actor=keyworker_a, instrument="ons4", answers=ONS, via=Via.PRACTITIONER)
    with pytest.raises(ValueError, match="one person or one family member"):
        record_measurement(
            actor=keyworker_a,
            instrument="ons4",
            answers=ONS,
            person=person,
            family_member=family_member,
            via=Via.PRACTITIONER,
        )


def test_a_restricted_record_takes_no_new_measures(keyworker_a, person):
    Person.objects.filter(pk=person.pk).update(restricted_at=timezone.now())
    person.refresh_from_db()
    with pytest.raises(PermissionDenied):
        record_measurement(actor=keyworker_a, instrument="ons4", answers=ONS, person=person, via=Via.PRACTITIONER)


def test_erasing_a_record_deletes_its_measurements(keyworker_a, person, administrator):
    from django.db import transaction

    from rosc.record.actions import person_erased

    record_measurement(actor=keyworker_a, instrument="ons4", answers=ONS, person=person, via=Via.PRACTITIONER)
    with transaction.atomic():
        person_erased.send(sender=Person, person=person, actor=administrator)
    assert not Measurement.objects.filter(person=person).exists()
    assert AuditEvent.objects.filter(action="outcomes.person_erased").exists()
