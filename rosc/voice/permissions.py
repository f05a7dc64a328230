"""Community Voice capabilities, on the shared permission layer.

Both are global: which meeting or item someone may see is decided in ``selectors.py``.
Keep the "Community Voice" section of docs/roles.md in step.
"""

from __future__ import annotations

import rules

from rosc.core.models import Role
from rosc.core.permissions import has_role, is_administrator, is_signed_in

is_commissioner = has_role(Role.COMMISSIONER)

# Schedule meetings, write agendas and minutes, record attendance and decisions, answer items and
# hide items with a reason.
rules.add_perm("voice.run_forum", is_administrator | is_commissioner)
# Join under a display name, raise items, read agendas and papers of coming meetings.
rules.add_perm("voice.take_part", is_signed_in)
