"""Across areas: the mentor a coordinator matches becomes the person's peer mentor in the shared record, and
is the one told, with the keyworker, when a check-in after treatment raises an alert."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import make_persona, organisation
from rosc.continuing import actions as continuing
from rosc.continuing.tests.helpers import CALM, at, start_plan, token_from_outbox
from rosc.core.errors import ActionRefused
from rosc.core.models import Notification
from rosc.peers import actions as peers
from rosc.peers.models import MentorRequest
from rosc.peers.tests.helpers import coordinator, mentor
from rosc.record.categories import Category
from rosc.record.models import CareTeamMember, Person, TeamRole
from rosc.referrals.tests.helpers import consent_for

pytestmark = pytest.mark.django_db


def test_a_matched_mentor_is_told_when_a_check_in_asks_for_contact():
    keyworker = make_persona("keyworker_a")
    today = timezone.localdate()
    person = Person.objects.create(
        full_name="Robin Example", date_of_birth=date(1985, 4, 1), email="robin@example.com", area="Chelmsford"
    )
    CareTeamMember.objects.create(
        person=person,
        organisation=organisation("org-a"),
        role=TeamRole.KEYWORKER,
        worker=keyworker,
        started=today - timedelta(days=60),
    )
    consent_for(person, [organisation("org-a")], categories=list(Category))
    consent_for(person, [organisation("peers")], categories=[Category.CONTACT, Category.PLAN])
    waiting = MentorRequest.objects.create(
        person=person, organisation=organisation("peers"), area="Chelmsford", substances=["alcohol"]
    )
    lapsed = mentor("lapsed@example.com", capacity=3, expired_dbs=True)
    grace = mentor("grace@example.com", capacity=1)

    # A mentor whose DBS check has lapsed cannot be confirmed; one in date can.
    with pytest.raises(ActionRefused, match=r"(?i)dbs|check"):
        peers.match_confirm(actor=coordinator(), pairs=[(str(waiting.uuid), str(lapsed.uuid))])
    peers.match_confirm(actor=coordinator(), pairs=[(str(waiting.uuid), str(grace.uuid))])
    mentors = CareTeamMember.objects.active().filter(person=person, role=TeamRole.PEER_MENTOR)
    assert [member.worker for member in mentors] == [grace.user]

    # Treatment ends; the first weekly check-in asks for contact.
    discharged = today - timedelta(days=1)
    start_plan(person, started_on=discharged)
    week_one = discharged + timedelta(weeks=1)
    assert continuing.run_continuing_care(now=at(week_one)).sent == 1
    answered = continuing.check_in_answer(
        token=token_from_outbox(), answers={**CALM, "wants_contact": "yes"}, now=at(week_one, 18)
    )
    assert [alert.rule_code for alert in answered.alerts] == ["contact_me"]
    told = Notification.objects.filter(reason="continuing.alert")
    assert sorted(message.to for message in told) == sorted([keyworker.email, grace.user.email])
    assert not told.filter(to=lapsed.user.email).exists()
