"""Settings of the research area, read in one place."""

from __future__ import annotations

from django.conf import settings

DEFAULT_SUPPRESS_BELOW = 5


def suppress_below() -> int:
    """Counts below this are shown as "fewer than N" (``ROSC_RESEARCH_SUPPRESS_BELOW``, 5 by default)."""
    return int(getattr(settings, "ROSC_RESEARCH_SUPPRESS_BELOW", DEFAULT_SUPPRESS_BELOW))
