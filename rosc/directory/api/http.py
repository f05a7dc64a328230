"""What every Open Referral UK API response shares: open CORS, JSON errors and a throttle.

ORUK compliance asks for endpoints that are open to everyone without a key,
that may be throttled, and that send ``Access-Control-Allow-Origin: *`` on every
response. :func:`oruk_endpoint` wraps each view so that errors (400, 404, 405,
429 and unexpected 500s) are JSON and carry the same headers.

The throttle is a fixed window per client address, counted in the default
cache (shared by every web process when ``REDIS_URL`` or the database cache is
used). The limit is ``settings.ROSC_API_RATE_LIMIT``, e.g. ``"120/m"``.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse

from rosc.core.audit import client_ip

logger = logging.getLogger(__name__)

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type",
    "Access-Control-Expose-Headers": "Retry-After",
    # The API is meant to be read from other sites.
    "Cross-Origin-Resource-Policy": "cross-origin",
}

View = Callable[..., HttpResponse]


class BadParameters(Exception):
    """The request's query parameters are wrong; ``messages`` say how, in plain English."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def parse_rate(text: str) -> tuple[int, int]:
    """'120/m' -> (120, 60); '1000/h' -> (1000, 3600); '10/5m' -> (10, 300)."""
    match = _RATE.match(text or "")
    if not match:
        raise ImproperlyConfigured(f"ROSC_API_RATE_LIMIT must look like '120/m', not {text!r}.")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _UNIT_SECONDS[unit]


def json_response(data: Any, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    return response


def error_response(status: int, messages: list[str]) -> JsonResponse:
    return json_response({"status": status, "errors": messages}, status=status)


def with_cors(response: HttpResponse) -> HttpResponse:
    for name, value in CORS_HEADERS.items():
        response.headers[name] = value
    return response


def throttled(request: HttpRequest) -> HttpResponse | None:
    """A 429 response when this client address has used up its window, else None."""
    limit, window = parse_rate(settings.ROSC_API_RATE_LIMIT)
    now = time.time()
    slot = int(now // window)
    key = f"oruk-api-rate:{client_ip(request) or 'unknown'}:{window}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        used = 1
    if used <= limit:
        return None
    retry_after = max(1, int((slot + 1) * window - now) + 1)
    response = error_response(
        429, [f"Too many requests: the limit is {limit} every {window} seconds. Try again in {retry_after} seconds."]
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


def oruk_endpoint(view: View) -> View:
    """GET (and HEAD) only, throttled, CORS on everything, JSON errors."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response: HttpResponse = HttpResponse(status=204)
            response.headers["Access-Control-Max-Age"] = "86400"
            response.headers["Allow"] = "GET, HEAD, OPTIONS"
            return with_cors(response)
        if request.method not in ("GET", "HEAD"):
            response = error_response(405, [f"This API only answers GET requests, not {request.method}."])
            response.headers["Allow"] = "GET, HEAD, OPTIONS"
            return with_cors(response)
        refused = throttled(request)
        if refused is not None:
            return with_cors(refused)
        try:
            response = view(request, *args, **kwargs)
        except BadParameters as problem:
            response = error_response(400, problem.messages)
        except Exception:
            logger.exception("ORUK API failure at %s", request.path)
            response = error_response(500, ["Something went wrong on our side. Please try again later."])
        return with_cors(response)

    return wrapper


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
