"""Template helpers of the shared record: counts for the staff home."""

from __future__ import annotations

from django import template

from rosc.record import selectors

register = template.Library()


@register.simple_tag
def pending_break_glass_count() -> int:
    """How many emergency accesses wait for review (shown only to those who review them)."""
    return selectors.pending_break_glass_count()


@register.simple_tag
def open_rights_request_count() -> int:
    return selectors.open_rights_request_count()
