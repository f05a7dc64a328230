"""System checks for referrals: the bank-holiday list must reach next year."""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning, register
from django.utils import timezone


@register()
def bank_holidays_cover_next_year(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    from rosc.referrals.deadlines import bank_holidays

    holidays = bank_holidays()
    next_year = timezone.localdate().year + 1
    if holidays.covers_year(next_year):
        return []
    return [
        Warning(
            f"The bank-holiday list used for referral deadlines stops in {holidays.last_year}.",
            hint=(
                f"Add {next_year}'s England and Wales bank holidays from https://www.gov.uk/bank-holidays.json "
                "to rosc/referrals/data/bank_holidays_england_wales.json; until then only weekends count as "
                "non-working days after the last listed year."
            ),
            id="referrals.W001",
        )
    ]
