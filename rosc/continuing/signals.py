"""What continuing care does when something happens elsewhere.

When a person's record is erased (``rosc.record.actions.person_erased``, sent inside the erasure
transaction), everything continuing care holds about them goes: plans, check-ins and their answers,
links, alerts and their history. Nothing is kept for counts: the outcomes area keeps no BARC-10 either.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from rosc.continuing.models import Plan
from rosc.record.actions import person_erased


@receiver(person_erased, dispatch_uid="continuing_forget_erased_person")
def forget_erased_person(sender: Any, person: Any, actor: Any = None, **kwargs: Any) -> None:
    # Check-ins, links, alerts and alert history go with their plan (on_delete=CASCADE).
    Plan.objects.filter(person=person).delete()
