"""Background tasks of the front door (run by the task worker)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from rosc.frontdoor.actions import pathway_link_forget, pathways_purge

# How long to wait before looking again at a link message still being delivered.
FORGET_RETRY = timedelta(minutes=1)


@task(queue_name="notifications")
def forget_pathway_link(notification_id: int) -> str:
    """Remove the address and the link from a pathway link message once it has gone."""
    outcome = pathway_link_forget(notification_id)
    if outcome == "waiting":
        forget_pathway_link.using(run_after=timezone.now() + FORGET_RETRY).enqueue(notification_id)
    return outcome


@task()
def purge_pathways() -> str:
    """The same as ``manage.py purge_pathways``, for a scheduler that enqueues tasks."""
    deleted, forgotten = pathways_purge()
    return f"{deleted} pathways deleted, {forgotten} link messages forgotten"
