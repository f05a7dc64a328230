"""Background tasks of the referrals area (run by the task worker)."""

from __future__ import annotations

from django_tasks import task

from rosc.referrals.actions import referrals_escalate_overdue


@task()
def escalate_overdue_referrals() -> int:
    """The same as ``manage.py escalate_overdue_referrals``, for a scheduler that enqueues tasks."""
    return referrals_escalate_overdue()
