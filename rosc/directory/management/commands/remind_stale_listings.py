"""Remind service managers about listings nobody has checked for a while."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from rosc.core.notifications import notification_queue
from rosc.directory.selectors_manage import ManagerReminder, stale_days, stale_reminders_due

REASON = "listing_stale"
QUIET_DAYS = 7


def listings_url() -> str:
    """The link in the email: the site's address (``ROSC_SITE_URL``) and the listings page."""
    return settings.ROSC_SITE_URL + reverse("directory_manage:list")


def reminder_body(reminder: ManagerReminder, *, days: int, link: str) -> str:
    lines = [
        f"Some of the directory listings you look after have not been checked for more than {days} days, "
        "or have never been checked.",
        "",
        "People looking for help rely on them being right. Please read each one and confirm it is correct, "
        "or change what is out of date:",
        "",
    ]
    for organisation, names in reminder.services_by_organisation.items():
        lines.append(f"{organisation}:")
        lines.extend(f"- {name}" for name in names)
        lines.append("")
    lines.append(f"Sign in to see your listings: {link}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Email each service manager once about the listings in their organisations that have not been checked "
        "for ROSC_LISTING_STALE_DAYS days (90 unless set) or have never been checked. A manager is reminded at "
        f"most once every {QUIET_DAYS} days, so it is safe to run it often: run it once a day from cron or the "
        "platform scheduler, for example '15 7 * * * python manage.py remind_stale_listings'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would be reminded, without queueing any email."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = stale_days()
        link = listings_url()
        with transaction.atomic():
            reminders = stale_reminders_due(reason=REASON, quiet_days=QUIET_DAYS)
            if options["dry_run"]:
                for reminder in reminders:
                    self.stdout.write(f"Would remind {reminder.manager.email} about {reminder.count} listing(s).")
                self.stdout.write(f"{len(reminders)} reminder(s) would be queued.")
                return
            for reminder in reminders:
                notification_queue(
                    channel="email",
                    to=reminder.manager.email,
                    subject="Directory listings need checking",
                    body=reminder_body(reminder, days=days, link=link),
                    reason=REASON,
                    recipient=reminder.manager,
                )
        self.stdout.write(f"Queued {len(reminders)} reminder(s) about listings that need checking.")
