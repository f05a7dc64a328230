"""Community research capabilities, on the shared permission layer.

Both are global; which surveys a researcher may manage is decided in
``selectors`` (their own, or any for an administrator).
"""

from __future__ import annotations

import rules

from rosc.core.models import Role
from rosc.core.permissions import has_role, is_administrator

is_community_researcher = has_role(Role.COMMUNITY_RESEARCHER)
is_commissioner = has_role(Role.COMMISSIONER)

rules.add_perm("research.design_surveys", is_community_researcher | is_administrator)
rules.add_perm("research.view_evidence", is_commissioner | is_community_researcher | is_administrator)
