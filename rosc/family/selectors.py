"""Scoped reads of family support. Every read takes the actor.

The family member's view of their relative (``relative_view``) is the one read
of someone else's record here. It answers 404 unless the actor holds an
accepted, unended ``FamilyLink`` to that person; it then re-reads the consent
inside the read's transaction and shows only the categories that consent
covers while it is live (withdrawn or expired: nothing, at once). Every view
is audited and written to the person's disclosure log, in that transaction.
Each page runs a fixed number of queries, whatever the amount of data.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from rosc.core.audit import audit_read
from rosc.core.models import User
from rosc.family import policy
from rosc.family.models import (
    Attendance,
    FamilyGroup,
    FamilyLink,
    GroupMember,
    GroupSession,
    MembershipStatus,
)
from rosc.record.access import record_disclosure
from rosc.record.categories import Category
from rosc.record.models import Consent, Goal, GoalAction, GoalStatus, LifeDomain, Person

ACTIVE_PLACES = (MembershipStatus.REQUESTED, MembershipStatus.MEMBER)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


# --- What relatives share ---------------------------------------------------------------


def relatives_of(actor: User) -> list[FamilyLink]:
    """The family member's accepted, unended links, with the person and consent (one query)."""
    return list(
        FamilyLink.objects.filter(
            family_member=actor, accepted_at__isnull=False, ended_at__isnull=True, person__erased_at__isnull=True
        )
        .select_related("person", "consent")
        .order_by("person__full_name", "-accepted_at", "-id")
    )


@dataclass
class PlanGoal:
    domain: str
    words: str
    status: str
    steps: list[GoalAction]


@dataclass
class SharedReferral:
    service: str
    status: str
    sent_on: date
    updated_on: date


@dataclass
class RelativeView:
    link: FamilyLink
    person: Person
    sharing: bool
    consent: Consent
    categories: list[str] = field(default_factory=list)
    plan: list[PlanGoal] = field(default_factory=list)
    referrals: list[SharedReferral] = field(default_factory=list)

    @property
    def shares_plan(self) -> bool:
        return Category.PLAN.value in self.categories

    @property
    def shares_referrals(self) -> bool:
        return Category.REFERRALS.value in self.categories


def _plan(person: Person) -> list[PlanGoal]:
    goals = (
        Goal.objects.filter(person=person)
        .exclude(status=GoalStatus.STOPPED)
        .prefetch_related(Prefetch("actions", queryset=GoalAction.objects.order_by("done_on", "due_on", "id")))
        .order_by("status", "domain", "id")
    )
    labels = dict(LifeDomain.choices)
    return [
        PlanGoal(
            domain=labels.get(goal.domain, goal.domain),
            words=goal.in_own_words,
            status=goal.get_status_display(),
            steps=list(goal.actions.all()),
        )
        for goal in goals
    ]


def _referrals(person: Person) -> list[SharedReferral]:
    from rosc.referrals.models import Referral

    rows = (
        Referral.objects.filter(person=person)
        .select_related("service")
        .order_by("-sent_at", "-pk")
        .only("state", "sent_at", "updated_at", "service__name")
    )
    return [
        SharedReferral(
            service=row.service.name,
            status=row.get_state_display(),
            sent_on=timezone.localdate(row.sent_at),
            updated_on=timezone.localdate(row.updated_at),
        )
        for row in rows
    ]


def relative_view(*, actor: User, person_id: Any, request: HttpRequest | None = None) -> RelativeView:
    """What ``actor`` may see of their relative right now; Http404 without a link.

    The consent is read again inside the transaction, so a withdrawal or an
    expiry takes effect on the very next read.
    """
    key = _uuid(person_id)
    if key is None or not actor.has_perm("family.use_own_support"):
        raise Http404("Not found.")
    links = list(
        FamilyLink.objects.filter(
            person__uuid=key,
            family_member=actor,
            accepted_at__isnull=False,
            ended_at__isnull=True,
            person__erased_at__isnull=True,
        )
        .select_related("person")
        .order_by("-accepted_at", "-id")
    )
    if not links:
        raise Http404("Not found.")
    with transaction.atomic():
        consents = {c.pk: c for c in Consent.objects.filter(pk__in=[link.consent_id for link in links])}
        now = timezone.now()
        live = [link for link in links if consents[link.consent_id].is_live(now)]
        link = live[0] if live else links[0]
        person = link.person
        consent = consents[link.consent_id]
        view = RelativeView(link=link, person=person, sharing=False, consent=consent)
        if not live or person.restricted_at is not None:
            return view
        view.sharing = True
        view.categories = [c for c in policy.SHAREABLE if consent.covers_category(c)]
        if view.shares_plan:
            view.plan = _plan(person)
        if view.shares_referrals:
            view.referrals = _referrals(person)
        audit_read(
            actor=actor,
            action="family.relative_read",
            purpose=policy.PURPOSE,
            target=person,
            request=request,
            details={"categories": view.categories, "consent_id": consent.pk, "link_id": link.pk},
        )
        for category in view.categories:
            record_disclosure(
                person,
                actor,
                None,
                category,
                policy.PURPOSE,
                consent=consent,
                recipient_description=consent.recipient_description,
                at=now,
            )
    return view


def person_of_account(user: Any) -> Person | None:
    """The recovery record linked to a signed-in account, if it can be used."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.current().filter(account=user, restricted_at__isnull=True).first()


def shares_of(person: Person) -> list[FamilyLink]:
    """Everyone the person has invited, newest first, with the consent (one query)."""
    return list(FamilyLink.objects.filter(person=person).select_related("consent", "family_member"))


def share_of(person: Person, link_id: Any) -> FamilyLink:
    key = _uuid(link_id)
    link = (
        FamilyLink.objects.filter(person=person, uuid=key).select_related("consent", "person").first() if key else None
    )
    if link is None:
        raise Http404("Not found.")
    return link


def link_for_member(actor: User, link_id: Any) -> FamilyLink:
    key = _uuid(link_id)
    link = (
        FamilyLink.objects.filter(family_member=actor, uuid=key, ended_at__isnull=True)
        .select_related("consent", "person")
        .first()
        if key
        else None
    )
    if link is None:
        raise Http404("Not found.")
    return link


def invitation(token: str) -> FamilyLink | None:
    """The unused, unexpired invitation for this token, or None."""
    from rosc.family.actions import token_hash

    link = (
        FamilyLink.objects.filter(token_hash=token_hash(str(token)), accepted_at__isnull=True, ended_at__isnull=True)
        .select_related("person", "consent")
        .first()
    )
    if link is None or link.invitation_expires_at <= timezone.now() or not link.consent.is_live():
        return None
    if link.person.erased_at is not None:
        return None
    return link


# --- Groups, for family members ------------------------------------------------------------


@dataclass
class GroupRow:
    group: FamilyGroup
    status: str = ""

    @property
    def is_member(self) -> bool:
        return self.status == MembershipStatus.MEMBER

    @property
    def has_asked(self) -> bool:
        return self.status == MembershipStatus.REQUESTED


def groups_for(actor: User) -> list[GroupRow]:
    """Open groups (taking new members), and every group the actor has asked to join or is in."""
    places = dict(GroupMember.objects.filter(user=actor, status__in=ACTIVE_PLACES).values_list("group_id", "status"))
    groups = (
        FamilyGroup.objects.filter(closed_at__isnull=True)
        .filter(Q(taking_new_members=True) | Q(pk__in=list(places)))
        .select_related("organisation")
        .order_by("name", "id")
    )
    return [GroupRow(group=group, status=places.get(group.pk, "")) for group in groups]


def group_for_member(actor: User, group_id: Any) -> tuple[FamilyGroup, str, list[GroupSession]]:
    """One group as a family member sees it: details, their place, and coming sessions if they are a member."""
    key = _uuid(group_id)
    group = (
        FamilyGroup.objects.filter(uuid=key, closed_at__isnull=True).select_related("organisation").first()
        if key
        else None
    )
    if group is None:
        raise Http404("Not found.")
    place = GroupMember.objects.filter(group=group, user=actor).values_list("status", flat=True).first() or ""
    if not group.taking_new_members and place not in ACTIVE_PLACES:
        raise Http404("Not found.")
    sessions: list[GroupSession] = []
    if place == MembershipStatus.MEMBER:
        sessions = list(group.sessions.filter(on__gte=timezone.localdate()).order_by("on", "id")[:6])
    return group, place, sessions


# --- Groups, for the people who run them ---------------------------------------------------


def groups_run_by(actor: User) -> QuerySet[FamilyGroup]:
    """Groups the actor facilitates (while still working there) or manages as the organisation's service manager."""
    from rosc.core.permissions import roles_of

    if not actor.has_perm("family.run_groups"):
        return FamilyGroup.objects.none()
    working = {org_id for org_id, roles in roles_of(actor).items() if roles & policy.GROUP_ROLES}
    managed = policy.managed_organisation_ids(actor)
    return (
        FamilyGroup.objects.filter(Q(organisation_id__in=managed) | Q(facilitators=actor, organisation_id__in=working))
        .distinct()
        .select_related("organisation")
        .annotate(
            member_count=Count("members", filter=Q(members__status=MembershipStatus.MEMBER), distinct=True),
            request_count=Count("members", filter=Q(members__status=MembershipStatus.REQUESTED), distinct=True),
        )
        .order_by("closed_at", "name", "id")
    )


def group_to_manage(actor: User, group_id: Any) -> FamilyGroup:
    key = _uuid(group_id)
    group = FamilyGroup.objects.filter(uuid=key).select_related("organisation").first() if key else None
    if group is None or not policy.can_manage_group(actor, group):
        raise Http404("Not found.")
    return group


def group_people(group: FamilyGroup) -> dict[str, list[GroupMember]]:
    """The group's members and requests, by status (one query)."""
    found: dict[str, list[GroupMember]] = defaultdict(list)
    for place in GroupMember.objects.filter(group=group).select_related("user").order_by("requested_at", "id"):
        found[place.status].append(place)
    return found


def group_sessions(group: FamilyGroup) -> list[GroupSession]:
    """Every session of the group with the number who came (one query)."""
    return list(group.sessions.annotate(came=Count("attendance")).order_by("-on", "-id"))


def session_to_manage(group: FamilyGroup, session_id: Any) -> GroupSession:
    try:
        pk = int(session_id)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    session = GroupSession.objects.filter(group=group, pk=pk).first()
    if session is None:
        raise Http404("Not found.")
    return session


def session_register(session: GroupSession) -> tuple[list[GroupMember], set[int]]:
    """Who can be marked as having come (members, and people who have since left), and who was."""
    places = list(
        GroupMember.objects.filter(
            group_id=session.group_id, status__in=[MembershipStatus.MEMBER, MembershipStatus.LEFT]
        )
        .select_related("user")
        .order_by("status", "user__display_name", "user__email")
    )
    came = set(Attendance.objects.filter(session=session).values_list("user_id", flat=True))
    return places, came


@dataclass
class SessionCount:
    group: str
    on: date
    topic: str
    came: int
    recorded: bool


def attendance_counts(actor: User, *, since: datetime | None = None) -> list[SessionCount]:
    """Attendance per session for every group of the organisations the actor manages (one query).
    Counts only: no names."""
    if not actor.has_perm("family.view_group_attendance"):
        return []
    managed = policy.managed_organisation_ids(actor)
    rows = (
        GroupSession.objects.filter(group__organisation_id__in=managed, on__lte=timezone.localdate())
        .select_related("group")
        .annotate(came=Count("attendance"))
        .order_by("group__name", "group_id", "on", "id")
    )
    return [
        SessionCount(
            group=row.group.name,
            on=row.on,
            topic=row.topic,
            came=row.came,
            recorded=row.attendance_recorded_at is not None,
        )
        for row in rows
    ]
