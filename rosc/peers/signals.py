"""What peer mentoring does when something happens elsewhere.

When a person's record is erased (``rosc.record.actions.person_erased``, sent inside the erasure
transaction), their requests for a mentor and their peer sessions are deleted: nothing here is needed for
counts, and sessions are notes about the person.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rosc.core.audit import audit_write
from rosc.peers.models import MentorRequest, PeerSession
from rosc.record.actions import person_erased


@receiver(person_erased, dispatch_uid="peers_forget_erased_person")
def forget_erased_person(sender: Any, person: Any, actor: Any = None, **kwargs: Any) -> None:
    sessions, _ = PeerSession.objects.filter(person=person).delete()
    requests, _ = MentorRequest.objects.filter(person=person).delete()
    if sessions or requests:
        audit_write(
            actor=actor,
            action="peers.person_erased",
            object_type="record.person",
            object_id=person.pk,
            purpose="erasure",
            details={"sessions": sessions, "requests": requests},
        )
