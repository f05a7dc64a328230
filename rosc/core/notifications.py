"""One interface for email and text messages.

``notification_queue`` stores the message and enqueues delivery when the
surrounding transaction commits. Delivery runs in the task worker, records
every attempt and retries with exponential back-off. Email goes through
Django's email backend; SMS through the GOV.UK Notify client (or the
console in development). Message bodies must not carry sensitive detail.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from rosc.core.models import Channel, Notification, NotificationAttempt, NotificationStatus, User

log = logging.getLogger(__name__)

# Test and development outbox for the "memory" SMS backend.
sms_outbox: list[tuple[str, str]] = []


class SmsSender(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class ConsoleSms:
    def send(self, *, to: str, body: str) -> None:
        print(f"[sms to {to[:4]}…] {body}", flush=True)  # noqa: T201 - the development SMS backend is the console


class MemorySms:
    def send(self, *, to: str, body: str) -> None:
        sms_outbox.append((to, body))


class NotifySms:
    def send(self, *, to: str, body: str) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
        client.send_sms_notification(
            phone_number=to, template_id=settings.NOTIFY_SMS_TEMPLATE_ID, personalisation={"body": body}
        )


SMS_BACKENDS: dict[str, type[ConsoleSms] | type[MemorySms] | type[NotifySms]] = {
    "console": ConsoleSms,
    "memory": MemorySms,
    "notify": NotifySms,
}


def sms_sender() -> SmsSender:
    return SMS_BACKENDS[settings.ROSC_SMS_BACKEND]()


def notification_queue(
    *, channel: str, to: str, body: str, reason: str, subject: str = "", recipient: User | None = None
) -> Notification:
    """Store a message and deliver it once the current transaction commits."""
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}.")
    notification = Notification.objects.create(
        channel=channel, to=to, subject=subject, body=body, reason=reason, recipient=recipient
    )

    def enqueue() -> None:
        from rosc.core.tasks import deliver_notification

        deliver_notification.enqueue(notification.pk)

    # Robust: the change that queued the message is already committed, so a task
    # queue that is down must not turn it into an error page. The message stays
    # "queued" in the delivery log, where an administrator can see it.
    transaction.on_commit(enqueue, robust=True)
    return notification


def backoff_for(attempt_number: int) -> timedelta:
    """30 s, 60 s, 120 s, ... between attempts (base from settings)."""
    return timedelta(seconds=settings.ROSC_NOTIFY_BACKOFF_SECONDS * 2 ** (attempt_number - 1))


def _send(notification: Notification) -> None:
    if notification.channel == Channel.EMAIL:
        send_mail(
            notification.subject or "A message from Open ROSC",
            notification.body,
            None,
            [notification.to],
            fail_silently=False,
        )
    else:
        sms_sender().send(to=notification.to, body=notification.body)


def notification_deliver(notification_id: int) -> tuple[str, timedelta | None]:
    """Try once. Returns the new status and, when a retry is due, the delay.

    The send happens outside any transaction so that a slow mail server never
    holds a database lock; each task runs once, so a message is not sent twice.
    """
    notification = Notification.objects.get(pk=notification_id)
    if notification.status in (NotificationStatus.SENT, NotificationStatus.FAILED):
        return notification.status, None
    number = notification.attempts.count() + 1
    error = ""
    try:
        _send(notification)
    except Exception as exc:  # every failure is recorded, whatever the backend raised
        error = type(exc).__name__[:300]
        log.warning("notification %s attempt %s failed: %s", notification.pk, number, error)
    retry_in: timedelta | None = None
    with transaction.atomic():
        NotificationAttempt.objects.create(notification=notification, number=number, succeeded=not error, error=error)
        if not error:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            notification.save(update_fields=["status", "sent_at"])
        elif number >= settings.ROSC_NOTIFY_MAX_ATTEMPTS:
            notification.status = NotificationStatus.FAILED
            notification.save(update_fields=["status"])
        else:
            notification.status = NotificationStatus.RETRYING
            notification.save(update_fields=["status"])
            retry_in = backoff_for(number)
    return notification.status, retry_in
