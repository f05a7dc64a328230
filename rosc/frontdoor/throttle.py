"""Rate limits for the front door, so a script cannot keep thousands of pathways,
send texts to strangers or fill services' inboxes.

A fixed window per client address and action, counted in the default cache
(shared by every web process when ``REDIS_URL`` or the database cache is
used), the same way the Open Referral UK API is throttled. Limits come from
settings, with safe defaults for a county.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from rosc.core.audit import client_ip

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# action -> (setting, default)
LIMITS = {
    "pathway": ("ROSC_FRONTDOOR_PATHWAY_LIMIT", "30/h"),
    "link": ("ROSC_FRONTDOOR_LINK_LIMIT", "5/h"),
    "request": ("ROSC_FRONTDOOR_REQUEST_LIMIT", "5/h"),
}


def parse_rate(text: str) -> tuple[int, int]:
    """'30/h' -> (30, 3600); '5/10m' -> (5, 600)."""
    match = _RATE.match(text or "")
    if not match:
        raise ImproperlyConfigured(f"A front door rate limit must look like '30/h', not {text!r}.")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _UNIT_SECONDS[unit]


def rate_for(action: str) -> tuple[int, int]:
    setting, default = LIMITS[action]
    return parse_rate(str(getattr(settings, setting, default)))


def allow(request: HttpRequest, action: str) -> bool:
    """Count one use of ``action`` by this client; False once its window is used up."""
    limit, window = rate_for(action)
    slot = int(time.time() // window)
    key = f"frontdoor-rate:{action}:{client_ip(request) or 'unknown'}:{window}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        used = 1
    return used <= limit
