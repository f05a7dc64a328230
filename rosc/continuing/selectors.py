"""Scoped reads of continuing care. Every read of a person's check-ins goes through ``rosc.record.access``.

Who may read what (ADR 0022):

- Answers, check-ins and the full alert: workers whose organisation is in the person's care team with
  a live consent covering Outcomes (``Category.OUTCOMES``), or under break-glass. The duty worker of
  the service acts under that service's place in the care team, so the same check applies.
- An alert without the answers: the person's named peer mentor, as far as their consent for contact
  details goes (peer mentors never see outcomes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest

from rosc.continuing.models import Alert, AlertStatus, CheckIn, CheckInStatus, Plan, PlanStatus
from rosc.continuing.questions import BY_CODE, CHARTED, questions_for
from rosc.core.audit import audit_read
from rosc.core.models import User
from rosc.record.access import grants_for, record_disclosure
from rosc.record.categories import Category
from rosc.record.models import CareTeamMember, Person, TeamRole

INBOX_LIMIT = 200


def alert_access(user: Any, alert: Alert) -> str | None:
    """ "full" (answers too), "limited" (the alert only, for the named peer mentor) or None."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    grants = grants_for(user, alert.person, [Category.OUTCOMES, Category.CONTACT])
    if Category.OUTCOMES in grants:
        return "full"
    if Category.CONTACT in grants and (
        CareTeamMember.objects.active().filter(person=alert.person, role=TeamRole.PEER_MENTOR, worker=user).exists()
    ):
        return "limited"
    return None


def alert_for(user: Any, alert_id: Any, *, purpose: str, request: HttpRequest | None = None) -> tuple[Alert, str]:
    """Open one alert, or Http404. Audits the read and logs it in the person's disclosure log."""
    alert = (
        Alert.objects.select_related("person", "plan", "check_in", "organisation", "escalated_to", "acknowledged_by")
        .filter(uuid=alert_id, person__erased_at__isnull=True)
        .first()
    )
    level = alert_access(user, alert) if alert is not None else None
    if alert is None or level is None:
        raise Http404("No alert found.")
    category = Category.OUTCOMES if level == "full" else Category.CONTACT
    grant = grants_for(user, alert.person, [category])[category]
    from django.db import transaction

    with transaction.atomic():
        audit_read(
            actor=user,
            action="continuing.alert_read",
            purpose=purpose,
            target=alert,
            request=request,
            details={"level": level, "organisation_id": grant.organisation.pk},
        )
        record_disclosure(
            alert.person,
            user,
            grant.organisation,
            category,
            purpose,
            consent=grant.consent,
            break_glass=grant.break_glass,
        )
    return alert, level


@dataclass
class InboxRow:
    alert: Alert
    level: str
    mine_as: str  # "team" or "duty"


def inbox_for(user: User, *, show: str = "open", request: HttpRequest | None = None) -> list[InboxRow]:
    """The alerts that went to this user (as keyworker, peer mentor or duty worker) and that they may see."""
    people = (
        CareTeamMember.objects.active()
        .filter(worker=user, role__in=[TeamRole.KEYWORKER, TeamRole.PEER_MENTOR])
        .values("person_id")
    )
    alerts = Alert.objects.filter(Q(person_id__in=people) | Q(escalated_to=user), person__erased_at__isnull=True)
    alerts = alerts.exclude(status=AlertStatus.CLOSED) if show == "open" else alerts.filter(status=AlertStatus.CLOSED)
    rows: list[InboxRow] = []
    levels: dict[int, str | None] = {}
    for alert in alerts.select_related("person", "escalated_to").order_by("status", "-raised_at")[:INBOX_LIMIT]:
        if alert.person_id not in levels:
            levels[alert.person_id] = alert_access(user, alert)
        level = levels[alert.person_id]
        if level is None:
            continue
        rows.append(InboxRow(alert, level, "duty" if alert.escalated_to_id == user.pk else "team"))
    order = {"urgent": 0, "high": 1, "routine": 2}
    rows.sort(
        key=lambda r: (
            r.alert.status != AlertStatus.OPEN,
            order.get(r.alert.severity, 3),
            -r.alert.raised_at.timestamp(),
        )
    )
    if rows:
        audit_read(
            actor=user,
            action="continuing.inbox_read",
            purpose="Alerts to act on",
            object_type="continuing.alert",
            request=request,
            details={"count": len(rows)},
        )
    return rows


@dataclass
class AnswerRow:
    check_in: CheckIn
    cells: list[str]


def plan_of(person: Person) -> Plan | None:
    """The person's open plan, else their latest."""
    open_plan = Plan.objects.filter(person=person).exclude(status=PlanStatus.ENDED).first()
    return open_plan or Plan.objects.filter(person=person).order_by("-created_at").first()


def check_ins_of(plan: Plan) -> list[CheckIn]:
    return list(CheckIn.objects.filter(plan=plan).order_by("-number"))


def answer_table(check_ins: list[CheckIn]) -> tuple[list[str], list[AnswerRow]]:
    """Answered check-ins as rows, with one column per question (quarterly questions included when asked)."""
    codes = [q.code for q in questions_for("quarterly")]
    answered = [c for c in check_ins if c.status == CheckInStatus.ANSWERED]
    used = [code for code in codes if any(code in c.answers for c in answered)]
    rows = [
        AnswerRow(
            c,
            [
                BY_CODE[code].label_for(_as_choice(c.answers.get(code))) if code in c.answers else "No answer"
                for code in used
            ],
        )
        for c in answered
    ]
    return [BY_CODE[code].text for code in used], rows


def _as_choice(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


@dataclass
class ChartSeries:
    code: str
    label: str
    points: list[tuple[date, int]]


def chart_series(check_ins: list[CheckIn]) -> list[ChartSeries]:
    answered = sorted((c for c in check_ins if c.status == CheckInStatus.ANSWERED), key=lambda c: c.number)
    labels = {"cravings": "Cravings", "confidence": "Confidence", "satisfaction": "Satisfaction with progress"}
    return [
        ChartSeries(
            code,
            labels[code],
            [(timezone_date(c), int(c.answers[code])) for c in answered if code in c.answers],
        )
        for code in CHARTED
    ]


def timezone_date(check_in: CheckIn) -> date:
    from django.utils import timezone

    return timezone.localdate(check_in.answered_at) if check_in.answered_at else check_in.due_on


def open_alerts_of(plan: Plan) -> list[Alert]:
    return list(Alert.objects.filter(plan=plan).exclude(status=AlertStatus.CLOSED).order_by("-raised_at"))
