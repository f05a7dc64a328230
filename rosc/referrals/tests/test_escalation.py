"""Overdue referrals: flagged once, the receiving service managers told once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from rosc.core.models import AuditEvent, Notification
from rosc.referrals import actions
from rosc.referrals.models import EventKind, Referral, ReferralEvent
from rosc.referrals.tasks import escalate_overdue_referrals
from rosc.referrals.tests.helpers import person_in_team, send, worker

pytestmark = pytest.mark.django_db


def overdue(referral, days=1):
    Referral.objects.filter(pk=referral.pk).update(respond_by=timezone.localdate() - timedelta(days=days))
    return Referral.objects.get(pk=referral.pk)


def test_an_overdue_referral_is_escalated_once_to_the_receiving_managers(keyworker_a):
    manager = worker("manager.b@example.com", "org-b", role="service_manager")
    referral = overdue(send(keyworker_a))
    Notification.objects.all().delete()

    out = StringIO()
    call_command("escalate_overdue_referrals", stdout=out)
    call_command("escalate_overdue_referrals", stdout=out)

    referral.refresh_from_db()
    assert referral.escalated_at is not None
    assert ReferralEvent.objects.filter(referral=referral, kind=EventKind.ESCALATED).count() == 1
    [message] = Notification.objects.filter(reason="referral_overdue")
    assert message.to == manager.email
    assert referral.reference in message.body
    assert referral.person.full_name not in message.body
    assert AuditEvent.objects.filter(action="referral.escalated", object_id=str(referral.pk)).count() == 1
    assert "Escalated 1 overdue referral(s)." in out.getvalue()
    assert "No overdue referrals to escalate." in out.getvalue()


def test_answered_and_not_yet_due_referrals_are_left_alone(keyworker_a, keyworker_b):
    due_today = send(keyworker_a)
    Referral.objects.filter(pk=due_today.pk).update(respond_by=timezone.localdate())
    answered = overdue(send(keyworker_a, person=person_in_team("org-a", consent_to=["org-b"], full_name="Sam")))
    actions.referral_receive(actor=keyworker_b, referral_id=answered.pk)
    actions.referral_accept(actor=keyworker_b, referral_id=answered.pk, seen_version=None)

    assert actions.referrals_escalate_overdue() == 0
    assert not Referral.objects.exclude(escalated_at=None).exists()


def test_a_received_but_unanswered_referral_still_counts(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    overdue(referral)
    assert actions.referrals_escalate_overdue() == 1


def test_many_overdue_referrals_go_in_batches_with_one_email_per_manager_per_batch(keyworker_a):
    manager = worker("manager.b@example.com", "org-b", role="service_manager")
    for n in range(5):
        overdue(send(keyworker_a, person=person_in_team("org-a", consent_to=["org-b"], full_name=f"P{n}")))
    Notification.objects.all().delete()
    progress = []
    assert actions.referrals_escalate_overdue(batch_size=2, progress=progress.append) == 5
    assert progress == [2, 4, 5]
    assert Notification.objects.filter(reason="referral_overdue", to=manager.email).count() == 3


def test_the_dry_run_changes_nothing(keyworker_a):
    overdue(send(keyworker_a))
    out = StringIO()
    call_command("escalate_overdue_referrals", "--dry-run", stdout=out)
    assert "1 overdue referral(s) would be escalated." in out.getvalue()
    assert not Referral.objects.exclude(escalated_at=None).exists()


def test_the_task_does_the_same(keyworker_a):
    overdue(send(keyworker_a))
    assert escalate_overdue_referrals.call() == 1
    assert escalate_overdue_referrals.call() == 0
