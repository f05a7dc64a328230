"""What outcome measures do when something happens elsewhere.

When a person's record is erased (``rosc.record.actions.person_erased``, sent
inside the erasure transaction), their measurements are deleted: the answers
are special-category data about them, and the service figures are worked out
afresh each time, so nothing else needs them.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rosc.core.audit import audit_write
from rosc.outcomes.models import Measurement
from rosc.record.actions import person_erased


@receiver(person_erased, dispatch_uid="outcomes_forget_erased_person")
def forget_erased_person(sender: Any, person: Any, actor: Any = None, **kwargs: Any) -> None:
    deleted, _ = Measurement.objects.filter(person=person).delete()
    if deleted:
        audit_write(
            actor=actor,
            action="outcomes.person_erased",
            object_type="record.person",
            object_id=person.pk,
            purpose="erasure",
            details={"measurements_deleted": deleted},
        )
