"""The continuing-care run: send due check-ins, mark missed ones, escalate alerts nobody picked up."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from rosc.continuing.actions import run_continuing_care


class Command(BaseCommand):
    help = (
        "Create and send the check-ins due today, mark check-ins whose link ran out as missed (and raise "
        "missed-in-a-row alerts), and pass alerts nobody picked up in time to the service's duty worker. "
        "Safe to run as often as you like, and again after a crash: nothing is sent twice. Run it at least "
        "daily and, so that urgent alerts escalate on time, every 15 minutes, for example "
        "'*/15 * * * * python manage.py run_continuing_care'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per transaction (default 1000).")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(step: str, done: int, total: int) -> None:
            if self.stdout.isatty():
                self.stdout.write(f"\r{step}: {done}/{total}", ending="")
                if done == total:
                    self.stdout.write("")
            else:
                self.stdout.write(f"{step}: {done}/{total}")

        result = run_continuing_care(now=timezone.now(), batch_size=options["batch_size"], progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.created} check-in(s), sent {result.sent} link(s), marked {result.missed} missed "
                f"({result.missed_alerts} alert(s)), escalated {result.escalated} alert(s)."
            )
        )
