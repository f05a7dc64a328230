"""The real database task backend and its worker deliver a queued message."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from rosc.core.models import Notification, NotificationStatus

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "notifications"]}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_worker_delivers_a_message_queued_by_an_action():
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from rosc.core.notifications import notification_queue

    with transaction.atomic():
        notification = notification_queue(channel="email", to="a@example.com", body="Hello", reason="test")
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--interval", "0")

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert mail.outbox[-1].to == ["a@example.com"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Notification.objects.count() == 1
