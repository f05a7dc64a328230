"""Who may see which part of a person's record: decided here, and only here.

A worker (practitioner or service manager) sees a category of a person's
record while one of their organisations is in the person's care team today
and a live care-coordination consent names that organisation (or its kind)
for that category. A peer mentor sees only the contact details and plan of
the people they are the named peer mentor for, and only as far as consent
for their organisation goes. A worker who has used break-glass access for a
person sees every category until it runs out. Nobody sees a record that has
been erased or whose processing is restricted. Counselling notes are
further limited to their author's organisation (see ``selectors.notes_for``).

:func:`person_for` is the door to every staff page about a person: it
answers 404 when access is refused (the same answer whether or not the
person exists), and when allowed it audits the read with its purpose and
writes an entry in the person's disclosure log, in one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from rosc.core.audit import audit_read
from rosc.core.models import Organisation, Role, User
from rosc.core.permissions import roles_of
from rosc.record.categories import PEER_MENTOR_CATEGORIES, Category
from rosc.record.consent import consent_covers_in
from rosc.record.models import (
    IDENTITY,
    BreakGlass,
    CareTeamMember,
    Consent,
    ConsentKind,
    Disclosure,
    DisclosureHow,
    Person,
    TeamRole,
)
from rosc.record.permissions import WORKING_ROLES


@dataclass(frozen=True)
class Grant:
    """Why access is allowed: through which organisation, under which consent or break-glass."""

    organisation: Organisation
    consent: Consent | None = None
    break_glass: BreakGlass | None = None

    @property
    def is_break_glass(self) -> bool:
        return self.break_glass is not None


def working_organisation_ids(user: Any) -> set[int]:
    """Organisations where the user is a practitioner or service manager today."""
    return {org_id for org_id, roles in roles_of(user).items() if roles & WORKING_ROLES}


def peer_organisation_ids(user: Any) -> set[int]:
    return {org_id for org_id, roles in roles_of(user).items() if Role.PEER_MENTOR in roles}


def _user_ok(user: Any) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def _person_ok(person: Person) -> bool:
    return person.erased_at is None and person.restricted_at is None


def _team_organisations(user: Any, person: Person, day: Any) -> tuple[dict[int, Organisation], dict[int, Organisation]]:
    """The user's organisations in the person's care team today: (as workers, as the named peer mentor)."""
    working = working_organisation_ids(user)
    peers = peer_organisation_ids(user)
    as_worker: dict[int, Organisation] = {}
    as_peer: dict[int, Organisation] = {}
    if not working and not peers:
        return as_worker, as_peer
    members = (
        CareTeamMember.objects.active(day)
        .filter(person=person, organisation_id__in=working | peers)
        .select_related("organisation")
    )
    for member in members:
        assert member.organisation is not None
        if member.organisation_id in working:
            as_worker[member.organisation.pk] = member.organisation
        elif member.role == TeamRole.PEER_MENTOR and member.worker_id == user.pk:
            as_peer[member.organisation.pk] = member.organisation
    return as_worker, as_peer


def grants_for(
    user: Any, person: Person, categories: Any = tuple(Category), *, at: datetime | None = None
) -> dict[str, Grant]:
    """Every category (of those asked) that ``user`` may see of ``person``'s record, with its grant.

    A handful of queries, whatever the number of categories.
    """
    if not _user_ok(user) or not _person_ok(person):
        return {}
    wanted = [Category(c) for c in categories]
    moment = at or timezone.now()
    as_worker, as_peer = _team_organisations(user, person, timezone.localdate(moment))
    found: dict[str, Grant] = {}
    if as_worker or as_peer:
        consents = list(
            Consent.objects.live(moment)
            .filter(person=person, kind=ConsentKind.CARE_COORDINATION)
            .prefetch_related("recipient_organisations", "recipient_kind_rows")
        )
        for category in wanted:
            candidates = list(as_worker.values())
            if category in PEER_MENTOR_CATEGORIES:
                candidates += [org for pk, org in as_peer.items() if pk not in as_worker]
            for organisation in sorted(candidates, key=lambda org: org.pk):
                consent = consent_covers_in(consents, organisation, category, at=moment)
                if consent is not None:
                    found[category] = Grant(organisation=organisation, consent=consent)
                    break
    missing = [category for category in wanted if category not in found]
    working = working_organisation_ids(user)
    if missing and working:
        emergency = (
            BreakGlass.objects.live(moment)
            .filter(person=person, user=user, organisation_id__in=working)
            .select_related("organisation")
            .order_by("-expires_at")
            .first()
        )
        if emergency is not None:
            for category in missing:
                found[category] = Grant(organisation=emergency.organisation, break_glass=emergency)
    return found


def access_grant(user: Any, person: Person, category: str, *, at: datetime | None = None) -> Grant | None:
    """The grant that lets ``user`` see ``category`` of ``person``'s record, or None."""
    return grants_for(user, person, [category], at=at).get(Category(category))


def can_access(user: Any, person: Person, category: str) -> bool:
    """May ``user`` see ``category`` of ``person``'s record right now?"""
    return access_grant(user, person, category) is not None


def can_edit(user: Any, person: Person, category: str) -> bool:
    """Change that part of the record: workers only (peer mentors add progress
    updates through :func:`can_update_progress`), with access to the category."""
    return bool(working_organisation_ids(user)) and can_access(user, person, category)


def can_update_progress(user: Any, person: Person) -> bool:
    """Anyone in the team who can see the plan may add a progress update, peer mentors included."""
    return can_access(user, person, Category.PLAN)


def can_refer(user: Any, person: Person) -> bool:
    """Make a referral for the person: a worker who can see their referrals."""
    return bool(working_organisation_ids(user)) and can_access(user, person, Category.REFERRALS)


def can_manage_team_and_consent(user: Any, person: Person) -> bool:
    """Record a consent or change the care team: a worker whose organisation is
    in the person's care team today. No live consent is needed, since
    recording the person's consent is how sharing starts again."""
    if not _user_ok(user) or not _person_ok(person):
        return False
    working = working_organisation_ids(user)
    if not working:
        return False
    return CareTeamMember.objects.active().filter(person=person, organisation_id__in=working).exists()


def can_export(user: Any, person: Person) -> bool:
    """Export everything held: a data-protection right, so it goes through the
    rights-request handlers, never through the care team."""
    return _user_ok(user) and user.has_perm("record.handle_rights_requests") and person.erased_at is None


def record_disclosure(
    person: Person,
    user: User | None,
    organisation: Organisation | None,
    category: str,
    purpose: str,
    *,
    how: str = DisclosureHow.VIEWED,
    consent: Consent | None = None,
    break_glass: BreakGlass | None = None,
    recipient_description: str = "",
    at: datetime | None = None,
) -> Disclosure:
    """Add an entry to the person's disclosure log (who saw or received what, when, why)."""
    if not purpose:
        raise ValueError("A disclosure needs a purpose.")
    return Disclosure.objects.create(
        person=person,
        viewer=user,
        viewer_label=str(user) if user is not None else "",
        organisation=organisation,
        recipient_description=recipient_description,
        category=category if category == IDENTITY else Category(category),
        purpose=purpose[:200],
        how=how,
        consent=consent,
        break_glass=break_glass,
        at=at or timezone.now(),
    )


def _find_person(person_id: Any) -> Person | None:
    queryset = Person.objects.current()
    if isinstance(person_id, Person):
        return queryset.filter(pk=person_id.pk).first()
    if isinstance(person_id, int):
        return queryset.filter(pk=person_id).first()
    try:
        key = person_id if isinstance(person_id, uuid.UUID) else uuid.UUID(str(person_id))
    except ValueError:
        return None
    return queryset.filter(uuid=key).first()


def open_record(
    user: Any,
    person_id: Any,
    *,
    categories: Any,
    purpose: str,
    request: HttpRequest | None = None,
) -> tuple[Person, dict[str, Grant]]:
    """Open the parts of a person's record that ``user`` may see, of ``categories``.

    Raises Http404 when none is allowed (the same answer as for a record that
    does not exist). Otherwise audits the read once, with its purpose and the
    categories opened, and logs one disclosure per category, in one transaction.
    """
    if not purpose:
        raise ValueError("A read of a person's record needs a purpose.")
    person = _find_person(person_id)
    grants = grants_for(user, person, categories) if person is not None else {}
    if person is None or not grants:
        raise Http404("No record found.")
    with transaction.atomic():
        audit_read(
            actor=user,
            action="record.read",
            purpose=purpose,
            target=person,
            request=request,
            details={
                "categories": sorted(str(c) for c in grants),
                "organisation_ids": sorted({grant.organisation.pk for grant in grants.values()}),
                "consent_ids": sorted({grant.consent.pk for grant in grants.values() if grant.consent}),
                "break_glass_id": next((g.break_glass.pk for g in grants.values() if g.break_glass), None),
            },
        )
        now = timezone.now()
        Disclosure.objects.bulk_create(
            [
                Disclosure(
                    person=person,
                    viewer=user,
                    viewer_label=str(user),
                    organisation=grant.organisation,
                    category=category,
                    purpose=purpose[:200],
                    consent=grant.consent,
                    break_glass=grant.break_glass,
                    at=now,
                )
                for category, grant in grants.items()
            ]
        )
    return person, grants


def access_for(
    user: Any, person_id: Any, *, category: str, purpose: str, request: HttpRequest | None = None
) -> tuple[Person, Grant]:
    """Open ``category`` of a person's record for ``user``, or raise Http404.

    ``person_id`` is the person's public UUID (or their primary key, or a
    Person). When allowed, audits the read with ``purpose`` and logs the
    disclosure in one transaction.
    """
    person, grants = open_record(user, person_id, categories=[category], purpose=purpose, request=request)
    return person, grants[Category(category)]


def person_for(user: Any, person_id: Any, *, category: str, purpose: str, request: HttpRequest | None = None) -> Person:
    """The person, if ``user`` may see ``category`` of their record; Http404 otherwise.
    The read is audited and logged in the person's disclosure log."""
    person, _grant = access_for(user, person_id, category=category, purpose=purpose, request=request)
    return person


def open_care_team_page(
    user: Any, person_id: Any, *, purpose: str, request: HttpRequest | None = None
) -> tuple[Person, bool]:
    """Open the care team and consent page: name, date of birth, team and consents.

    Open to workers of an organisation in the care team today even without a
    live consent (it is where consent is recorded again), and read-only to
    anyone who may see some category of the record. Returns the person and
    whether the user may change the team and record consent. Http404 otherwise.
    """
    person = _find_person(person_id)
    if person is None:
        raise Http404("No record found.")
    can_manage = can_manage_team_and_consent(user, person)
    grants = {} if can_manage else grants_for(user, person)
    if not can_manage and not grants:
        raise Http404("No record found.")
    organisation: Organisation | None
    if grants:
        organisation = next(iter(grants.values())).organisation
    else:
        working = working_organisation_ids(user)
        member = (
            CareTeamMember.objects.active()
            .filter(person=person, organisation_id__in=working)
            .select_related("organisation")
            .order_by("organisation_id")
            .first()
        )
        organisation = member.organisation if member else None
    with transaction.atomic():
        audit_read(
            actor=user,
            action="record.team_read",
            purpose=purpose,
            target=person,
            request=request,
            details={"organisation_id": organisation.pk if organisation else None},
        )
        record_disclosure(person, user, organisation, IDENTITY, purpose)
    return person, can_manage
