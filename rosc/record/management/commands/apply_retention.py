"""Delete what the shared record is no longer allowed to keep."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rosc.record import retention


class Command(BaseCommand):
    help = (
        "Apply the retention periods of the shared record (ROSC_RECORD_RETENTION_DAYS): delete notes, finished "
        "goals, ended consents, disclosure log entries and reviewed emergency accesses older than their period, and "
        "erase the records of people nobody has supported for the whole period. Use --dry-run first to see counts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would go, deleting nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        steps = retention.plan()
        for step in steps:
            self.stdout.write(f"{step.label} older than {step.days} days: {step.total}")
        if options["dry_run"]:
            self.stdout.write(f"Dry run: nothing deleted ({sum(step.total for step in steps)} in all would go).")
            return
        labels = {step.kind: step.label for step in steps}
        done = retention.apply(progress=lambda kind, n, total: self._progress(labels[kind], n, total))
        self.stdout.write(self.style.SUCCESS(f"Retention applied: {sum(done.values())} removed in all."))

    def _progress(self, label: str, done: int, total: int) -> None:
        if self.stdout.isatty():
            self.stdout.write(f"\r{label}: {done}/{total}", ending="\n" if done >= total else "")
        else:
            self.stdout.write(f"{label}: {done}/{total} removed")
