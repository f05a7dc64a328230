"""What the front door does when something happens elsewhere.

When a person's record is erased (``rosc.record.actions.person_erased``, sent
inside the erasure transaction), the front door forgets its requests for
support from them, so no status link leads back to the person.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rosc.core.audit import audit_write
from rosc.frontdoor.actions import PURPOSE, support_requests_forget
from rosc.record.actions import person_erased


@receiver(person_erased, dispatch_uid="frontdoor_forget_erased_person")
def forget_erased_person(sender: Any, person: Any, actor: Any = None, **kwargs: Any) -> None:
    removed = support_requests_forget(person=person)
    if removed:
        audit_write(
            actor=actor,
            action="frontdoor.requests_forgotten",
            object_type="record.person",
            object_id=person.pk,
            purpose=PURPOSE,
            details={"count": removed},
        )
