"""Sign-in events and second-factor changes go to the audit log; setting up a
second factor counts as using it in that session."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from rosc.core.audit import audit_write


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        audit_write(actor=user, action="auth.signed_in", target=user, purpose="sign in", request=request)


@receiver(user_logged_out)
def audit_sign_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    with transaction.atomic():
        audit_write(actor=user, action="auth.signed_out", target=user, purpose="sign out", request=request)


@receiver(user_login_failed)
def audit_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    with transaction.atomic():
        audit_write(actor=None, action="auth.sign_in_failed", purpose="sign in", request=request)


@receiver(authenticator_added)
def mark_session_verified(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any) -> None:
    """Setting up a second factor proves the person holds it, so this session
    (and only this one) counts as having used it."""
    if authenticator.type in ("totp", "webauthn"):
        record_authentication(request, user, "mfa", type=authenticator.type, id=authenticator.pk, setup=True)
    with transaction.atomic():
        audit_write(
            actor=user,
            action="auth.second_factor_added",
            target=user,
            purpose="account security",
            request=request,
            details={"type": authenticator.type},
        )
