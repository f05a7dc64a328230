"""Continuing care: a service's schedule and rule settings, plans, check-ins, alerts and their history."""

from __future__ import annotations

import uuid as uuid_lib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from rosc.continuing import rules
from rosc.continuing.schedule import KIND_LABELS, MONTHLY, QUARTERLY, WEEKLY, Schedule
from rosc.core.models import Organisation
from rosc.record.models import Person

DEFAULT_ACK_HOURS = {rules.URGENT: 2, rules.HIGH: 24, rules.ROUTINE: 72}


class ServiceSettings(models.Model):
    """One service's continuing-care settings, set by its service managers. Defaults apply until then."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="continuing_settings")
    weekly_weeks = models.PositiveSmallIntegerField(default=12)
    monthly_until_month = models.PositiveSmallIntegerField(default=12)
    quarterly_until_month = models.PositiveSmallIntegerField(default=24)
    link_days = models.PositiveSmallIntegerField(default=7, help_text="Days a check-in link works.")
    ack_hours_urgent = models.PositiveSmallIntegerField(default=DEFAULT_ACK_HOURS[rules.URGENT])
    ack_hours_high = models.PositiveSmallIntegerField(default=DEFAULT_ACK_HOURS[rules.HIGH])
    ack_hours_routine = models.PositiveSmallIntegerField(default=DEFAULT_ACK_HOURS[rules.ROUTINE])
    duty_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule_parameters = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Continuing-care settings of {self.organisation}"

    def schedule(self) -> Schedule:
        return Schedule(self.weekly_weeks, self.monthly_until_month, self.quarterly_until_month)

    def ack_hours(self, severity: str) -> int:
        return int(getattr(self, f"ack_hours_{severity}"))


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class PlanChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class DischargeReason(models.TextChoices):
    """NDTMS discharge reasons."""

    COMPLETED_DRUG_FREE = "completed_drug_free", "Treatment completed: drug free"
    COMPLETED_ALCOHOL_FREE = "completed_alcohol_free", "Treatment completed: alcohol free"
    COMPLETED_OCCASIONAL = "completed_occasional", "Treatment completed: occasional user (not opiates or crack)"
    TRANSFERRED = "transferred", "Transferred: not in custody"
    TRANSFERRED_CUSTODY = "transferred_custody", "Transferred: in custody"
    DROPPED_OUT = "dropped_out", "Incomplete: dropped out"
    WITHDRAWN = "withdrawn", "Incomplete: treatment withdrawn by provider"
    DECLINED = "declined", "Incomplete: treatment commencement declined by the client"
    ONWARD_REFUSED = "onward_refused", "Incomplete: onward referral offered and refused"
    RETAINED_CUSTODY = "retained_custody", "Incomplete: retained in custody"
    DIED = "died", "Incomplete: died"


# A continuing-care plan cannot start after these.
NO_PLAN_AFTER = frozenset({DischargeReason.DIED, DischargeReason.RETAINED_CUSTODY, DischargeReason.TRANSFERRED_CUSTODY})


class Plan(models.Model):
    """A person's continuing-care plan: the schedule and channel it started with, and where it has got to."""

    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="continuing_plans")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    started_on = models.DateField()
    discharge_reason = models.CharField(max_length=32, choices=DischargeReason.choices, blank=True)
    weekly_weeks = models.PositiveSmallIntegerField()
    monthly_until_month = models.PositiveSmallIntegerField()
    quarterly_until_month = models.PositiveSmallIntegerField()
    link_days = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=8, choices=PlanChannel.choices)
    next_number = models.PositiveSmallIntegerField(default=1)
    next_due_on = models.DateField(null=True, blank=True, help_text="Empty when the schedule is finished.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    paused_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by_person = models.BooleanField(default=False)
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=~Q(status="ended"), name="continuing_one_open_plan_per_person"
            )
        ]
        indexes = [models.Index(fields=["status", "next_due_on"], name="continuing_plan_due")]

    def __str__(self) -> str:
        return f"Continuing-care plan {self.uuid}"

    def schedule(self) -> Schedule:
        return Schedule(self.weekly_weeks, self.monthly_until_month, self.quarterly_until_month)


class CheckInStatus(models.TextChoices):
    OPEN = "open", "Waiting for answers"
    ANSWERED = "answered", "Answered"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Not needed"


class CheckIn(models.Model):
    """One check-in of a plan. Its links are in :class:`CheckInLink`; it is missed when ``expires_at`` passes."""

    KIND_CHOICES = [(WEEKLY, KIND_LABELS[WEEKLY]), (MONTHLY, KIND_LABELS[MONTHLY]), (QUARTERLY, KIND_LABELS[QUARTERLY])]

    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="check_ins")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=CheckInStatus.choices, default=CheckInStatus.OPEN)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    links_sent = models.PositiveSmallIntegerField(default=1)
    answered_at = models.DateTimeField(null=True, blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)
    help_now_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="continuing_one_check_in_per_number")]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="continuing_checkin_expiry"),
            models.Index(fields=["plan", "-number"], name="continuing_checkin_latest"),
        ]
        ordering = ["plan_id", "number"]

    def __str__(self) -> str:
        return f"Check-in {self.number} of plan {self.plan_id}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def is_expired(self, at: datetime | None = None) -> bool:
        return (at or timezone.now()) >= self.expires_at


class CheckInLink(models.Model):
    """A link sent for a check-in. Only the SHA-256 hash of its random token is kept."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    asked_by_person = models.BooleanField(default=False, help_text="A new link the person asked for.")

    def __str__(self) -> str:
        return f"Link for check-in {self.check_in_id}"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Waiting for someone to pick it up"
    ACKNOWLEDGED = "acknowledged", "Picked up"
    CLOSED = "closed", "Closed with an outcome"


class Alert(models.Model):
    """An early-warning alert from one check-in and one rule (never two for the same pair)."""

    SEVERITY_CHOICES = [(s, rules.SEVERITY_LABELS[s]) for s in rules.SEVERITIES]
    RULE_CHOICES = [(r.code, r.description) for r in rules.RULES]

    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="alerts")
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="alerts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rule_code = models.CharField(max_length=32, choices=RULE_CHOICES)
    severity = models.CharField(max_length=8, choices=SEVERITY_CHOICES)
    status = models.CharField(max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledge_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["check_in", "rule_code"], name="continuing_one_alert_per_rule")]
        indexes = [models.Index(fields=["status", "escalated_at", "acknowledge_by"], name="continuing_alert_due")]
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Alert {self.uuid}"

    @property
    def description(self) -> str:
        rule = rules.BY_CODE.get(self.rule_code)
        return rule.description if rule else self.rule_code

    @property
    def severity_label(self) -> str:
        return rules.SEVERITY_LABELS.get(self.severity, self.severity)

    def overdue(self, at: datetime | None = None) -> bool:
        return self.status == AlertStatus.OPEN and (at or timezone.now()) >= self.acknowledge_by


class EventKind(models.TextChoices):
    RAISED = "raised", "Alert raised"
    NOTIFIED = "notified", "Told"
    ESCALATED = "escalated", "Escalated to the duty worker"
    NO_DUTY_WORKER = "no_duty_worker", "Could not escalate: no duty worker set"
    ACKNOWLEDGED = "acknowledged", "Picked up"
    CONTACT = "contact", "Contact made"
    OUTCOME = "outcome", "Outcome recorded"
    REFERRAL = "referral", "Referral sent back into treatment"


class ContactHow(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    NO_ANSWER = "no_answer", "Tried, no answer"


class AlertOutcome(models.TextChoices):
    SUPPORTED = "supported", "Talked it through; staying with continuing care"
    MORE_SUPPORT = "more_support", "Arranged extra support (peer mentor, group, appointment)"
    REFERRED = "referred", "Referred back into treatment or another service"
    CRISIS = "crisis", "Crisis or emergency services involved"
    NOT_REACHED = "not_reached", "Could not reach them after several tries"
    NO_ACTION = "no_action", "No action needed"


class AlertEvent(models.Model):
    """The time-stamped history of an alert: raised, told, escalated, picked up, contact made, outcome."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_label = models.CharField(max_length=200, blank=True)
    to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    happened_at = models.DateTimeField(null=True, blank=True, help_text="When the contact happened.")
    contact_how = models.CharField(max_length=12, choices=ContactHow.choices, blank=True)
    outcome = models.CharField(max_length=16, choices=AlertOutcome.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


def link_expiry(days: int, *, at: datetime | None = None) -> datetime:
    return (at or timezone.now()) + timedelta(days=days)
