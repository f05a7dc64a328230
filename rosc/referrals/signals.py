"""What referrals do when something happens elsewhere.

When a person's record is erased (``rosc.record.actions.person_erased``, sent
inside the erasure transaction), their referrals lose every free-text part
(the need, comments, reasons) and any that are still open are closed as
withdrawn, so no service goes on working from an erased record. The rows
stay, without anything that identifies the person, for the counts that
commissioners see.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.record.actions import person_erased
from rosc.referrals import states
from rosc.referrals.models import EventKind, Referral, ReferralEvent, State

ERASED_TEXT = "Removed when the person's record was erased."


@receiver(person_erased, dispatch_uid="referrals_forget_erased_person")
def forget_erased_person(sender: Any, person: Any, actor: Any = None, **kwargs: Any) -> None:
    referrals = Referral.objects.filter(person=person)
    now = timezone.now()
    open_ids = list(referrals.filter(state__in=[s.value for s in states.OPEN]).values_list("pk", flat=True))
    ReferralEvent.objects.filter(referral__person=person).exclude(text="").update(text="")
    referrals.update(need=ERASED_TEXT, ig_review_note="", updated_at=now)
    referrals.exclude(exception_reason="").update(exception_reason=ERASED_TEXT)
    for referral in Referral.objects.filter(pk__in=open_ids):
        old_state = referral.state
        referral.state = State.WITHDRAWN
        referral.version += 1
        referral.closed_at = now
        referral.save(update_fields=["state", "version", "closed_at"])
        ReferralEvent.objects.create(
            referral=referral,
            at=now,
            kind=EventKind.WITHDRAWN,
            actor_label="Open ROSC",
            from_state=old_state,
            to_state=State.WITHDRAWN,
            text="Closed because the person's record was erased.",
            version=referral.version,
        )
    if open_ids or referrals.exists():
        audit_write(
            actor=actor,
            action="referral.person_erased",
            object_type="record.person",
            object_id=person.pk,
            purpose="erasure",
            details={"referrals_closed": len(open_ids)},
        )
