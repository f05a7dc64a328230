"""Writes that keep directory listings true, made by service managers and administrators.

Every action takes keyword-only arguments, checks ``directory.edit_service``
on the service (``PermissionDenied`` otherwise), runs in one transaction on a
locked copy of the row, saves with ``update_fields``, bumps
``Service.last_modified`` (the ORUK API's ``modified_after`` reads it),
refreshes the denormalised search and capacity fields with
:func:`rosc.directory.actions.service_reindex` and writes one audit row whose
details name the changed fields, never their values.

What counts as confirming a listing ("verification"):

- ``service_verify`` ("These details are correct") always does.
- ``service_update`` does too, whether or not anything changed: the edit page
  shows every published plain-English detail, so saving it is a review of
  them all.
- ``service_capacity_update``, ``service_close_temporarily`` and
  ``service_reopen`` do not: they touch one part of the listing and are often
  done weekly by someone who has not reread the rest, so counting them would
  hide descriptions that have gone out of date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.directory.actions import service_reindex
from rosc.directory.models import CapacityUnit, Service, ServiceCapacity, ServiceStatus

PURPOSE = "directory listing"

# The plain-English details a service manager may edit.
EDITABLE_FIELDS = (
    "name",
    "description",
    "what_to_expect",
    "eligibility",
    "fees",
    "url",
    "email",
    "minimum_age",
    "maximum_age",
    "offers_in_person",
    "offers_online",
    "offers_phone",
    "is_county_wide",
)
MAX_AGE_YEARS = 120
MAX_CAPACITY = 10_000
MAX_WAIT_WEEKS = 104
STATUS_NOTE_MAX = 300


@dataclass(frozen=True)
class CapacityFigures:
    """What is free now and the most there can be. For weeks to first
    appointment only ``available`` is used: the wait in weeks."""

    available: int | None
    maximum: int | None = None


def _check(actor: User, service: Service) -> None:
    if not actor.has_perm("directory.edit_service", service):
        raise PermissionDenied


def _locked(service: Service) -> Service:
    return Service.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=service.pk)


def _finish(
    *,
    actor: User,
    service: Service,
    fields: list[str],
    action: str,
    changed: list[str],
    now: datetime,
    request: HttpRequest | None,
    extra: dict[str, Any] | None = None,
) -> Service:
    """Bump ``last_modified``, save, reindex and audit, inside the caller's transaction."""
    service.last_modified = now
    service.save(update_fields=[*fields, "last_modified"])
    service_reindex(service)
    audit_write(
        actor=actor,
        action=action,
        target=service,
        purpose=PURPOSE,
        request=request,
        details={"organisation_id": service.organisation_id, "fields": changed, **(extra or {})},
    )
    return service


def _text(value: Any) -> str:
    return str(value or "").strip()


def _validated_changes(service: Service, changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name.startswith(("offers_", "is_")):
            clean[name] = bool(value)
        elif name in ("minimum_age", "maximum_age"):
            clean[name] = None if value in (None, "") else int(value)
        else:
            clean[name] = _text(value)
    for name, message in (
        ("name", "Enter the name of the service."),
        ("description", "Enter a description of the service."),
    ):
        if name in clean and not clean[name]:
            raise ActionRefused(message, field=name)
    minimum = clean.get("minimum_age", service.minimum_age)
    maximum = clean.get("maximum_age", service.maximum_age)
    for name, age in (("minimum_age", minimum), ("maximum_age", maximum)):
        if age is not None and not 0 <= age <= MAX_AGE_YEARS:
            raise ActionRefused(f"Age must be between 0 and {MAX_AGE_YEARS}.", field=name)
    if minimum is not None and maximum is not None and maximum < minimum:
        raise ActionRefused("Maximum age must be the same as or more than the minimum age.", field="maximum_age")
    modes = [clean.get(name, getattr(service, name)) for name in ("offers_in_person", "offers_online", "offers_phone")]
    if not any(modes):
        raise ActionRefused("Select at least one way people can use the service.", field="modes")
    return clean


def service_update(
    *, actor: User, service: Service, changes: Mapping[str, Any], request: HttpRequest | None = None
) -> Service:
    """Change a listing's plain-English details. Saving counts as confirming the listing."""
    _check(actor, service)
    with transaction.atomic():
        locked = _locked(service)
        clean = _validated_changes(locked, changes)
        changed = [name for name in EDITABLE_FIELDS if name in clean and getattr(locked, name) != clean[name]]
        for name in changed:
            setattr(locked, name, clean[name])
        now = timezone.now()
        locked.last_verified_at = now
        locked.last_verified_by = actor
        return _finish(
            actor=actor,
            service=locked,
            fields=[*changed, "last_verified_at", "last_verified_by"],
            action="service.updated",
            changed=changed,
            now=now,
            request=request,
            extra={"verified": True},
        )


def _validated_capacity(capacity: Mapping[str, CapacityFigures]) -> None:
    unknown = set(capacity) - set(CapacityUnit.values)
    if unknown:
        raise ValueError(f"Unknown capacity units: {', '.join(sorted(unknown))}.")
    for unit, figures in capacity.items():
        label = CapacityUnit(unit).label.lower()
        limit = MAX_WAIT_WEEKS if unit == CapacityUnit.WAIT_WEEKS else MAX_CAPACITY
        for part, value in (("available", figures.available), ("maximum", figures.maximum)):
            if value is None:
                continue
            if value < 0:
                raise ActionRefused(f"The number of {label} cannot be less than 0.", field=f"{unit}_{part}")
            if value > limit:
                raise ActionRefused(f"The number of {label} must be {limit:,} or fewer.", field=f"{unit}_{part}")
        if unit == CapacityUnit.WAIT_WEEKS:
            if figures.maximum is not None:
                raise ValueError("Weeks to first appointment has no maximum.")
        elif figures.available is not None and figures.maximum is not None and figures.available > figures.maximum:
            raise ActionRefused(
                f"{label.capitalize()} available cannot be more than the total number of {label}.",
                field=f"{unit}_available",
            )


def service_capacity_update(
    *,
    actor: User,
    service: Service,
    capacity: Mapping[str, CapacityFigures],
    request: HttpRequest | None = None,
) -> Service:
    """Set beds or places free and the weeks to a first appointment.

    Units not in ``capacity`` are left alone; a unit with neither figure is
    removed (the listing then says nothing about it). Figures that are sent
    again unchanged are marked as current (their ``updated`` time moves on).
    """
    _check(actor, service)
    _validated_capacity(capacity)
    with transaction.atomic():
        locked = _locked(service)
        rows = {row.unit: row for row in ServiceCapacity.objects.select_for_update().filter(service=locked)}
        now = timezone.now()
        changed: list[str] = []
        for unit, figures in capacity.items():
            row = rows.get(unit)
            if figures.available is None and figures.maximum is None:
                if row is not None:
                    changed.extend(
                        f"{unit}.{part}" for part in ("available", "maximum") if getattr(row, part) is not None
                    )
                    row.delete()
                continue
            if row is None:
                ServiceCapacity.objects.create(
                    service=locked, unit=unit, available=figures.available, maximum=figures.maximum, updated=now
                )
                changed.extend(
                    f"{unit}.{part}" for part in ("available", "maximum") if getattr(figures, part) is not None
                )
                continue
            parts = [part for part in ("available", "maximum") if getattr(row, part) != getattr(figures, part)]
            row.available = figures.available
            row.maximum = figures.maximum
            row.updated = now
            row.save(update_fields=[*parts, "updated"])
            changed.extend(f"{unit}.{part}" for part in parts)
        return _finish(
            actor=actor,
            service=locked,
            fields=[],
            action="service.capacity_updated",
            changed=changed,
            now=now,
            request=request,
        )


def service_close_temporarily(
    *, actor: User, service: Service, note: str, request: HttpRequest | None = None
) -> Service:
    """Show the service as temporarily closed, with a note for the public.

    Closing a service that is already temporarily closed changes the note.
    """
    _check(actor, service)
    note = " ".join(note.split())
    if not note:
        raise ActionRefused("Enter a note for the public, for example why it is closed and until when.", field="note")
    if len(note) > STATUS_NOTE_MAX:
        raise ActionRefused(f"The note must be {STATUS_NOTE_MAX} characters or fewer.", field="note")
    with transaction.atomic():
        locked = _locked(service)
        if locked.status in (ServiceStatus.INACTIVE, ServiceStatus.DEFUNCT):
            raise ActionRefused("This service is not running. Ask an administrator to change its status.")
        changed = [
            name
            for name, value in (("status", ServiceStatus.TEMPORARILY_CLOSED), ("status_note", note))
            if getattr(locked, name) != value
        ]
        locked.status = ServiceStatus.TEMPORARILY_CLOSED
        locked.status_note = note
        return _finish(
            actor=actor,
            service=locked,
            fields=changed,
            action="service.closed_temporarily",
            changed=changed,
            now=timezone.now(),
            request=request,
        )


def service_reopen(*, actor: User, service: Service, request: HttpRequest | None = None) -> Service:
    """Show a temporarily closed service as open again and remove its closure note."""
    _check(actor, service)
    with transaction.atomic():
        locked = _locked(service)
        if locked.status != ServiceStatus.TEMPORARILY_CLOSED:
            raise ActionRefused("This service is not temporarily closed, so there is nothing to reopen.")
        changed = ["status", *(["status_note"] if locked.status_note else [])]
        locked.status = ServiceStatus.ACTIVE
        locked.status_note = ""
        return _finish(
            actor=actor,
            service=locked,
            fields=changed,
            action="service.reopened",
            changed=changed,
            now=timezone.now(),
            request=request,
        )


def service_verify(*, actor: User, service: Service, request: HttpRequest | None = None) -> Service:
    """Record that the actor has checked the listing and it is correct today."""
    _check(actor, service)
    with transaction.atomic():
        locked = _locked(service)
        now = timezone.now()
        locked.last_verified_at = now
        locked.last_verified_by = actor
        fields = ["last_verified_at", "last_verified_by"]
        return _finish(
            actor=actor,
            service=locked,
            fields=fields,
            action="service.verified",
            changed=fields,
            now=now,
            request=request,
        )
