"""Data-protection rights over the shared record: access (export), rectification,
restriction and erasure, handled by an administrator or the
information-governance lead, every step audited.

Erasure keeps an empty row for the person (so that the audit log and other
areas' links still point somewhere) and deletes everything else the record
holds; other areas delete what they hold through the ``person_erased`` signal,
inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.record.access import record_disclosure
from rosc.record.actions import _apply_person_changes, person_erased
from rosc.record.categories import Category
from rosc.record.models import (
    BreakGlass,
    CareTeamMember,
    Consent,
    Disclosure,
    Goal,
    Note,
    Person,
    PlanReviewReminder,
    RightsRequest,
    RightsRequestKind,
    RightsRequestStatus,
)

PURPOSE = "data protection request"


def _check(actor: User) -> None:
    if not actor.has_perm("record.handle_rights_requests"):
        raise PermissionDenied


def _open(rights: RightsRequest, kind: str | None = None) -> None:
    if rights.status != RightsRequestStatus.OPEN:
        raise ActionRefused("This request is closed.")
    if kind is not None and rights.kind != kind:
        raise ActionRefused("This is not that kind of request.")


def open_rights_request(
    *,
    actor: User,
    person: Person,
    kind: str,
    received_on: date | None,
    details: str = "",
    request: HttpRequest | None = None,
) -> RightsRequest:
    _check(actor)
    if kind not in RightsRequestKind.values:
        raise ActionRefused("Select what they are asking for.", field="kind")
    if person.erased_at is not None:
        raise ActionRefused("This record has been erased.")
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ActionRefused("The date received cannot be in the future.", field="received_on")
    details = str(details or "").strip()
    if len(details) > 4000:
        raise ActionRefused("What they asked for must be 4000 characters or fewer.", field="details")
    with transaction.atomic():
        rights = RightsRequest.objects.create(
            person=person, kind=kind, received_on=received_on, details=details, opened_by=actor
        )
        audit_write(
            actor=actor,
            action="record.rights_request_opened",
            target=rights,
            purpose=PURPOSE,
            request=request,
            details={"person_id": person.pk, "kind": kind},
        )
    return rights


def close_rights_request(
    *, actor: User, rights: RightsRequest, status: str, outcome: str, request: HttpRequest | None = None
) -> RightsRequest:
    _check(actor)
    if status not in (RightsRequestStatus.DONE, RightsRequestStatus.REFUSED):
        raise ActionRefused("Select the outcome.", field="status")
    outcome = str(outcome or "").strip()
    if not outcome:
        raise ActionRefused("Enter what was done, or why it was refused.", field="outcome")
    with transaction.atomic():
        locked = RightsRequest.objects.select_for_update().get(pk=rights.pk)
        _open(locked)
        locked.status = status
        locked.outcome = outcome[:4000]
        locked.handled_by = actor
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "outcome", "handled_by", "closed_at"])
        audit_write(
            actor=actor,
            action="record.rights_request_closed",
            target=locked,
            purpose=PURPOSE,
            request=request,
            details={"person_id": locked.person_id, "kind": locked.kind, "status": status},
        )
    return locked


def rectify_person(
    *, actor: User, rights: RightsRequest, changes: Mapping[str, Any], request: HttpRequest | None = None
) -> Person:
    """Correct the person's details on a rectification request."""
    _check(actor)
    _open(rights, RightsRequestKind.RECTIFICATION)
    return _apply_person_changes(
        actor=actor,
        person=rights.person,
        changes=changes,
        request=request,
        action="record.person_rectified",
        purpose=PURPOSE,
    )


def set_restriction(
    *, actor: User, rights: RightsRequest, restricted: bool, request: HttpRequest | None = None
) -> Person:
    """Restrict processing (the record is kept, nobody works with it) or lift the restriction."""
    _check(actor)
    _open(rights, RightsRequestKind.RESTRICTION)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=rights.person_id)
        if restricted == (person.restricted_at is not None):
            raise ActionRefused("The record is already restricted." if restricted else "The record is not restricted.")
        person.restricted_at = timezone.now() if restricted else None
        person.save(update_fields=["restricted_at"])
        audit_write(
            actor=actor,
            action="record.restricted" if restricted else "record.restriction_lifted",
            target=person,
            purpose=PURPOSE,
            request=request,
            details={"rights_request_id": rights.pk},
        )
    return person


BLANK_PERSON = {
    "full_name": "",
    "preferred_name": "",
    "date_of_birth": None,
    "pronouns": "",
    "language": "",
    "email": "",
    "phone": "",
    "contact_notes": "",
    "area": "",
    "nhs_number": "",
    "account": None,
}


def erase_person_data(
    person: Person, *, actor: User | None, reason: str, request: HttpRequest | None = None
) -> dict[str, int]:
    """Delete everything the record holds about the person, inside the caller's transaction.

    Returns how many rows of each kind went. Used by an erasure request and by retention.
    """
    person_erased.send(sender=Person, person=person, actor=actor)
    # Disclosures first: they point at consents and break-glass rows.
    counts = {
        "disclosures": Disclosure.objects.filter(person=person).delete()[0],
        "care_team": CareTeamMember.objects.filter(person=person).delete()[0],
        "consents": Consent.objects.filter(person=person).delete()[0],
        "reminders": PlanReviewReminder.objects.filter(goal__person=person).delete()[0],
        "goals": Goal.objects.filter(person=person).delete()[0],
        "notes": Note.objects.filter(person=person).delete()[0],
        "break_glass": BreakGlass.objects.filter(person=person).delete()[0],
    }
    RightsRequest.objects.filter(person=person).update(details="")
    for name, value in BLANK_PERSON.items():
        setattr(person, name, value)
    person.erased_at = timezone.now()
    person.restricted_at = None
    person.save(update_fields=[*BLANK_PERSON, "erased_at", "restricted_at"])
    audit_write(
        actor=actor,
        action="record.person_erased",
        target=person,
        purpose=reason,
        request=request,
        details=dict(counts),
    )
    return counts


def erase_person(*, actor: User, rights: RightsRequest, request: HttpRequest | None = None) -> Person:
    """Erase the record on an erasure request, and close the request as done."""
    _check(actor)
    _open(rights, RightsRequestKind.ERASURE)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=rights.person_id)
        if person.erased_at is not None:
            raise ActionRefused("This record has already been erased.")
        erase_person_data(person, actor=actor, reason=PURPOSE, request=request)
        locked = RightsRequest.objects.select_for_update().get(pk=rights.pk)
        locked.status = RightsRequestStatus.DONE
        locked.outcome = "Record erased."
        locked.handled_by = actor
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "outcome", "handled_by", "closed_at"])
        audit_write(
            actor=actor,
            action="record.rights_request_closed",
            target=locked,
            purpose=PURPOSE,
            request=request,
            details={"person_id": person.pk, "kind": locked.kind, "status": locked.status},
        )
    return person


# --- Export (the right of access) -----------------------------------------------------------


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def person_export(person: Person) -> dict[str, Any]:
    """Everything the shared record holds about the person, as plain data.

    Other areas add theirs through ``rosc.<area>.selectors.export_for(person)``
    when it exists (referrals, for now).
    """
    team = CareTeamMember.objects.filter(person=person).select_related("organisation", "worker")
    consents = Consent.objects.filter(person=person).prefetch_related("recipient_organisations", "recipient_kind_rows")
    goals = (
        Goal.objects.filter(person=person)
        .select_related("owner_organisation", "owner_worker")
        .prefetch_related("actions", "updates__organisation")
    )
    notes = Note.objects.filter(person=person).select_related("organisation")
    disclosures = Disclosure.objects.filter(person=person).select_related("organisation").order_by("at", "id")
    emergencies = BreakGlass.objects.filter(person=person).select_related("organisation")
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "id": str(person.uuid),
            "full_name": person.full_name,
            "preferred_name": person.preferred_name,
            "date_of_birth": _when(person.date_of_birth),
            "pronouns": person.pronouns,
            "language": person.language,
            "email": person.email,
            "phone": person.phone,
            "contact_notes": person.contact_notes,
            "area": person.area,
            "nhs_number": person.nhs_number,
            "created_at": _when(person.created_at),
            "created_via": person.get_created_via_display(),
            "processing_restricted_since": _when(person.restricted_at),
        },
        "care_team": [
            {
                "role": member.get_role_display(),
                "organisation": member.organisation.name if member.organisation else None,
                "worker": str(member.worker) if member.worker else None,
                "name": member.name,
                "relationship": member.relationship,
                "started": _when(member.started),
                "ended": _when(member.ended),
            }
            for member in team
        ],
        "consents": [
            {
                "kind": consent.get_kind_display(),
                "organisations": [org.name for org in consent.recipient_organisations.all()],
                "kinds_of_organisation": consent.recipient_kind_labels,
                "recipient": consent.recipient_description,
                "purpose": consent.purpose,
                "information": consent.category_labels,
                "given_at": _when(consent.given_at),
                "given_how": consent.get_given_how_display(),
                "expires_at": _when(consent.expires_at),
                "withdrawn_at": _when(consent.withdrawn_at),
            }
            for consent in consents
        ],
        "plan": [
            {
                "part_of_life": goal.get_domain_display(),
                "goal": goal.in_own_words,
                "owner": goal.owner_organisation.name if goal.owner_organisation else str(goal.owner_worker or ""),
                "review_on": _when(goal.review_on),
                "status": goal.get_status_display(),
                "actions": [
                    {
                        "what": step.description,
                        "who": step.who,
                        "due_on": _when(step.due_on),
                        "done_on": _when(step.done_on),
                    }
                    for step in goal.actions.all()
                ],
                "progress": [
                    {"at": _when(update.at), "by": update.author_label, "text": update.text}
                    for update in goal.updates.all()
                ],
            }
            for goal in goals
        ],
        "notes": [
            {
                "kind": note.get_kind_display().split(" (")[0],
                "organisation": note.organisation.name,
                "by": note.author_label,
                "date": _when(note.happened_on),
                "text": note.text,
            }
            for note in notes
        ],
        "emergency_access": [
            {
                "organisation": emergency.organisation.name,
                "started_at": _when(emergency.started_at),
                "ended_at": _when(emergency.expires_at),
                "reason": emergency.reason,
                "review": emergency.get_review_display(),
            }
            for emergency in emergencies
        ],
        "disclosure_log": [
            {
                "at": _when(entry.at),
                "who": entry.viewer_label,
                "organisation": entry.organisation.name if entry.organisation else entry.recipient_description,
                "information": entry.get_category_display(),
                "why": entry.purpose,
                "how": entry.get_how_display(),
            }
            for entry in disclosures
        ],
    }
    try:
        from rosc.referrals import selectors as referral_selectors
    except ImportError:
        referral_selectors = None  # type: ignore[assignment]
    export_for = getattr(referral_selectors, "export_for", None)
    if export_for is not None:
        data["referrals"] = export_for(person)
    return data


def export_for_request(*, actor: User, rights: RightsRequest, request: HttpRequest | None = None) -> dict[str, Any]:
    """The export, audited, for a rights request about the person."""
    _check(actor)
    with transaction.atomic():
        data = person_export(rights.person)
        for category in Category:
            record_disclosure(rights.person, actor, None, category, PURPOSE)
        audit_write(
            actor=actor,
            action="record.exported",
            target=rights.person,
            purpose=PURPOSE,
            request=request,
            details={"rights_request_id": rights.pk},
        )
    return data
