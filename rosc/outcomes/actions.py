"""Every write of outcome measures: keyword-only, one transaction each, audited in it.

Who may record what:

- ``via="practitioner"``: a practitioner or service manager who may change the
  OUTCOMES part of the person's record (care team + consent, or break-glass;
  see ``rosc.record.access.can_edit``). Any instrument.
- ``via="self"``: the person, signed in to the account linked to their record.
  BARC-10 and ONS4.
- ``via="check_in"``: the person (or family member) answering from a signed
  link that the calling area has already checked, so ``actor`` may be None.
  BARC-10 and ONS4 for a person; ONS4 for a family member.
- ``via="family"``: a family member, signed in, about their own wellbeing. ONS4.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import Organisation, User
from rosc.outcomes.instruments import INSTRUMENTS, score, validate
from rosc.outcomes.models import Measurement, Via
from rosc.record.access import access_grant, can_edit, working_organisation_ids
from rosc.record.categories import Category
from rosc.record.models import Person

PERSON_SELF_INSTRUMENTS = frozenset({"barc10", "ons4"})
FAMILY_INSTRUMENTS = frozenset({"ons4"})


def _taken_at(value: datetime | date | None) -> datetime:
    now = timezone.now()
    if value is None:
        return now
    if isinstance(value, datetime):
        moment = value if timezone.is_aware(value) else timezone.make_aware(value)
    else:
        moment = timezone.make_aware(datetime.combine(value, time(12, 0)))
        if value == timezone.localdate(now):
            moment = min(moment, now)
    if moment > now + timedelta(minutes=5):
        raise ActionRefused("The date the measure was taken must be today or in the past.", field="taken_at")
    return moment


def _clean_answers(code: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Drop unanswered items, keep yes/no answers as booleans."""
    instrument = INSTRUMENTS[code]
    kinds = {item.key: item.kind for item in instrument.items}
    cleaned: dict[str, Any] = {}
    for key, value in answers.items():
        if value is None or value == "":
            continue
        if kinds.get(key) == "yes_no" and value in (0, 1):
            value = bool(value)
        cleaned[key] = value
    return cleaned


def _check_who(
    *,
    actor: User | None,
    code: str,
    person: Person | None,
    family_member: User | None,
    organisation: Organisation | None,
    via: str,
) -> Organisation | None:
    """Refuse what ``actor`` may not record; the organisation the measurement belongs to."""
    if via not in Via.values:
        raise ValueError(f"Unknown way of recording {via!r}.")
    if (person is None) == (family_member is None):
        raise ValueError("A measurement is about one person or one family member.")
    if actor is None and via != Via.CHECK_IN:
        raise PermissionDenied("Only a check-in answered from a signed link may be recorded without a signed-in user.")
    if actor is not None and not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied("Sign in to record an outcome measure.")
    if person is not None and (person.erased_at is not None or person.restricted_at is not None):
        raise PermissionDenied("This record cannot be changed.")
    if family_member is not None:
        if code not in FAMILY_INSTRUMENTS:
            raise ActionRefused("Family members answer the ONS4 wellbeing questions only.", field="instrument")
        if via == Via.FAMILY:
            if actor is None or actor.pk != family_member.pk:
                raise PermissionDenied("A family member records their own wellbeing only.")
        elif via == Via.CHECK_IN:
            if actor is not None and actor.pk != family_member.pk:
                raise PermissionDenied("A check-in is answered by the family member themselves.")
        else:
            raise PermissionDenied("A family member's wellbeing is recorded by the family member.")
        return organisation
    assert person is not None
    if via == Via.FAMILY:
        raise PermissionDenied("Use the person's own record for their measures.")
    if via == Via.PRACTITIONER:
        if actor is None or not can_edit(actor, person, Category.OUTCOMES):
            raise PermissionDenied("You cannot record outcome measures for this person.")
        if organisation is not None:
            if organisation.pk not in working_organisation_ids(actor):
                raise PermissionDenied("You can only record outcome measures for your own organisation.")
            return organisation
        grant = access_grant(actor, person, Category.OUTCOMES)
        return grant.organisation if grant else None
    if code not in PERSON_SELF_INSTRUMENTS:
        raise ActionRefused(
            f"{INSTRUMENTS[code].short_name} is recorded by the treatment service, not filled in by the person.",
            field="instrument",
        )
    if via == Via.SELF:
        if actor is None or person.account_id != actor.pk:
            raise PermissionDenied("You can only fill in your own outcome measures.")
    elif actor is not None and person.account_id != actor.pk:  # a check-in
        raise PermissionDenied("A check-in is answered by the person themselves.")
    return organisation


def record_measurement(
    *,
    actor: User | None,
    instrument: str,
    answers: Mapping[str, Any],
    person: Person | None = None,
    family_member: User | None = None,
    organisation: Organisation | None = None,
    via: str,
    taken_at: datetime | date | None = None,
    request: HttpRequest | None = None,
) -> Measurement:
    """Check, score and save one measurement, and audit it, in one transaction.

    Raises ``ActionRefused`` (nothing saved) when an answer is out of range or
    nothing is answered, and ``PermissionDenied`` when ``actor`` may not record it.
    """
    if instrument not in INSTRUMENTS:
        raise ActionRefused("Choose an outcome measure.", field="instrument")
    owner = _check_who(
        actor=actor, code=instrument, person=person, family_member=family_member, organisation=organisation, via=via
    )
    cleaned = _clean_answers(instrument, answers)
    problems = validate(instrument, cleaned)
    if problems:
        key, message = problems[0]
        raise ActionRefused(message, field=key)
    moment = _taken_at(taken_at)
    definition = INSTRUMENTS[instrument]
    with transaction.atomic():
        measurement = Measurement.objects.create(
            instrument=instrument,
            version=definition.version,
            person=person,
            family_member=family_member,
            answers=cleaned,
            scores=score(instrument, cleaned),
            stage=str(cleaned.get("stage", "")) if instrument == "top" else "",
            taken_at=moment,
            recorded_by=actor,
            organisation=owner,
            via=via,
        )
        audit_write(
            actor=actor,
            action="outcomes.measurement_recorded",
            target=measurement,
            request=request,
            details={
                "instrument": instrument,
                "via": via,
                "person_id": person.pk if person else None,
                "family_member_id": family_member.pk if family_member else None,
                "organisation_id": owner.pk if owner else None,
            },
        )
    return measurement
