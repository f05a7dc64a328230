from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "ROSC_SIGNUP_OPEN", True))

    def get_login_redirect_url(self, request: HttpRequest) -> Any:
        return super().get_login_redirect_url(request)
