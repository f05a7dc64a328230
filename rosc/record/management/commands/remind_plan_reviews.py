"""Remind goal owners that a recovery-plan review is due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rosc.record.conf import plan_review_notice_days
from rosc.record.reminders import send_plan_review_reminders


class Command(BaseCommand):
    help = (
        "Email the owner of each active recovery-plan goal whose review is due within "
        "ROSC_PLAN_REVIEW_NOTICE_DAYS days (3 unless set) or overdue. Each goal is reminded once per review date, "
        "so it is safe to run often: for example once a day, '30 7 * * * python manage.py remind_plan_reviews'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say how many would be reminded, sending nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_plan_review_reminders(dry_run=options["dry_run"])
        verb = "Would remind" if options["dry_run"] else "Reminded"
        self.stdout.write(
            f"{verb} the owners of {result.goals} goal(s) due for review within {plan_review_notice_days()} day(s): "
            f"{result.messages} email(s){' would be' if options['dry_run'] else ''} queued."
        )
