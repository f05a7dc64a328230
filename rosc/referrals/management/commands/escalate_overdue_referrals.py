"""Flag referrals nobody answered by their deadline and tell the service managers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from rosc.referrals import states
from rosc.referrals.actions import referrals_escalate_overdue
from rosc.referrals.models import Referral


class Command(BaseCommand):
    help = (
        "Escalate referrals still waiting for an answer after their response deadline (working days, England "
        "and Wales bank holidays excluded): each is flagged once and the receiving organisation's service "
        "managers get one email listing them. Safe to run as often as you like, even twice at once; run it "
        "every working morning, for example '0 8 * * 1-5 python manage.py escalate_overdue_referrals'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say how many would be escalated, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        due = Referral.objects.filter(
            state__in=[s.value for s in states.AWAITING_RESPONSE],
            respond_by__lt=timezone.localdate(),
            escalated_at__isnull=True,
        ).count()
        if options["dry_run"]:
            self.stdout.write(f"{due} overdue referral(s) would be escalated.")
            return
        if due == 0:
            self.stdout.write("No overdue referrals to escalate.")
            return

        def progress(done: int) -> None:
            if self.stdout.isatty():
                self.stdout.write(f"\rEscalated {done}/{due}", ending="")
            else:
                self.stdout.write(f"Escalated {done}/{due}")

        total = referrals_escalate_overdue(progress=progress)
        if self.stdout.isatty():
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Escalated {total} overdue referral(s)."))
