"""Apply the retention periods: delete what the shared record no longer needs to keep.

Each record type has its own period (``conf.retention_days``). Rows are
found in batches and each batch is deleted in its own transaction with one
audit row, so a long run can be stopped and started again safely. Closed
records (people nobody has supported for the whole period) are erased the
same way as on an erasure request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.record.conf import RETENTION_LABELS, retention_days
from rosc.record.models import (
    BreakGlass,
    CareTeamMember,
    Consent,
    Disclosure,
    Goal,
    GoalStatus,
    Note,
    Person,
)

BATCH_SIZE = 500
PURPOSE = "retention"


@dataclass(frozen=True)
class RetentionStep:
    kind: str
    label: str
    days: int
    total: int


def _cutoff(days: int, now: datetime) -> datetime:
    return now - timedelta(days=days)


def expired_querysets(now: datetime | None = None) -> dict[str, QuerySet]:
    """For each record type, the rows past their retention period."""
    moment = now or timezone.now()
    days = retention_days()
    cut = {kind: _cutoff(value, moment) for kind, value in days.items()}
    open_member = CareTeamMember.objects.filter(person=OuterRef("pk")).filter(
        Q(ended__isnull=True) | Q(ended__gte=cut["closed_record"].date())
    )
    closed_people = Person.objects.current().filter(created_at__lt=cut["closed_record"]).exclude(Exists(open_member))
    return {
        "closed_record": closed_people,
        "note": Note.objects.filter(created_at__lt=cut["note"]),
        "finished_goal": Goal.objects.filter(
            status__in=[GoalStatus.ACHIEVED, GoalStatus.STOPPED], updated_at__lt=cut["finished_goal"]
        ),
        "ended_consent": Consent.objects.filter(
            Q(withdrawn_at__lt=cut["ended_consent"]) | Q(withdrawn_at__isnull=True, expires_at__lt=cut["ended_consent"])
        ),
        "disclosure": Disclosure.objects.filter(at__lt=cut["disclosure"]),
        "break_glass": BreakGlass.objects.exclude(review="pending").filter(started_at__lt=cut["break_glass"]),
    }


def plan(now: datetime | None = None) -> list[RetentionStep]:
    days = retention_days()
    return [
        RetentionStep(kind, RETENTION_LABELS[kind], days[kind], queryset.count())
        for kind, queryset in expired_querysets(now).items()
    ]


def apply(*, now: datetime | None = None, progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Delete (or for closed records, erase) everything past its period. Returns counts per type."""
    from rosc.record.rights import erase_person_data

    done: dict[str, int] = {}
    for step in plan(now):
        removed = 0
        for ids in _batches(expired_querysets(now)[step.kind]):
            with transaction.atomic():
                if step.kind == "closed_record":
                    for person in Person.objects.select_for_update().filter(pk__in=ids, erased_at__isnull=True):
                        erase_person_data(person, actor=None, reason=PURPOSE)
                    count = len(ids)
                else:
                    model = expired_querysets(now)[step.kind].model
                    model.objects.filter(pk__in=ids).delete()
                    count = len(ids)
                    audit_write(
                        actor=None,
                        action="record.retention_applied",
                        object_type=model._meta.label_lower,
                        purpose=PURPOSE,
                        details={"kind": step.kind, "count": len(ids), "days": step.days},
                    )
            removed += count
            if progress:
                progress(step.kind, removed, step.total)
        done[step.kind] = removed
    return done


def _batches(queryset: QuerySet) -> Iterator[list[int]]:
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            return
        yield ids
        if len(ids) < BATCH_SIZE:
            return
