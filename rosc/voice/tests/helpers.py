"""Small builders for Community Voice tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rosc.core.models import User
from rosc.voice import actions
from rosc.voice.models import Item, Meeting, MeetingMode


def member(user: User, name: str | None = None):
    return actions.member_join(actor=user, display_name=name or f"Member {user.pk}")


def raised(user: User, title: str = "Evening peer support in Harlow", detail: str = "Groups end at 5pm.") -> Item:
    if not hasattr(user, "voice_member"):
        member(user)
    return actions.item_raise(actor=user, title=title, detail=detail)


def meeting(runner: User, *, days: int = -1, title: str = "Spring meeting") -> Meeting:
    """A meeting ``days`` from now (negative: it has already started)."""
    return actions.meeting_schedule(
        actor=runner,
        title=title,
        starts_at=timezone.now() + timedelta(days=days),
        mode=MeetingMode.HYBRID,
        place="Chelmsford Recovery Space",
    )


def considered(runner: User, item: Item, at: Meeting | None = None) -> Item:
    actions.agenda_add(actor=runner, meeting=at or meeting(runner), item=item)
    item.refresh_from_db()
    return item
