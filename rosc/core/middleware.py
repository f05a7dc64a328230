"""Security headers, session timeouts and the staff second-factor gate."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from rosc.core.mfa import staff_mfa_satisfied
from rosc.core.permissions import is_staff_user

Handler = Callable[[HttpRequest], HttpResponse]

SESSION_STARTED = "rosc_started_at"
SESSION_SEEN = "rosc_seen_at"
# Refresh the "last seen" time at most this often, to spare session writes.
SEEN_RESOLUTION_SECONDS = 15


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class SessionTimeoutMiddleware:
    """Sign people out after inactivity (15 minutes for staff) and after an
    absolute lifetime, whatever their activity."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            idle_limit = (
                settings.ROSC_STAFF_IDLE_SECONDS if is_staff_user(request.user) else settings.ROSC_PUBLIC_IDLE_SECONDS
            )
            reason = None
            if started is not None and now - started > settings.ROSC_SESSION_ABSOLUTE_SECONDS:
                reason = "You have been signed out because you were signed in for too long. Please sign in again."
            elif seen is not None and now - seen > idle_limit:
                minutes = idle_limit // 60
                reason = (
                    f"You have been signed out because you had not done anything for {minutes} minutes. "
                    "Please sign in again."
                )
            if reason:
                logout(request)
                messages.info(request, reason)
                return HttpResponseRedirect(
                    reverse("account_login") + "?" + urlencode({"next": request.get_full_path()})
                )
            if started is None:
                request.session[SESSION_STARTED] = now
            if seen is None or now - seen >= SEEN_RESOLUTION_SECONDS:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


# Paths a staff user without a second factor may still use: public pages,
# setting up the second factor, signing out and static files.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/get-help/", "/continuing-care/check-in/")
MFA_EXEMPT_EXACT = {"/", "/accessibility/", "/privacy/", "/cookies/", "/contact/", "/organisations/"}


class StaffMFAMiddleware:
    """A staff user reaches no staff page until they have used a second factor."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            request.user.is_authenticated
            and not path.startswith(MFA_EXEMPT_PREFIXES)
            and path not in MFA_EXEMPT_EXACT
            and is_staff_user(request.user)
            and not staff_mfa_satisfied(request)
        ):
            return HttpResponseRedirect(reverse("core:mfa_required"))
        return self.get_response(request)
