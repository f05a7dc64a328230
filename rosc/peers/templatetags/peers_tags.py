"""Template helpers for the peer mentoring links on the home pages."""

from __future__ import annotations

from typing import Any

from django import template

from rosc.core.models import User
from rosc.peers import selectors
from rosc.record.models import Person

register = template.Library()


@register.simple_tag
def peers_links_for(user: Any) -> dict[str, Any]:
    """Which peer mentoring links this user should see: none unless they mentor, coordinate or supervise."""
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    mentor = user.has_perm("peers.mentor")
    coordinates = selectors.coordinated_organisations(user) if user.has_perm("peers.coordinate") else []
    supervises = user.has_perm("peers.supervise") and bool(selectors.supervised_profiles(user))
    if not (mentor or coordinates or supervises):
        return {}
    return {"mentor": mentor, "coordinates": coordinates, "supervises": supervises}


@register.simple_tag
def peers_own_record(user: Any) -> Any:
    """The signed-in person's own record, if their account is linked to one."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    return Person.objects.current().filter(account=user).first()
