"""Load the directory: the recovery taxonomy and the Essex demo services, or synthetic data for benchmarks.

manage.py seed_directory                       taxonomy and Essex demo directory (safe to run again)
manage.py seed_directory --synthetic 50000     add 50,000 made-up services across England
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rosc.directory import seeding


class Command(BaseCommand):
    help = "Load the recovery taxonomy and the Essex demo directory, or add synthetic services for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--synthetic",
            type=int,
            metavar="N",
            help="Add N made-up services spread over every English postcode district (for benchmarks).",
        )
        parser.add_argument(
            "--seed", type=int, default=20250101, help="Random seed for --synthetic (default 20250101)."
        )
        parser.add_argument(
            "--replace-synthetic",
            action="store_true",
            help="Delete synthetic services made before, then add new ones.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        count = options["synthetic"]
        if count is None:
            if options["replace_synthetic"]:
                raise CommandError("--replace-synthetic only works with --synthetic N.")
            summary = seeding.seed_essex_directory(self.stdout)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Essex directory ready: {summary.services} services ({summary.created} new, "
                    f"{summary.illustrative} illustrative) at {summary.locations} places, from "
                    f"{summary.organisations} organisations, in {time.monotonic() - started:.1f}s."
                )
            )
            return

        if count < 1:
            raise CommandError("--synthetic needs a number of services of 1 or more.")
        existing = seeding.synthetic_service_count()
        if existing and not options["replace_synthetic"]:
            raise CommandError(
                f"There are already {existing:,} synthetic services. Run again with --replace-synthetic to delete "
                "them first, or leave them as they are."
            )
        if existing:
            seeding.delete_synthetic(self.stdout)
            self.stdout.write(f"Deleted {existing:,} synthetic services.")
        seeding.seed_synthetic(count, self.stdout, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {count:,} synthetic services in {time.monotonic() - started:.1f}s. "
                "They are all marked illustrative."
            )
        )
