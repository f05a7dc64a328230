"""Directory capabilities, on the shared permission layer."""

from __future__ import annotations

from typing import Any

import rules

from rosc.core.models import Role
from rosc.core.permissions import has_role, is_administrator, roles_of


@rules.predicate(name="manages_service_organisation")
def manages_service_organisation(user: Any, service: Any) -> bool:
    """A service manager of the organisation that runs the service."""
    if service is None:
        return False
    return Role.SERVICE_MANAGER in roles_of(user).get(service.organisation_id, set())


is_service_manager = has_role(Role.SERVICE_MANAGER)

rules.add_perm("directory.manage_listings", is_administrator | is_service_manager)
rules.add_perm("directory.edit_service", is_administrator | manages_service_organisation)
