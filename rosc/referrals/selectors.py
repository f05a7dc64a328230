"""Scoped reads for closed-loop referrals.

Who sees a referral:

* workers (practitioners and service managers) of the organisation that sent
  it, and of the organisation that receives it: they are its two parties and
  may act on it;
* workers whose organisation is in the person's care team with a live consent
  for referrals (``rosc.record.access.can_access(..., Category.REFERRALS)``):
  they may read it;
* the person, through their own account or the record's signed link.

Anyone else gets 404, whether or not the referral exists. Opening a
referral is audited with its purpose and written to the person's disclosure
log. Lists run a fixed number of queries however many referrals there are.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from rosc.core.audit import audit_read
from rosc.core.models import Organisation, User
from rosc.directory.models import Service, ServiceStatus
from rosc.record.access import record_disclosure
from rosc.record.categories import Category
from rosc.record.models import Person
from rosc.referrals import states
from rosc.referrals.actions import Party, parties_of
from rosc.referrals.models import EventKind, Referral, ReferralEvent, State
from rosc.referrals.scoping import team_access, working_organisation_ids

AWAITING = [s.value for s in states.AWAITING_RESPONSE]
CLOSED = [s.value for s in states.CLOSED]


# --- Who is on which side ----------------------------------------------------------------


def receiving_organisation_ids(actor: Any) -> set[int]:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("referrals.receive"):
        return set()
    return working_organisation_ids(actor)


def sending_organisation_ids(actor: Any) -> set[int]:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("referrals.send"):
        return set()
    return working_organisation_ids(actor)


def _usable_people() -> Q:
    return Q(person__erased_at__isnull=True, person__restricted_at__isnull=True)


_HIDDEN_CACHE_ATTR = "_rosc_referrals_hidden_people"


def _hidden_people(actor: Any) -> list[int]:
    """People whose records are erased or restricted: their referrals stay out of every list.

    Few by nature, so they are read once a request (kept on the actor, like its roles)
    and left out by id, which keeps the list queries on the referral table's own
    indexes, with no join, however many referrals there are.
    """
    cached = getattr(actor, _HIDDEN_CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Person.objects.filter(Q(erased_at__isnull=False) | Q(restricted_at__isnull=False))
            .order_by()
            .values_list("pk", flat=True)
        )
        setattr(actor, _HIDDEN_CACHE_ATTR, cached)
    return cached


# What a list row shows, fetched for the rows of one page only.
LIST_RELATED = ("person", "service", "receiving_organisation", "sender_organisation", "sender", "receiver")


def page_of(referrals: QuerySet[Referral], *, number: Any, count: int | None = None, per_page: int = 50) -> Any:
    """One page of an ordered list of referrals, in a fixed number of queries.

    The page's ids are read first (from the covering indexes, without touching the
    table), then just those rows with what the list shows. ``count`` saves the
    count query when the caller knows the total already.
    """
    from django.core.paginator import Paginator

    paginator = Paginator(referrals.values_list("pk", flat=True), per_page)
    if count is not None:
        paginator.__dict__["count"] = count  # cached_property: the total is known
    page: Any = paginator.get_page(number)
    ids = list(page.object_list)
    rows = {r.pk: r for r in Referral.objects.filter(pk__in=ids).prefetch_related(*LIST_RELATED)} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


# --- The service inbox --------------------------------------------------------------------

INBOX_VIEWS: dict[str, str] = {
    "new": "New",
    "overdue": "Overdue",
    "waiting": "Waiting list",
    "in_progress": "In progress",
    "closed": "Closed",
}


def _view_q(view: str, today: date) -> Q:
    if view == "new":
        return Q(state__in=AWAITING)
    if view == "overdue":
        return Q(state__in=AWAITING, respond_by__lt=today)
    if view == "waiting":
        return Q(state=State.WAITING_LIST)
    if view == "in_progress":
        return Q(state__in=[State.ACCEPTED, State.IN_PROGRESS])
    if view == "closed":
        return Q(state__in=CLOSED)
    raise ValueError(f"Unknown inbox view {view!r}.")


@dataclass(frozen=True)
class InboxFilters:
    view: str = "new"
    organisation_id: int | None = None
    service_id: uuid.UUID | None = None


def _inbox_base(actor: User, filters: InboxFilters) -> QuerySet[Referral]:
    if not actor.has_perm("referrals.receive"):
        raise PermissionDenied
    organisation_ids = receiving_organisation_ids(actor)
    if filters.organisation_id is not None:
        organisation_ids &= {filters.organisation_id}
    referrals = Referral.objects.filter(receiving_organisation_id__in=organisation_ids)
    hidden = _hidden_people(actor)
    if hidden:
        referrals = referrals.exclude(person_id__in=hidden)
    if filters.service_id is not None:
        referrals = referrals.filter(service_id=filters.service_id)
    return referrals


def inbox_for(
    *, actor: User, filters: InboxFilters, today: date | None = None, request: HttpRequest | None = None
) -> QuerySet[Referral]:
    """Referrals to the actor's organisations, in one of the inbox views: new and
    overdue ones by deadline, the others newest first. Audited as a read."""
    day = today or timezone.localdate()
    referrals = _inbox_base(actor, filters).filter(_view_q(filters.view, day))
    order = ["respond_by", "sent_at", "id"] if filters.view in ("new", "overdue") else ["-updated_at", "-id"]
    audit_read(
        actor=actor,
        action="referral.inbox_read",
        purpose="referral inbox",
        object_type="referrals.referral",
        request=request,
        details={"view": filters.view, "organisation_ids": sorted(receiving_organisation_ids(actor))},
    )
    return referrals.order_by(*order)


def inbox_counts(*, actor: User, filters: InboxFilters, today: date | None = None) -> dict[str, int]:
    """How many referrals each inbox view holds: one query (after the hidden people)."""
    day = today or timezone.localdate()
    totals = _inbox_base(actor, filters).aggregate(
        **{view: Count("pk", filter=_view_q(view, day)) for view in INBOX_VIEWS}
    )
    return {view: totals[view] or 0 for view in INBOX_VIEWS}


def inbox_organisations(*, actor: User) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=receiving_organisation_ids(actor)).order_by("name"))


def inbox_services(*, actor: User) -> list[Service]:
    """Services of the actor's receiving organisations, for the inbox filter."""
    return list(
        Service.objects.filter(organisation_id__in=receiving_organisation_ids(actor))
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def overdue_count(*, actor: Any) -> int:
    """For the staff home: referrals waiting past their deadline at the actor's organisations."""
    organisation_ids = receiving_organisation_ids(actor)
    if not organisation_ids:
        return 0
    return Referral.objects.filter(
        _usable_people(),
        receiving_organisation_id__in=organisation_ids,
        state__in=AWAITING,
        respond_by__lt=timezone.localdate(),
    ).count()


# --- Referrals sent ---------------------------------------------------------------------------

SENT_VIEWS: dict[str, str] = {"open": "Open", "closed": "Closed", "all": "All"}


def sent_by(
    *, actor: User, view: str = "open", organisation_id: int | None = None, request: HttpRequest | None = None
) -> QuerySet[Referral]:
    """Referrals the actor's organisations sent, newest change first."""
    if not actor.has_perm("referrals.send"):
        raise PermissionDenied
    organisation_ids = sending_organisation_ids(actor)
    if organisation_id is not None:
        organisation_ids &= {organisation_id}
    referrals = Referral.objects.filter(sender_organisation_id__in=organisation_ids)
    hidden = _hidden_people(actor)
    if hidden:
        referrals = referrals.exclude(person_id__in=hidden)
    if view == "open":
        referrals = referrals.exclude(state__in=CLOSED)
    elif view == "closed":
        referrals = referrals.filter(state__in=CLOSED)
    elif view != "all":
        raise ValueError(f"Unknown view {view!r}.")
    audit_read(
        actor=actor,
        action="referral.sent_list_read",
        purpose="referrals sent",
        object_type="referrals.referral",
        request=request,
        details={"view": view, "organisation_ids": sorted(organisation_ids)},
    )
    return referrals.order_by("-updated_at", "-id")


# --- One referral -----------------------------------------------------------------------------


@dataclass
class ReferralAccess:
    """A referral as one viewer may see it."""

    referral: Referral
    parties: list[Party]
    organisation: Organisation | None
    events: list[ReferralEvent] = field(default_factory=list)

    @property
    def is_receiver(self) -> bool:
        return any(p.side == states.Party.RECEIVER for p in self.parties)

    @property
    def is_sender(self) -> bool:
        return any(p.side == states.Party.SENDER for p in self.parties)

    @property
    def can_act(self) -> bool:
        return bool(self.parties)

    def allowed_actions(self) -> list[states.Action]:
        found: list[states.Action] = []
        for party in self.parties:
            for action in states.allowed_actions(self.referral.state, party.side):
                if action not in found and action != states.Action.RECEIVE:
                    found.append(action)
        return found


def _referral_query() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "person",
        "service",
        "service__organisation",
        "receiving_organisation",
        "sender_organisation",
        "sender",
        "receiver",
        "consent",
        "rerouted_from",
        "rerouted_from__service",
        "ig_reviewed_by",
    )


def _find(referral_id: Any) -> Referral | None:
    try:
        key = referral_id if isinstance(referral_id, uuid.UUID) else uuid.UUID(str(referral_id))
    except ValueError:
        return None
    return _referral_query().filter(_usable_people(), pk=key).first()


def events_of(referral: Referral) -> list[ReferralEvent]:
    return list(referral.events.select_related("organisation").order_by("at", "id"))


def rerouted_to(referral: Referral) -> Referral | None:
    return Referral.objects.select_related("service", "receiving_organisation").filter(rerouted_from=referral).first()


def referral_again(referral_id: Any) -> Referral:
    """The same referral read again after a change (the caller already had access)."""
    return _referral_query().get(pk=referral_id)


def referral_for(*, actor: User, referral_id: Any, purpose: str, request: HttpRequest | None = None) -> ReferralAccess:
    """A referral the actor may see, with its history; Http404 otherwise.

    The read is audited with ``purpose`` and logged in the person's disclosure log.
    """
    if not purpose:
        raise ValueError("Reading a referral needs a purpose.")
    referral = _find(referral_id)
    if referral is None:
        raise Http404("No referral found.")
    parties = parties_of(actor, referral)
    consent = None
    break_glass = None
    if parties:
        organisation: Organisation | None = parties[0].organisation
        if parties[0].side == states.Party.RECEIVER:
            consent = referral.consent
    else:
        grant = team_access(actor, referral.person)
        if grant is None:
            raise Http404("No referral found.")
        organisation, consent, break_glass = grant.organisation, grant.consent, grant.break_glass
    with transaction.atomic():
        audit_read(
            actor=actor,
            action="referral.read",
            purpose=purpose,
            target=referral,
            request=request,
            details={
                "person_id": referral.person_id,
                "organisation_id": organisation.pk if organisation else None,
                "side": parties[0].side.value if parties else "care_team",
            },
        )
        record_disclosure(
            referral.person,
            actor,
            organisation,
            Category.REFERRALS,
            purpose,
            consent=consent,
            break_glass=break_glass,
        )
    return ReferralAccess(referral=referral, parties=parties, organisation=organisation, events=events_of(referral))


# --- Choosing whom and where to refer ------------------------------------------------------


def people_to_refer(*, actor: User, query: str = "", limit: int = 50) -> list[Person]:
    """People in the care team of the actor's organisations whose referrals the actor may
    see: the "choose a person" step. Checks each against consent, so it stays short."""
    from rosc.record.access import can_refer
    from rosc.record.models import CareTeamMember

    if not actor.has_perm("referrals.send"):
        raise PermissionDenied
    organisation_ids = sending_organisation_ids(actor)
    people = Person.objects.current().filter(
        restricted_at__isnull=True,
        pk__in=CareTeamMember.objects.active().filter(organisation_id__in=organisation_ids).values("person_id"),
    )
    query = query.strip()
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(preferred_name__icontains=query))
    found = []
    for person in people.order_by("full_name", "id")[: limit * 2]:
        if can_refer(actor, person):
            found.append(person)
        if len(found) >= limit:
            break
    return found


def services_to_refer_to(*, query: str, limit: int = 20) -> list[Service]:
    """Open directory services matching the words typed (public information)."""
    words = [word for word in query.lower().split() if word][:6]
    if not words:
        return []
    services = Service.objects.filter(status=ServiceStatus.ACTIVE)
    for word in words:
        services = services.filter(search_text__icontains=word)
    return list(services.select_related("organisation").order_by("name", "id")[:limit])


def service_to_refer_to(service_id: Any) -> Service:
    service = Service.objects.select_related("organisation").filter(pk=service_id).first()
    if service is None:
        raise Http404("No service found.")
    return service


# --- The person's own referrals ---------------------------------------------------------------


def person_of_account(user: Any) -> Person | None:
    """The recovery record linked to a signed-in account, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.current().filter(account=user, restricted_at__isnull=True).first()


def own_referrals(*, person: Person, actor: Any, request: HttpRequest | None = None) -> list[Referral]:
    """Every referral of the person, newest first, with their history: two queries and the audit row."""
    audit_read(
        actor=actor,
        action="referral.own_list_read",
        purpose="own referrals",
        object_type="record.person",
        object_id=person.pk,
        request=request,
    )
    referrals = list(
        Referral.objects.filter(person=person)
        .select_related("service", "receiving_organisation", "sender_organisation")
        .prefetch_related("events__organisation")
        .order_by("-sent_at", "-id")
    )
    for referral in referrals:
        events = list(referral.events.all())
        referral.latest_event = events[-1] if events else None  # type: ignore[attr-defined]
    return referrals


def own_referral(person: Person, referral_id: Any, *, actor: Any, request: HttpRequest | None = None) -> Referral:
    """One of the person's own referrals; Http404 for anyone else's."""
    try:
        key = referral_id if isinstance(referral_id, uuid.UUID) else uuid.UUID(str(referral_id))
    except ValueError:
        raise Http404("No referral found.") from None
    referral = _referral_query().filter(person=person, pk=key).first()
    if referral is None:
        raise Http404("No referral found.")
    audit_read(actor=actor, action="referral.own_read", purpose="own referral", target=referral, request=request)
    return referral


# --- The person's timeline (called by the shared record) ----------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    text: str = ""
    url: str = ""
    referral_id: str = ""
    kind: str = ""


def _entry_title(event: ReferralEvent, referral: Referral) -> str:
    service = referral.service.name
    if event.kind == EventKind.SENT:
        return f"Referral to {service} sent"
    if event.kind == EventKind.COMMENT:
        return f"Comment on the referral to {service}"
    if event.kind == EventKind.ESCALATED:
        return f"Referral to {service} overdue"
    return f"Referral to {service}: {event.get_kind_display().lower()}"


def timeline_entries_for(person: Person, viewer: Any) -> list[TimelineEntry]:
    """The referral events of ``person`` that ``viewer`` may see, oldest first.

    The person themselves (their own account) and care-team workers with a live
    consent for referrals see every referral; the workers of a referral's sending
    or receiving organisation see that referral. Anyone else sees nothing.
    The caller (the record's timeline) audits the page view.
    """
    if not getattr(viewer, "is_authenticated", False):
        return []
    is_self = person.account_id is not None and person.account_id == viewer.pk
    referrals = Referral.objects.filter(person=person)
    if not is_self and team_access(viewer, person) is None:
        working = working_organisation_ids(viewer)
        if not working:
            return []
        referrals = referrals.filter(Q(sender_organisation_id__in=working) | Q(receiving_organisation_id__in=working))
    events = (
        ReferralEvent.objects.filter(referral__in=referrals)
        .select_related("referral__service", "organisation")
        .order_by("at", "id")
    )
    entries = []
    for event in events:
        referral = event.referral
        url = (
            reverse("referrals:mine_detail", args=[referral.pk])
            if is_self
            else reverse("referrals:detail", args=[referral.pk])
        )
        entries.append(
            TimelineEntry(
                at=event.at,
                title=_entry_title(event, referral),
                text=(f"{event.who}: {event.text}" if event.text else event.who),
                url=url,
                referral_id=str(referral.pk),
                kind=event.kind,
            )
        )
    return entries


# --- A copy of everything held (data-protection rights) ------------------------------------------


def export_for(person: Person) -> list[dict[str, Any]]:
    """The person's referrals as plain data, for the shared record's export of everything held
    (``rosc.record.rights.person_export``): what they see on their own page, with every event.
    The reasons given for an exception are left out, as on their page: a safeguarding reason
    may need withholding, and the information-governance lead can add it after review."""
    referrals = (
        Referral.objects.filter(person=person)
        .select_related("service", "receiving_organisation", "sender_organisation", "rerouted_from")
        .prefetch_related("events__organisation")
        .order_by("sent_at", "id")
    )
    return [
        {
            "reference": referral.reference,
            "id": str(referral.pk),
            "service": referral.service.name,
            "receiving_organisation": referral.receiving_organisation.name,
            "from": referral.sender_name,
            "sent_at": referral.sent_at.isoformat(),
            "status": referral.state_label,
            "outcome": referral.get_outcome_display() if referral.outcome else None,
            "decline_reason": referral.get_decline_reason_display() if referral.decline_reason else None,
            "help_needed": referral.need,
            "shared_with": referral.get_basis_display(),
            "passed_on_from": str(referral.rerouted_from_id) if referral.rerouted_from_id else None,
            "history": [
                {"at": event.at.isoformat(), "what": event.get_kind_display(), "who": event.who, "text": event.text}
                for event in referral.events.all()
            ],
        }
        for referral in referrals
    ]


# --- Information-governance review ------------------------------------------------------------


def exceptions_for_review(
    *, actor: User, reviewed: bool = False, request: HttpRequest | None = None
) -> QuerySet[Referral]:
    """Referrals sent without consent under an exception, for the information-governance lead."""
    if not actor.has_perm("referrals.review_exceptions"):
        raise PermissionDenied
    audit_read(
        actor=actor,
        action="referral.exceptions_read",
        purpose="information governance",
        object_type="referrals.referral",
        request=request,
        details={"reviewed": reviewed},
    )
    return (
        Referral.objects.filter(ig_review_needed=True, ig_reviewed_at__isnull=not reviewed)
        .select_related("service", "receiving_organisation", "sender_organisation", "sender", "ig_reviewed_by")
        .order_by("sent_at", "id")
    )


def exception_for_review(*, actor: User, referral_id: Any, request: HttpRequest | None = None) -> Referral:
    if not actor.has_perm("referrals.review_exceptions"):
        raise PermissionDenied
    try:
        key = uuid.UUID(str(referral_id))
    except ValueError:
        raise Http404("No referral found.") from None
    referral = (
        Referral.objects.filter(ig_review_needed=True, pk=key)
        .select_related("service", "receiving_organisation", "sender_organisation", "sender", "ig_reviewed_by")
        .first()
    )
    if referral is None:
        raise Http404("No referral found.")
    audit_read(
        actor=actor,
        action="referral.exception_read",
        purpose="information governance",
        target=referral,
        request=request,
        details={"basis": referral.basis},
    )
    return referral
