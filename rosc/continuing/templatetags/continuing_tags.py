"""Template tags for the signed-in home page."""

from __future__ import annotations

from typing import Any

from django import template

from rosc.continuing.models import Plan
from rosc.record.models import Person

register = template.Library()


@register.simple_tag
def continuing_plan_of(user: Any) -> Plan | None:
    """The plan of the record linked to this account, if there is one (for a link on the home page)."""
    if not getattr(user, "is_authenticated", False):
        return None
    person = Person.objects.current().filter(account=user).first()
    if person is None:
        return None
    return Plan.objects.filter(person=person).order_by("-created_at").first()
