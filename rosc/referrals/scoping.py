"""Which organisations a worker acts for, and through what they may read a
person's referrals. The decision itself comes from the shared record
(``rosc.record.access.can_access`` and ``consent_covers``); this module
finds the organisation, consent or break-glass access to name in the
disclosure log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rosc.core.models import Organisation, Role
from rosc.core.permissions import roles_of
from rosc.record.access import can_access
from rosc.record.categories import Category
from rosc.record.consent import consent_covers
from rosc.record.models import BreakGlass, CareTeamMember, Consent, Person

WORKING_ROLES = frozenset({Role.PRACTITIONER, Role.SERVICE_MANAGER})


def working_organisation_ids(user: Any) -> set[int]:
    """Organisations where the user is a practitioner or service manager today."""
    return {org_id for org_id, roles in roles_of(user).items() if roles & WORKING_ROLES}


@dataclass(frozen=True)
class TeamAccess:
    organisation: Organisation
    consent: Consent | None = None
    break_glass: BreakGlass | None = None


def consented_team_organisations(user: Any, person: Person) -> list[Organisation]:
    """The user's organisations in the person's care team today whose consent covers referrals."""
    working = working_organisation_ids(user)
    if not working:
        return []
    members = (
        CareTeamMember.objects.active()
        .filter(person=person, organisation_id__in=working)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    found: dict[int, Organisation] = {}
    for member in members:
        organisation = member.organisation
        if organisation is None or organisation.pk in found:
            continue
        if consent_covers(person, organisation, Category.REFERRALS) is not None:
            found[organisation.pk] = organisation
    return list(found.values())


def team_access(user: Any, person: Person) -> TeamAccess | None:
    """How ``user`` may read ``person``'s referrals as part of their care team, or None."""
    if not can_access(user, person, Category.REFERRALS):
        return None
    for organisation in consented_team_organisations(user, person):
        return TeamAccess(organisation, consent=consent_covers(person, organisation, Category.REFERRALS))
    emergency = (
        BreakGlass.objects.live()
        .filter(person=person, user=user, organisation_id__in=working_organisation_ids(user))
        .select_related("organisation")
        .order_by("-expires_at")
        .first()
    )
    if emergency is not None:
        return TeamAccess(emergency.organisation, break_glass=emergency)
    return None
