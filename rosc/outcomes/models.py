"""Outcome measurements: one row per completed (or part-completed) instrument.

Each row keeps the instrument code and version it was answered on, the answers
as given and the scores worked out by ``rosc.outcomes.instruments`` at the
time, so a later change of scoring never rewrites history. Rows change only
through ``rosc.outcomes.actions`` and are read through ``rosc.outcomes.selectors``.
"""

from __future__ import annotations

import uuid as uuid_lib

from django.db import models
from django.db.models import Q

from rosc.core.models import Organisation, User
from rosc.outcomes.instruments import INSTRUMENTS, TOP_STAGES, Instrument
from rosc.record.models import Person


class Via(models.TextChoices):
    PRACTITIONER = "practitioner", "Recorded by a practitioner"
    SELF = "self", "Filled in by the person"
    CHECK_IN = "check_in", "Answered in a check-in"
    FAMILY = "family", "Filled in by a family member"


class Stage(models.TextChoices):
    START = TOP_STAGES[0]
    REVIEW = TOP_STAGES[1]
    EXIT = TOP_STAGES[2]


class Measurement(models.Model):
    uuid = models.UUIDField("public identifier", default=uuid_lib.uuid4, unique=True, editable=False)
    instrument = models.CharField(max_length=16, choices=[(code, i.short_name) for code, i in INSTRUMENTS.items()])
    version = models.CharField(max_length=40)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="outcome_measurements"
    )
    family_member = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="outcome_measurements"
    )
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    stage = models.CharField(max_length=8, choices=Stage.choices, blank=True, help_text="TOP only.")
    taken_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="outcome_measurements"
    )
    via = models.CharField(max_length=16, choices=Via.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("taken_at", "pk")
        indexes = [
            models.Index(fields=("person", "instrument", "taken_at"), name="outcomes_person_instr_taken"),
            models.Index(fields=("family_member", "instrument", "taken_at"), name="outcomes_family_instr_taken"),
            models.Index(fields=("instrument", "taken_at"), name="outcomes_instr_taken"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(family_member__isnull=True))
                | (Q(person__isnull=True) & Q(family_member__isnull=False)),
                name="outcomes_measurement_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.taken_at:%Y-%m-%d}"

    @property
    def definition(self) -> Instrument:
        return INSTRUMENTS[self.instrument]
