"""The whole way through: discharge, weekly check-ins, a risky answer, an alert to the mentor and
keyworker, nobody picks it up, escalation to the duty worker, picked up, contact made, outcome."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_persona, organisation
from rosc.continuing import actions
from rosc.continuing.models import Alert, AlertEvent, AlertStatus, CheckIn, CheckInStatus, EventKind, PlanStatus
from rosc.continuing.tests.helpers import CALM, at, person_in_care, start_plan, token_from_outbox, worker
from rosc.core.models import AuditEvent, Notification, Role

pytestmark = pytest.mark.django_db


def test_discharge_to_outcome_with_escalation_to_the_duty_worker():
    keyworker = make_persona("keyworker_a")
    mentor = make_persona("peer_mentor")
    manager = make_persona("service_manager")
    duty = worker("duty@example.com", "org-a")
    actions.service_settings_update(
        actor=manager,
        organisation=organisation("org-a"),
        weekly_weeks=12,
        monthly_until_month=12,
        quarterly_until_month=24,
        link_days=5,
        ack_hours={"urgent": 2, "high": 24, "routine": 48},
        duty_worker=duty,
        rule_parameters={},
    )
    person = person_in_care()
    discharged = timezone.localdate() - timedelta(days=1)

    # 1. The keyworker records the discharge: the plan starts with the service's schedule.
    plan = start_plan(person, started_on=discharged, discharge_reason="completed_drug_free")
    assert plan.status == PlanStatus.ACTIVE
    assert plan.link_days == 5
    assert plan.next_due_on == discharged + timedelta(weeks=1)

    # 2. Weeks 1 and 2: the daily run sends a link; the person answers calmly.
    for week in (1, 2):
        day = discharged + timedelta(weeks=week)
        result = actions.run_continuing_care(now=at(day))
        assert result.created == 1
        assert result.sent == 1
        answered = actions.check_in_answer(token=token_from_outbox(), answers=CALM, now=at(day, 18))
        assert answered.alerts == []
    # 3. Week 3: risky situations, and drug use after two clean weeks.
    day3 = discharged + timedelta(weeks=3)
    actions.run_continuing_care(now=at(day3))
    risky = {**CALM, "risky_days": "5", "drug_days": "1"}
    answered = actions.check_in_answer(token=token_from_outbox(), answers=risky, now=at(day3, 18))
    assert {a.rule_code for a in answered.alerts} == {"risky_situations", "use_after_abstinence"}
    alert = next(a for a in answered.alerts if a.rule_code == "use_after_abstinence")
    assert alert.severity == "high"
    assert alert.acknowledge_by == at(day3, 18) + timedelta(hours=24)

    # The mentor and the keyworker are told, with no detail in the message.
    told = Notification.objects.filter(reason="continuing.alert")
    assert {n.to for n in told} == {keyworker.email, mentor.email}
    for message in told:
        assert "drug" not in message.body.lower()
        assert person.full_name not in message.body
        assert str(alert.uuid) in message.body  # the most severe of the check-in's alerts
    assert told.count() == 2

    # 4. Nobody picks it up: before the deadline nothing escalates; after it, the duty worker is told once.
    assert actions.run_continuing_care(now=at(day3, 18) + timedelta(hours=23)).escalated == 0
    later = at(day3, 18) + timedelta(hours=25)
    assert actions.run_continuing_care(now=later).escalated == 1  # the routine one waits 48 hours
    assert actions.run_continuing_care(now=later).escalated == 0
    alert.refresh_from_db()
    assert alert.escalated_to == duty
    assert alert.escalated_at == later
    assert Notification.objects.filter(reason="continuing.alert", to=duty.email).count() == 1

    # 5. The duty worker picks it up, records the call and the outcome.
    actions.alert_acknowledge(actor=duty, alert=alert, now=later + timedelta(minutes=30))
    actions.alert_record_contact(
        actor=duty,
        alert=alert,
        how="phone",
        happened_at=later + timedelta(minutes=40),
        note="Talked for twenty minutes.",
        now=later + timedelta(minutes=45),
    )
    actions.alert_record_outcome(actor=duty, alert=alert, outcome="more_support", now=later + timedelta(hours=1))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
    assert alert.acknowledged_by == duty

    history = [(e.kind, e.at) for e in AlertEvent.objects.filter(alert=alert)]
    assert [k for k, _ in history] == [
        EventKind.RAISED,
        EventKind.NOTIFIED,
        EventKind.NOTIFIED,
        EventKind.ESCALATED,
        EventKind.ACKNOWLEDGED,
        EventKind.CONTACT,
        EventKind.OUTCOME,
    ]
    assert [t for _, t in history] == sorted(t for _, t in history)
    contact = AlertEvent.objects.get(alert=alert, kind=EventKind.CONTACT)
    assert contact.by == duty
    assert contact.contact_how == "phone"
    assert contact.happened_at == later + timedelta(minutes=40)
    assert AuditEvent.objects.filter(action="continuing.alert_outcome", actor=duty).exists()
    assert CheckIn.objects.filter(plan=plan, status=CheckInStatus.ANSWERED).count() == 3


def test_a_picked_up_alert_does_not_escalate():
    person = person_in_care()
    plan = start_plan(person, started_on=timezone.localdate() - timedelta(days=7))
    actions.run_continuing_care(now=at(timezone.localdate()))
    answered = actions.check_in_answer(token=token_from_outbox(), answers={**CALM, "wants_contact": "yes"})
    alert = answered.alerts[0]
    actions.alert_acknowledge(actor=make_persona("peer_mentor"), alert=alert)
    assert actions.run_continuing_care(now=timezone.now() + timedelta(days=5)).escalated == 0
    assert Alert.objects.get(pk=alert.pk).escalated_at is None
    assert plan.pk == alert.plan_id


def test_with_no_duty_worker_the_service_managers_are_told_and_the_history_says_so():
    manager = make_persona("service_manager")
    person = person_in_care()
    start_plan(person, started_on=timezone.localdate() - timedelta(days=7))
    actions.run_continuing_care(now=at(timezone.localdate()))
    alert = actions.check_in_answer(token=token_from_outbox(), answers={**CALM, "wants_contact": "yes"}).alerts[0]
    actions.run_continuing_care(now=timezone.now() + timedelta(days=2))
    assert AlertEvent.objects.filter(alert=alert, kind=EventKind.NO_DUTY_WORKER).count() == 1
    assert Notification.objects.filter(reason="continuing.alert", to=manager.email).count() == 1


def test_a_duty_worker_who_left_the_service_is_not_used():
    manager = make_persona("service_manager")
    duty = worker("duty@example.com", "org-a", Role.PRACTITIONER)
    from rosc.continuing.models import ServiceSettings

    ServiceSettings.objects.create(organisation=organisation("org-a"), duty_worker=duty)
    duty.memberships.all().delete() if hasattr(duty, "memberships") else None
    from rosc.core.models import Membership

    Membership.objects.filter(user=duty).delete()
    person = person_in_care()
    start_plan(person, started_on=timezone.localdate() - timedelta(days=7))
    actions.run_continuing_care(now=at(timezone.localdate()))
    alert = actions.check_in_answer(token=token_from_outbox(), answers={**CALM, "wants_contact": "yes"}).alerts[0]
    actions.run_continuing_care(now=timezone.now() + timedelta(days=2))
    alert.refresh_from_db()
    assert alert.escalated_to is None
    assert Notification.objects.filter(reason="continuing.alert", to=manager.email).exists()
