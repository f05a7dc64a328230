"""Continuing care capabilities, on the shared permission layer (see docs/roles.md).

Every capability here is global: it says what kind of work someone does. Whose check-ins and alerts
they may see is decided from the care team and consent in ``rosc.continuing.selectors``, and which
service's settings a manager may change by ``manages_organisation``.
"""

from __future__ import annotations

import rules

from rosc.core.models import Role
from rosc.core.permissions import has_role, is_signed_in

works_with_people = has_role(Role.PRACTITIONER, Role.SERVICE_MANAGER)

rules.add_perm("continuing.start_plans", works_with_people)
rules.add_perm("continuing.view_alerts", has_role(Role.PRACTITIONER, Role.SERVICE_MANAGER, Role.PEER_MENTOR))
rules.add_perm("continuing.manage_settings", has_role(Role.SERVICE_MANAGER))
rules.add_perm("continuing.view_own", is_signed_in)
