"""Every write of continuing care: keyword-only, one transaction each, audited in the same transaction.

Staff actions raise ``PermissionDenied`` (or ``Http404`` for a person they may not see) and
``ActionRefused`` for bad input. The person's own actions (answering, "I need help now", a new link,
stopping) are reached through a check-in link and raise :class:`LinkUnusable` when the link cannot
be used, with the reason, so that the page can say so kindly.

The scheduled run (:func:`run_continuing_care`) is safe to run twice, or after a crash half-way: every
row it creates is guarded by a unique constraint or a conditional update on a locked row, and the
messages it sends are queued in the same transaction as the row that records them.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from rosc.continuing import rules, schedule
from rosc.continuing.models import (
    NO_PLAN_AFTER,
    Alert,
    AlertEvent,
    AlertOutcome,
    AlertStatus,
    CheckIn,
    CheckInLink,
    CheckInStatus,
    ContactHow,
    DischargeReason,
    EventKind,
    Plan,
    PlanChannel,
    PlanStatus,
    ServiceSettings,
)
from rosc.continuing.questions import clean_answers
from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import Membership, Organisation, Role, User
from rosc.core.notifications import notification_queue
from rosc.core.permissions import manages_organisation, roles_of
from rosc.record.access import can_access, can_edit, working_organisation_ids
from rosc.record.categories import Category
from rosc.record.models import CareTeamMember, Person, TeamRole

log = logging.getLogger(__name__)

EARLIER_ANSWERS = 6  # answered check-ins a rule may look back over
NEW_LINK_PAUSE = timedelta(minutes=10)  # a person asking twice within this gets the same answer, not two messages
NOTE_MAX = 2000
ALERT_ROLES = (TeamRole.KEYWORKER, TeamRole.PEER_MENTOR)


class LinkUnusable(ActionRefused):
    """A check-in link that cannot be used: ``reason`` is unknown, expired, answered, ended or paused."""

    def __init__(self, reason: str, *, check_in: CheckIn | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.check_in = check_in


# --- Settings -----------------------------------------------------------------------------------


def settings_for(organisation: Organisation) -> ServiceSettings:
    """The service's settings, or the defaults (unsaved) when its managers have not set any."""
    found = ServiceSettings.objects.filter(organisation=organisation).first()
    return found or ServiceSettings(organisation=organisation)


def duty_worker_choices(organisation: Organisation) -> list[User]:
    """Who may be the duty worker: the service's practitioners and service managers today."""
    ids = (
        Membership.objects.active()
        .filter(organisation=organisation, role__in=[Role.PRACTITIONER, Role.SERVICE_MANAGER])
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("display_name", "email"))


def service_settings_update(
    *,
    actor: User,
    organisation: Organisation,
    weekly_weeks: int,
    monthly_until_month: int,
    quarterly_until_month: int,
    link_days: int,
    ack_hours: dict[str, int],
    duty_worker: User | None,
    rule_parameters: dict[str, dict[str, int]],
    request: HttpRequest | None = None,
) -> ServiceSettings:
    """Change a service's schedule, link life, acknowledgement times, duty worker and rule parameters."""
    if not actor.has_perm("continuing.manage_settings") or not manages_organisation(actor, organisation):
        raise PermissionDenied
    if not 1 <= weekly_weeks <= 52:
        raise ActionRefused("Weekly check-ins must last between 1 and 52 weeks.", field="weekly_weeks")
    if not 0 <= monthly_until_month <= 36:
        raise ActionRefused("Monthly check-ins must end by month 36.", field="monthly_until_month")
    if not monthly_until_month <= quarterly_until_month <= 60:
        raise ActionRefused(
            "Recovery check-ups must end after the monthly check-ins and by month 60.", field="quarterly_until_month"
        )
    if not 1 <= link_days <= 28:
        raise ActionRefused("A link must work for between 1 and 28 days.", field="link_days")
    for severity in rules.SEVERITIES:
        if not 1 <= int(ack_hours.get(severity, 0)) <= 336:
            raise ActionRefused(
                f"The time to pick up a {severity} alert must be between 1 and 336 hours.",
                field=f"ack_hours_{severity}",
            )
    if duty_worker is not None and duty_worker.pk not in {u.pk for u in duty_worker_choices(organisation)}:
        raise ActionRefused("Choose a duty worker from your service's team.", field="duty_worker")
    clean_parameters: dict[str, dict[str, int]] = {}
    for rule in rules.RULES:
        for name in rule.parameters:
            value = rule_parameters.get(rule.code, {}).get(name)
            if value is None:
                continue
            if not 0 <= int(value) <= 10:
                raise ActionRefused("Rule settings must be whole numbers from 0 to 10.", field=f"{rule.code}__{name}")
            clean_parameters.setdefault(rule.code, {})[name] = int(value)
    with transaction.atomic():
        row, _ = ServiceSettings.objects.select_for_update().get_or_create(organisation=organisation)
        row.weekly_weeks = weekly_weeks
        row.monthly_until_month = monthly_until_month
        row.quarterly_until_month = quarterly_until_month
        row.link_days = link_days
        for severity in rules.SEVERITIES:
            setattr(row, f"ack_hours_{severity}", int(ack_hours[severity]))
        row.duty_worker = duty_worker
        row.rule_parameters = clean_parameters
        row.updated_at = timezone.now()
        row.save()
        audit_write(
            actor=actor,
            action="continuing.settings_update",
            target=row,
            request=request,
            details={"organisation_id": organisation.pk, "duty_worker_id": duty_worker.pk if duty_worker else None},
        )
    return row


# --- Plans --------------------------------------------------------------------------------------


def plan_organisations_for(*, actor: User, person: Person) -> list[Organisation]:
    """The actor's organisations that may start a plan: in the person's care team today as a worker."""
    working = working_organisation_ids(actor)
    members = (
        CareTeamMember.objects.active()
        .filter(person=person, organisation_id__in=working)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    seen: dict[int, Organisation] = {}
    for member in members:
        assert member.organisation is not None
        seen.setdefault(member.organisation.pk, member.organisation)
    return list(seen.values())


def open_plan_of(person: Person) -> Plan | None:
    return Plan.objects.filter(person=person).exclude(status=PlanStatus.ENDED).first()


def channels_for(person: Person) -> list[tuple[str, str]]:
    """The ways a person can be sent check-ins: those their record holds an address for."""
    found = []
    if person.email:
        found.append((PlanChannel.EMAIL.value, "Email"))
    if person.phone:
        found.append((PlanChannel.SMS.value, "Text message"))
    return found


def _first_due(plan: Plan) -> None:
    item = schedule.due(plan.schedule(), plan.started_on, 1)
    plan.next_number = 1
    plan.next_due_on = item.due_on if item else None


def plan_start(
    *,
    actor: User,
    person: Person,
    organisation: Organisation,
    channel: str,
    discharge_reason: str = "",
    started_on: date | None = None,
    person_agreed: bool,
    request: HttpRequest | None = None,
) -> Plan:
    """Start continuing care: on a recorded treatment discharge (NDTMS reason) or on demand (no reason).

    The actor is a worker whose organisation is in the person's care team and who may change the
    person's outcomes. The plan keeps a copy of the service's schedule as it is today.
    """
    if not actor.has_perm("continuing.start_plans"):
        raise PermissionDenied
    if organisation.pk not in {o.pk for o in plan_organisations_for(actor=actor, person=person)}:
        raise PermissionDenied
    if not can_edit(actor, person, Category.OUTCOMES):
        raise Http404("No record found.")
    if discharge_reason and discharge_reason not in DischargeReason.values:
        raise ActionRefused("Select the discharge reason.", field="discharge_reason")
    if discharge_reason in NO_PLAN_AFTER:
        raise ActionRefused(
            "Continuing care cannot start after this discharge reason. Select another reason or do not start it.",
            field="discharge_reason",
        )
    if channel not in dict(channels_for(person)):
        raise ActionRefused(
            "Select how to send check-ins. Add an email address or mobile number to their record first "
            "if none is shown.",
            field="channel",
        )
    if not person_agreed:
        raise ActionRefused("Confirm that they agreed to check-ins sent this way.", field="person_agreed")
    today = timezone.localdate()
    started = started_on or today
    if started > today or started < today - timedelta(days=90):
        raise ActionRefused("The start date must be today or in the last 90 days.", field="started_on")
    service = settings_for(organisation)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if open_plan_of(person) is not None:
            raise ActionRefused("They already have a continuing-care plan.")
        plan = Plan(
            person=person,
            organisation=organisation,
            started_on=started,
            discharge_reason=discharge_reason,
            weekly_weeks=service.weekly_weeks,
            monthly_until_month=service.monthly_until_month,
            quarterly_until_month=service.quarterly_until_month,
            link_days=service.link_days,
            channel=channel,
            created_by=actor,
        )
        _first_due(plan)
        plan.save()
        audit_write(
            actor=actor,
            action="continuing.plan_start",
            target=plan,
            request=request,
            details={
                "person_id": str(person.uuid),
                "organisation_id": organisation.pk,
                "discharge_reason": discharge_reason or "on_demand",
                "channel": channel,
            },
        )
    return plan


def _can_change_plan(actor: User, plan: Plan) -> bool:
    return (
        actor.has_perm("continuing.start_plans")
        and plan.organisation_id in {o.pk for o in plan_organisations_for(actor=actor, person=plan.person)}
        and can_edit(actor, plan.person, Category.OUTCOMES)
    )


def _cancel_open(plan: Plan) -> int:
    return CheckIn.objects.filter(plan=plan, status=CheckInStatus.OPEN).update(status=CheckInStatus.CANCELLED)


def plan_pause(*, actor: User, plan: Plan, request: HttpRequest | None = None) -> Plan:
    if not _can_change_plan(actor, plan):
        raise PermissionDenied
    with transaction.atomic():
        if (
            Plan.objects.filter(pk=plan.pk, status=PlanStatus.ACTIVE).update(
                status=PlanStatus.PAUSED, paused_at=timezone.now()
            )
            != 1
        ):
            raise ActionRefused("Only an active plan can be paused.")
        audit_write(actor=actor, action="continuing.plan_pause", target=plan, request=request)
    plan.refresh_from_db()
    return plan


def plan_resume(*, actor: User, plan: Plan, request: HttpRequest | None = None) -> Plan:
    """Start sending again. Check-ins that fell due while paused are skipped, not sent late."""
    if not _can_change_plan(actor, plan):
        raise PermissionDenied
    today = timezone.localdate()
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.PAUSED:
            raise ActionRefused("Only a paused plan can be restarted.")
        number = locked.next_number
        item = schedule.due(locked.schedule(), locked.started_on, number)
        while item is not None and item.due_on < today:
            number += 1
            item = schedule.due(locked.schedule(), locked.started_on, number)
        locked.next_number = number
        locked.next_due_on = item.due_on if item else None
        locked.status = PlanStatus.ACTIVE
        locked.paused_at = None
        locked.save(update_fields=["next_number", "next_due_on", "status", "paused_at"])
        audit_write(actor=actor, action="continuing.plan_resume", target=locked, request=request)
    return locked


def plan_end(*, actor: User | None, plan: Plan, by_person: bool = False, request: HttpRequest | None = None) -> Plan:
    """End a plan: by a worker who may change it, or by the person (``by_person``, from their account
    or a check-in link, with ``actor`` their account or None). Open check-ins are cancelled."""
    if by_person:
        if actor is not None and plan.person.account_id != actor.pk:
            raise PermissionDenied
    elif actor is None or not _can_change_plan(actor, plan):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        changed = (
            Plan.objects.filter(pk=plan.pk)
            .exclude(status=PlanStatus.ENDED)
            .update(status=PlanStatus.ENDED, ended_at=now, ended_by_person=by_person, next_due_on=None)
        )
        if changed != 1:
            raise ActionRefused("This plan has already ended.")
        cancelled = _cancel_open(plan)
        audit_write(
            actor=actor,
            action="continuing.plan_end",
            target=plan,
            request=request,
            details={"by_person": by_person, "cancelled_check_ins": cancelled},
        )
    plan.refresh_from_db()
    return plan


# --- Links and messages -------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)
    return token, token_hash(token)


@functools.lru_cache(maxsize=8)
def _path_with(name: str, kwarg: str) -> str:
    """A page's address with a placeholder, worked out once per process (the run sends thousands)."""
    return reverse(f"continuing:{name}", kwargs={kwarg: PLACEHOLDER})


PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


def check_in_url(token: str) -> str:
    return django_settings.ROSC_SITE_URL + _path_with("check_in", "token").replace(PLACEHOLDER, token)


def _contact_of(plan: Plan, person: Person) -> str:
    return person.email if plan.channel == PlanChannel.EMAIL else person.phone


def _send_link(plan: Plan, person: Person, token: str, *, days: int, again: bool = False) -> bool:
    """Queue the check-in message. No service, answer or health detail goes in it."""
    to = _contact_of(plan, person)
    if not to:
        return False
    opening = "Here is a new link for your check-in." if again else "It is time for your check-in."
    body = (
        f"{opening} It takes about two minutes: {check_in_url(token)}\n"
        f"The link works for {days} days. If you need help now, open the link and choose 'I need help now'."
    )
    notification_queue(
        channel=plan.channel,
        to=to,
        body=body,
        subject="Your check-in" if plan.channel == PlanChannel.EMAIL else "",
        reason="continuing.check_in_link",
        recipient=person.account,
    )
    return True


def alert_url(alert: Alert) -> str:
    return django_settings.ROSC_SITE_URL + _path_with("alert", "alert_id").replace(PLACEHOLDER, str(alert.uuid))


def _tell_worker(alert: Alert, worker: User, *, escalated: bool = False) -> None:
    lead = (
        "A check-in alert has not been picked up and is now with you as duty worker."
        if escalated
        else ("A check-in needs your attention.")
    )
    notification_queue(
        channel="email",
        to=worker.email,
        subject=f"{alert.severity_label} continuing-care alert",
        body=(
            f"{lead} Severity: {alert.severity_label.lower()}.\n"
            f"Open it here (you will need to sign in): {alert_url(alert)}"
        ),
        reason="continuing.alert",
        recipient=worker,
    )


# --- Alerts -------------------------------------------------------------------------------------


def _recipients(person_ids: Iterable[int], on: date) -> dict[int, list[User]]:
    """Each person's keyworkers and peer mentors today who have an account."""
    found: dict[int, list[User]] = defaultdict(list)
    members = (
        CareTeamMember.objects.active(on)
        .filter(person_id__in=list(person_ids), role__in=ALERT_ROLES, worker__isnull=False, worker__is_active=True)
        .select_related("worker")
        .order_by("person_id", "role", "pk")
    )
    for member in members:
        assert member.worker is not None
        if all(u.pk != member.worker.pk for u in found[member.person_id]):
            found[member.person_id].append(member.worker)
    return found


def _raise_alerts(
    check_in: CheckIn,
    findings: Sequence[rules.Finding],
    service: ServiceSettings,
    recipients: list[User],
    *,
    now: datetime,
) -> list[Alert]:
    """Create the alerts of these findings (at most one per check-in and rule), tell the team, write history.

    Runs inside the caller's transaction. A finding already raised for the check-in is skipped.
    """
    if not findings:
        return []
    existing = set(Alert.objects.filter(check_in=check_in).values_list("rule_code", flat=True))
    made: list[Alert] = []
    for finding in findings:
        if finding.code in existing:
            continue
        alert = Alert(
            person_id=check_in.person_id,
            plan_id=check_in.plan_id,
            check_in=check_in,
            organisation_id=check_in.plan.organisation_id,
            rule_code=finding.code,
            severity=finding.severity,
            raised_at=now,
            acknowledge_by=now + timedelta(hours=service.ack_hours(finding.severity)),
        )
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:  # raised at the same moment by another process: theirs stands
            continue
        events = [AlertEvent(alert=alert, kind=EventKind.RAISED, at=now)]
        events += [AlertEvent(alert=alert, kind=EventKind.NOTIFIED, at=now, to=worker) for worker in recipients]
        AlertEvent.objects.bulk_create(events)
        made.append(alert)
    if made:
        # One message per person told, pointing at the most severe of the new alerts.
        first = min(made, key=lambda a: rules.SEVERITIES.index(a.severity))
        for worker in recipients:
            _tell_worker(first, worker)
        audit_write(
            actor=None,
            action="continuing.alerts_raise",
            object_type="continuing.checkin",
            object_id=check_in.pk,
            details={"rules": [a.rule_code for a in made], "alert_ids": [str(a.uuid) for a in made]},
        )
    return made


def _service_settings(organisation_ids: Iterable[int]) -> dict[int, ServiceSettings]:
    ids = set(organisation_ids)
    found = {s.organisation_id: s for s in ServiceSettings.objects.filter(organisation_id__in=ids)}
    for org_id in ids - set(found):
        found[org_id] = ServiceSettings(organisation_id=org_id)
    return found


# --- The person's check-in ----------------------------------------------------------------------


def link_for(token: str) -> CheckInLink | None:
    if not token or len(token) > 100:
        return None
    return (
        CheckInLink.objects.select_related("check_in__plan", "check_in__person")
        .filter(token_hash=token_hash(token))
        .first()
    )


def usable_check_in(token: str, *, now: datetime | None = None) -> CheckIn:
    """The check-in this link is for, if it can be answered now; LinkUnusable with the reason if not."""
    moment = now or timezone.now()
    link = link_for(token)
    if link is None or link.check_in.person.erased_at is not None:
        raise LinkUnusable("unknown")
    check_in = link.check_in
    plan = check_in.plan
    if plan.status == PlanStatus.ENDED:
        raise LinkUnusable("ended", check_in=check_in)
    if check_in.status == CheckInStatus.ANSWERED:
        raise LinkUnusable("answered", check_in=check_in)
    if plan.status == PlanStatus.PAUSED or check_in.status == CheckInStatus.CANCELLED:
        raise LinkUnusable("paused", check_in=check_in)
    if check_in.status == CheckInStatus.MISSED or moment >= link.expires_at or moment >= check_in.expires_at:
        raise LinkUnusable("expired", check_in=check_in)
    return check_in


def _earlier_answers(check_in: CheckIn) -> list[dict[str, Any]]:
    return list(
        CheckIn.objects.filter(plan_id=check_in.plan_id, status=CheckInStatus.ANSWERED, number__lt=check_in.number)
        .order_by("-number")
        .values_list("answers", flat=True)[:EARLIER_ANSWERS]
    )


@dataclass
class Answered:
    check_in: CheckIn
    alerts: list[Alert]


def check_in_answer(*, token: str, answers: dict[str, str], now: datetime | None = None) -> Answered:
    """Save the person's answers and raise any alerts, in one transaction.

    Messages to the team are queued to go after the commit, so a failure to deliver them never loses
    the answers. Raises LinkUnusable (the link cannot be used) or ActionRefused (an answer missing).
    """
    moment = now or timezone.now()
    check_in = usable_check_in(token, now=moment)
    try:
        cleaned = clean_answers(answers, check_in.kind)
    except ValueError as missing:
        raise ActionRefused("Answer every question.", field=str(missing)) from None
    barc10: dict[str, int] = {}
    if check_in.kind == schedule.QUARTERLY:
        for key in (f"q{n}" for n in range(1, 11)):
            value = str(answers.get(f"barc10_{key}", ""))
            if not value.isdigit():
                raise ActionRefused("Answer every question.", field=f"barc10_{key}")
            barc10[key] = int(value)
    try:
        return _save_answers(check_in, cleaned, moment, barc10=barc10)
    except Exception:
        # Messages are handed to the task queue after the commit. If that hand-over fails, the answers
        # (and the stored messages, which stay queued) are already saved: the person is not told otherwise.
        saved = CheckIn.objects.filter(pk=check_in.pk, status=CheckInStatus.ANSWERED, answered_at=moment).first()
        if saved is None:
            raise
        log.exception("check-in %s saved; handing its messages to the task queue failed", check_in.pk)
        return Answered(saved, list(Alert.objects.filter(check_in=saved)))


def _save_answers(check_in: CheckIn, cleaned: dict[str, Any], moment: datetime, *, barc10: dict[str, int]) -> Answered:
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().select_related("plan", "person").get(pk=check_in.pk)
        if locked.status != CheckInStatus.OPEN:
            raise LinkUnusable("answered" if locked.status == CheckInStatus.ANSWERED else "expired", check_in=locked)
        if barc10:
            # The recovery check-up's BARC-10 is an outcome measure: it is kept (and scored) by the outcomes area.
            from rosc.outcomes.actions import record_measurement

            measurement = record_measurement(
                actor=None,
                instrument="barc10",
                answers=barc10,
                person=locked.person,
                organisation=locked.plan.organisation,
                via="check_in",
                taken_at=min(moment, timezone.now()),
            )
            cleaned = {**cleaned, "barc10_measurement": str(measurement.uuid)}
        locked.answers = cleaned
        locked.status = CheckInStatus.ANSWERED
        locked.answered_at = moment
        locked.save(update_fields=["answers", "status", "answered_at"])
        service = _service_settings([locked.plan.organisation_id])[locked.plan.organisation_id]
        findings = rules.evaluate(cleaned, _earlier_answers(locked), overrides=service.rule_parameters)
        recipients = _recipients([locked.person_id], timezone.localdate(moment)).get(locked.person_id, [])
        alerts = _raise_alerts(locked, findings, service, recipients, now=moment)
        audit_write(
            actor=None,
            action="continuing.check_in_answer",
            target=locked,
            details={"plan_id": str(locked.plan.uuid), "number": locked.number, "alerts": len(alerts)},
        )
    return Answered(locked, alerts)


def check_in_help_now(*, token: str, now: datetime | None = None) -> Alert | None:
    """The person pressed "I need help now": raise an urgent alert (once per check-in).

    Works from any link of a plan that has not ended, even an expired or answered one: asking for
    help is never refused. Returns None for a link that is not known or whose plan has ended.
    """
    moment = now or timezone.now()
    link = link_for(token)
    if link is None or link.check_in.plan.status == PlanStatus.ENDED or link.check_in.person.erased_at:
        return None
    with transaction.atomic():
        check_in = CheckIn.objects.select_for_update().select_related("plan").get(pk=link.check_in_id)
        if check_in.help_now_at is None:
            check_in.help_now_at = moment
            check_in.save(update_fields=["help_now_at"])
        service = _service_settings([check_in.plan.organisation_id])[check_in.plan.organisation_id]
        recipients = _recipients([check_in.person_id], timezone.localdate(moment)).get(check_in.person_id, [])
        made = _raise_alerts(check_in, rules.evaluate({}, help_now=True), service, recipients, now=moment)
        if made:
            audit_write(
                actor=None, action="continuing.help_now", target=check_in, details={"alert_id": str(made[0].uuid)}
            )
    return made[0] if made else Alert.objects.filter(check_in=check_in, rule_code="help_now").first()


@dataclass
class NewLink:
    sent: bool
    reason: str  # "sent", "recently_sent", "ended", "paused", "no_contact", "finished", "unknown"


def check_in_new_link(*, token: str, now: datetime | None = None) -> NewLink:
    """Send a fresh link to the contact on record, from an expired or used link.

    The plan's latest check-in is opened again if it was not answered; if it was, the next one in the
    schedule is brought forward to today. At most one new link per plan every ten minutes.
    """
    moment = now or timezone.now()
    link = link_for(token)
    if link is None or link.check_in.person.erased_at is not None:
        return NewLink(False, "unknown")
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("person").get(pk=link.check_in.plan_id)
        if plan.status == PlanStatus.ENDED:
            return NewLink(False, "ended")
        if plan.status == PlanStatus.PAUSED:
            return NewLink(False, "paused")
        if not _contact_of(plan, plan.person):
            return NewLink(False, "no_contact")
        if CheckInLink.objects.filter(
            check_in__plan=plan, asked_by_person=True, created_at__gt=moment - NEW_LINK_PAUSE
        ).exists():
            return NewLink(False, "recently_sent")
        latest = CheckIn.objects.select_for_update().filter(plan=plan).order_by("-number").first()
        expires = moment + timedelta(days=plan.link_days)
        if latest is not None and latest.status in (CheckInStatus.OPEN, CheckInStatus.MISSED):
            latest.status = CheckInStatus.OPEN
            latest.expires_at = expires
            latest.links_sent += 1
            latest.save(update_fields=["status", "expires_at", "links_sent"])
            target = latest
        else:
            item = schedule.due(plan.schedule(), plan.started_on, plan.next_number)
            if item is None:
                return NewLink(False, "finished")
            target = CheckIn.objects.create(
                plan=plan,
                person=plan.person,
                number=item.number,
                kind=item.kind,
                due_on=timezone.localdate(moment),
                expires_at=expires,
                sent_at=moment,
            )
            following = schedule.due(plan.schedule(), plan.started_on, item.number + 1)
            plan.next_number = item.number + 1
            plan.next_due_on = following.due_on if following else None
            plan.save(update_fields=["next_number", "next_due_on"])
        token_text, hashed = new_token()
        CheckInLink.objects.create(
            check_in=target, token_hash=hashed, created_at=moment, expires_at=expires, asked_by_person=True
        )
        _send_link(plan, plan.person, token_text, days=plan.link_days, again=True)
        audit_write(
            actor=None,
            action="continuing.new_link",
            target=target,
            details={"plan_id": str(plan.uuid), "number": target.number},
        )
    return NewLink(True, "sent")


def plan_stop_from_link(*, token: str) -> Plan:
    """The person stops their check-ins from a link (any link of the plan, even expired)."""
    link = link_for(token)
    if link is None or link.check_in.person.erased_at is not None:
        raise LinkUnusable("unknown")
    return plan_end(actor=None, plan=link.check_in.plan, by_person=True)


# --- Working an alert ---------------------------------------------------------------------------


def _event(alert: Alert, kind: str, actor: User, **fields: Any) -> AlertEvent:
    return AlertEvent.objects.create(alert=alert, kind=kind, by=actor, by_label=str(actor), **fields)


def alert_acknowledge(
    *, actor: User, alert: Alert, now: datetime | None = None, request: HttpRequest | None = None
) -> Alert:
    """Pick up an alert. Anyone it went to (or the duty worker) who may see it; the first one wins."""
    from rosc.continuing.selectors import alert_access

    if alert_access(actor, alert) is None:
        raise Http404("No alert found.")
    moment = now or timezone.now()
    with transaction.atomic():
        changed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.ACKNOWLEDGED, acknowledged_at=moment, acknowledged_by=actor
        )
        if changed != 1:
            raise ActionRefused("Someone has already picked up this alert.")
        _event(alert, EventKind.ACKNOWLEDGED, actor, at=moment)
        audit_write(actor=actor, action="continuing.alert_acknowledge", target=alert, request=request)
    alert.refresh_from_db()
    return alert


def _auto_acknowledge(alert: Alert, actor: User, moment: datetime) -> None:
    if Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
        status=AlertStatus.ACKNOWLEDGED, acknowledged_at=moment, acknowledged_by=actor
    ):
        _event(alert, EventKind.ACKNOWLEDGED, actor, at=moment)


def alert_record_contact(
    *,
    actor: User,
    alert: Alert,
    how: str,
    happened_at: datetime,
    note: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> AlertEvent:
    """Record contact made (or tried) with the person: how, when and by whom. Picks the alert up if open."""
    from rosc.continuing.selectors import alert_access

    if alert_access(actor, alert) is None:
        raise Http404("No alert found.")
    moment = now or timezone.now()
    if how not in ContactHow.values:
        raise ActionRefused("Select how you contacted them.", field="how")
    if happened_at > moment + timedelta(minutes=5):
        raise ActionRefused("The time of the contact cannot be in the future.", field="happened_at")
    if happened_at < alert.raised_at - timedelta(days=1):
        raise ActionRefused("The contact must be after the alert was raised.", field="happened_at")
    if len(note) > NOTE_MAX:
        raise ActionRefused(f"The note must be {NOTE_MAX} characters or fewer.", field="note")
    with transaction.atomic():
        _auto_acknowledge(alert, actor, moment)
        event = _event(alert, EventKind.CONTACT, actor, at=moment, contact_how=how, happened_at=happened_at, note=note)
        audit_write(actor=actor, action="continuing.alert_contact", target=alert, request=request, details={"how": how})
    alert.refresh_from_db()
    return event


def alert_record_outcome(
    *,
    actor: User,
    alert: Alert,
    outcome: str,
    note: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Alert:
    """Close an alert with its outcome."""
    from rosc.continuing.selectors import alert_access

    if alert_access(actor, alert) is None:
        raise Http404("No alert found.")
    if outcome not in AlertOutcome.values:
        raise ActionRefused("Select the outcome.", field="outcome")
    if len(note) > NOTE_MAX:
        raise ActionRefused(f"The note must be {NOTE_MAX} characters or fewer.", field="note")
    moment = now or timezone.now()
    with transaction.atomic():
        _auto_acknowledge(alert, actor, moment)
        changed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.ACKNOWLEDGED).update(
            status=AlertStatus.CLOSED, closed_at=moment
        )
        if changed != 1:
            raise ActionRefused("This alert is already closed.")
        _event(alert, EventKind.OUTCOME, actor, at=moment, outcome=outcome, note=note)
        audit_write(
            actor=actor, action="continuing.alert_outcome", target=alert, request=request, details={"outcome": outcome}
        )
    alert.refresh_from_db()
    return alert


def alert_refer_back(
    *,
    actor: User,
    alert: Alert,
    service: Any,
    need: str,
    sender_organisation: Organisation,
    request: HttpRequest | None = None,
) -> Any:
    """Send a referral straight back into treatment from an alert (through the referrals area)."""
    from rosc.continuing.selectors import alert_access
    from rosc.referrals.actions import referral_send

    if alert_access(actor, alert) != "full" or not can_access(actor, alert.person, Category.REFERRALS):
        raise PermissionDenied
    with transaction.atomic():
        referral = referral_send(
            actor=actor,
            person=alert.person,
            service=service,
            need=need,
            sender_organisation=sender_organisation,
            request=request,
        )
        _auto_acknowledge(alert, actor, timezone.now())
        _event(alert, EventKind.REFERRAL, actor, note=f"Referral {referral.reference}")
        audit_write(
            actor=actor,
            action="continuing.alert_refer_back",
            target=alert,
            request=request,
            details={"referral_id": str(referral.pk)},
        )
    return referral


# --- The scheduled run --------------------------------------------------------------------------


@dataclass
class RunResult:
    created: int = 0
    sent: int = 0
    missed: int = 0
    missed_alerts: int = 0
    escalated: int = 0
    timings: dict[str, float] = field(default_factory=dict)


Progress = Callable[[str, int, int], None]


def _batches(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _advance(plans: list[Plan]) -> None:
    """Save where each plan has got to, in one statement run for every plan (much faster than a bulk
    update's CASE expression for thousands of rows)."""
    table = connection.ops.quote_name(Plan._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET next_number = %s, next_due_on = %s WHERE id = %s",  # noqa: S608 - names are ours
            [(plan.next_number, plan.next_due_on, plan.pk) for plan in plans],
        )


def create_due_check_ins(*, now: datetime, batch_size: int = 1000, progress: Progress | None = None) -> tuple[int, int]:
    """Create and send every check-in due by today. Returns (created, sent)."""
    today = timezone.localdate(now)
    ids = list(
        Plan.objects.filter(status=PlanStatus.ACTIVE, next_due_on__lte=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    created = sent = 0
    for done, batch in enumerate(_batches(ids, batch_size)):
        with transaction.atomic():
            plans = list(
                Plan.objects.select_for_update()
                .filter(pk__in=batch, status=PlanStatus.ACTIVE, next_due_on__lte=today)
                .select_related("person")
                .order_by("pk")
            )
            new_rows: list[CheckIn] = []
            tokens: list[str] = []
            for plan in plans:
                sched = plan.schedule()
                item = schedule.due(sched, plan.started_on, plan.next_number)
                # If the run was down for a while, send only the latest check-in due, not a pile of them.
                while item is not None:
                    following = schedule.due(sched, plan.started_on, item.number + 1)
                    if following is None or following.due_on > today:
                        break
                    item = following
                if item is None:
                    plan.next_due_on = None
                    continue
                following = schedule.due(sched, plan.started_on, item.number + 1)
                plan.next_number = item.number + 1
                plan.next_due_on = following.due_on if following else None
                token_text, _hashed = new_token()
                tokens.append(token_text)
                new_rows.append(
                    CheckIn(
                        plan=plan,
                        person_id=plan.person_id,
                        number=item.number,
                        kind=item.kind,
                        due_on=item.due_on,
                        expires_at=now + timedelta(days=plan.link_days),
                        sent_at=now,
                    )
                )
            CheckIn.objects.bulk_create(new_rows, batch_size=500)
            if not new_rows[:1] or new_rows[0].pk is None:
                # Databases that do not return keys from a bulk insert: look them up.
                keys = dict(
                    CheckIn.objects.filter(plan_id__in=[r.plan_id for r in new_rows])
                    .filter(sent_at=now)
                    .values_list("plan_id", "pk")
                )
                for row in new_rows:
                    row.pk = keys[row.plan_id]
            CheckInLink.objects.bulk_create(
                [
                    CheckInLink(check_in_id=row.pk, token_hash=token_hash(t), created_at=now, expires_at=row.expires_at)
                    for row, t in zip(new_rows, tokens, strict=True)
                ],
                batch_size=500,
            )
            _advance(plans)
            for row, token_text in zip(new_rows, tokens, strict=True):
                if _send_link(row.plan, row.plan.person, token_text, days=row.plan.link_days):
                    sent += 1
            created += len(new_rows)
            if new_rows:
                audit_write(
                    actor=None,
                    action="continuing.check_ins_create",
                    object_type="continuing.checkin",
                    details={"count": len(new_rows), "batch": done},
                )
        if progress:
            progress("check-ins created", min((done + 1) * batch_size, len(ids)), len(ids))
    return created, sent


def _missed_streaks(latest: dict[int, int]) -> dict[int, int]:
    """For each plan, how many check-ins in a row up to check-in ``latest[plan]`` were missed."""
    streaks: dict[int, int] = {}
    finished: set[int] = set()
    rows = (
        CheckIn.objects.filter(plan_id__in=list(latest))
        .exclude(status=CheckInStatus.CANCELLED)
        .order_by("plan_id", "-number")
        .values_list("plan_id", "number", "status")
    )
    for plan_id, number, status in rows:
        if plan_id in finished or number > latest[plan_id]:
            continue
        if status == CheckInStatus.MISSED:
            streaks[plan_id] = streaks.get(plan_id, 0) + 1
        else:
            finished.add(plan_id)
    return streaks


def _raise_missed_alerts(
    rows: list[CheckIn], services: dict[int, ServiceSettings], recipients: dict[int, list[User]], *, now: datetime
) -> int:
    """Missed-in-a-row alerts for check-ins this transaction has just marked missed, in bulk.

    Only the transaction that moved a check-in from open to missed (on rows it has locked) gets here,
    so no other process raises the same alert; the unique constraint stands guard all the same.
    """
    if not rows:
        return 0
    rule = rules.BY_CODE["missed_in_a_row"]
    made = Alert.objects.bulk_create(
        [
            Alert(
                person_id=row.person_id,
                plan_id=row.plan_id,
                check_in=row,
                organisation_id=row.plan.organisation_id,
                rule_code=rule.code,
                severity=rule.severity,
                raised_at=now,
                acknowledge_by=now + timedelta(hours=services[row.plan.organisation_id].ack_hours(rule.severity)),
            )
            for row in rows
        ],
        batch_size=500,
    )
    if made and made[0].pk is None:  # databases that do not return keys from a bulk insert
        by_check_in = dict(
            Alert.objects.filter(check_in__in=rows, rule_code=rule.code).values_list("check_in_id", "pk")
        )
        for alert in made:
            alert.pk = by_check_in[alert.check_in_id]
    events: list[AlertEvent] = []
    for alert in made:
        told = recipients.get(alert.person_id, [])
        events.append(AlertEvent(alert=alert, kind=EventKind.RAISED, at=now))
        events += [AlertEvent(alert=alert, kind=EventKind.NOTIFIED, at=now, to=worker) for worker in told]
        for worker in told:
            _tell_worker(alert, worker)
    AlertEvent.objects.bulk_create(events, batch_size=1000)
    audit_write(
        actor=None,
        action="continuing.alerts_raise",
        object_type="continuing.alert",
        details={"rules": [rule.code], "count": len(made)},
    )
    return len(made)


def mark_missed(*, now: datetime, batch_size: int = 1000, progress: Progress | None = None) -> tuple[int, int]:
    """Mark check-ins whose link time ran out as missed, and raise missed-in-a-row alerts. (missed, alerts)"""
    ids = list(
        CheckIn.objects.filter(status=CheckInStatus.OPEN, expires_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    missed = alerts = 0
    today = timezone.localdate(now)
    for done, batch in enumerate(_batches(ids, batch_size)):
        with transaction.atomic():
            rows = list(
                CheckIn.objects.select_for_update()
                .filter(pk__in=batch, status=CheckInStatus.OPEN, expires_at__lte=now)
                .select_related("plan")
            )
            if not rows:
                continue
            CheckIn.objects.filter(pk__in=[r.pk for r in rows]).update(status=CheckInStatus.MISSED, missed_at=now)
            missed += len(rows)
            latest_by_plan = {r.plan_id: r for r in sorted(rows, key=lambda r: r.number)}
            streaks = _missed_streaks({plan_id: row.number for plan_id, row in latest_by_plan.items()})
            services = _service_settings({r.plan.organisation_id for r in rows})
            flagged = []
            for plan_id, row in latest_by_plan.items():
                service = services[row.plan.organisation_id]
                if rules.evaluate_missed(streaks.get(plan_id, 0), overrides=service.rule_parameters):
                    flagged.append(row)
            alerts += _raise_missed_alerts(
                flagged, services, _recipients({r.person_id for r in flagged}, today), now=now
            )
            audit_write(
                actor=None,
                action="continuing.check_ins_missed",
                object_type="continuing.checkin",
                details={"count": len(rows), "batch": done},
            )
        if progress:
            progress("check-ins marked missed", min((done + 1) * batch_size, len(ids)), len(ids))
    return missed, alerts


def _service_managers(organisation_id: int) -> list[User]:
    ids = (
        Membership.objects.active()
        .filter(organisation_id=organisation_id, role=Role.SERVICE_MANAGER)
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True))


def escalate_alerts(*, now: datetime, batch_size: int = 200, progress: Progress | None = None) -> int:
    """Alerts nobody picked up in time go to the service's duty worker (each once).

    With no duty worker set, the service managers are told instead and the history says so. Each
    batch is one transaction over locked rows, re-checked after locking, so a second run (or a run
    after a crash) never escalates an alert twice.
    """
    ids = list(
        Alert.objects.filter(status=AlertStatus.OPEN, escalated_at__isnull=True, acknowledge_by__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    escalated = 0
    services: dict[int, ServiceSettings] = {}
    managers: dict[int, list[User]] = {}
    for done, batch in enumerate(_batches(ids, batch_size)):
        with transaction.atomic():
            alerts = list(
                Alert.objects.select_for_update()
                .filter(pk__in=batch, status=AlertStatus.OPEN, escalated_at__isnull=True, acknowledge_by__lte=now)
                .order_by("pk")
            )
            missing = {a.organisation_id for a in alerts} - set(services)
            if missing:
                services.update(_service_settings(missing))
            events: list[AlertEvent] = []
            for alert in alerts:
                duty = services[alert.organisation_id].duty_worker
                if duty is not None and (not duty.is_active or not roles_of(duty).get(alert.organisation_id)):
                    duty = None
                alert.escalated_at = now
                alert.escalated_to = duty
                if duty is not None:
                    _tell_worker(alert, duty, escalated=True)
                    events.append(AlertEvent(alert=alert, kind=EventKind.ESCALATED, at=now, to=duty))
                else:
                    if alert.organisation_id not in managers:
                        managers[alert.organisation_id] = _service_managers(alert.organisation_id)
                    for manager in managers[alert.organisation_id]:
                        _tell_worker(alert, manager, escalated=True)
                    events.append(AlertEvent(alert=alert, kind=EventKind.NO_DUTY_WORKER, at=now))
            Alert.objects.bulk_update(alerts, ["escalated_at", "escalated_to"], batch_size=500)
            AlertEvent.objects.bulk_create(events, batch_size=1000)
            if alerts:
                audit_write(
                    actor=None,
                    action="continuing.alerts_escalate",
                    object_type="continuing.alert",
                    details={"alert_ids": [str(a.uuid) for a in alerts][:50], "count": len(alerts)},
                )
            escalated += len(alerts)
        if progress:
            progress("alerts escalated", min((done + 1) * batch_size, len(ids)), len(ids))
    return escalated


def run_continuing_care(
    *, now: datetime | None = None, batch_size: int = 1000, progress: Progress | None = None
) -> RunResult:
    """The scheduled run: mark missed check-ins, create and send due ones, escalate alerts. Idempotent."""
    import time

    moment = now or timezone.now()
    result = RunResult()
    started = time.perf_counter()
    result.missed, result.missed_alerts = mark_missed(now=moment, batch_size=batch_size, progress=progress)
    result.timings["missed"] = time.perf_counter() - started
    started = time.perf_counter()
    result.created, result.sent = create_due_check_ins(now=moment, batch_size=batch_size, progress=progress)
    result.timings["create"] = time.perf_counter() - started
    started = time.perf_counter()
    result.escalated = escalate_alerts(now=moment, progress=progress)
    result.timings["escalate"] = time.perf_counter() - started
    return result
