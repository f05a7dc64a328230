"""Template helpers for pages outside the directory app that point to the listings.

``{% load directory_manage %}{% stale_listing_count user as n %}`` lets the
staff home show how many listings need checking, without the core app
importing the directory in Python.
"""

from __future__ import annotations

from typing import Any

from django import template

from rosc.directory.selectors_manage import stale_listing_count as _stale_listing_count

register = template.Library()


@register.simple_tag
def stale_listing_count(user: Any) -> int:
    """How many of the listings this person looks after need checking (0 if they look after none)."""
    return _stale_listing_count(actor=user)
