"""Email and SMS: queued on commit, every attempt recorded, retried with back-off."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks import default_task_backend

from rosc.core import notifications
from rosc.core.models import Notification, NotificationAttempt, NotificationStatus
from rosc.core.notifications import backoff_for, notification_queue
from rosc.core.tasks import deliver_notification


@pytest.fixture(autouse=True)
def _clear_queue():
    default_task_backend.clear()
    notifications.sms_outbox.clear()


def test_it_enqueues_delivery_only_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notification_queue(channel="email", to="a@example.com", body="Hello", reason="test")
        assert default_task_backend.results == []
    assert len(callbacks) == 1
    [result] = default_task_backend.results
    assert result.args == [notification.pk]


def test_nothing_is_enqueued_when_the_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notification_queue(channel="email", to="a@example.com", body="Hello", reason="test")
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert default_task_backend.results == []
    assert not Notification.objects.exists()


def test_it_delivers_an_email_and_records_the_attempt(db):
    notification = notification_queue(
        channel="email", to="a@example.com", subject="New referral", body="Sign in to see it.", reason="test"
    )
    assert deliver_notification.call(notification.pk) == NotificationStatus.SENT
    assert mail.outbox[0].to == ["a@example.com"]
    assert mail.outbox[0].subject == "New referral"
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert list(notification.attempts.values_list("number", "succeeded")) == [(1, True)]


def test_it_sends_texts_through_the_sms_backend(db):
    notification = notification_queue(channel="sms", to="07700900123", body="Check in today", reason="test")
    deliver_notification.call(notification.pk)
    assert notifications.sms_outbox == [("07700900123", "Check in today")]


def test_a_failure_is_recorded_and_retried_later_with_back_off(db, monkeypatch):
    def failing_send(n):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "_send", failing_send)
    notification = notification_queue(channel="email", to="a@example.com", body="Hello", reason="test")
    before = timezone.now()
    assert deliver_notification.call(notification.pk) == NotificationStatus.RETRYING
    attempt = NotificationAttempt.objects.get(notification=notification)
    assert not attempt.succeeded
    assert attempt.error == "ConnectionRefusedError"
    [retry] = default_task_backend.results
    assert retry.args == [notification.pk]
    assert retry.task.run_after >= before + backoff_for(1) - timedelta(seconds=1)


def test_back_off_doubles_each_time():
    assert [backoff_for(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


@override_settings(ROSC_NOTIFY_MAX_ATTEMPTS=3)
def test_it_gives_up_after_the_last_attempt_and_says_so(db, monkeypatch):
    monkeypatch.setattr(notifications, "_send", lambda n: (_ for _ in ()).throw(TimeoutError()))
    notification = notification_queue(channel="email", to="a@example.com", body="Hello", reason="test")
    statuses = [deliver_notification.call(notification.pk) for _ in range(3)]
    assert statuses == [NotificationStatus.RETRYING, NotificationStatus.RETRYING, NotificationStatus.FAILED]
    assert notification.attempts.count() == 3
    assert deliver_notification.call(notification.pk) == NotificationStatus.FAILED
    assert notification.attempts.count() == 3


def test_a_recovered_backend_delivers_on_retry(db, monkeypatch):
    calls = []

    def flaky(n):
        calls.append(n)
        if len(calls) == 1:
            raise ConnectionResetError()

    monkeypatch.setattr(notifications, "_send", flaky)
    notification = notification_queue(channel="email", to="a@example.com", body="Hello", reason="test")
    deliver_notification.call(notification.pk)
    assert deliver_notification.call(notification.pk) == NotificationStatus.SENT
    assert list(notification.attempts.values_list("succeeded", flat=True)) == [False, True]


def test_it_refuses_an_unknown_channel(db):
    with pytest.raises(ValueError, match="Unknown channel"):
        notification_queue(channel="pigeon", to="x", body="y", reason="z")


def test_the_delivery_log_is_for_administrators(client, administrator, service_manager):
    from rosc.core.testing import sign_in

    notification_queue(channel="email", to="a@example.com", body="Hello", reason="membership_added")
    sign_in(client, administrator)
    response = client.get("/staff/notifications/")
    assert response.status_code == 200
    assert b"membership_added" in response.content
    assert b"a@example.com" not in response.content
    client.logout()
    sign_in(client, service_manager)
    assert client.get("/staff/notifications/").status_code == 403
