"""Outcome measures capabilities, on the shared permission layer (see docs/roles.md).

The capabilities say what kind of work someone does. Which person's measures
a worker may record or see is decided by ``rosc.record.access`` (care team and
consent for the OUTCOMES category); which services' figures a service manager
sees is limited to the organisations they manage, in
``rosc.outcomes.selectors.service_organisations``.
"""

from __future__ import annotations

import rules

from rosc.core.models import Role
from rosc.core.permissions import has_role

records_measures = has_role(Role.PRACTITIONER, Role.SERVICE_MANAGER)
sees_service_outcomes = has_role(Role.SERVICE_MANAGER, Role.COMMISSIONER)

rules.add_perm("outcomes.record_measures", records_measures)
rules.add_perm("outcomes.view_service_outcomes", sees_service_outcomes)
