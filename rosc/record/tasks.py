"""Background tasks of the shared record (run by the task worker)."""

from __future__ import annotations

from django_tasks import task

from rosc.record.reminders import send_plan_review_reminders


@task()
def remind_plan_reviews() -> int:
    """Queue reminders for plan reviews due; returns how many goals were reminded."""
    return send_plan_review_reminders().goals
