"""The one permission layer every app reuses.

Roles come from active memberships. Predicates are ``rules`` predicates, so
views ask ``user.has_perm("core.search_audit")`` and templates use
``{% if perms.core.search_audit %}``. The role-by-capability matrix in
``docs/roles.md`` is checked against these rules by a test.
"""

from __future__ import annotations

from typing import Any

import rules

from rosc.core.models import Membership, Organisation, Role

STAFF_ROLES = frozenset(Role.values)
_CACHE_ATTR = "_rosc_roles_cache"


def roles_of(user: Any) -> dict[int, set[str]]:
    """Organisation id -> roles held today, cached on the user object for one request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    found: dict[int, set[str]] = {}
    for org_id, role in Membership.objects.active().filter(user=user).values_list("organisation_id", "role"):
        found.setdefault(org_id, set()).add(role)
    setattr(user, _CACHE_ATTR, found)
    return found


def forget_roles(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def all_roles(user: Any) -> set[str]:
    return set().union(*roles_of(user).values()) if roles_of(user) else set()


def is_staff_user(user: Any) -> bool:
    return bool(all_roles(user) & STAFF_ROLES)


def has_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({', '.join(sorted(wanted))})")
    def predicate(user: Any) -> bool:
        return bool(all_roles(user) & wanted)

    return predicate


def has_role_in_organisation(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role_in_organisation({', '.join(sorted(wanted))})")
    def predicate(user: Any, organisation: Organisation | None) -> bool:
        if organisation is None:
            return False
        return bool(roles_of(user).get(organisation.pk, set()) & wanted)

    return predicate


is_signed_in = rules.is_authenticated
is_staff_member = rules.predicate(is_staff_user, name="is_staff_member")
is_administrator = has_role(Role.ADMINISTRATOR)
is_ig_lead = has_role(Role.IG_LEAD)
manages_organisation = has_role_in_organisation(Role.SERVICE_MANAGER)

# Capabilities. Keep docs/roles.md in step: rosc/core/tests/test_role_matrix.py reads it.
rules.add_perm("core.view_staff_home", is_staff_member)
rules.add_perm("core.search_audit", is_administrator | is_ig_lead)
rules.add_perm("core.list_organisations", is_administrator)
rules.add_perm("core.view_team", is_administrator | manages_organisation)
rules.add_perm("core.manage_team", is_administrator | manages_organisation)
rules.add_perm("core.view_notifications", is_administrator)
rules.add_perm("core.manage_own_account", is_signed_in)
