"""Writes to the shared recovery record.

Every action takes keyword-only arguments, checks who is acting, validates
its input (raising :class:`ActionRefused` with a plain-English message and
the field it is about), runs in one transaction and writes its audit row in
that transaction, so a failure part-way leaves nothing half-written. Audit
details carry identifiers and field names only.

``actor=None`` means the platform acting on the person's own behalf (for
example the front door turning a request for support into a record): other
apps call these actions that way only for what the person did themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import Membership, Organisation, OrganisationKind, Role, User
from rosc.core.notifications import notification_queue
from rosc.record import access
from rosc.record.categories import Category
from rosc.record.consent import consent_covers
from rosc.record.models import (
    CATEGORY_FIELDS,
    BreakGlass,
    CareTeamMember,
    Consent,
    ConsentGivenHow,
    ConsentKind,
    ConsentRecipientKind,
    CreatedVia,
    Disclosure,
    DisclosureHow,
    Goal,
    GoalAction,
    GoalStatus,
    GoalUpdate,
    LifeDomain,
    Note,
    NoteKind,
    Person,
    TeamRole,
)
from rosc.record.nhs import is_valid_nhs_number, normalise_nhs_number

PURPOSE = "care coordination"
MAX_AGE_YEARS = 120
MAX_CONSENT_DAYS = 3 * 366
BREAK_GLASS_HOURS = 4
BREAK_GLASS_MAX_HOURS = 12
MIN_REASON_LENGTH = 20

# Sent inside the erasure transaction, so other areas can remove what they hold about the person.
person_erased = Signal()


# --- Validation helpers --------------------------------------------------------------


def _text(value: Any, *, limit: int, field_name: str, label: str, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ActionRefused(f"Enter {label}.", field=field_name)
    if len(text) > limit:
        raise ActionRefused(f"{label[0].upper()}{label[1:]} must be {limit} characters or fewer.", field=field_name)
    return text


def _email(value: Any) -> str:
    text = _text(value, limit=254, field_name="email", label="the email address")
    if text:
        try:
            validate_email(text)
        except ValidationError:
            raise ActionRefused(
                "Enter an email address in the right format, like name@example.com", field="email"
            ) from None
    return text.lower()


def _phone(value: Any) -> str:
    text = _text(value, limit=30, field_name="phone", label="the phone number")
    digits = [c for c in text if c.isdigit()]
    if text and (any(c not in "0123456789 +()-" for c in text) or not 10 <= len(digits) <= 15):
        raise ActionRefused("Enter a phone number, like 01632 960 001 or +44 7700 900 982.", field="phone")
    return text


def _date_of_birth(value: date | None) -> date | None:
    if value is None:
        return None
    today = timezone.localdate()
    if value > today:
        raise ActionRefused("Date of birth must be in the past.", field="date_of_birth")
    if value < today.replace(year=today.year - MAX_AGE_YEARS):
        raise ActionRefused(f"Date of birth must be within the last {MAX_AGE_YEARS} years.", field="date_of_birth")
    return value


def _nhs_number(value: Any, *, exclude: Person | None = None) -> str:
    digits = normalise_nhs_number(str(value or "").strip())
    if not digits:
        return ""
    if not is_valid_nhs_number(digits):
        raise ActionRefused(
            "Enter a valid NHS number: 10 digits, like 943 476 5919. Check it against a letter from the NHS.",
            field="nhs_number",
        )
    taken = Person.objects.filter(nhs_number=digits)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ActionRefused(
            "Another record already has this NHS number. Find that record instead of adding a new one.",
            field="nhs_number",
        )
    return digits


PERSON_FIELDS = (
    "full_name",
    "preferred_name",
    "date_of_birth",
    "pronouns",
    "language",
    "email",
    "phone",
    "contact_notes",
    "area",
    "nhs_number",
)


def _clean_person_fields(values: Mapping[str, Any], *, existing: Person | None = None) -> dict[str, Any]:
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Unknown person fields: {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name == "full_name":
            clean[name] = _text(value, limit=200, field_name=name, label="their full name", required=True)
        elif name == "preferred_name":
            clean[name] = _text(value, limit=100, field_name=name, label="the name they like to be called")
        elif name == "pronouns":
            clean[name] = _text(value, limit=40, field_name=name, label="their pronouns")
        elif name == "language":
            clean[name] = _text(value, limit=60, field_name=name, label="the language")
        elif name == "contact_notes":
            clean[name] = _text(value, limit=300, field_name=name, label="how and when to get in touch")
        elif name == "area":
            clean[name] = _text(value, limit=100, field_name=name, label="the area")
        elif name == "email":
            clean[name] = _email(value)
        elif name == "phone":
            clean[name] = _phone(value)
        elif name == "date_of_birth":
            clean[name] = _date_of_birth(value)
        elif name == "nhs_number":
            clean[name] = _nhs_number(value, exclude=existing)
    return clean


@dataclass(frozen=True)
class ConsentTerms:
    """What the person agreed to. For care coordination: organisations and/or
    organisation kinds. For a purpose-specific consent: who in words, and why."""

    kind: str
    categories: Iterable[str]
    expires_at: datetime
    given_how: str
    organisations: Iterable[Organisation] = field(default_factory=tuple)
    organisation_kinds: Iterable[str] = field(default_factory=tuple)
    recipient_description: str = ""
    purpose: str = ""
    given_at: datetime | None = None


def _clean_terms(terms: ConsentTerms) -> dict[str, Any]:
    if terms.kind not in ConsentKind.values:
        raise ActionRefused("Choose what kind of consent this is.", field="kind")
    categories = sorted({str(c) for c in terms.categories})
    if not categories:
        raise ActionRefused("Select at least one kind of information they agree to share.", field="categories")
    if set(categories) - set(Category.values):
        raise ActionRefused("Choose kinds of information from the list.", field="categories")
    if terms.given_how not in ConsentGivenHow.values:
        raise ActionRefused("Select how they gave their consent.", field="given_how")
    now = timezone.now()
    given_at = terms.given_at or now
    if given_at > now + timedelta(minutes=5):
        raise ActionRefused("Consent cannot be given in the future.", field="given_at")
    if terms.expires_at <= now:
        raise ActionRefused("The date consent ends must be in the future.", field="expires_at")
    if terms.expires_at > given_at + timedelta(days=MAX_CONSENT_DAYS):
        raise ActionRefused("Consent can last 3 years at most. Choose an earlier end date.", field="expires_at")
    organisations = list({org.pk: org for org in terms.organisations}.values())
    kinds = sorted({str(k) for k in terms.organisation_kinds})
    if set(kinds) - set(OrganisationKind.values):
        raise ActionRefused("Choose kinds of organisation from the list.", field="organisation_kinds")
    description = _text(
        terms.recipient_description, limit=200, field_name="recipient_description", label="who it may be shared with"
    )
    purpose = _text(terms.purpose, limit=300, field_name="purpose", label="what it is for")
    if terms.kind == ConsentKind.CARE_COORDINATION:
        if not organisations and not kinds:
            raise ActionRefused(
                "Select at least one organisation or kind of service they agree to share with.", field="organisations"
            )
        if OrganisationKind.COMMISSIONER in kinds or any(
            o.kind == OrganisationKind.COMMISSIONER for o in organisations
        ):
            raise ActionRefused(
                "Commissioners never see identifiable records, so they cannot be named in a consent.",
                field="organisations",
            )
    else:
        if not description:
            raise ActionRefused("Enter who the information may be shared with.", field="recipient_description")
        if not purpose:
            raise ActionRefused("Enter what the information may be used for.", field="purpose")
        if organisations or kinds:
            raise ActionRefused(
                "A purpose-specific consent is for someone outside the care team: describe them in words.",
                field="recipient_description",
            )
    return {
        "kind": terms.kind,
        "categories": categories,
        "given_how": terms.given_how,
        "given_at": given_at,
        "expires_at": terms.expires_at,
        "organisations": organisations,
        "kinds": kinds,
        "recipient_description": description,
        "purpose": purpose,
    }


def _working_in(actor: User, organisation: Organisation) -> None:
    if not actor.has_perm("record.work_with_people") or organisation.pk not in access.working_organisation_ids(actor):
        raise PermissionDenied


def _touch(person: Person) -> None:
    person.updated_at = timezone.now()
    person.save(update_fields=["updated_at"])


# --- People ---------------------------------------------------------------------------


def create_person(
    *,
    actor: User | None,
    organisation: Organisation | None,
    full_name: str,
    date_of_birth: date | None = None,
    preferred_name: str = "",
    pronouns: str = "",
    language: str = "",
    email: str = "",
    phone: str = "",
    contact_notes: str = "",
    area: str = "",
    nhs_number: str = "",
    created_via: str = CreatedVia.PRACTITIONER,
    account: User | None = None,
    team_role: str = TeamRole.KEYWORKER,
    consent: ConsentTerms | None = None,
    request: HttpRequest | None = None,
) -> Person:
    """Start a person's record, put ``organisation`` in their care team and, with
    ``consent``, record the consent they gave, all or nothing.

    A practitioner (``created_via='practitioner'``) must work in
    ``organisation``. From the front door (``created_via='front_door'``) the
    actor is the person's own account or None, and the consent is given online.
    """
    if created_via not in CreatedVia.values:
        raise ValueError(f"Unknown created_via {created_via!r}.")
    if created_via == CreatedVia.PRACTITIONER:
        if actor is None or organisation is None:
            raise PermissionDenied
        _working_in(actor, organisation)
    if team_role not in TeamRole.values or team_role == TeamRole.FAMILY:
        raise ValueError(f"{team_role!r} is not a role for an organisation.")
    clean = _clean_person_fields(
        {
            "full_name": full_name,
            "preferred_name": preferred_name,
            "date_of_birth": date_of_birth,
            "pronouns": pronouns,
            "language": language,
            "email": email,
            "phone": phone,
            "contact_notes": contact_notes,
            "area": area,
            "nhs_number": nhs_number,
        }
    )
    if consent is not None and created_via == CreatedVia.FRONT_DOOR and consent.given_how != ConsentGivenHow.ONLINE:
        raise ActionRefused("Consent given through the front door is given online.", field="given_how")
    terms = _clean_terms(consent) if consent is not None else None
    staff_actor = actor if created_via == CreatedVia.PRACTITIONER else None
    try:
        with transaction.atomic():
            person = Person.objects.create(**clean, created_via=created_via, created_by=staff_actor, account=account)
            if organisation is not None:
                CareTeamMember.objects.create(
                    person=person,
                    organisation=organisation,
                    worker=staff_actor if team_role == TeamRole.KEYWORKER else None,
                    role=team_role,
                    added_by=staff_actor,
                )
            audit_write(
                actor=actor,
                action="record.person_created",
                target=person,
                purpose=PURPOSE,
                request=request,
                details={
                    "organisation_id": organisation.pk if organisation else None,
                    "created_via": created_via,
                    "fields": sorted(name for name, value in clean.items() if value),
                },
            )
            if terms is not None:
                _create_consent(actor=actor, person=person, terms=terms, request=request)
    except IntegrityError:
        raise ActionRefused(
            "Another record already has this NHS number. Find that record instead of adding a new one.",
            field="nhs_number",
        ) from None
    return person


def update_person(
    *, actor: User, person: Person, changes: Mapping[str, Any], request: HttpRequest | None = None
) -> Person:
    """Change a person's details (identity and contact): a worker who can edit their contact details."""
    if not access.can_edit(actor, person, Category.CONTACT):
        raise PermissionDenied
    return _apply_person_changes(
        actor=actor, person=person, changes=changes, request=request, action="record.person_updated"
    )


def _apply_person_changes(
    *,
    actor: User,
    person: Person,
    changes: Mapping[str, Any],
    request: HttpRequest | None,
    action: str,
    purpose: str = PURPOSE,
) -> Person:
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        clean = _clean_person_fields(changes, existing=locked)
        changed = [name for name, value in clean.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, clean[name])
        locked.updated_at = timezone.now()
        try:
            with transaction.atomic():
                locked.save(update_fields=[*changed, "updated_at"])
        except IntegrityError:
            raise ActionRefused("Another record already has this NHS number.", field="nhs_number") from None
        audit_write(
            actor=actor, action=action, target=locked, purpose=purpose, request=request, details={"fields": changed}
        )
    return locked


# --- Care team -------------------------------------------------------------------------


def add_to_care_team(
    *,
    actor: User | None,
    person: Person,
    role: str,
    organisation: Organisation | None = None,
    worker: User | None = None,
    name: str = "",
    relationship: str = "",
    started: date | None = None,
    ended: date | None = None,
    request: HttpRequest | None = None,
) -> CareTeamMember:
    """Add an organisation (optionally with a named worker), a peer mentor or a family member.

    Allowed for a worker whose organisation is in the care team today, or for
    a worker joining on behalf of their own organisation when a live
    care-coordination consent already names it (for example on accepting a
    referral). ``actor=None`` is the platform acting for the person.
    """
    if role not in TeamRole.values:
        raise ActionRefused("Choose a role from the list.", field="role")
    if actor is not None and not access.can_manage_team_and_consent(actor, person):
        joining = (
            organisation is not None
            and organisation.pk in access.working_organisation_ids(actor)
            and any(consent_covers(person, organisation, category) is not None for category in Category)
        )
        if not joining or person.erased_at or person.restricted_at:
            raise PermissionDenied
    started = started or timezone.localdate()
    if ended is not None and ended < started:
        raise ActionRefused("The end date must be the same as or after the start date.", field="ended")
    name = _text(name, limit=200, field_name="name", label="their name")
    relationship = _text(relationship, limit=100, field_name="relationship", label="the relationship")
    if role == TeamRole.FAMILY:
        if not name:
            raise ActionRefused("Enter the family member's or friend's name.", field="name")
        if organisation is not None or worker is not None:
            raise ValueError("A family member is recorded by name, not by organisation.")
    else:
        if organisation is None:
            raise ActionRefused("Choose the organisation.", field="organisation")
        if organisation.kind == OrganisationKind.COMMISSIONER:
            raise ActionRefused("Commissioners cannot be part of someone's care team.", field="organisation")
        if worker is not None and not worker.memberships.active().filter(organisation=organisation).exists():
            raise ActionRefused(f"That worker is not part of {organisation.name} on Open ROSC.", field="worker")
        if role == TeamRole.PEER_MENTOR and worker is None:
            raise ActionRefused("Choose the peer mentor.", field="worker")
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        duplicate = CareTeamMember.objects.active(started).filter(
            person=person, role=role, organisation=organisation, worker=worker, name=name
        )
        if duplicate.exists():
            raise ActionRefused("They are already in the care team in that role.", field="role")
        member = CareTeamMember.objects.create(
            person=person,
            organisation=organisation,
            worker=worker,
            name=name,
            relationship=relationship,
            role=role,
            started=started,
            ended=ended,
            added_by=actor,
        )
        _touch(person)
        audit_write(
            actor=actor,
            action="record.team_member_added",
            target=member,
            purpose=PURPOSE,
            request=request,
            details={
                "person_id": person.pk,
                "organisation_id": organisation.pk if organisation else None,
                "worker_id": worker.pk if worker else None,
                "role": role,
            },
        )
    return member


def end_care_team_member(
    *, actor: User, member: CareTeamMember, ended: date | None = None, request: HttpRequest | None = None
) -> CareTeamMember:
    """End someone's place in the care team (today unless said). The row is kept for the record."""
    person = member.person
    if not access.can_manage_team_and_consent(actor, person):
        raise PermissionDenied
    ended = ended or timezone.localdate()
    if ended < member.started:
        raise ActionRefused("The end date must be the same as or after the start date.", field="ended")
    with transaction.atomic():
        locked = CareTeamMember.objects.select_for_update().get(pk=member.pk)
        if locked.ended is not None and locked.ended <= ended:
            raise ActionRefused("Their place in the care team has already ended.")
        locked.ended = ended
        locked.save(update_fields=["ended"])
        _touch(person)
        audit_write(
            actor=actor,
            action="record.team_member_ended",
            target=locked,
            purpose=PURPOSE,
            request=request,
            details={"person_id": person.pk, "organisation_id": locked.organisation_id, "role": locked.role},
        )
    return locked


# --- Consent ---------------------------------------------------------------------------


def _create_consent(
    *, actor: User | None, person: Person, terms: dict[str, Any], request: HttpRequest | None
) -> Consent:
    consent = Consent.objects.create(
        person=person,
        kind=terms["kind"],
        recipient_description=terms["recipient_description"],
        purpose=terms["purpose"],
        given_at=terms["given_at"],
        given_how=terms["given_how"],
        expires_at=terms["expires_at"],
        recorded_by=actor,
        **{CATEGORY_FIELDS[Category(c)]: True for c in terms["categories"]},
    )
    if terms["organisations"]:
        consent.recipient_organisations.set(terms["organisations"])
    ConsentRecipientKind.objects.bulk_create(
        [ConsentRecipientKind(consent=consent, kind=kind) for kind in terms["kinds"]]
    )
    audit_write(
        actor=actor,
        action="record.consent_recorded",
        target=consent,
        purpose=PURPOSE,
        request=request,
        details={
            "person_id": person.pk,
            "kind": terms["kind"],
            "categories": terms["categories"],
            "organisation_ids": [org.pk for org in terms["organisations"]],
            "organisation_kinds": terms["kinds"],
            "given_how": terms["given_how"],
        },
    )
    return consent


def record_consent(
    *, actor: User | None, person: Person, terms: ConsentTerms, request: HttpRequest | None = None
) -> Consent:
    """Record a consent the person gave, with who recorded it and how it was given.

    A worker whose organisation is in the care team records it (also when no
    consent is live: that is how sharing starts again); the person records
    their own online (``actor`` is their linked account); ``actor=None`` is the
    platform recording what the person gave online.
    """
    if person.erased_at is not None:
        raise PermissionDenied
    is_self = actor is not None and person.account_id is not None and person.account_id == actor.pk
    if actor is None or is_self:
        if terms.given_how != ConsentGivenHow.ONLINE:
            raise ActionRefused("Consent you give yourself is given online.", field="given_how")
    elif not access.can_manage_team_and_consent(actor, person):
        raise PermissionDenied
    clean = _clean_terms(terms)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        consent = _create_consent(actor=actor, person=person, terms=clean, request=request)
        _touch(person)
    return consent


def can_withdraw(actor: User | None, consent: Consent) -> bool:
    person = consent.person
    if actor is None:
        return True
    if person.account_id is not None and person.account_id == actor.pk:
        return True
    return access.can_manage_team_and_consent(actor, person) or actor.has_perm("record.handle_rights_requests")


def withdraw_consent(*, actor: User | None, consent: Consent, request: HttpRequest | None = None) -> Consent:
    """Withdraw a consent now. Access it gave ends with this transaction.

    ``actor=None`` is the person through their signed link; their own account;
    or a worker in the care team (or an administrator) recording that the
    person told them.
    """
    if not can_withdraw(actor, consent):
        raise PermissionDenied
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise ActionRefused("This consent has already been withdrawn.")
        if locked.expires_at <= timezone.now():
            raise ActionRefused("This consent has already ended.")
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit_write(
            actor=actor,
            action="record.consent_withdrawn",
            target=locked,
            purpose="person withdrew consent",
            request=request,
            details={"person_id": locked.person_id, "kind": locked.kind, "via": "link" if actor is None else "account"},
        )
    return locked


# --- Break-glass -----------------------------------------------------------------------


def break_glass(
    *,
    actor: User,
    person: Person,
    organisation: Organisation,
    reason: str,
    hours: int = BREAK_GLASS_HOURS,
    request: HttpRequest | None = None,
) -> BreakGlass:
    """Emergency access for safeguarding: time-boxed, with a reason, always reviewed."""
    if not actor.has_perm("record.break_glass"):
        raise PermissionDenied
    _working_in(actor, organisation)
    if person.erased_at is not None:
        raise PermissionDenied
    reason = _text(reason, limit=2000, field_name="reason", label="the reason", required=True)
    if len(reason) < MIN_REASON_LENGTH:
        raise ActionRefused(
            "Say what the safeguarding concern is in a sentence or two, so it can be reviewed.", field="reason"
        )
    if not 1 <= hours <= BREAK_GLASS_MAX_HOURS:
        raise ActionRefused(f"Emergency access lasts between 1 and {BREAK_GLASS_MAX_HOURS} hours.", field="hours")
    now = timezone.now()
    with transaction.atomic():
        emergency = BreakGlass.objects.create(
            person=person,
            user=actor,
            organisation=organisation,
            reason=reason,
            started_at=now,
            expires_at=now + timedelta(hours=hours),
        )
        audit_write(
            actor=actor,
            action="record.break_glass",
            target=emergency,
            purpose="safeguarding",
            request=request,
            details={"person_id": person.pk, "organisation_id": organisation.pk, "hours": hours},
        )
        _notify_ig_leads_of_break_glass(emergency)
    return emergency


def _notify_ig_leads_of_break_glass(emergency: BreakGlass) -> None:
    link = settings.ROSC_SITE_URL + reverse("record:break_glass_queue")
    leads = User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active().filter(role=Role.IG_LEAD).values("user_id"),
    )
    for lead in leads:
        notification_queue(
            channel="email",
            to=lead.email,
            subject="Emergency access to a record needs your review",
            body=(
                "Someone used emergency (break-glass) access to a person's record on Open ROSC. "
                f"Please review it: {link}"
            ),
            reason="break_glass_review",
            recipient=lead,
        )


def review_break_glass(
    *, actor: User, emergency: BreakGlass, outcome: str, note: str, request: HttpRequest | None = None
) -> BreakGlass:
    """The information-governance lead records whether emergency access was justified."""
    if not actor.has_perm("record.review_break_glass"):
        raise PermissionDenied
    if outcome not in ("justified", "not_justified"):
        raise ActionRefused("Select whether the access was justified.", field="outcome")
    note = _text(note, limit=2000, field_name="note", label="the review note")
    if outcome == "not_justified" and not note:
        raise ActionRefused("Say what will happen next when access was not justified.", field="note")
    if emergency.user_id == actor.pk:
        raise ActionRefused("Someone else must review your own emergency access.")
    with transaction.atomic():
        locked = BreakGlass.objects.select_for_update().get(pk=emergency.pk)
        if locked.review != "pending":
            raise ActionRefused("This emergency access has already been reviewed.")
        locked.review = outcome
        locked.review_note = note
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        if outcome == "not_justified" and locked.expires_at > locked.reviewed_at:
            locked.expires_at = locked.reviewed_at
        locked.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at", "expires_at"])
        audit_write(
            actor=actor,
            action="record.break_glass_reviewed",
            target=locked,
            purpose="information governance",
            request=request,
            details={"person_id": locked.person_id, "outcome": outcome},
        )
    return locked


# --- Recovery plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class GoalOwner:
    organisation: Organisation | None = None
    worker: User | None = None


def _check_owner(person: Person, owner: GoalOwner) -> None:
    if owner.organisation is None and owner.worker is None:
        raise ActionRefused("Choose who owns this goal.", field="owner")
    team = CareTeamMember.objects.active().filter(person=person)
    if owner.organisation is not None and not team.filter(organisation=owner.organisation).exists():
        raise ActionRefused("The owner must be an organisation in the care team.", field="owner")
    if (
        owner.worker is not None
        and not team.filter(Q(worker=owner.worker) | Q(organisation__memberships__user=owner.worker)).exists()
    ):
        raise ActionRefused("The owner must be someone in the care team.", field="owner")


def _review_date(value: date | None) -> date:
    if value is None:
        raise ActionRefused("Enter the review date.", field="review_on")
    if value > timezone.localdate() + timedelta(days=366 * 2):
        raise ActionRefused("Review the goal within 2 years.", field="review_on")
    return value


def _author(actor: User, person: Person) -> Organisation | None:
    grant = access.access_grant(actor, person, Category.PLAN)
    return grant.organisation if grant else None


def create_goal(
    *,
    actor: User,
    person: Person,
    domain: str,
    in_own_words: str,
    owner: GoalOwner,
    review_on: date | None,
    request: HttpRequest | None = None,
) -> Goal:
    """Add a goal to the plan, written with the person in their own words."""
    if not access.can_edit(actor, person, Category.PLAN):
        raise PermissionDenied
    if domain not in LifeDomain.values:
        raise ActionRefused("Select which part of life the goal is about.", field="domain")
    words = _text(
        in_own_words, limit=1000, field_name="in_own_words", label="the goal in their own words", required=True
    )
    review_on = _review_date(review_on)
    _check_owner(person, owner)
    with transaction.atomic():
        goal = Goal.objects.create(
            person=person,
            domain=domain,
            in_own_words=words,
            owner_organisation=owner.organisation,
            owner_worker=owner.worker,
            review_on=review_on,
            created_by=actor,
        )
        _touch(person)
        audit_write(
            actor=actor,
            action="record.goal_created",
            target=goal,
            purpose=PURPOSE,
            request=request,
            details={"person_id": person.pk, "domain": domain},
        )
    return goal


def update_goal(
    *,
    actor: User,
    goal: Goal,
    domain: str,
    in_own_words: str,
    owner: GoalOwner,
    review_on: date | None,
    status: str,
    request: HttpRequest | None = None,
) -> Goal:
    """Change a goal. A change of status is also kept as a progress update, for the timeline."""
    person = goal.person
    if not access.can_edit(actor, person, Category.PLAN):
        raise PermissionDenied
    if domain not in LifeDomain.values:
        raise ActionRefused("Select which part of life the goal is about.", field="domain")
    if status not in GoalStatus.values:
        raise ActionRefused("Select the status of the goal.", field="status")
    words = _text(
        in_own_words, limit=1000, field_name="in_own_words", label="the goal in their own words", required=True
    )
    review_on = _review_date(review_on)
    _check_owner(person, owner)
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        new = {
            "domain": domain,
            "in_own_words": words,
            "owner_organisation": owner.organisation,
            "owner_worker": owner.worker,
            "review_on": review_on,
            "status": status,
        }
        changed = [name for name, value in new.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, new[name])
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changed, "updated_at"])
        if "status" in changed or "review_on" in changed or "in_own_words" in changed:
            bits = []
            if "in_own_words" in changed:
                bits.append("Goal reworded.")
            if "review_on" in changed:
                bits.append(f"Review date now {review_on:%-d %B %Y}.")
            GoalUpdate.objects.create(
                goal=locked,
                author=actor,
                author_label=str(actor),
                organisation=_author(actor, person),
                text=" ".join(bits) or "Status changed.",
                status=status if "status" in changed else "",
            )
        _touch(person)
        audit_write(
            actor=actor,
            action="record.goal_updated",
            target=locked,
            purpose=PURPOSE,
            request=request,
            details={"person_id": person.pk, "fields": changed},
        )
    return locked


def add_goal_action(
    *,
    actor: User,
    goal: Goal,
    description: str,
    who: str = "",
    due_on: date | None = None,
    request: HttpRequest | None = None,
) -> GoalAction:
    if not access.can_edit(actor, goal.person, Category.PLAN):
        raise PermissionDenied
    description = _text(description, limit=300, field_name="description", label="what will be done", required=True)
    who = _text(who, limit=200, field_name="who", label="who will do it")
    with transaction.atomic():
        step = GoalAction.objects.create(goal=goal, description=description, who=who, due_on=due_on)
        _touch(goal.person)
        audit_write(
            actor=actor,
            action="record.goal_action_added",
            target=step,
            purpose=PURPOSE,
            request=request,
            details={"person_id": goal.person_id, "goal_id": goal.pk},
        )
    return step


def complete_goal_action(*, actor: User, step: GoalAction, request: HttpRequest | None = None) -> GoalAction:
    goal = step.goal
    if not access.can_update_progress(actor, goal.person):
        raise PermissionDenied
    with transaction.atomic():
        locked = GoalAction.objects.select_for_update().get(pk=step.pk)
        if locked.done_on is not None:
            raise ActionRefused("That step is already marked as done.")
        locked.done_on = timezone.localdate()
        locked.save(update_fields=["done_on"])
        GoalUpdate.objects.create(
            goal=goal,
            author=actor,
            author_label=str(actor),
            organisation=_author(actor, goal.person),
            text=f"Done: {locked.description}",
        )
        _touch(goal.person)
        audit_write(
            actor=actor,
            action="record.goal_action_done",
            target=locked,
            purpose=PURPOSE,
            request=request,
            details={"person_id": goal.person_id, "goal_id": goal.pk},
        )
    return locked


def add_progress(
    *, actor: User, goal: Goal, text: str, status: str = "", request: HttpRequest | None = None
) -> GoalUpdate:
    """A progress update from anyone in the team who can see the plan (peer mentors included)."""
    person = goal.person
    if not access.can_update_progress(actor, person):
        raise PermissionDenied
    text = _text(text, limit=2000, field_name="text", label="what has happened", required=True)
    if status and status not in GoalStatus.values:
        raise ActionRefused("Choose a status from the list.", field="status")
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        update = GoalUpdate.objects.create(
            goal=locked,
            author=actor,
            author_label=str(actor),
            organisation=_author(actor, person),
            text=text,
            status=status if status and status != locked.status else "",
        )
        if update.status:
            locked.status = status
            locked.updated_at = timezone.now()
            locked.save(update_fields=["status", "updated_at"])
        _touch(person)
        audit_write(
            actor=actor,
            action="record.goal_progress_added",
            target=update,
            purpose=PURPOSE,
            request=request,
            details={"person_id": person.pk, "goal_id": locked.pk, "status": update.status},
        )
    return update


# --- Notes -----------------------------------------------------------------------------


def add_note(
    *,
    actor: User,
    person: Person,
    kind: str,
    text: str,
    happened_on: date | None = None,
    request: HttpRequest | None = None,
) -> Note:
    """A contact, keyworker or counselling note, written by a worker who can see notes."""
    grant = access.access_grant(actor, person, Category.NOTES)
    if grant is None or not access.working_organisation_ids(actor):
        raise PermissionDenied
    if kind not in NoteKind.values:
        raise ActionRefused("Select the kind of note.", field="kind")
    text = _text(text, limit=10000, field_name="text", label="the note", required=True)
    happened_on = happened_on or timezone.localdate()
    if happened_on > timezone.localdate():
        raise ActionRefused("The date of the contact cannot be in the future.", field="happened_on")
    with transaction.atomic():
        note = Note.objects.create(
            person=person,
            organisation=grant.organisation,
            author=actor,
            author_label=str(actor),
            kind=kind,
            text=text,
            happened_on=happened_on,
        )
        _touch(person)
        audit_write(
            actor=actor,
            action="record.note_added",
            target=note,
            purpose=PURPOSE,
            request=request,
            details={"person_id": person.pk, "organisation_id": grant.organisation.pk, "kind": kind},
        )
    return note


# --- The person's own view ---------------------------------------------------------------


def link_account(*, person: Person, account: User, request: HttpRequest | None = None) -> Person:
    """The person, holding a valid link to their record and signed in, links it to their account."""
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.account_id is not None and locked.account_id != account.pk:
            raise ActionRefused("This record is already linked to another account.")
        if Person.objects.filter(account=account).exclude(pk=locked.pk).exists():
            raise ActionRefused("Your account is already linked to another record.")
        locked.account = account
        locked.save(update_fields=["account"])
        audit_write(
            actor=account,
            action="record.account_linked",
            target=locked,
            purpose="person's own view",
            request=request,
            details={"user_id": account.pk},
        )
    return locked


def send_own_view_link(
    *, actor: User, person: Person, channel: str, link: str, request: HttpRequest | None = None
) -> None:
    """Send the person a link to their own record (valid for a few days). The message says nothing sensitive."""
    if not access.can_edit(actor, person, Category.CONTACT):
        raise PermissionDenied
    if channel == "email":
        to = person.email
        if not to:
            raise ActionRefused(
                "There is no email address on the record. Add one first, or send a text.", field="channel"
            )
    elif channel == "sms":
        to = person.phone
        if not to:
            raise ActionRefused(
                "There is no phone number on the record. Add one first, or send an email.", field="channel"
            )
    else:
        raise ActionRefused("Select how to send the link.", field="channel")
    with transaction.atomic():
        notification_queue(
            channel=channel,
            to=to,
            subject="Your recovery plan",
            body=(
                "Here is your own link to see your recovery plan, who is in your care team, your consents and "
                f"who has seen your information: {link}\nThe link works for 7 days. Do not share it."
            ),
            reason="record_own_view_link",
        )
        audit_write(
            actor=actor,
            action="record.own_view_link_sent",
            target=person,
            purpose=PURPOSE,
            request=request,
            details={"channel": channel},
        )


# --- Sharing beyond care -----------------------------------------------------------------


def record_sharing(
    *, actor: User, consent: Consent, categories: Iterable[str], request: HttpRequest | None = None
) -> list[Disclosure]:
    """Log that the worker shared information with someone outside the platform under a
    purpose-specific consent. They may share only what the consent covers and what they can see."""
    person = consent.person
    chosen = sorted({str(c) for c in categories})
    if not chosen:
        raise ActionRefused("Select what you shared.", field="categories")
    if consent.kind != ConsentKind.SPECIFIC or not consent.is_live():
        raise ActionRefused("This consent does not allow sharing now.")
    if set(chosen) - set(consent.categories):
        raise ActionRefused("The consent does not cover all of that. Share only what it covers.", field="categories")
    grants = access.grants_for(actor, person, chosen)
    if set(chosen) - set(grants) or not access.working_organisation_ids(actor):
        raise PermissionDenied
    with transaction.atomic():
        entries = [
            access.record_disclosure(
                person,
                actor,
                grants[category].organisation,
                category,
                consent.purpose or "purpose-specific consent",
                how=DisclosureHow.SHARED,
                consent=consent,
                recipient_description=consent.recipient_description,
            )
            for category in chosen
        ]
        audit_write(
            actor=actor,
            action="record.shared_outside",
            target=consent,
            purpose="purpose-specific consent",
            request=request,
            details={"person_id": person.pk, "categories": chosen},
        )
    return entries
