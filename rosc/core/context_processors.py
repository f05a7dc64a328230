from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from rosc.core.permissions import is_staff_user


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "AREA_NAME": settings.AREA_NAME,
        "PHASE": settings.PHASE,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        "ROSC_DEMO": settings.ROSC_DEMO,
        "is_staff_user": bool(user and is_staff_user(user)),
    }
