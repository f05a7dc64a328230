"""Remind family members who asked for it to fill in their monthly wellbeing check-in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rosc.family.reminders import REMINDER_DAYS, send_family_checkin_reminders


class Command(BaseCommand):
    help = (
        "Email each family member who asked for a monthly reminder and has neither been reminded nor filled in a "
        f"wellbeing check-in in the last {REMINDER_DAYS} days. Safe to run often: for example once a day, "
        "'0 10 * * * python manage.py remind_family_checkins'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say how many would be reminded, sending nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            if done == total or done % 100 == 0:
                self.stdout.write(f"Reminders: {done} of {total}")

        result = send_family_checkin_reminders(dry_run=options["dry_run"], progress=progress)
        if options["dry_run"]:
            self.stdout.write(f"Would remind {result.due} family member(s).")
        else:
            self.stdout.write(f"Reminded {result.sent} family member(s).")
