"""Closed-loop referrals: one person, from one service (or themselves) to a directory service.

A referral's status changes only through ``rosc.referrals.actions``, which
check the move against the state machine in ``rosc.referrals.states``, lock
the row and compare its ``version`` in one transaction, so two people acting
at once cannot both succeed. Every change and every comment is a
:class:`ReferralEvent`: the sender, the receiving service and the person read
the same list.

Nothing here is read straight from views: reads go through
``rosc.referrals.selectors``, which scope by organisation, care team and consent.
"""

from __future__ import annotations

import uuid as uuid_lib
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone

from rosc.core.models import Organisation, User
from rosc.directory.models import Service
from rosc.record.models import Consent, Person
from rosc.referrals import states


class State(models.TextChoices):
    SENT = states.State.SENT.value, states.State.SENT.label
    RECEIVED = states.State.RECEIVED.value, states.State.RECEIVED.label
    ACCEPTED = states.State.ACCEPTED.value, states.State.ACCEPTED.label
    DECLINED = states.State.DECLINED.value, states.State.DECLINED.label
    WAITING_LIST = states.State.WAITING_LIST.value, states.State.WAITING_LIST.label
    IN_PROGRESS = states.State.IN_PROGRESS.value, states.State.IN_PROGRESS.label
    COMPLETED = states.State.COMPLETED.value, states.State.COMPLETED.label
    WITHDRAWN = states.State.WITHDRAWN.value, states.State.WITHDRAWN.label
    REROUTED = states.State.REROUTED.value, states.State.REROUTED.label


class Outcome(models.TextChoices):
    GOT_HELP = states.Outcome.GOT_HELP.value, states.Outcome.GOT_HELP.label
    COULD_NOT_CONTACT = states.Outcome.COULD_NOT_CONTACT.value, states.Outcome.COULD_NOT_CONTACT.label
    NOT_ELIGIBLE = states.Outcome.NOT_ELIGIBLE.value, states.Outcome.NOT_ELIGIBLE.label
    NO_CAPACITY = states.Outcome.NO_CAPACITY.value, states.Outcome.NO_CAPACITY.label
    NO_LONGER_WANTED = states.Outcome.NO_LONGER_WANTED.value, states.Outcome.NO_LONGER_WANTED.label
    OTHER = states.Outcome.OTHER.value, states.Outcome.OTHER.label


class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = states.DeclineReason.NOT_ELIGIBLE.value, states.DeclineReason.NOT_ELIGIBLE.label
    NO_CAPACITY = states.DeclineReason.NO_CAPACITY.value, states.DeclineReason.NO_CAPACITY.label
    BETTER_ELSEWHERE = states.DeclineReason.BETTER_ELSEWHERE.value, states.DeclineReason.BETTER_ELSEWHERE.label
    PERSON_DECLINED = states.DeclineReason.PERSON_DECLINED.value, states.DeclineReason.PERSON_DECLINED.label
    NOT_ENOUGH_INFORMATION = (
        states.DeclineReason.NOT_ENOUGH_INFORMATION.value,
        states.DeclineReason.NOT_ENOUGH_INFORMATION.label,
    )
    OTHER = states.DeclineReason.OTHER.value, states.DeclineReason.OTHER.label


class Basis(models.TextChoices):
    """Why the referral could be sent: the person's consent, or a recorded exception."""

    CONSENT = "consent", "The person's consent"
    SAFEGUARDING = "safeguarding", "Safeguarding exception"
    VITAL_INTERESTS = "vital_interests", "Vital interests exception"


class Source(models.TextChoices):
    SERVICE = "service", "Referred by a service"
    SELF = "self", "Asked for support themselves"


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid_lib.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    # Copied from the service when sent, so scoping never depends on a later change of the listing.
    receiving_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received"
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.SERVICE)
    sender_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    sender = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sender_label = models.CharField(max_length=200, blank=True, help_text="The sender's name at the time.")
    need = models.TextField(help_text="What help the person needs from this service, in plain words.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.SENT)
    version = models.PositiveIntegerField(default=1, help_text="Goes up with every change of status.")
    basis = models.CharField(max_length=16, choices=Basis.choices, default=Basis.CONSENT)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    exception_reason = models.TextField(blank=True, help_text="Why it was sent without consent.")
    ig_review_needed = models.BooleanField(default=False)
    ig_reviewed_at = models.DateTimeField(null=True, blank=True)
    ig_reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ig_review_note = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    respond_by = models.DateField(help_text="The receiving service answers by the end of this day.")
    received_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The worker at the receiving service who took it on (the one who accepted it).
    receiver = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decline_reason = models.CharField(max_length=32, choices=DeclineReason.choices, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    # How the person asked to hear about changes: nothing unless they said so.
    tell_person_by_email = models.BooleanField(default=False)
    tell_person_by_sms = models.BooleanField(default=False)
    rerouted_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rerouted_to"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            # The inbox pages read ids in order from these alone (they cover filter, order and id).
            models.Index(
                fields=["receiving_organisation", "state", "respond_by", "sent_at", "id"], name="referral_inbox_due_idx"
            ),
            models.Index(
                fields=["receiving_organisation", "state", "updated_at", "id"], name="referral_inbox_recent_idx"
            ),
            models.Index(fields=["sender_organisation", "updated_at", "state", "id"], name="referral_sent_idx"),
            models.Index(fields=["person", "sent_at"], name="referral_person_idx"),
            models.Index(fields=["state", "respond_by", "escalated_at"], name="referral_escalate_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis="consent") | ~Q(exception_reason=""), name="referral_exception_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(source="self") | Q(sender_organisation__isnull=False),
                name="referral_service_source_has_sender",
            ),
            models.CheckConstraint(
                condition=~Q(state="completed") | ~Q(outcome=""), name="referral_completed_has_outcome"
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""), name="referral_declined_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference} ({self.get_state_display()})"

    @property
    def reference(self) -> str:
        """A short reference people can read out on the phone."""
        return str(self.pk).split("-")[0].upper()

    @property
    def state_label(self) -> str:
        return states.State(self.state).label

    @property
    def is_open(self) -> bool:
        return states.is_open(self.state)

    @property
    def is_awaiting_response(self) -> bool:
        return states.is_awaiting_response(self.state)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_awaiting_response and self.respond_by < (today or timezone.localdate())

    @property
    def sender_name(self) -> str:
        if self.source == Source.SELF:
            return "The person themselves"
        return self.sender_organisation.name if self.sender_organisation else ""


class EventKind(models.TextChoices):
    SENT = "sent", "Sent"
    RECEIVED = "receive", "Received"
    ACCEPTED = "accept", "Accepted"
    DECLINED = "decline", "Declined"
    WAIT_LISTED = "wait_list", "Put on the waiting list"
    STARTED = "start", "Support started"
    COMPLETED = "complete", "Completed"
    WITHDRAWN = "withdraw", "Withdrawn"
    REROUTED = "reroute", "Passed to another service"
    COMMENT = "comment", "Comment"
    ESCALATED = "escalated", "Overdue: escalated to the service manager"


class ReferralEvent(models.Model):
    """One line of a referral's history: a change of status or a comment.

    Everyone who can see the referral (the sender, the receiving service and
    the person) sees every event, so ``text`` must be written for all three.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, blank=True, help_text="Their name at the time.")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    text = models.TextField(blank=True)
    # The version the referral reached with this event: events of one referral never share one.
    version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_event_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "version"], condition=Q(version__isnull=False), name="referral_event_version_once"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def who(self) -> str:
        if self.organisation_id and self.actor_label:
            return f"{self.actor_label}, {self.organisation}"
        return self.actor_label or (str(self.organisation) if self.organisation_id else "Open ROSC")
