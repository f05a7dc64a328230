"""A gentle monthly reminder to family members who asked for one: at most one email in
``REMINDER_DAYS`` days, and none while their last check-in is more recent than that."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from rosc.core.notifications import notification_queue
from rosc.family.models import FamilyPreference

REASON = "family.checkin_reminder"
REMINDER_DAYS = 28


@dataclass(frozen=True)
class ReminderResult:
    due: int
    sent: int


def preferences_due(now: datetime | None = None) -> list[FamilyPreference]:
    from rosc.outcomes.models import Measurement

    moment = now or timezone.now()
    cutoff = moment - timedelta(days=REMINDER_DAYS)
    recent = Measurement.objects.filter(family_member_id=OuterRef("user_id"), instrument="ons4", taken_at__gt=cutoff)
    return list(
        FamilyPreference.objects.filter(monthly_reminder=True, user__is_active=True)
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=cutoff))
        .exclude(Exists(recent))
        .select_related("user")
        .order_by("pk")
    )


def send_family_checkin_reminders(
    *, now: datetime | None = None, dry_run: bool = False, progress: Callable[[int, int], None] | None = None
) -> ReminderResult:
    """Queue one reminder for each family member due. Safe to run again: each is marked as reminded."""
    moment = now or timezone.now()
    due = preferences_due(moment)
    if dry_run:
        return ReminderResult(due=len(due), sent=0)
    link = settings.ROSC_SITE_URL + reverse("family:checkin")
    sent = 0
    for index, preference in enumerate(due, start=1):
        with transaction.atomic():
            locked = FamilyPreference.objects.select_for_update().get(pk=preference.pk)
            cutoff = moment - timedelta(days=REMINDER_DAYS)
            if not locked.monthly_reminder or (locked.last_reminded_at and locked.last_reminded_at > cutoff):
                continue
            locked.last_reminded_at = moment
            locked.save(update_fields=["last_reminded_at"])
            notification_queue(
                channel="email",
                to=preference.user.email,
                recipient=preference.user,
                subject="Time for your wellbeing check-in",
                body=(
                    "This is the monthly reminder you asked for: four short questions about how you are. "
                    f"Sign in to answer them: {link}\n\nYou can turn these reminders off on the same page."
                ),
                reason=REASON,
            )
            sent += 1
        if progress is not None:
            progress(index, len(due))
    return ReminderResult(due=len(due), sent=sent)
