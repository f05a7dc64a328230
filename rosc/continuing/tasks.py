"""Background tasks of continuing care (run by the task worker)."""

from __future__ import annotations

from django_tasks import task

from rosc.continuing.actions import run_continuing_care


@task()
def run_continuing_care_task() -> dict[str, int]:
    """The same as ``manage.py run_continuing_care``, for a scheduler that enqueues tasks."""
    result = run_continuing_care()
    return {
        "created": result.created,
        "sent": result.sent,
        "missed": result.missed,
        "missed_alerts": result.missed_alerts,
        "escalated": result.escalated,
    }
