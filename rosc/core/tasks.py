"""Background tasks of the core app (run by the task worker)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from rosc.core.notifications import notification_deliver


@task(queue_name="notifications")
def deliver_notification(notification_id: int) -> str:
    status, retry_in = notification_deliver(notification_id)
    if retry_in is not None:
        deliver_notification.using(run_after=timezone.now() + retry_in).enqueue(notification_id)
    return status
