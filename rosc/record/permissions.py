"""Shared recovery record capabilities, on the shared permission layer.

Every capability here is global: it says what kind of work someone does.
Whether they may see a particular person is decided in
``rosc.record.access`` from the care team and the person's consents.
"""

from __future__ import annotations

import rules

from rosc.core.models import Role
from rosc.core.permissions import has_role, is_administrator, is_ig_lead

# Roles that work with people's records on behalf of a care-team organisation.
WORKING_ROLES = frozenset({Role.PRACTITIONER, Role.SERVICE_MANAGER})

works_with_people = has_role(*WORKING_ROLES)
is_peer_mentor = has_role(Role.PEER_MENTOR)

rules.add_perm("record.work_with_people", works_with_people)
rules.add_perm("record.view_caseload", works_with_people | is_peer_mentor)
rules.add_perm("record.break_glass", works_with_people)
rules.add_perm("record.review_break_glass", is_ig_lead)
rules.add_perm("record.handle_rights_requests", is_administrator | is_ig_lead)
