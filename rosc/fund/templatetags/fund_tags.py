"""Template helpers for Recovery Fund pages."""

from __future__ import annotations

from typing import Any

from django import template

from rosc.fund.presentation import money as _money
from rosc.fund.presentation import pounds as _pounds

register = template.Library()


@register.filter
def pounds(value: Any) -> str:
    """£1,234 for whole pounds, £1,234.57 otherwise."""
    return _pounds(value)


@register.filter
def money(value: Any, currency: str = "GBP") -> str:
    """An amount in the round's currency: £1,234 or £1,234.57."""
    return _money(value, currency or "GBP")


@register.filter
def percent_of(part: Any, whole: Any) -> str:
    """'42%' of a whole, or '' when the whole is 0."""
    try:
        part, whole = float(part), float(whole)
    except (TypeError, ValueError):
        return ""
    return f"{round(100 * part / whole)}%" if whole else ""
