"""Helpers for tests: sign a test client in as a persona, with or without a
second factor, and make TOTP codes the way an authenticator app would."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from rosc.core.models import User

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_totp(user: User, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance


def totp_code_for(user: User, *, offset_periods: int = 0) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset_periods))


def mfa_session_records(user: User, *, with_mfa: bool = True) -> dict[str, Any]:
    """Session entries saying this session signed in with a password (and a TOTP code)."""
    now = time.time()
    records: list[dict[str, Any]] = [{"method": "password", "at": now, "email": user.email}]
    if with_mfa:
        records.append({"method": "mfa", "at": now, "type": "totp"})
    return {AUTHENTICATION_METHODS_SESSION_KEY: records, _AUTHENTICATION_METHODS_USER_SESSION_KEY: str(user.pk)}


def sign_in(client: Any, user: User, *, with_mfa: bool = True) -> Any:
    """Sign the Django test client in as ``user`` as if through the sign-in form;
    with ``with_mfa`` the user has a TOTP authenticator and used it."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if with_mfa:
        give_totp(user)
    session = client.session
    session.update(mfa_session_records(user, with_mfa=with_mfa))
    session.save()
    return client
