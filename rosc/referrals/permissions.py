"""Closed-loop referrals capabilities, on the shared permission layer.

Every capability here is global: it says what kind of work someone does.
Which referrals they may see or change (their organisation sent it, their
organisation receives it, or they are in the person's care team with
consent) is decided in ``rosc.referrals.selectors``.
"""

from __future__ import annotations

import rules

from rosc.core.models import Role
from rosc.core.permissions import has_role, is_ig_lead, is_signed_in

# Workers who make and answer referrals on behalf of their organisation.
works_with_referrals = has_role(Role.PRACTITIONER, Role.SERVICE_MANAGER)

rules.add_perm("referrals.send", works_with_referrals)
rules.add_perm("referrals.receive", works_with_referrals)
rules.add_perm("referrals.review_exceptions", is_ig_lead)
rules.add_perm("referrals.view_own", is_signed_in)
