"""Writes for Community Voice. Every action takes keyword-only arguments, checks the capability
(``PermissionDenied`` otherwise), refuses bad input with ``ActionRefused`` (a plain-English message,
nothing changed), runs in one transaction and writes its audit row inside it. Audit details hold
identifiers, codes and counts only, never what someone wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.core.notifications import notification_queue
from rosc.voice import workflow
from rosc.voice.models import (
    DETAIL_MAX,
    DISPLAY_NAME_MAX,
    TITLE_MAX,
    AgendaItem,
    Attendance,
    Decision,
    Item,
    ItemKind,
    ItemStatus,
    Meeting,
    MeetingMode,
    Member,
    MinutesStatus,
    Paper,
)

PLACE_MAX = 200
HIDE_REASON_MAX = 300
MINUTES_MAX = 50_000
LINK_MAX = 500
RESEARCHER_FALLBACK_NAME = "A community researcher"

_url_validator = URLValidator(schemes=["http", "https"])


# --- Small helpers -------------------------------------------------------------------------------


def _require(actor: User, perm: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active or not actor.has_perm(perm):
        raise PermissionDenied


def _text(value: str, *, field: str, missing: str, limit: int, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused(missing, field=field)
    if len(value) > limit:
        raise ActionRefused(f"{what} must be {limit:,} characters or fewer.", field=field)
    return value


def _link(value: str, *, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused(missing, field=field)
    if len(value) > LINK_MAX:
        raise ActionRefused(f"The link must be {LINK_MAX} characters or fewer.", field=field)
    try:
        _url_validator(value)
    except ValidationError:
        raise ActionRefused(
            "Enter a link that starts with https:// or http://, like https://www.example.org/report",
            field=field,
        ) from None
    return value


def _display_name(value: str) -> str:
    name = _text(
        value,
        field="display_name",
        missing="Enter the name you want other members to see.",
        limit=DISPLAY_NAME_MAX,
        what="Your display name",
    )
    if "@" in name:
        raise ActionRefused("A display name cannot contain @. Do not use your email address.", field="display_name")
    return name


def _name_taken(name: str, *, except_user: User | None = None) -> bool:
    others = Member.objects.filter(display_name__iexact=name)
    if except_user is not None:
        others = others.exclude(user=except_user)
    return others.exists()


_NAME_TAKEN = "Another member uses that name. Choose a different one."


def active_member_or_refuse(actor: User) -> Member:
    member = Member.objects.filter(user=actor, left_at__isnull=True).first()
    if member is None:
        raise ActionRefused("Join Community Voice first.")
    return member


# --- Membership ----------------------------------------------------------------------------------


def member_join(*, actor: User, display_name: str, request: HttpRequest | None = None) -> Member:
    """Join Community Voice under a display name (or come back after leaving)."""
    _require(actor, "voice.take_part")
    name = _display_name(display_name)
    try:
        with transaction.atomic():
            member = Member.objects.select_for_update().filter(user=actor).first()
            if member is not None and member.is_active:
                raise ActionRefused("You are already a member of Community Voice.")
            if _name_taken(name, except_user=actor):
                raise ActionRefused(_NAME_TAKEN, field="display_name")
            rejoined = member is not None
            if member is None:
                member = Member.objects.create(user=actor, display_name=name)
            else:
                member.display_name = name
                member.joined_at = timezone.now()
                member.left_at = None
                member.save(update_fields=["display_name", "joined_at", "left_at"])
            audit_write(
                actor=actor,
                action="voice.member_joined",
                target=member,
                purpose="community voice membership",
                request=request,
                details={"rejoined": rejoined},
            )
    except IntegrityError:
        raise ActionRefused(_NAME_TAKEN, field="display_name") from None
    return member


def member_rename(*, actor: User, display_name: str, request: HttpRequest | None = None) -> Member:
    """Change the name a member is shown under, here and on the items they raised."""
    _require(actor, "voice.take_part")
    name = _display_name(display_name)
    try:
        with transaction.atomic():
            member = active_member_or_refuse(actor)
            if _name_taken(name, except_user=actor):
                raise ActionRefused(_NAME_TAKEN, field="display_name")
            old = member.display_name
            member.display_name = name
            member.save(update_fields=["display_name"])
            renamed = (
                Item.objects.filter(author=actor, kind=ItemKind.REQUEST, author_name=old).update(author_name=name)
                if old != name
                else 0
            )
            audit_write(
                actor=actor,
                action="voice.member_renamed",
                target=member,
                purpose="community voice membership",
                request=request,
                details={"items_renamed": renamed},
            )
    except IntegrityError:
        raise ActionRefused(_NAME_TAKEN, field="display_name") from None
    return member


def member_leave(*, actor: User, request: HttpRequest | None = None) -> Member:
    """Leave Community Voice. Items already raised stay, under the same display name."""
    _require(actor, "voice.take_part")
    with transaction.atomic():
        member = active_member_or_refuse(actor)
        member.left_at = timezone.now()
        member.save(update_fields=["left_at"])
        audit_write(
            actor=actor,
            action="voice.member_left",
            target=member,
            purpose="community voice membership",
            request=request,
        )
    return member


# --- Items -----------------------------------------------------------------------------------------


def item_raise(*, actor: User, title: str, detail: str, request: HttpRequest | None = None) -> Item:
    """A member raises something for the forum between meetings ("you said")."""
    _require(actor, "voice.take_part")
    title = _text(
        title, field="title", missing="Enter a short title for what you are raising.", limit=TITLE_MAX, what="The title"
    )
    detail = _text(
        detail,
        field="detail",
        missing="Say what you would like the forum to know or change.",
        limit=DETAIL_MAX,
        what="What you are raising",
    )
    with transaction.atomic():
        member = active_member_or_refuse(actor)
        item = Item.objects.create(
            kind=ItemKind.REQUEST, title=title, detail=detail, author=actor, author_name=member.display_name
        )
        audit_write(
            actor=actor,
            action="voice.item_raised",
            target=item,
            purpose="community voice",
            request=request,
            details={"kind": item.kind},
        )
    return item


def submit_research_for_review(*, by: User, title: str, summary: str, link: str) -> Item:
    """A community researcher sends a published finding to Community Voice for review.

    It becomes an item of kind "research for review": a candidate for the next meeting's agenda,
    and, once a meeting has reviewed it, an entry in the public "Research reviewed" list. It is
    shown under the researcher's Community Voice display name, or their account's display name if
    they are not a member.
    """
    _require(by, "voice.take_part")
    title = _text(title, field="title", missing="Enter the title of the research.", limit=TITLE_MAX, what="The title")
    summary = _text(
        summary, field="summary", missing="Enter a summary of the research.", limit=DETAIL_MAX, what="The summary"
    )
    link = _link(link, field="link", missing="Enter a link to where the research can be read.")
    member = Member.objects.filter(user=by, left_at__isnull=True).first()
    name = member.display_name if member else (by.display_name.strip() or RESEARCHER_FALLBACK_NAME)
    with transaction.atomic():
        item = Item.objects.create(
            kind=ItemKind.RESEARCH, title=title, detail=summary, link=link, author=by, author_name=name[:80]
        )
        audit_write(
            actor=by,
            action="voice.research_submitted",
            target=item,
            purpose="community research",
            details={"kind": item.kind},
        )
    return item


def item_hide(*, actor: User, item: Item, reason: str, request: HttpRequest | None = None) -> Item:
    """Take an item off every list but the forum runners' (and its author's, with the reason)."""
    _require(actor, "voice.run_forum")
    reason = _text(
        reason,
        field="reason",
        missing="Say why the item is hidden. Its author will see this.",
        limit=HIDE_REASON_MAX,
        what="The reason",
    )
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.is_hidden:
            raise ActionRefused("This item is already hidden.")
        item.hidden_at = timezone.now()
        item.hidden_reason = reason
        item.hidden_by = actor
        item.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit_write(
            actor=actor,
            action="voice.item_hidden",
            target=item,
            purpose="community voice moderation",
            request=request,
            details={"kind": item.kind, "author_id": item.author_id},
        )
    return item


def item_show_again(*, actor: User, item: Item, request: HttpRequest | None = None) -> Item:
    _require(actor, "voice.run_forum")
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if not item.is_hidden:
            raise ActionRefused("This item is not hidden.")
        item.hidden_at = None
        item.hidden_reason = ""
        item.hidden_by = None
        item.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit_write(
            actor=actor,
            action="voice.item_shown_again",
            target=item,
            purpose="community voice moderation",
            request=request,
            details={"kind": item.kind},
        )
    return item


def _refuse_problems(problems: dict[str, str]) -> None:
    if problems:
        field, message = next(iter(problems.items()))
        raise ActionRefused(message, field=field)


def _apply_answer(
    item: Item,
    *,
    to: str,
    response: str,
    owner: str,
    due_on: date | None,
    done_on: date | None,
) -> list[str]:
    """Move ``item`` (locked by the caller) to ``to`` with its answer; the fields changed."""
    if item.is_hidden:
        raise ActionRefused("This item is hidden. Show it again before answering it.")
    problems = workflow.response_problems(
        kind=item.kind,
        status=item.status,
        to=to,
        response=response,
        owner=owner,
        due_on=due_on,
        done_on=done_on,
        today=timezone.localdate(),
    )
    _refuse_problems(problems)
    now = timezone.now()
    changed = ["status", "status_changed_at"]
    item.status = to
    item.status_changed_at = now
    if to == ItemStatus.UNDER_CONSIDERATION:
        item.considered_at = now
        changed.append("considered_at")
    else:
        item.answered_at = now
        item.response = response.strip()
        item.owner = owner.strip()
        changed += ["answered_at", "response", "owner"]
        if to == ItemStatus.WE_WILL:
            item.due_on = due_on
            changed.append("due_on")
        if to == ItemStatus.WE_DID:
            item.done_on = done_on
            changed.append("done_on")
    item.save(update_fields=changed)
    return changed


def _notify_author(item: Item) -> None:
    author = item.author
    if author is None or not author.is_active or item.status not in workflow.ANSWERS:
        return
    where = reverse("voice:log") if item.kind == ItemKind.REQUEST else reverse("voice:research_reviewed")
    notification_queue(
        channel="email",
        to=author.email,
        subject="Community Voice has answered an item you raised",
        body=(
            "Community Voice has answered an item you raised. "
            f"Sign in to Open ROSC or see the public list at {where} to read the answer."
        ),
        reason="voice_item_answered",
        recipient=author,
    )


def item_consider(*, actor: User, item: Item, request: HttpRequest | None = None) -> Item:
    """The forum takes a raised item into consideration."""
    return item_answer(
        actor=actor,
        item=item,
        status=ItemStatus.UNDER_CONSIDERATION,
        response="",
        owner="",
        due_on=None,
        done_on=None,
        request=request,
    )


def item_answer(
    *,
    actor: User,
    item: Item,
    status: str,
    response: str,
    owner: str,
    due_on: date | None,
    done_on: date | None,
    request: HttpRequest | None = None,
) -> Item:
    """Give an item its answer between meetings, for example when a "we will" has been done."""
    _require(actor, "voice.run_forum")
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        before = item.status
        _apply_answer(item, to=status, response=response, owner=owner, due_on=due_on, done_on=done_on)
        audit_write(
            actor=actor,
            action="voice.item_answered",
            target=item,
            purpose="community voice",
            request=request,
            details={"kind": item.kind, "from": before, "to": item.status},
        )
        _notify_author(item)
    return item


# --- Meetings --------------------------------------------------------------------------------------


def _meeting_fields(title: str, starts_at: datetime | None, mode: str, place: str) -> tuple[str, datetime, str, str]:
    title = _text(
        title,
        field="title",
        missing="Enter a name for the meeting, for example 'Spring meeting 2026'.",
        limit=TITLE_MAX,
        what="The name",
    )
    if starts_at is None:
        raise ActionRefused("Enter the date and time the meeting starts.", field="starts_on")
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime.")
    if mode not in MeetingMode.values:
        raise ActionRefused("Choose how people take part.", field="mode")
    place = (place or "").strip()
    if len(place) > PLACE_MAX:
        raise ActionRefused(f"Where it meets must be {PLACE_MAX} characters or fewer.", field="place")
    if not place:
        raise ActionRefused("Say where the meeting is, or how to join it online.", field="place")
    return title, starts_at, mode, place


def meeting_schedule(
    *,
    actor: User,
    title: str,
    starts_at: datetime | None,
    mode: str,
    place: str,
    request: HttpRequest | None = None,
) -> Meeting:
    _require(actor, "voice.run_forum")
    title, starts_at, mode, place = _meeting_fields(title, starts_at, mode, place)
    with transaction.atomic():
        meeting = Meeting.objects.create(title=title, starts_at=starts_at, mode=mode, place=place)
        audit_write(
            actor=actor,
            action="voice.meeting_scheduled",
            target=meeting,
            purpose="community voice",
            request=request,
            details={"mode": mode},
        )
    return meeting


def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    starts_at: datetime | None,
    mode: str,
    place: str,
    request: HttpRequest | None = None,
) -> Meeting:
    _require(actor, "voice.run_forum")
    title, starts_at, mode, place = _meeting_fields(title, starts_at, mode, place)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        new = {"title": title, "starts_at": starts_at, "mode": mode, "place": place}
        changed = [name for name, value in new.items() if getattr(meeting, name) != value]
        for name in changed:
            setattr(meeting, name, new[name])
        if changed:
            meeting.save(update_fields=changed)
        audit_write(
            actor=actor,
            action="voice.meeting_updated",
            target=meeting,
            purpose="community voice",
            request=request,
            details={"fields": changed},
        )
    return meeting


def agenda_add(
    *,
    actor: User,
    meeting: Meeting,
    title: str = "",
    item: Item | None = None,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Put an item (or any other business, by title) on a meeting's agenda. A raised item goes
    under consideration."""
    _require(actor, "voice.run_forum")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if item is not None:
            item = Item.objects.select_for_update().get(pk=item.pk)
            if item.is_hidden:
                raise ActionRefused("This item is hidden, so it cannot go on the agenda.")
            if AgendaItem.objects.filter(meeting=meeting, item=item).exists():
                raise ActionRefused("That item is already on this meeting's agenda.")
            title = item.title
        else:
            title = _text(
                title, field="title", missing="Enter what the agenda item is about.", limit=TITLE_MAX, what="It"
            )
        position = (AgendaItem.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"] or 0) + 1
        entry = AgendaItem.objects.create(meeting=meeting, item=item, title=title, position=position)
        moved = False
        if item is not None and item.status == ItemStatus.RAISED:
            _apply_answer(item, to=ItemStatus.UNDER_CONSIDERATION, response="", owner="", due_on=None, done_on=None)
            moved = True
        audit_write(
            actor=actor,
            action="voice.agenda_added",
            target=entry,
            purpose="community voice",
            request=request,
            details={"meeting_id": meeting.pk, "item_id": item.pk if item else None, "item_considered": moved},
        )
    return entry


def agenda_remove(*, actor: User, entry: AgendaItem, request: HttpRequest | None = None) -> None:
    _require(actor, "voice.run_forum")
    with transaction.atomic():
        if entry.item_id and Decision.objects.filter(meeting_id=entry.meeting_id, item_id=entry.item_id).exists():
            raise ActionRefused("A decision about this item is recorded at this meeting, so it stays on the agenda.")
        audit_write(
            actor=actor,
            action="voice.agenda_removed",
            target=entry,
            purpose="community voice",
            request=request,
            details={"meeting_id": entry.meeting_id, "item_id": entry.item_id},
        )
        entry.delete()


def paper_add(*, actor: User, meeting: Meeting, title: str, link: str, request: HttpRequest | None = None) -> Paper:
    _require(actor, "voice.run_forum")
    title = _text(title, field="title", missing="Enter the title of the paper.", limit=TITLE_MAX, what="The title")
    link = _link(link, field="link", missing="Enter a link to where the paper can be read.")
    with transaction.atomic():
        paper = Paper.objects.create(meeting=meeting, title=title, link=link)
        audit_write(
            actor=actor,
            action="voice.paper_added",
            target=paper,
            purpose="community voice",
            request=request,
            details={"meeting_id": meeting.pk},
        )
    return paper


def paper_remove(*, actor: User, paper: Paper, request: HttpRequest | None = None) -> None:
    _require(actor, "voice.run_forum")
    with transaction.atomic():
        audit_write(
            actor=actor,
            action="voice.paper_removed",
            target=paper,
            purpose="community voice",
            request=request,
            details={"meeting_id": paper.meeting_id},
        )
        paper.delete()


def attendance_record(
    *, actor: User, meeting: Meeting, members: Iterable[Member], request: HttpRequest | None = None
) -> int:
    """Record which members were present (replacing any earlier record). Returns how many."""
    _require(actor, "voice.run_forum")
    if not meeting.has_started:
        raise ActionRefused("You can record who came once the meeting has started.")
    wanted = {member.pk for member in members}
    with transaction.atomic():
        current = set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
        Attendance.objects.filter(meeting=meeting, member_id__in=current - wanted).delete()
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, member_id=member_id) for member_id in sorted(wanted - current)]
        )
        audit_write(
            actor=actor,
            action="voice.attendance_recorded",
            target=meeting,
            purpose="community voice",
            request=request,
            details={"present": len(wanted), "added": len(wanted - current), "removed": len(current - wanted)},
        )
    return len(wanted)


def minutes_save(
    *, actor: User, meeting: Meeting, text: str, publish: bool = False, request: HttpRequest | None = None
) -> Meeting:
    """Save the minutes as a draft, or publish them. Published minutes can still be corrected;
    the page then says when."""
    _require(actor, "voice.run_forum")
    text = (text or "").strip()
    if len(text) > MINUTES_MAX:
        raise ActionRefused(f"The minutes must be {MINUTES_MAX:,} characters or fewer.", field="minutes")
    if publish and not text:
        raise ActionRefused("Write the minutes before publishing them.", field="minutes")
    if publish and not meeting.has_started:
        raise ActionRefused("You can publish the minutes once the meeting has taken place.", field="minutes")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        was = meeting.minutes_status
        now = timezone.now()
        changed = ["minutes", "minutes_status", "minutes_changed_at"]
        if publish or was == MinutesStatus.PUBLISHED:
            if was != MinutesStatus.PUBLISHED:
                meeting.minutes_published_at = now
                changed.append("minutes_published_at")
            meeting.minutes_status = MinutesStatus.PUBLISHED
        else:
            meeting.minutes_status = MinutesStatus.DRAFT if text else MinutesStatus.NONE
        meeting.minutes = text
        meeting.minutes_changed_at = now
        meeting.save(update_fields=changed)
        published_now = was != MinutesStatus.PUBLISHED and meeting.minutes_status == MinutesStatus.PUBLISHED
        audit_write(
            actor=actor,
            action="voice.minutes_published" if published_now else "voice.minutes_saved",
            target=meeting,
            purpose="community voice",
            request=request,
            details={"from": was or "none", "to": meeting.minutes_status or "none"},
        )
    return meeting


def decision_record(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    item: Item | None = None,
    status: str = "",
    owner: str = "",
    due_on: date | None = None,
    done_on: date | None = None,
    request: HttpRequest | None = None,
) -> Decision:
    """Record what a meeting decided. About an item on its agenda, a decision can also give the
    item its answer (``status``): the decision's words are then the answer on the public log."""
    _require(actor, "voice.run_forum")
    text = _text(text, field="text", missing="Say what the meeting decided.", limit=workflow.RESPONSE_MAX, what="It")
    if not meeting.has_started:
        raise ActionRefused("You can record decisions once the meeting has started.")
    if item is None and status:
        raise ActionRefused("Choose the item that this answer is for.", field="item")
    with transaction.atomic():
        if item is not None:
            if not AgendaItem.objects.filter(meeting=meeting, item=item).exists():
                raise ActionRefused("Choose an item from this meeting's agenda.", field="item")
            item = Item.objects.select_for_update().get(pk=item.pk)
            if status:
                _apply_answer(item, to=status, response=text, owner=owner, due_on=due_on, done_on=done_on)
            elif item.is_hidden:
                raise ActionRefused("This item is hidden. Show it again before recording a decision about it.")
        decision = Decision.objects.create(meeting=meeting, item=item, text=text, status=status)
        audit_write(
            actor=actor,
            action="voice.decision_recorded",
            target=decision,
            purpose="community voice",
            request=request,
            details={"meeting_id": meeting.pk, "item_id": item.pk if item else None, "to": status or None},
        )
        if item is not None and status:
            _notify_author(item)
    return decision
