"""Delete kept pathways whose time is up, and forget the addresses of link messages already sent.

Run it daily (cron or any scheduler). It is safe to run at any time and to run again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rosc.frontdoor.actions import pathways_purge


class Command(BaseCommand):
    help = "Delete expired front door pathways and remove addresses from pathway link messages already sent."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Looking for expired pathways and sent link messages...")
        deleted, forgotten = pathways_purge(progress=self.stdout.write)
        self.stdout.write(
            f"{deleted} expired pathway{'s' if deleted != 1 else ''} deleted; "
            f"{forgotten} link message{'s' if forgotten != 1 else ''} cleared of their address."
        )
