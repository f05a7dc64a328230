"""Load the Essex demo data of the areas built on the foundation and the directory.

Runs after ``seed_demo`` (organisations and people) and ``seed_directory`` (services), because the
shared record refers people to services and co-production needs community members. Each area's
``seeding.seed_demo`` is idempotent, so running this twice changes nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand

AREAS = (
    "rosc.record",
    "rosc.referrals",
    "rosc.frontdoor",
    "rosc.voice",
    "rosc.fund",
    "rosc.research",
    "rosc.outcomes",
    "rosc.peers",
    "rosc.continuing",
    "rosc.family",
)


class Command(BaseCommand):
    help = "Load the demo data of every area after the directory (record, referrals, front door, co-production, care)."

    def handle(self, *args: Any, **options: Any) -> None:
        for area in AREAS:
            import_module(f"{area}.seeding").seed_demo(self.stdout)
