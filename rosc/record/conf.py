"""Settings of the shared record, with their defaults.

``ROSC_RECORD_RETENTION_DAYS`` (a dict of record type to days) and
``ROSC_PLAN_REVIEW_NOTICE_DAYS`` can be set in settings; anything not set
falls back to the defaults here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# How long each kind of record is kept (days). Eight years follows the NHS
# records management code for adult health and care records.
EIGHT_YEARS = 8 * 365 + 2
DEFAULT_RETENTION_DAYS = {
    "closed_record": EIGHT_YEARS,  # a person with nobody in their care team, counted from the last team member's end
    "note": EIGHT_YEARS,  # contact, keyworker and counselling notes, from when written
    "finished_goal": EIGHT_YEARS,  # achieved or stopped goals, from their last change
    "ended_consent": EIGHT_YEARS,  # withdrawn or expired consents, from when they ended
    "disclosure": EIGHT_YEARS,  # disclosure log entries, from when they happened
    "break_glass": EIGHT_YEARS,  # reviewed emergency accesses, from when they started
}
MINIMUM_RETENTION_DAYS = 30
RETENTION_LABELS = {
    "closed_record": "Closed records (people no longer supported)",
    "note": "Notes",
    "finished_goal": "Achieved or stopped goals",
    "ended_consent": "Withdrawn or expired consents",
    "disclosure": "Disclosure log entries",
    "break_glass": "Reviewed emergency accesses",
}


def retention_days() -> dict[str, int]:
    configured = getattr(settings, "ROSC_RECORD_RETENTION_DAYS", {}) or {}
    unknown = set(configured) - set(DEFAULT_RETENTION_DAYS)
    if unknown:
        raise ImproperlyConfigured(
            f"ROSC_RECORD_RETENTION_DAYS has unknown record types: {', '.join(sorted(unknown))}. "
            f"Known: {', '.join(DEFAULT_RETENTION_DAYS)}."
        )
    merged = {**DEFAULT_RETENTION_DAYS, **configured}
    for kind, days in merged.items():
        if not isinstance(days, int) or days < MINIMUM_RETENTION_DAYS:
            raise ImproperlyConfigured(
                f"ROSC_RECORD_RETENTION_DAYS[{kind!r}] must be a whole number of days, "
                f"{MINIMUM_RETENTION_DAYS} or more."
            )
    return merged


def plan_review_notice_days() -> int:
    return int(getattr(settings, "ROSC_PLAN_REVIEW_NOTICE_DAYS", 3))
