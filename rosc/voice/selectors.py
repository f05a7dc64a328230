"""Scoped reads for Community Voice. Views read through these, never straight from the models.

Who sees what:

* everyone, signed in or not: the "you said, we did" log (requests the forum has taken up, with
  their answers), research the forum has reviewed, and meetings whose minutes are published;
* members: also items just raised, the agenda and papers of coming meetings, and their own hidden
  items with the reason;
* forum runners (``voice.run_forum``): everything, hidden items included.

Only display names are ever shown for members; the account behind a name is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rosc.core.models import User
from rosc.voice import workflow
from rosc.voice.models import (
    AgendaItem,
    Attendance,
    Decision,
    Item,
    ItemKind,
    ItemStatus,
    Meeting,
    Member,
    MinutesStatus,
    Paper,
)

# The statuses a request shows under on the public log: the forum has taken it up.
LOG_STATUSES = (ItemStatus.UNDER_CONSIDERATION, ItemStatus.WE_WILL, ItemStatus.WE_DID, ItemStatus.WE_CANNOT)


def _can_run(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm("voice.run_forum")  # type: ignore[attr-defined]


def _require_runner(actor: User) -> None:
    if not _can_run(actor):
        raise PermissionDenied


def _start_of_today() -> datetime:
    return datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())


# --- Membership --------------------------------------------------------------------------------------


def membership_of(user: object) -> Member | None:
    """The user's own Community Voice membership, current or ended, or None."""
    if not isinstance(user, User):
        return None
    return Member.objects.filter(user=user).first()


def active_membership_of(user: object) -> Member | None:
    member = membership_of(user)
    return member if member is not None and member.is_active else None


def is_member(user: object) -> bool:
    return active_membership_of(user) is not None


def can_see_members_area(user: object) -> bool:
    """Members and forum runners see agendas, papers and items just raised."""
    return is_member(user) or _can_run(user)


def active_member_count() -> int:
    return Member.objects.filter(left_at__isnull=True).count()


# --- The public log ------------------------------------------------------------------------------------

_decisions = Prefetch("decisions", queryset=Decision.objects.select_related("meeting").order_by("recorded_at", "id"))


def log_entries(*, status: str = "") -> QuerySet[Item]:
    """Community requests on the public "you said, we did" log, newest change first."""
    statuses = [status] if status in LOG_STATUSES else list(LOG_STATUSES)
    return (
        Item.objects.requests()
        .shown()
        .filter(status__in=statuses)
        .prefetch_related(_decisions)
        .order_by("-status_changed_at", "-id")
    )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def log_counts() -> list[StatusCount]:
    """How many shown community requests are at each status, raised ones included, in workflow order."""
    rows = dict(Item.objects.requests().shown().values_list("status").annotate(total=Count("id")).order_by())
    return [
        StatusCount(status=status, label=ItemStatus(status).label, count=int(rows.get(status, 0)))
        for status in workflow.REQUEST_STATUSES
    ]


def research_reviewed() -> QuerySet[Item]:
    """Research for review that a meeting has reviewed, newest first."""
    return (
        Item.objects.research()
        .shown()
        .filter(status=ItemStatus.REVIEWED)
        .prefetch_related(_decisions)
        .order_by("-status_changed_at", "-id")
    )


def latest_answers(*, limit: int = 3) -> QuerySet[Item]:
    return log_entries().exclude(status=ItemStatus.UNDER_CONSIDERATION)[:limit]


# --- Meetings --------------------------------------------------------------------------------------------


def meetings_with_minutes() -> QuerySet[Meeting]:
    """Meetings whose minutes are published: public."""
    return Meeting.objects.filter(minutes_status=MinutesStatus.PUBLISHED).order_by("-starts_at", "-id")


def upcoming_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(starts_at__gte=_start_of_today()).order_by("starts_at", "id")


def next_meeting() -> Meeting | None:
    return upcoming_meetings().first()


def meetings_for(user: object) -> tuple[list[Meeting], list[Meeting]]:
    """(coming meetings, past meetings) that ``user`` may open."""
    past = list(meetings_with_minutes().filter(starts_at__lt=_start_of_today()))
    if can_see_members_area(user):
        past = list(Meeting.objects.filter(starts_at__lt=_start_of_today()).order_by("-starts_at", "-id"))
        return list(upcoming_meetings()), past
    return [], past


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    agenda: list[AgendaItem]
    papers: list[Paper]
    decisions: list[Decision]
    present: list[str]
    members_area: bool


def meeting_for(*, user: object, meeting_id: int) -> MeetingView:
    """A meeting as ``user`` may see it. The public may open a meeting once its minutes are
    published; members and forum runners may open any. Others get 404, so nothing is given away."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    members_area = can_see_members_area(user)
    if meeting is None or not (members_area or meeting.minutes_published):
        raise Http404
    decisions = list(meeting.decisions.select_related("item").order_by("recorded_at", "id"))
    shown_decisions = [d for d in decisions if d.item is None or not d.item.is_hidden or _can_run(user)]
    return MeetingView(
        meeting=meeting,
        agenda=list(meeting.agenda.select_related("item").order_by("position", "id")),
        papers=list(meeting.papers.order_by("added_at", "id")),
        decisions=shown_decisions,
        present=[a.member.display_name for a in meeting.attendance.select_related("member")],
        members_area=members_area,
    )


# --- Items for members ---------------------------------------------------------------------------------


def items_for_members(*, actor: User) -> QuerySet[Item]:
    """Every item that is not hidden, newest first: what members see between meetings."""
    if not can_see_members_area(actor):
        raise PermissionDenied
    return Item.objects.shown().prefetch_related(_decisions).order_by("-raised_at", "-id")


def own_items(*, actor: User) -> QuerySet[Item]:
    """Items the signed-in person raised, hidden ones included (they see the reason)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    return Item.objects.filter(author=actor).order_by("-raised_at", "-id")


# --- Forum runners ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFilters:
    status: str = ""
    kind: str = ""
    hidden: bool = False


def items_for_runner(*, actor: User, filters: ItemFilters) -> QuerySet[Item]:
    _require_runner(actor)
    items = Item.objects.all()
    items = items.filter(hidden_at__isnull=not filters.hidden)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    on_agenda = AgendaItem.objects.filter(item=OuterRef("pk"), meeting__starts_at__gte=_start_of_today())
    return items.annotate(on_coming_agenda=Exists(on_agenda)).order_by("-raised_at", "-id")


def items_waiting_count(*, actor: User) -> int:
    """Shown items the forum has not answered yet."""
    _require_runner(actor)
    return Item.objects.shown().filter(status__in=[ItemStatus.RAISED, ItemStatus.UNDER_CONSIDERATION]).count()


def item_for_runner(*, actor: User, item_id: int) -> Item:
    _require_runner(actor)
    item = Item.objects.select_related("hidden_by").prefetch_related(_decisions).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def meeting_for_runner(*, actor: User, meeting_id: int) -> Meeting:
    _require_runner(actor)
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    return meeting


def meetings_for_runner(*, actor: User) -> tuple[list[Meeting], list[Meeting]]:
    _require_runner(actor)
    return list(upcoming_meetings()), list(
        Meeting.objects.filter(starts_at__lt=_start_of_today()).order_by("-starts_at", "-id")
    )


def agenda_candidates(*, actor: User, meeting: Meeting) -> QuerySet[Item]:
    """Items waiting for the forum that are not on this meeting's agenda yet: raised requests and
    research for review first, oldest first."""
    _require_runner(actor)
    return (
        Item.objects.shown()
        .filter(status__in=[ItemStatus.RAISED, ItemStatus.UNDER_CONSIDERATION])
        .exclude(agenda_entries__meeting=meeting)
        .order_by("raised_at", "id")
    )


def agenda_entry_for_runner(*, actor: User, entry_id: int) -> AgendaItem:
    _require_runner(actor)
    entry = AgendaItem.objects.select_related("meeting", "item").filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def paper_for_runner(*, actor: User, paper_id: int) -> Paper:
    _require_runner(actor)
    paper = Paper.objects.select_related("meeting").filter(pk=paper_id).first()
    if paper is None:
        raise Http404
    return paper


def members_for_attendance(*, actor: User, meeting: Meeting) -> QuerySet[Member]:
    """Current members, and anyone already recorded as present (even if they have left since)."""
    _require_runner(actor)
    present = Attendance.objects.filter(meeting=meeting, member=OuterRef("pk"))
    return (
        Member.objects.annotate(was_present=Exists(present))
        .filter(Q(left_at__isnull=True) | Q(was_present=True))
        .order_by("display_name")
    )


def agenda_items_for_decisions(*, actor: User, meeting: Meeting) -> list[Item]:
    """Items on the meeting's agenda that a decision can be about."""
    _require_runner(actor)
    return [entry.item for entry in meeting.agenda.select_related("item").order_by("position", "id") if entry.item]


def kind_label(kind: str) -> str:
    return ItemKind(kind).label
