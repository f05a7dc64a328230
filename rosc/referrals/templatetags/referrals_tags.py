"""Template helpers for referral pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from rosc.referrals import selectors, states

register = template.Library()

TAG_COLOURS = {
    states.State.SENT: "govuk-tag--blue",
    states.State.RECEIVED: "govuk-tag--light-blue",
    states.State.ACCEPTED: "govuk-tag--green",
    states.State.DECLINED: "govuk-tag--red",
    states.State.WAITING_LIST: "govuk-tag--yellow",
    states.State.IN_PROGRESS: "govuk-tag--turquoise",
    states.State.COMPLETED: "govuk-tag--grey",
    states.State.WITHDRAWN: "govuk-tag--grey",
    states.State.REROUTED: "govuk-tag--purple",
}


@register.simple_tag
def referral_status(state: str) -> SafeString:
    """The status as a coloured GOV.UK tag; the words carry the meaning, not the colour."""
    current = states.State(state)
    return format_html('<strong class="govuk-tag {}">{}</strong>', TAG_COLOURS[current], current.label)


@register.simple_tag
def referrals_overdue_for(user: Any) -> int:
    return selectors.overdue_count(actor=user)


@register.simple_tag
def referrals_person_of(user: Any) -> Any:
    return selectors.person_of_account(user)


@register.filter
def day_month_year(value: Any) -> str:
    """'3 December 2026' (no leading zero)."""
    if not value:
        return ""
    return f"{value.day} {value:%B %Y}"
