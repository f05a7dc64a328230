"""When a person's record is erased, forget who they shared it with (inside the erasure transaction)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rosc.core.audit import audit_write
from rosc.family.models import FamilyLink
from rosc.record.actions import person_erased


@receiver(person_erased, dispatch_uid="family_forget_erased_person")
def forget_family_links(sender: Any, person: Any, actor: Any = None, **kwargs: Any) -> None:
    deleted, _ = FamilyLink.objects.filter(person=person).delete()
    if deleted:
        audit_write(
            actor=actor,
            action="family.person_erased",
            object_type="record.person",
            object_id=person.pk,
            purpose="erasure",
            details={"links_deleted": deleted},
        )
