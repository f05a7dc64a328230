"""Remind mentors and their supervisors that a DBS check or training runs out soon: once per expiry date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.models import Membership, Role, User
from rosc.core.notifications import notification_queue
from rosc.peers.models import MentorCheck

REASON = "peers.check_expiring"


@dataclass(frozen=True)
class ReminderResult:
    checks: int
    messages: int


def reminder_days() -> int:
    return int(getattr(settings, "ROSC_PEER_CHECK_REMINDER_DAYS", 30))


def checks_due(today: date | None = None) -> list[MentorCheck]:
    """Checks running out within the notice period (or already run out) not yet reminded for that date,
    of mentors who are still peer mentors of the organisation."""
    day = today or timezone.localdate()
    active = Membership.objects.active().filter(role=Role.PEER_MENTOR).values_list("user_id", "organisation_id")
    current = set(active)
    due = (
        MentorCheck.objects.filter(expires_on__isnull=False, expires_on__lte=day + timedelta(days=reminder_days()))
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("expires_on")))
        .select_related("profile__user", "profile__supervisor", "profile__organisation")
        .order_by("expires_on", "pk")
    )
    # Only the latest check of each kind matters: a renewed check replaces the old one.
    newest: dict[tuple[int, str], date] = {}
    for profile_id, kind, expires in MentorCheck.objects.exclude(expires_on__isnull=True).values_list(
        "profile_id", "kind", "expires_on"
    ):
        if expires is not None:
            key = (profile_id, kind)
            newest[key] = max(newest.get(key, expires), expires)
    return [
        c
        for c in due
        if (c.profile.user_id, c.profile.organisation_id) in current and newest[(c.profile_id, c.kind)] == c.expires_on
    ]


def recipients_for(check: MentorCheck) -> list[User]:
    profile = check.profile
    people: list[User] = [profile.user]
    if profile.supervisor is not None and profile.supervisor.is_active:
        people.append(profile.supervisor)
    else:
        managers = Membership.objects.active().filter(organisation=profile.organisation, role=Role.SERVICE_MANAGER)
        people += list(User.objects.filter(is_active=True, pk__in=managers.values("user_id")).order_by("pk"))
    return [u for n, u in enumerate(people) if u.is_active and u.pk not in {p.pk for p in people[:n]}]


def send_check_reminders(
    *, today: date | None = None, dry_run: bool = False, progress: Callable[[int, int], None] | None = None
) -> ReminderResult:
    day = today or timezone.localdate()
    due = checks_due(day)
    checks = messages = 0
    for index, check in enumerate(due, start=1):
        people = recipients_for(check)
        if dry_run:
            checks, messages = checks + 1, messages + len(people)
        else:
            with transaction.atomic():
                locked = MentorCheck.objects.select_for_update().get(pk=check.pk)
                if locked.reminded_for == locked.expires_on:
                    continue
                locked.reminded_for = locked.expires_on
                locked.save(update_fields=["reminded_for"])
                ran_out = check.expires_on is not None and check.expires_on < day
                when = (
                    f"ran out on {check.expires_on:%-d %B %Y}"
                    if ran_out
                    else f"runs out on {check.expires_on:%-d %B %Y}"
                )
                for user in people:
                    whose = "Your" if user.pk == check.profile.user_id else "A peer mentor's"
                    link = reverse("peers:home") if user.pk == check.profile.user_id else reverse("peers:supervision")
                    notification_queue(
                        channel="email",
                        to=user.email,
                        recipient=user,
                        subject="A peer mentor check needs renewing",
                        body=(
                            f"{whose} {check.get_kind_display().lower()} {when}. Without it in date, no new mentees "
                            f"can be matched. Sign in to see the details: {settings.ROSC_SITE_URL}{link}"
                        ),
                        reason=REASON,
                    )
                audit_write(
                    actor=None,
                    action="peers.check_reminder_sent",
                    target=locked,
                    details={"recipients": len(people)},
                )
            checks, messages = checks + 1, messages + len(people)
        if progress is not None:
            progress(index, len(due))
    return ReminderResult(checks=checks, messages=messages)
