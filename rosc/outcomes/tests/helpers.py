"""Builders for outcome-measure tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rosc.outcomes.models import Measurement, Via
from rosc.record.tests.helpers import give_consent, make_person

BARC_47 = {f"q{i}": v for i, v in enumerate((5, 5, 5, 5, 5, 5, 5, 4, 4, 4), start=1)}
BARC_35 = {f"q{i}": v for i, v in enumerate((6, 5, 4, 3, 2, 1, 2, 3, 4, 5), start=1)}
ONS = {"life_satisfaction": 6, "worthwhile": 7, "happiness": 5, "anxiety": 4}


def person_in_care_of(organisation, *, account=None, categories=None, **fields):
    """A person with ``organisation`` in their care team and a live consent naming it."""
    person = make_person(organisation, account=account, **fields)
    if categories is None:
        give_consent(person, organisations=[organisation])
    else:
        give_consent(person, organisations=[organisation], categories=categories)
    return person


def add_measurement(person, instrument, answers, *, days_ago=0, organisation=None, via=Via.PRACTITIONER):
    """Store a measurement straight away (for read tests; writes are tested through the action)."""
    from rosc.outcomes.instruments import INSTRUMENTS, score

    return Measurement.objects.create(
        instrument=instrument,
        version=INSTRUMENTS[instrument].version,
        person=person,
        answers=answers,
        scores=score(instrument, answers),
        stage=answers.get("stage", ""),
        taken_at=timezone.now() - timedelta(days=days_ago),
        organisation=organisation,
        via=via,
    )
