"""Family support capabilities, on the shared permission layer (see docs/roles.md).

All are global. Which relative a family member may see is decided for each read
from their ``FamilyLink`` and the relative's live consent
(``rosc.family.selectors.relative_view``); which groups a worker may run is
decided in ``rosc.family.selectors`` (groups of their own family-support or
peer-support organisation).
"""

from __future__ import annotations

import rules

from rosc.core.models import Role
from rosc.core.permissions import has_role, is_signed_in, is_staff_member

# A staff account is a work account: someone's own family support stays out of it.
public_account = is_signed_in & ~is_staff_member
runs_groups = has_role(Role.PEER_MENTOR, Role.PRACTITIONER, Role.SERVICE_MANAGER)
is_service_manager = has_role(Role.SERVICE_MANAGER)

rules.add_perm("family.use_own_support", public_account)
rules.add_perm("family.share_progress", public_account)
rules.add_perm("family.run_groups", runs_groups)
rules.add_perm("family.view_group_attendance", is_service_manager)
