"""Remind goal owners that a recovery-plan review is due: once per goal and review date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from rosc.core.models import Membership, Role, User
from rosc.core.notifications import notification_queue
from rosc.record.conf import plan_review_notice_days
from rosc.record.models import CareTeamMember, Goal, GoalStatus, PlanReviewReminder

REASON = "plan_review_due"


@dataclass(frozen=True)
class ReminderResult:
    goals: int
    messages: int


def goals_due(today: date | None = None) -> list[Goal]:
    """Active goals whose review is due within the notice period (or overdue), not yet reminded for that date."""
    day = today or timezone.localdate()
    horizon = day + timedelta(days=plan_review_notice_days())
    reminded = PlanReviewReminder.objects.filter(goal_id=OuterRef("pk"), review_on=OuterRef("review_on"))
    return list(
        Goal.objects.filter(status=GoalStatus.ACTIVE, review_on__lte=horizon)
        .filter(person__erased_at__isnull=True, person__restricted_at__isnull=True)
        .exclude(Exists(reminded))
        .select_related("person", "owner_organisation", "owner_worker")
        .order_by("review_on", "id")
    )


def owners_of(goal: Goal, today: date) -> list[User]:
    """Who to remind: the named owner; otherwise the organisation's named workers in the
    person's care team; otherwise its service managers."""
    if goal.owner_worker is not None and goal.owner_worker.is_active:
        return [goal.owner_worker]
    if goal.owner_organisation_id is None:
        return []
    named = CareTeamMember.objects.active(today).filter(
        person_id=goal.person_id, organisation_id=goal.owner_organisation_id, worker__isnull=False
    )
    workers = list(User.objects.filter(is_active=True, pk__in=named.values("worker_id")).order_by("pk"))
    if workers:
        return workers
    managers = Membership.objects.active().filter(organisation_id=goal.owner_organisation_id, role=Role.SERVICE_MANAGER)
    return list(User.objects.filter(is_active=True, pk__in=managers.values("user_id")).order_by("pk"))


def send_plan_review_reminders(*, today: date | None = None, dry_run: bool = False) -> ReminderResult:
    """Queue one email per owner per goal due. Safe to run often: a goal is reminded once per review date."""
    day = today or timezone.localdate()
    goals = messages = 0
    for goal in goals_due(day):
        owners = owners_of(goal, day)
        if dry_run:
            goals += 1
            messages += len(owners)
            continue
        link = settings.ROSC_SITE_URL + reverse("record:plan", kwargs={"person_id": goal.person.uuid})
        try:
            with transaction.atomic():
                PlanReviewReminder.objects.create(goal=goal, review_on=goal.review_on)
                for owner in owners:
                    notification_queue(
                        channel="email",
                        to=owner.email,
                        subject="A recovery plan review is due",
                        body=(
                            f"A goal you own in the recovery plan of someone you support is due for review on "
                            f"{goal.review_on:%-d %B %Y}. Please review it with them and record the next review date. "
                            f"Sign in to see it: {link}"
                        ),
                        reason=REASON,
                        recipient=owner,
                    )
        except IntegrityError:
            continue  # another run reminded it at the same moment
        goals += 1
        messages += len(owners)
    return ReminderResult(goals=goals, messages=messages)
