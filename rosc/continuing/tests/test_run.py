"""The scheduled run is idempotent: run twice, or again after a crash half-way, nothing is sent twice
and nothing is dropped."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import make_persona
from rosc.continuing import actions
from rosc.continuing.models import Alert, AlertEvent, CheckIn, CheckInLink, CheckInStatus, EventKind, Plan
from rosc.continuing.tests.helpers import at, person_in_care, start_plan
from rosc.core.models import Notification
from rosc.record.models import Person

pytestmark = pytest.mark.django_db


def plans(count, *, days_ago=7):
    made = []
    for n in range(count):
        person = person_in_care(email=f"p{n}@example.com")
        Person.objects.filter(pk=person.pk).update(full_name=f"Person {n}")
        made.append(start_plan(person, started_on=timezone.localdate() - timedelta(days=days_ago)))
    return made


def links_sent():
    return Notification.objects.filter(reason="continuing.check_in_link").count()


def test_running_twice_on_the_same_day_sends_each_check_in_once():
    plans(3)
    now = at(timezone.localdate())
    first = actions.run_continuing_care(now=now)
    second = actions.run_continuing_care(now=now + timedelta(hours=3))
    assert (first.created, first.sent) == (3, 3)
    assert (second.created, second.sent) == (0, 0)
    assert CheckIn.objects.count() == 3
    assert links_sent() == 3
    assert CheckInLink.objects.count() == 3
    assert set(Plan.objects.values_list("next_number", flat=True)) == {2}


def test_a_crash_half_way_loses_nothing_and_the_next_run_finishes_the_job():
    plans(5)
    now = at(timezone.localdate())
    real = actions._send_link
    calls = {"n": 0}

    def fails_on_the_fourth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    with mock.patch.object(actions, "_send_link", side_effect=fails_on_the_fourth), pytest.raises(RuntimeError):
        actions.run_continuing_care(now=now, batch_size=2)
    # The first two batches committed (with their messages); the third rolled back whole.
    assert CheckIn.objects.count() == 2
    assert links_sent() == 2
    result = actions.run_continuing_care(now=now + timedelta(minutes=5), batch_size=2)
    assert result.created == 3
    assert CheckIn.objects.count() == 5
    assert links_sent() == 5
    assert sorted(Notification.objects.values_list("to", flat=True)) == sorted(f"p{n}@example.com" for n in range(5))


def test_a_run_missed_for_days_still_sends_the_check_in_it_missed():
    plans(1, days_ago=9)  # due two days ago; nothing ran since
    result = actions.run_continuing_care(now=at(timezone.localdate()))
    assert result.created == 1
    assert CheckIn.objects.get().due_on == timezone.localdate() - timedelta(days=2)


def test_after_a_long_outage_only_the_latest_due_check_in_is_sent():
    plans(1, days_ago=22)  # check-ins 1, 2 and 3 are all due
    actions.run_continuing_care(now=at(timezone.localdate()))
    assert list(CheckIn.objects.values_list("number", flat=True)) == [3]
    assert Plan.objects.get().next_number == 4


def test_missed_check_ins_raise_one_alert_at_two_in_a_row_even_when_run_again():
    (plan,) = plans(1, days_ago=7)
    today = timezone.localdate()
    actions.run_continuing_care(now=at(today))
    assert actions.run_continuing_care(now=at(today + timedelta(days=7))).missed == 1
    assert Alert.objects.count() == 0
    result = actions.run_continuing_care(now=at(today + timedelta(days=14)))
    assert result.missed == 1
    assert result.missed_alerts == 1
    again = actions.run_continuing_care(now=at(today + timedelta(days=14), 15))
    assert again.missed == 0
    assert again.missed_alerts == 0
    alert = Alert.objects.get()
    assert alert.rule_code == "missed_in_a_row"
    assert alert.plan == plan
    assert CheckIn.objects.filter(status=CheckInStatus.MISSED).count() == 2
    # A third miss does not alert again; the run is already known.
    actions.run_continuing_care(now=at(today + timedelta(days=21)))
    assert Alert.objects.count() == 1


def test_escalation_after_a_crash_is_sent_once():
    manager = make_persona("service_manager")
    (plan,) = plans(1)
    actions.run_continuing_care(now=at(timezone.localdate()))
    check_in = CheckIn.objects.get()
    from rosc.continuing.tests.helpers import CALM, fresh_link

    alert = actions.check_in_answer(token=fresh_link(check_in), answers={**CALM, "wants_contact": "yes"}).alerts[0]
    later = timezone.now() + timedelta(days=3)
    with mock.patch.object(actions, "_tell_worker", side_effect=RuntimeError("mail down")), pytest.raises(RuntimeError):
        actions.escalate_alerts(now=later)
    alert.refresh_from_db()
    assert alert.escalated_at is None  # rolled back with the failure
    assert actions.escalate_alerts(now=later) == 1
    assert actions.escalate_alerts(now=later) == 0
    assert AlertEvent.objects.filter(alert=alert, kind=EventKind.NO_DUTY_WORKER).count() == 1
    escalations = Notification.objects.filter(reason="continuing.alert", to=manager.email)
    assert escalations.count() == 1
    assert plan.pk == alert.plan_id


def test_answering_twice_with_the_same_link_saves_once():
    plans(1)
    actions.run_continuing_care(now=at(timezone.localdate()))
    from rosc.continuing.tests.helpers import CALM, token_from_outbox

    token = token_from_outbox()
    actions.check_in_answer(token=token, answers={**CALM, "wants_contact": "yes"})
    with pytest.raises(actions.LinkUnusable) as refused:
        actions.check_in_answer(token=token, answers={**CALM, "wants_contact": "yes"})
    assert refused.value.reason == "answered"
    assert Alert.objects.count() == 1


def test_ended_and_paused_plans_get_nothing():
    first, second = plans(2)
    keyworker = make_persona("keyworker_a")
    actions.plan_pause(actor=keyworker, plan=first)
    actions.plan_end(actor=keyworker, plan=second)
    assert actions.run_continuing_care(now=at(timezone.localdate())).created == 0


def test_the_command_shows_progress_and_totals(capsys):
    plans(2)
    call_command("run_continuing_care")
    out = capsys.readouterr().out
    assert "check-ins created: 2/2" in out
    assert "Created 2 check-in(s)" in out


def test_erasing_a_record_deletes_its_continuing_care():
    from django.db import transaction

    from rosc.record.rights import erase_person_data

    (plan,) = plans(1)
    actions.run_continuing_care(now=at(timezone.localdate()))
    with transaction.atomic():
        erase_person_data(plan.person, actor=None, reason="retention")
    assert not Plan.objects.exists()
    assert not CheckIn.objects.exists()
    assert not CheckInLink.objects.exists()


def test_the_task_does_what_the_command_does():
    from rosc.continuing.tasks import run_continuing_care_task

    plans(1)
    assert run_continuing_care_task.call()["created"] == 1
    assert run_continuing_care_task.call()["created"] == 0
