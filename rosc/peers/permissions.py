"""Peer mentoring capabilities, on the shared permission layer (see docs/roles.md).

Every capability here is global: it says what kind of work someone does. Which mentors, requests and
people someone reaches is decided in ``rosc.peers.selectors``: a coordinator is a service manager of a
peer-support organisation and sees only that organisation's mentors and waiting list; a mentor sees only
their own mentees; anyone else in the person's care team sees peer sessions only while the person's consent
covers their plan for that organisation.
"""

from __future__ import annotations

import rules

from rosc.core.models import Role
from rosc.core.permissions import has_role, is_signed_in

is_peer_mentor = has_role(Role.PEER_MENTOR)
is_service_manager = has_role(Role.SERVICE_MANAGER)
works_with_people = has_role(Role.PRACTITIONER, Role.SERVICE_MANAGER)

rules.add_perm("peers.mentor", is_peer_mentor)
rules.add_perm("peers.coordinate", is_service_manager)
rules.add_perm("peers.supervise", is_service_manager | is_peer_mentor)
rules.add_perm("peers.request_mentor", works_with_people)
rules.add_perm("peers.view_sessions", works_with_people | is_peer_mentor)
rules.add_perm("peers.view_own_sessions", is_signed_in)
