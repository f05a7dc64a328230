"""The rules of family support in one place: what a person may share with a family
member and for how long, and who may run which family group."""

from __future__ import annotations

from typing import Any

from rosc.core.models import OrganisationKind, Role
from rosc.core.permissions import roles_of
from rosc.record.categories import Category

PURPOSE = "Support from a family member"

# What a person may share with a family member: their plan and where their referrals
# have got to. Never notes, outcome scores or contact details.
SHAREABLE: tuple[str, ...] = (Category.PLAN.value, Category.REFERRALS.value)
SHAREABLE_LABELS = {
    Category.PLAN.value: "My recovery plan: my goals and the steps towards them",
    Category.REFERRALS.value: "My referrals: which services I have been referred to and where each has got to",
}
# How long, in months.
DURATIONS: dict[int, str] = {3: "3 months", 6: "6 months", 12: "12 months"}
INVITATION_DAYS = 14
INVITATION_USED = (
    "This invitation link has already been used, or it has ended. Ask the person who invited you to send a new one."
)

GROUP_ORGANISATION_KINDS = frozenset({OrganisationKind.FAMILY_SUPPORT, OrganisationKind.PEER_SUPPORT})
GROUP_ROLES = frozenset({Role.PEER_MENTOR, Role.PRACTITIONER, Role.SERVICE_MANAGER})


def group_organisation_ids(user: Any) -> set[int]:
    """Organisations where the user may set up family groups: any role that runs groups,
    at a family-support or peer-support organisation (the kind is checked against the database)."""
    from rosc.core.models import Organisation

    candidates = {org_id for org_id, roles in roles_of(user).items() if roles & GROUP_ROLES}
    if not candidates:
        return set()
    return set(
        Organisation.objects.filter(pk__in=candidates, kind__in=GROUP_ORGANISATION_KINDS).values_list("pk", flat=True)
    )


def managed_organisation_ids(user: Any) -> set[int]:
    """Organisations whose every group the user may manage and whose attendance they see: service managers."""
    return {org_id for org_id, roles in roles_of(user).items() if Role.SERVICE_MANAGER in roles}


def can_manage_group(user: Any, group: Any) -> bool:
    """A facilitator of the group who still works there, or a service manager of its organisation."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("family.run_groups"):
        return False
    roles = roles_of(user).get(group.organisation_id, set())
    if Role.SERVICE_MANAGER in roles:
        return True
    if not roles & GROUP_ROLES:
        return False
    return group.facilitators.filter(pk=user.pk).exists()
