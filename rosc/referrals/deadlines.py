"""Response deadlines for referrals, in working days (England and Wales).

``ROSC_REFERRAL_RESPONSE_WORKING_DAYS`` (2 unless set) is how many working
days a receiving service has to answer; ``ROSC_BANK_HOLIDAYS_FILE`` may point
at another copy of the GOV.UK bank-holiday list (the one in
``rosc/referrals/data/`` is used otherwise).
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from rosc.referrals.workdays import BankHolidays, add_working_days, load_bank_holidays

DEFAULT_RESPONSE_WORKING_DAYS = 2


def response_working_days() -> int:
    days = int(getattr(settings, "ROSC_REFERRAL_RESPONSE_WORKING_DAYS", DEFAULT_RESPONSE_WORKING_DAYS))
    if days < 0:
        raise ValueError("ROSC_REFERRAL_RESPONSE_WORKING_DAYS cannot be negative.")
    return days


def bank_holidays() -> BankHolidays:
    return load_bank_holidays(getattr(settings, "ROSC_BANK_HOLIDAYS_FILE", None) or None)


def respond_by_for(sent_at: datetime) -> date:
    """The last day the receiving service has to answer a referral sent at ``sent_at``."""
    return add_working_days(timezone.localdate(sent_at), response_working_days(), bank_holidays().dates)
