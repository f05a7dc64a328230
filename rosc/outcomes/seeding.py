"""Essex demo data for outcome measures, run by ``manage.py seed_demo_areas``."""

from __future__ import annotations

from typing import Any


def seed_demo(stdout: Any) -> None:
    """Load the illustrative demo data of this area (safe to run again)."""
