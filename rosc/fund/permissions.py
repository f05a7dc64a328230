"""Recovery Fund capabilities, on the shared permission layer.

Keep docs/roles.md ("Recovery Fund") in step: rosc/core/tests/test_role_matrix.py reads it.
Object scoping (which round, whose proposal) is done in ``rosc/fund/selectors.py``.
"""

from __future__ import annotations

from typing import Any

import rules

from rosc.core.models import Role
from rosc.core.permissions import has_role, is_administrator, is_staff_user

is_commissioner = has_role(Role.COMMISSIONER)
# Staff roles held by people from the recovery community itself.
is_community_staff = has_role(Role.PEER_MENTOR, Role.COMMUNITY_RESEARCHER)


@rules.predicate
def is_public_account(user: Any) -> bool:
    """Signed in, with no staff role: a person in recovery, a family member or a community member."""
    return bool(getattr(user, "is_authenticated", False)) and not is_staff_user(user)


is_community_member = is_public_account | is_community_staff

rules.add_perm("fund.manage_rounds", is_administrator | is_commissioner)
rules.add_perm("fund.review_proposals", is_administrator | is_commissioner)
rules.add_perm("fund.propose", is_community_member)
rules.add_perm("fund.vote", is_community_member)
