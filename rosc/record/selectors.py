"""Scoped reads of the shared recovery record.

Every read of a person's information goes through ``rosc.record.access``
(the care team, consent and break-glass rules) and is audited with its
purpose and logged in the person's disclosure log. Lists are built in a
fixed number of queries, whatever their length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property

from rosc.core.audit import audit_read
from rosc.core.models import Membership, Organisation, OrganisationKind, User
from rosc.record.access import (
    Grant,
    peer_organisation_ids,
    record_disclosure,
    working_organisation_ids,
)
from rosc.record.categories import PEER_MENTOR_CATEGORIES, Category
from rosc.record.models import (
    CATEGORY_FIELDS,
    IDENTITY,
    BreakGlass,
    CareTeamMember,
    Consent,
    ConsentKind,
    ConsentRecipientKind,
    Disclosure,
    Goal,
    GoalAction,
    GoalStatus,
    GoalUpdate,
    LifeDomain,
    Note,
    NoteKind,
    Person,
    RightsRequest,
    RightsRequestStatus,
    TeamRole,
)
from rosc.record.nhs import normalise_nhs_number

CASELOAD_PURPOSE = "caseload list"
CONSENT_ENDING_DAYS = 30

# --- Caseload ---------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    person: Person
    organisation: Organisation
    category: str
    next_review: date | None
    consent_ends: datetime | None
    consent_id: int | None = None
    emergency: BreakGlass | None = None

    @property
    def is_break_glass(self) -> bool:
        return self.emergency is not None

    @property
    def needs_consent(self) -> bool:
        return self.category == IDENTITY

    review_overdue: bool = field(init=False, default=False)
    consent_ending_soon: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.review_overdue = self.next_review is not None and self.next_review < timezone.localdate()
        self.consent_ending_soon = self.consent_ends is not None and self.consent_ends < timezone.now() + timedelta(
            days=CONSENT_ENDING_DAYS
        )


@dataclass
class Caseload:
    rows: list[CaseloadRow]
    search: str = ""

    @cached_property
    def without_consent(self) -> int:
        return sum(1 for row in self.rows if row.needs_consent)

    @cached_property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.review_overdue)

    @cached_property
    def consents_ending(self) -> int:
        return sum(1 for row in self.rows if row.consent_ending_soon)


def _caseload_members(user: User, day: date) -> QuerySet[CareTeamMember]:
    working = working_organisation_ids(user)
    peers = peer_organisation_ids(user)
    return CareTeamMember.objects.active(day).filter(
        Q(organisation_id__in=working) | Q(organisation_id__in=peers, role=TeamRole.PEER_MENTOR, worker=user)
    )


def caseload_page(
    user: User, *, search: str = "", page: Any = 1, per_page: int = 50, request: HttpRequest | None = None
) -> tuple[Caseload, Page]:
    """One page of the user's caseload, as the caseload page shows it: the read is
    audited and each person shown is logged (once a day) in their disclosure log.

    A fixed number of queries whatever the size of the caseload.
    """
    loaded = caseload_for(user, search=search)
    shown = Paginator(loaded.rows, per_page).get_page(page)
    _log_caseload_read(user, list(shown.object_list), day=timezone.localdate(), request=request, search=bool(search))
    return loaded, shown


@dataclass(frozen=True)
class _ConsentFacts:
    """What the caseload needs of a live care-coordination consent, without model instances."""

    pk: int
    expires_at: datetime
    given_at: datetime
    categories: frozenset[str]
    organisation_ids: frozenset[int]
    kinds: frozenset[str]


def _consent_facts(people: QuerySet[Any, Any], moment: datetime) -> dict[int, list[_ConsentFacts]]:
    """Live care-coordination consents of the people, by person: three queries of plain values."""
    live = Consent.objects.live(moment).filter(kind=ConsentKind.CARE_COORDINATION, person_id__in=people)
    fields = list(CATEGORY_FIELDS.items())
    organisations: dict[int, set[int]] = defaultdict(set)
    for consent_id, organisation_id in Consent.recipient_organisations.through.objects.filter(
        consent_id__in=live.values("pk")
    ).values_list("consent_id", "organisation_id"):
        organisations[consent_id].add(organisation_id)
    kinds: dict[int, set[str]] = defaultdict(set)
    for consent_id, kind in ConsentRecipientKind.objects.filter(consent_id__in=live.values("pk")).values_list(
        "consent_id", "kind"
    ):
        kinds[consent_id].add(kind)
    found: dict[int, list[_ConsentFacts]] = defaultdict(list)
    for pk, person_id, given_at, expires_at, *flags in live.values_list(
        "pk", "person_id", "given_at", "expires_at", *[name for _, name in fields]
    ):
        covered = frozenset(category.value for (category, _), flag in zip(fields, flags, strict=True) if flag)
        found[person_id].append(
            _ConsentFacts(pk, expires_at, given_at, covered, frozenset(organisations[pk]), frozenset(kinds[pk]))
        )
    return found


def _covering(consents: list[_ConsentFacts], organisation: Organisation, category: str) -> _ConsentFacts | None:
    """The newest consent naming the organisation (or its kind) for the category."""
    named = [
        consent
        for consent in consents
        if category in consent.categories
        and (organisation.pk in consent.organisation_ids or organisation.kind in consent.kinds)
    ]
    return max(named, key=lambda consent: (consent.given_at, consent.pk), default=None)


def caseload_for(user: User, *, search: str = "", at: datetime | None = None) -> Caseload:
    """The people in the user's care teams whom they may see now, with their next review date.

    A fixed number of queries whatever the size of the caseload: the care-team
    rows and their organisations, the people (with their next review date),
    their live consents and recipients (as plain values), and the user's
    break-glass accesses. It does not log the read: :func:`caseload_page`
    does, for the people it shows.
    """
    if not user.has_perm("record.view_caseload"):
        raise PermissionDenied
    moment = at or timezone.now()
    day = timezone.localdate(moment)
    working = working_organisation_ids(user)
    members = _caseload_members(user, day)
    rows_of_team = list(members.values_list("person_id", "organisation_id"))
    organisations = {
        org.pk: org
        for org in Organisation.objects.filter(pk__in={org_id for _, org_id in rows_of_team}).only("name", "kind")
    }
    orgs_by_person: dict[int, dict[int, tuple[Organisation, bool]]] = defaultdict(dict)
    for person_id, organisation_id in rows_of_team:
        orgs_by_person[person_id][organisation_id] = (organisations[organisation_id], organisation_id in working)
    next_review = (
        Goal.objects.filter(person=OuterRef("pk"), status=GoalStatus.ACTIVE)
        .order_by()
        .values("person")
        .annotate(first=Min("review_on"))
        .values("first")
    )
    people_qs = (
        Person.objects.current()
        .filter(restricted_at__isnull=True, pk__in=members.values("person_id"))
        .annotate(next_review=Subquery(next_review))
        .only(
            "uuid",
            "full_name",
            "preferred_name",
            "date_of_birth",
            "area",
            "erased_at",
            "restricted_at",
            "is_illustrative",
        )
    )
    search = search.strip()
    if search:
        people_qs = people_qs.filter(Q(full_name__icontains=search) | Q(preferred_name__icontains=search))
    people = list(people_qs.order_by("full_name", "pk"))
    consents_by_person = _consent_facts(members.values("person_id"), moment)
    emergencies = {
        emergency.person_id: emergency
        for emergency in BreakGlass.objects.live(moment)
        .filter(user=user, organisation_id__in=working)
        .select_related("organisation")
        .order_by("expires_at")
    }
    rows: list[CaseloadRow] = []
    for person in people:
        row = _caseload_row(person, orgs_by_person[person.pk], consents_by_person.get(person.pk, []))
        if (row is None or row.needs_consent) and person.pk in emergencies:
            emergency = emergencies[person.pk]
            review = getattr(person, "next_review", None)
            row = CaseloadRow(person, emergency.organisation, Category.PLAN, review, None, emergency=emergency)
        if row is not None:
            rows.append(row)
    return Caseload(rows=rows, search=search)


def _caseload_row(
    person: Person,
    organisations: dict[int, tuple[Organisation, bool]],
    consents: list[_ConsentFacts],
) -> CaseloadRow | None:
    ordered = sorted(organisations.values(), key=lambda pair: pair[0].pk)
    for category in (Category.PLAN, *[c for c in Category if c != Category.PLAN]):
        for organisation, as_worker in ordered:
            if not as_worker and category not in PEER_MENTOR_CATEGORIES:
                continue
            consent = _covering(consents, organisation, category)
            if consent is not None:
                review = getattr(person, "next_review", None) if category == Category.PLAN else None
                return CaseloadRow(person, organisation, category, review, consent.expires_at, consent_id=consent.pk)
    # In the care team as a worker but no live consent: the name only, to record consent again.
    for organisation, as_worker in ordered:
        if as_worker:
            return CaseloadRow(person, organisation, IDENTITY, None, None)
    return None


def _log_caseload_read(
    user: User, rows: list[CaseloadRow], *, day: date, request: HttpRequest | None, search: bool
) -> None:
    """One audit row for the list; one disclosure a day for each person on it."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    with transaction.atomic():
        audit_read(
            actor=user,
            action="record.caseload_read",
            purpose=CASELOAD_PURPOSE,
            object_type="record.person",
            request=request,
            details={"people": len(rows), "searched": search},
        )
        if not rows:
            return
        already = set(
            Disclosure.objects.filter(
                viewer=user, purpose=CASELOAD_PURPOSE, at__gte=start, person_id__in=[row.person.pk for row in rows]
            ).values_list("person_id", flat=True)
        )
        label = str(user)
        Disclosure.objects.bulk_create(
            [
                Disclosure(
                    person=row.person,
                    viewer=user,
                    viewer_label=label,
                    organisation=row.organisation,
                    category=row.category,
                    purpose=CASELOAD_PURPOSE,
                    consent_id=row.consent_id,
                    break_glass=row.emergency,
                )
                for row in rows
                if row.person.pk not in already
            ]
        )


# --- Finding a person by exact identifiers ---------------------------------------------


def people_matching(*, nhs_number: str = "", full_name: str = "", date_of_birth: date | None = None) -> list[Person]:
    """Exact matches only (NHS number, or full name and date of birth), so that
    nobody can browse for people. Used only by the access-checked pages below."""
    queryset = Person.objects.current()
    digits = normalise_nhs_number(nhs_number)
    if digits:
        return list(queryset.filter(nhs_number=digits)[:2])
    if full_name.strip() and date_of_birth is not None:
        return list(queryset.filter(full_name__iexact=full_name.strip(), date_of_birth=date_of_birth)[:5])
    return []


# --- Care team, consents, plan, notes ----------------------------------------------------


def care_team(person: Person, *, include_ended: bool = True) -> list[CareTeamMember]:
    members = CareTeamMember.objects.filter(person=person).select_related("organisation", "worker")
    if not include_ended:
        members = members.active()
    return list(members.order_by("ended", "role", "started", "id"))


def team_organisations(person: Person) -> list[Organisation]:
    """Organisations in the care team today."""
    ids = CareTeamMember.objects.active().filter(person=person, organisation__isnull=False).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def consents_of(person: Person) -> list[Consent]:
    return list(
        Consent.objects.filter(person=person)
        .prefetch_related("recipient_organisations", "recipient_kind_rows")
        .select_related("recorded_by", "withdrawn_by")
        .order_by("-given_at", "-id")
    )


@dataclass
class DomainPlan:
    domain: str
    label: str
    goals: list[Goal] = field(default_factory=list)


def plan_of(person: Person) -> list[DomainPlan]:
    """The recovery plan by life domain, every domain listed (most have no goal yet)."""
    goals = (
        Goal.objects.filter(person=person)
        .select_related("owner_organisation", "owner_worker")
        .prefetch_related(
            Prefetch("actions", queryset=GoalAction.objects.order_by("done_on", "due_on", "id")),
            Prefetch("updates", queryset=GoalUpdate.objects.select_related("organisation").order_by("-at", "-id")),
        )
        .order_by("status", "review_on", "id")
    )
    by_domain: dict[str, list[Goal]] = defaultdict(list)
    for goal in goals:
        by_domain[goal.domain].append(goal)
    return [DomainPlan(domain.value, domain.label, by_domain.get(domain.value, [])) for domain in LifeDomain]


def goal_of(person: Person, goal_id: int) -> Goal:
    goal = Goal.objects.filter(person=person, pk=goal_id).select_related("owner_organisation", "owner_worker").first()
    if goal is None:
        raise Http404("No such goal.")
    return goal


def goal_step_of(goal: Goal, step_id: int) -> GoalAction:
    """A step of a goal already opened through a scoped read; 404 otherwise."""
    step = GoalAction.objects.filter(goal=goal, pk=step_id).first()
    if step is None:
        raise Http404("No such step.")
    return step


def team_member_of(person: Person, member_id: int) -> CareTeamMember | None:
    """A care-team member of a person already opened through a scoped read."""
    return CareTeamMember.objects.filter(person=person, pk=member_id).select_related("person").first()


def consent_of(person: Person, consent_id: int, *, kind: str | None = None) -> Consent | None:
    """A consent of a person already opened through a scoped read (optionally of one kind)."""
    found = Consent.objects.filter(person=person, pk=consent_id)
    if kind is not None:
        found = found.filter(kind=kind)
    return found.select_related("person").first()


def notes_for(user: User, person: Person) -> QuerySet[Note]:
    """Notes the user may read: counselling notes only from their own organisation."""
    own = working_organisation_ids(user)
    return (
        Note.objects.filter(person=person)
        .filter(~Q(kind=NoteKind.COUNSELLING) | Q(organisation_id__in=own))
        .select_related("organisation")
        .order_by("-happened_on", "-created_at", "-id")
    )


def organisations_for_choice() -> QuerySet[Organisation]:
    return Organisation.objects.exclude(kind__in=[OrganisationKind.COMMISSIONER]).order_by("name")


def workers_of(organisations: Iterable[Organisation]) -> list[User]:
    ids = [org.pk for org in organisations]
    return list(
        User.objects.filter(
            is_active=True, pk__in=Membership.objects.active().filter(organisation_id__in=ids).values("user_id")
        ).order_by("display_name", "email")
    )


# --- Timeline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    text: str = ""
    url: str = ""
    category: str = ""


def _as_entry(item: Any) -> TimelineEntry | None:
    get = item.get if isinstance(item, dict) else lambda name, default=None: getattr(item, name, default)
    at = get("at")
    title = get("title")
    if not isinstance(at, datetime) or not title:
        return None
    return TimelineEntry(
        at=at,
        title=str(title),
        text=str(get("text", "") or ""),
        url=str(get("url", "") or ""),
        category=Category.REFERRALS,
    )


def timeline_of(user: User, person: Person, grants: dict[str, Grant]) -> list[TimelineEntry]:
    """What has happened, newest first, limited to the categories the viewer may see."""
    entries: list[TimelineEntry] = []
    if Category.PLAN in grants:
        for goal in Goal.objects.filter(person=person).only("domain", "created_at", "status"):
            entries.append(
                TimelineEntry(goal.created_at, f"Goal added: {goal.get_domain_display()}", category=Category.PLAN)
            )
        for update in GoalUpdate.objects.filter(goal__person=person).select_related("goal", "organisation"):
            title = f"Progress on {update.goal.get_domain_display().lower()} goal"
            if update.status:
                title += f" (now: {update.get_status_display().lower()})"
            who = ", ".join(part for part in (update.author_label, str(update.organisation or "")) if part)
            entries.append(TimelineEntry(update.at, title, f"{update.text}\n{who}".strip(), category=Category.PLAN))
        for member in CareTeamMember.objects.filter(person=person).select_related("organisation"):
            who = member.name or str(member.organisation or "")
            entries.append(
                TimelineEntry(
                    timezone.make_aware(datetime.combine(member.started, datetime.min.time())),
                    f"Joined the care team: {who} ({member.get_role_display().lower()})",
                    category=Category.PLAN,
                )
            )
            if member.ended:
                entries.append(
                    TimelineEntry(
                        timezone.make_aware(datetime.combine(member.ended, datetime.min.time())),
                        f"Left the care team: {who}",
                        category=Category.PLAN,
                    )
                )
    if Category.NOTES in grants:
        for note in notes_for(user, person):
            entries.append(
                TimelineEntry(
                    timezone.make_aware(datetime.combine(note.happened_on, datetime.min.time())),
                    f"{note.get_kind_display().split(' (')[0]}, {note.organisation.name}",
                    note.text,
                    category=Category.NOTES,
                )
            )
    for consent in consents_of(person):
        entries.append(
            TimelineEntry(
                consent.given_at,
                f"{consent.get_kind_display()} consent given ({consent.get_given_how_display().lower()})",
            )
        )
        if consent.withdrawn_at:
            entries.append(TimelineEntry(consent.withdrawn_at, f"{consent.get_kind_display()} consent withdrawn"))
    if Category.REFERRALS in grants:
        entries.extend(_referral_entries(person, user))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _referral_entries(person: Person, user: User) -> list[TimelineEntry]:
    try:
        from rosc.referrals import selectors as referral_selectors
    except ImportError:
        return []
    source = getattr(referral_selectors, "timeline_entries_for", None)
    if source is None:
        return []
    return [entry for entry in (_as_entry(item) for item in source(person, user)) if entry is not None]


# --- The person's own view ------------------------------------------------------------------


def disclosure_log(person: Person, *, limit: int = 500) -> list[Disclosure]:
    return list(Disclosure.objects.filter(person=person).select_related("organisation").order_by("-at", "-id")[:limit])


@dataclass(frozen=True)
class DisclosureSummary:
    label: str
    count: int


def disclosure_summary(entries: list[Disclosure]) -> list[DisclosureSummary]:
    """How many times each organisation (or outside recipient) saw or received information."""
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        label = entry.organisation.name if entry.organisation else entry.recipient_description or "Open ROSC"
        counts[label] += 1
    return [DisclosureSummary(label, count) for label, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def own_record_read(person: Person, *, actor: User | None, request: HttpRequest | None, via: str) -> None:
    """The person looking at their own record: audited, but not a disclosure to anyone else."""
    audit_read(
        actor=actor,
        action="record.own_record_read",
        purpose="person's own view",
        target=person,
        request=request,
        details={"via": via},
    )


# --- Information governance --------------------------------------------------------------


def break_glass_queue(*, actor: User) -> tuple[list[BreakGlass], list[BreakGlass]]:
    """Emergency accesses waiting for review (oldest first), and the last 50 reviewed."""
    if not actor.has_perm("record.review_break_glass"):
        raise PermissionDenied
    base = BreakGlass.objects.select_related("user", "organisation", "reviewed_by")
    pending = list(base.filter(review="pending").order_by("started_at", "id"))
    reviewed = list(base.exclude(review="pending").order_by("-reviewed_at", "-id")[:50])
    return pending, reviewed


def break_glass_for_review(*, actor: User, emergency_id: int, request: HttpRequest | None = None) -> BreakGlass:
    if not actor.has_perm("record.review_break_glass"):
        raise PermissionDenied
    emergency = (
        BreakGlass.objects.select_related("user", "organisation", "reviewed_by", "person")
        .filter(pk=emergency_id)
        .first()
    )
    if emergency is None:
        raise Http404("No such emergency access.")
    audit_read(
        actor=actor,
        action="record.break_glass_read",
        purpose="information governance",
        target=emergency,
        request=request,
        details={"person_id": emergency.person_id},
    )
    return emergency


def break_glass_reads(emergency: BreakGlass) -> list[Disclosure]:
    """What was opened under this emergency access."""
    return list(Disclosure.objects.filter(break_glass=emergency).order_by("at", "id"))


def pending_break_glass_count() -> int:
    return BreakGlass.objects.filter(review="pending").count()


def rights_requests(*, actor: User) -> tuple[list[RightsRequest], list[RightsRequest]]:
    if not actor.has_perm("record.handle_rights_requests"):
        raise PermissionDenied
    base = RightsRequest.objects.select_related("person", "handled_by")
    open_requests = list(base.filter(status=RightsRequestStatus.OPEN).order_by("received_on", "id"))
    closed = list(base.exclude(status=RightsRequestStatus.OPEN).order_by("-closed_at", "-id")[:50])
    return open_requests, closed


def rights_request_for(*, actor: User, request_id: int, request: HttpRequest | None = None) -> RightsRequest:
    if not actor.has_perm("record.handle_rights_requests"):
        raise PermissionDenied
    rights = RightsRequest.objects.select_related("person", "handled_by", "opened_by").filter(pk=request_id).first()
    if rights is None:
        raise Http404("No such request.")
    with transaction.atomic():
        audit_read(
            actor=actor,
            action="record.rights_request_read",
            purpose="data protection request",
            target=rights,
            request=request,
            details={"person_id": rights.person_id, "kind": rights.kind},
        )
        if rights.person.erased_at is None:
            record_disclosure(rights.person, actor, None, IDENTITY, "data protection request")
    return rights


def open_rights_request_count() -> int:
    return RightsRequest.objects.filter(status=RightsRequestStatus.OPEN).count()
