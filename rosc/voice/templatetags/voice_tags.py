"""Template helpers for Community Voice pages."""

from __future__ import annotations

from django import template

register = template.Library()

_TAG_COLOURS = {
    "raised": "govuk-tag--grey",
    "under_consideration": "govuk-tag--light-blue",
    "we_will": "govuk-tag--yellow",
    "we_did": "govuk-tag--green",
    "we_cannot": "govuk-tag--orange",
    "reviewed": "govuk-tag--purple",
}


@register.filter
def voice_tag_class(status: str) -> str:
    """The GOV.UK tag colour for an item's status."""
    return _TAG_COLOURS.get(status, "govuk-tag--grey")
