"""Remind peer mentors and their supervisors that a DBS check or training runs out soon."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rosc.peers.reminders import reminder_days, send_check_reminders


class Command(BaseCommand):
    help = (
        "Email each peer mentor, and their supervisor (or their organisation's service managers), when a DBS check "
        "or training runs out within ROSC_PEER_CHECK_REMINDER_DAYS days (30 unless set) or has run out. Each check "
        "is reminded once per expiry date, so it is safe to run often: for example once a day, "
        "'40 7 * * * python manage.py remind_mentor_checks'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say how many would be reminded, sending nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_check_reminders(dry_run=options["dry_run"], progress=self.progress)
        verb = "Would remind" if options["dry_run"] else "Reminded"
        self.stdout.write(
            f"{verb} about {result.checks} check(s) running out within {reminder_days()} day(s): "
            f"{result.messages} email(s){' would be' if options['dry_run'] else ''} queued."
        )

    def progress(self, done: int, total: int) -> None:
        if self.stdout.isatty():
            self.stdout.write(f"\rChecks {done}/{total}", ending="\n" if done == total else "")
        elif done == total or done % 100 == 0:
            self.stdout.write(f"Checks {done}/{total}")
