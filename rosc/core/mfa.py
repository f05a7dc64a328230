"""Whether a user has, and has used, a second factor."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


def session_used_second_factor(request: HttpRequest) -> bool:
    """True when this session passed a second-factor check at sign-in, or set one
    up itself (``signals.mark_session_verified`` records that). A factor added in
    some other session never counts for this one."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def staff_mfa_satisfied(request: HttpRequest) -> bool:
    """A staff user may use staff pages only with a second factor used this session."""
    if settings.ROSC_DEMO:
        return True
    return has_second_factor(request.user) and session_used_second_factor(request)
