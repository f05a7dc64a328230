"""Every read of outcome measures, scoped to who is asking.

- :func:`measurements_for_person`: a person's measures, for a viewer who may
  see the OUTCOMES part of their record (the caller opens the record with
  ``rosc.record.access.person_for(..., category=Category.OUTCOMES)``, which
  audits the read and logs the disclosure) or for the person themselves.
- :func:`measurements_for_family_member`: a family member's own wellbeing.
- :func:`service_outcomes`: aggregated, suppressed figures for one
  organisation, for its service manager or a commissioner. Audited.

Each is a fixed number of queries whatever the number of measurements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from rosc.core.audit import audit_read
from rosc.core.models import Organisation, OrganisationKind, Role
from rosc.core.permissions import roles_of
from rosc.outcomes.aggregate import QuarterFigures, Reading, first_vs_latest
from rosc.outcomes.instruments import ONS4, ONS4_SHORT_LABELS
from rosc.outcomes.models import Measurement
from rosc.record.access import can_access
from rosc.record.categories import Category
from rosc.record.models import CareTeamMember, Person
from rosc.research.config import suppress_below
from rosc.research.suppression import may_publish_total


def _may_see_person(viewer: Any, person: Person) -> bool:
    if not getattr(viewer, "is_authenticated", False) or person.erased_at is not None:
        return False
    if person.account_id is not None and person.account_id == viewer.pk:
        return True
    return can_access(viewer, person, Category.OUTCOMES)


def measurements_for_person(viewer: Any, person: Person, instrument: str | None = None) -> list[Measurement]:
    """The person's measurements, oldest first. Refuses (PermissionDenied) a viewer who is neither the
    person nor someone who may see the OUTCOMES part of their record."""
    if not _may_see_person(viewer, person):
        raise PermissionDenied("You cannot see this person's outcome measures.")
    queryset = Measurement.objects.filter(person=person).select_related("organisation")
    if instrument:
        queryset = queryset.filter(instrument=instrument)
    return list(queryset.order_by("taken_at", "pk"))


def measurements_for_family_member(user: Any, instrument: str = "ons4") -> list[Measurement]:
    """A signed-in family member's own measurements (ONS4 by default), oldest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    queryset = Measurement.objects.filter(family_member=user)
    if instrument:
        queryset = queryset.filter(instrument=instrument)
    return list(queryset.order_by("taken_at", "pk"))


def own_person(user: Any) -> Person | None:
    """The record linked to a signed-in user's account, if any (not erased)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.current().filter(account=user).first()


# --- Service figures ----------------------------------------------------------


def service_organisations(viewer: Any) -> QuerySet[Organisation]:
    """Organisations whose aggregated figures ``viewer`` may see: every service for a commissioner,
    the organisations they manage for a service manager, none for anyone else."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.has_perm("outcomes.view_service_outcomes"):
        return Organisation.objects.none()
    roles = roles_of(viewer)
    if any(Role.COMMISSIONER in held for held in roles.values()):
        return Organisation.objects.exclude(kind=OrganisationKind.COMMISSIONER).order_by("name")
    managed = [org_id for org_id, held in roles.items() if Role.SERVICE_MANAGER in held]
    return Organisation.objects.filter(pk__in=managed).order_by("name")


@dataclass(frozen=True)
class ScoreFigures:
    key: str
    label: str
    scale_min: int
    scale_max: int
    quarters: list[QuarterFigures]


@dataclass(frozen=True)
class ServiceOutcomes:
    organisation: Organisation
    threshold: int
    people_measured: int | None  # None when fewer than the threshold
    barc10: ScoreFigures
    ons4: list[ScoreFigures]


def service_outcomes(viewer: Any, organisation_id: Any, *, request: HttpRequest | None = None) -> ServiceOutcomes:
    """Aggregated figures for the people in ``organisation``'s care (any time), suppressed. Audited.

    ``organisation_id`` is the organisation's uuid (or an Organisation). Raises PermissionDenied when the
    viewer may not see that organisation's figures (the same whether or not it exists).
    """
    allowed = service_organisations(viewer)
    key = organisation_id.uuid if isinstance(organisation_id, Organisation) else organisation_id
    try:
        organisation = allowed.filter(uuid=key).first()
    except (ValueError, TypeError):  # not a uuid
        organisation = None
    if organisation is None:
        raise PermissionDenied("You cannot see this service's outcome figures.")
    threshold = suppress_below()
    people = CareTeamMember.objects.filter(organisation=organisation).values("person_id")
    rows = (
        Measurement.objects.filter(
            person_id__in=people,
            instrument__in=("barc10", "ons4"),
            person__erased_at__isnull=True,
            person__restricted_at__isnull=True,
        )
        .order_by()
        .values_list("person_id", "instrument", "taken_at", "scores")
    )
    barc: list[Reading] = []
    ons: dict[str, list[Reading]] = {item.key: [] for item in ONS4.items}
    measured: set[int] = set()
    for person_id, instrument, taken_at, scores in rows:
        day = timezone.localdate(taken_at)
        measured.add(person_id)
        if instrument == "barc10":
            barc.append(Reading(person_id, taken_at, day, scores.get("total")))
        else:
            for item_key, readings in ons.items():
                readings.append(Reading(person_id, taken_at, day, (scores.get(item_key) or {}).get("score")))
    with transaction.atomic():
        audit_read(
            actor=viewer,
            action="outcomes.service_read",
            purpose="service outcome figures",
            target=organisation,
            request=request,
            details={"threshold": threshold},
        )
    return ServiceOutcomes(
        organisation=organisation,
        threshold=threshold,
        people_measured=len(measured) if may_publish_total(len(measured), threshold) else None,
        barc10=ScoreFigures("total", "BARC-10 total", 10, 60, first_vs_latest(barc, threshold=threshold)),
        ons4=[
            ScoreFigures(key, ONS4_SHORT_LABELS[key], 0, 10, first_vs_latest(readings, threshold=threshold))
            for key, readings in ons.items()
        ],
    )
