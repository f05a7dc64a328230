"""Scoped reads for peer mentoring. Every function takes the actor and returns only what they may see.

* A coordinator is a service manager of a peer-support organisation: they see its mentors (profiles,
  checks, supervision) and its waiting list. A request shows the person's name and preferences only while
  a live consent names the peer organisation (or its kind) for the person's plan; each person shown is
  written to their disclosure log (once a day per viewer on lists, every time on a request's own page).
* A mentor sees their own profile and checks, and the people they are the named peer mentor for.
* Peer sessions are opened through ``rosc.record.access`` for ``Category.PLAN``: the mentor, and anyone
  else in the care team while consent covers the plan for their organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from rosc.core.audit import audit_read
from rosc.core.models import Membership, Organisation, OrganisationKind, Role, User
from rosc.core.permissions import roles_of
from rosc.peers import matching
from rosc.peers.models import (
    REQUIRED_CHECKS,
    CheckKind,
    MentorCheck,
    MentorProfile,
    MentorRequest,
    PeerSession,
    RequestStatus,
    SupervisionSession,
)
from rosc.record.access import access_grant, person_for, record_disclosure
from rosc.record.categories import Category
from rosc.record.consent import consent_covers
from rosc.record.models import CareTeamMember, Disclosure, Person, TeamRole

PURPOSE_MATCHING = "Finding a peer mentor"
PURPOSE_SESSIONS = "Peer mentoring sessions"


def warn_days() -> int:
    return int(getattr(settings, "ROSC_PEER_CHECK_REMINDER_DAYS", 30))


# --- Who is who -----------------------------------------------------------------------------


def coordinated_organisations(user: Any) -> list[Organisation]:
    """Peer-support organisations where ``user`` is a service manager today."""
    ids = [org_id for org_id, roles in roles_of(user).items() if Role.SERVICE_MANAGER in roles]
    return list(Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.PEER_SUPPORT).order_by("name"))


def mentor_organisation_ids(user: Any) -> set[int]:
    return {org_id for org_id, roles in roles_of(user).items() if Role.PEER_MENTOR in roles}


def active_mentor_user_ids(organisation: Organisation) -> set[int]:
    return set(
        Membership.objects.active()
        .filter(organisation=organisation, role=Role.PEER_MENTOR)
        .values_list("user_id", flat=True)
    )


def own_profiles(user: Any) -> list[MentorProfile]:
    """The mentor's profiles in organisations where they are a peer mentor today."""
    ids = mentor_organisation_ids(user)
    return list(
        MentorProfile.objects.filter(user=user, organisation_id__in=ids).select_related("organisation", "supervisor")
    )


# --- Checks ---------------------------------------------------------------------------------


@dataclass
class CheckStatus:
    ok: bool
    missing: list[str] = field(default_factory=list)  # required checks not in date (labels)
    expiring: list[MentorCheck] = field(default_factory=list)
    expired: list[MentorCheck] = field(default_factory=list)

    @property
    def label(self) -> str:
        if not self.ok:
            return "Not cleared for new mentees"
        if self.expiring:
            return "Check expiring soon"
        return "Cleared"


def check_status(checks: Iterable[MentorCheck], on: date | None = None) -> CheckStatus:
    """Whether every required check is in date on ``on``, and which run out soon."""
    day = on or timezone.localdate()
    checks = list(checks)
    latest: dict[str, MentorCheck] = {}
    for check in checks:
        if check.completed_on > day:
            continue
        best = latest.get(check.kind)
        if best is None or (check.expires_on or date.max) > (best.expires_on or date.max):
            latest[check.kind] = check
    missing = [CheckKind(kind).label for kind in REQUIRED_CHECKS if not (kind in latest and latest[kind].in_date(day))]
    expired = [c for c in latest.values() if c.status(day) == "expired"]
    expiring = [c for c in latest.values() if c.status(day, warn_days()) == "expiring"]
    return CheckStatus(ok=not missing, missing=missing, expiring=expiring, expired=expired)


def statuses_for(profiles: Iterable[MentorProfile], on: date | None = None) -> dict[int, CheckStatus]:
    profiles = list(profiles)
    by_profile: dict[int, list[MentorCheck]] = {p.pk: [] for p in profiles}
    for check in MentorCheck.objects.filter(profile__in=profiles):
        by_profile[check.profile_id].append(check)
    return {pk: check_status(checks, on) for pk, checks in by_profile.items()}


def mentee_counts(organisation: Organisation, user_ids: Iterable[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    rows = CareTeamMember.objects.active().filter(
        organisation=organisation, role=TeamRole.PEER_MENTOR, worker_id__in=list(user_ids)
    )
    for worker_id in rows.values_list("worker_id", flat=True):
        counts[worker_id] = counts.get(worker_id, 0) + 1
    return counts


# --- Coordinator: mentors -------------------------------------------------------------------


def _coordinated(actor: Any, organisation: Organisation | None = None) -> list[Organisation]:
    if not isinstance(actor, User) or not actor.has_perm("peers.coordinate"):
        raise PermissionDenied
    orgs = coordinated_organisations(actor)
    if organisation is not None:
        orgs = [o for o in orgs if o.pk == organisation.pk]
    if not orgs:
        raise PermissionDenied
    return orgs


@dataclass
class MentorRow:
    profile: MentorProfile
    status: CheckStatus
    mentees: int

    @property
    def spare(self) -> int:
        return max(0, self.profile.capacity - self.mentees)


def mentor_rows(actor: Any) -> list[MentorRow]:
    """The coordinator's mentors with their check status and places, for every organisation they coordinate."""
    orgs = _coordinated(actor)
    rows: list[MentorRow] = []
    for org in orgs:
        active = active_mentor_user_ids(org)
        profiles = list(
            MentorProfile.objects.filter(organisation=org, user_id__in=active).select_related(
                "user", "organisation", "supervisor"
            )
        )
        statuses = statuses_for(profiles)
        counts = mentee_counts(org, active)
        rows += [MentorRow(p, statuses[p.pk], counts.get(p.user_id, 0)) for p in profiles]
    return rows


def mentors_without_profile(actor: Any) -> list[tuple[Organisation, User]]:
    found: list[tuple[Organisation, User]] = []
    for org in _coordinated(actor):
        have = set(MentorProfile.objects.filter(organisation=org).values_list("user_id", flat=True))
        users = User.objects.filter(pk__in=active_mentor_user_ids(org) - have).order_by("email")
        found += [(org, user) for user in users]
    return found


def profile_for_coordinator(actor: Any, profile_uuid: Any) -> MentorProfile:
    orgs = _coordinated(actor)
    profile = (
        MentorProfile.objects.filter(uuid=profile_uuid, organisation__in=orgs)
        .select_related("user", "organisation", "supervisor")
        .first()
    )
    if profile is None:
        raise Http404("No such mentor.")
    return profile


def supervised_profiles(actor: Any) -> list[MentorProfile]:
    """Mentors this user is named supervisor of (in organisations where they still work)."""
    if not isinstance(actor, User) or not actor.has_perm("peers.supervise"):
        raise PermissionDenied
    return list(
        MentorProfile.objects.filter(supervisor=actor, organisation_id__in=list(roles_of(actor)))
        .select_related("user", "organisation")
        .order_by("user__display_name")
    )


def profile_for_supervisor(actor: Any, profile_uuid: Any) -> MentorProfile:
    """A mentor's profile for their supervisor or a coordinator of their organisation, else 404."""
    if not isinstance(actor, User) or not (actor.has_perm("peers.supervise") or actor.has_perm("peers.coordinate")):
        raise PermissionDenied
    profile = MentorProfile.objects.filter(uuid=profile_uuid).select_related("user", "organisation").first()
    if profile is None:
        raise Http404("No such mentor.")
    coordinator = profile.organisation in coordinated_organisations(actor)
    supervisor = profile.supervisor_id == actor.pk and profile.organisation_id in roles_of(actor)
    if not (coordinator or supervisor):
        raise Http404("No such mentor.")
    return profile


def supervision_log(profile: MentorProfile) -> list[SupervisionSession]:
    return list(profile.supervision.select_related("supervisor"))


# --- Matching inputs ------------------------------------------------------------------------


def mentor_inputs(organisation: Organisation, on: date | None = None) -> list[tuple[MentorProfile, matching.Mentor]]:
    """Every mentor of ``organisation`` as the matching engine sees them (checks, places, mentees today)."""
    active = active_mentor_user_ids(organisation)
    profiles = list(MentorProfile.objects.filter(organisation=organisation, user_id__in=active).select_related("user"))
    statuses = statuses_for(profiles, on)
    counts = mentee_counts(organisation, active)
    return [(p, mentor_for(p, statuses[p.pk].ok, counts.get(p.user_id, 0))) for p in profiles]


def mentor_for(profile: MentorProfile, checks_ok: bool, mentees: int) -> matching.Mentor:
    return matching.Mentor(
        key=str(profile.uuid),
        substances=frozenset(profile.substances),
        languages=matching.normalise(profile.language_list),
        gender=profile.gender,
        areas=matching.normalise(profile.area_list),
        in_person=profile.in_person,
        online=profile.online,
        availability=frozenset(profile.availability),
        capacity=profile.capacity,
        mentees=mentees,
        checks_ok=checks_ok,
    )


def needs_for(request: MentorRequest, current_mentor_keys: Iterable[str] = ()) -> matching.Needs:
    from rosc.peers.models import split_words

    return matching.Needs(
        key=str(request.uuid),
        substances=frozenset(request.substances),
        languages=matching.normalise(split_words(request.languages)),
        gender_preference=request.gender_preference,
        area=request.area.strip().lower(),
        in_person_ok=request.in_person_ok,
        online_ok=request.online_ok,
        availability=frozenset(request.availability),
        exclude=frozenset(current_mentor_keys),
    )


def current_mentor_keys(requests: Iterable[MentorRequest], profiles: Iterable[MentorProfile]) -> dict[int, set[str]]:
    """For each request, the profiles (keys) already the person's peer mentor, so they are not offered again."""
    requests = list(requests)
    by_user = {(p.organisation_id, p.user_id): str(p.uuid) for p in profiles}
    found: dict[int, set[str]] = {r.pk: set() for r in requests}
    person_requests: dict[int, list[MentorRequest]] = {}
    for r in requests:
        person_requests.setdefault(r.person_id, []).append(r)
    members = CareTeamMember.objects.active().filter(
        person_id__in=list(person_requests), role=TeamRole.PEER_MENTOR, worker__isnull=False
    )
    for person_id, org_id, worker_id in members.values_list("person_id", "organisation_id", "worker_id"):
        key = by_user.get((org_id, worker_id))
        if key:
            for r in person_requests[person_id]:
                found[r.pk].add(key)
    return found


# --- Coordinator: waiting list --------------------------------------------------------------


@dataclass
class WaitingEntry:
    request: MentorRequest
    shareable: bool  # consent covers the plan for the peer organisation: name and preferences may be shown


def _disclose_once_today(actor: User, entries: list[WaitingEntry], request: HttpRequest | None) -> None:
    shown = [e.request for e in entries if e.shareable]
    if not shown:
        return
    today = timezone.localdate()
    start = timezone.make_aware(datetime(today.year, today.month, today.day))
    already = set(
        Disclosure.objects.filter(
            viewer=actor, person_id__in=[r.person_id for r in shown], category=Category.PLAN, at__gte=start
        ).values_list("person_id", flat=True)
    )
    with transaction.atomic():
        audit_read(
            actor=actor,
            action="peers.waiting_list_read",
            purpose=PURPOSE_MATCHING,
            object_type="peers.mentorrequest",
            request=request,
            details={"shown": len(shown)},
        )
        for r in shown:
            if r.person_id in already:
                continue
            already.add(r.person_id)
            record_disclosure(r.person, actor, r.organisation, Category.PLAN, PURPOSE_MATCHING)


def waiting_list(actor: Any, *, request: HttpRequest | None = None) -> list[WaitingEntry]:
    """Open requests for the organisations the actor coordinates, oldest first."""
    orgs = _coordinated(actor)
    requests = list(
        MentorRequest.objects.filter(organisation__in=orgs, status=RequestStatus.OPEN, person__erased_at__isnull=True)
        .select_related("person", "organisation")
        .order_by("created_at", "pk")
    )
    entries = [
        WaitingEntry(
            r, r.person.restricted_at is None and consent_covers(r.person, r.organisation, Category.PLAN) is not None
        )
        for r in requests
    ]
    _disclose_once_today(actor, entries, request)
    return entries


def request_for(actor: Any, request_uuid: Any, *, request: HttpRequest | None = None) -> MentorRequest:
    """One open or closed request for its coordinator; 404 if outside their organisations or not shareable."""
    orgs = _coordinated(actor)
    found = (
        MentorRequest.objects.filter(uuid=request_uuid, organisation__in=orgs, person__erased_at__isnull=True)
        .select_related("person", "organisation")
        .first()
    )
    if found is None or found.person.restricted_at is not None:
        raise Http404("No such request.")
    consent = consent_covers(found.person, found.organisation, Category.PLAN)
    if consent is None:
        raise Http404("No such request.")
    with transaction.atomic():
        audit_read(actor=actor, action="peers.request_read", purpose=PURPOSE_MATCHING, target=found, request=request)
        record_disclosure(found.person, actor, found.organisation, Category.PLAN, PURPOSE_MATCHING, consent=consent)
    return found


def suggestions_for(mentor_request: MentorRequest, *, limit: int = 10) -> list[tuple[MentorProfile, matching.Match]]:
    """Ranked eligible mentors for one request, with reasons."""
    inputs = mentor_inputs(mentor_request.organisation)
    profiles = {str(p.uuid): p for p, _ in inputs}
    exclude = current_mentor_keys([mentor_request], profiles.values())[mentor_request.pk]
    ranked = matching.suggest(needs_for(mentor_request, exclude), [m for _, m in inputs], limit=limit)
    return [(profiles[m.mentor], m) for m in ranked]


def not_eligible_for(mentor_request: MentorRequest) -> list[tuple[MentorProfile, str]]:
    """Mentors who cannot be offered, with why (the coordinator sees why nobody fits)."""
    inputs = mentor_inputs(mentor_request.organisation)
    exclude = current_mentor_keys([mentor_request], [p for p, _ in inputs])[mentor_request.pk]
    needs = needs_for(mentor_request, exclude)
    found = [(p, matching.ineligibility(needs, m)) for p, m in inputs]
    return [(p, why) for p, why in found if why]


@dataclass
class ProposedPair:
    request: MentorRequest
    profile: MentorProfile | None
    match: matching.Match | None


def proposal(actor: Any, *, request: HttpRequest | None = None) -> list[ProposedPair]:
    """The optimal assignment of each coordinated organisation's waiting list (shareable requests only)."""
    pairs: list[ProposedPair] = []
    entries = waiting_list(actor, request=request)
    for org in _coordinated(actor):
        requests = [e.request for e in entries if e.shareable and e.request.organisation_id == org.pk]
        if not requests:
            continue
        inputs = mentor_inputs(org)
        profiles = {str(p.uuid): p for p, _ in inputs}
        excluded = current_mentor_keys(requests, profiles.values())
        outcome = matching.assign([needs_for(r, excluded[r.pk]) for r in requests], [m for _, m in inputs])
        for r in requests:
            match = outcome.pairs.get(str(r.uuid))
            pairs.append(ProposedPair(r, profiles[match.mentor] if match else None, match))
    return pairs


# --- Mentor: mentees and sessions -----------------------------------------------------------


def mentees_of(actor: Any) -> list[Person]:
    """People this mentor is the named peer mentor for today, as far as consent lets them see the plan."""
    if not isinstance(actor, User) or not actor.has_perm("peers.mentor"):
        raise PermissionDenied
    members = (
        CareTeamMember.objects.active()
        .filter(worker=actor, role=TeamRole.PEER_MENTOR, organisation_id__in=mentor_organisation_ids(actor))
        .select_related("person")
    )
    people = {m.person.pk: m.person for m in members if m.person.erased_at is None}
    return sorted(
        (p for p in people.values() if access_grant(actor, p, Category.PLAN) is not None),
        key=lambda p: p.display_name.lower(),
    )


def person_for_sessions(actor: Any, person_uuid: Any, *, request: HttpRequest | None = None) -> Person:
    """Open a person's peer sessions (audited, in their disclosure log); 404 when consent does not cover it."""
    if not isinstance(actor, User) or not actor.has_perm("peers.view_sessions"):
        raise PermissionDenied
    return person_for(actor, person_uuid, category=Category.PLAN, purpose=PURPOSE_SESSIONS, request=request)


def sessions_of(person: Person) -> list[PeerSession]:
    """Call only after :func:`person_for_sessions` (or for the person's own view)."""
    return list(PeerSession.objects.filter(person=person).select_related("organisation"))


def is_mentor_of(actor: Any, person: Person) -> MentorProfile | None:
    """The actor's profile through which they are this person's named peer mentor today, or None."""
    member = (
        CareTeamMember.objects.active()
        .filter(
            person=person, worker=actor, role=TeamRole.PEER_MENTOR, organisation_id__in=mentor_organisation_ids(actor)
        )
        .first()
    )
    if member is None or member.organisation_id is None:
        return None
    return MentorProfile.objects.filter(user=actor, organisation_id=member.organisation_id).first()


def own_sessions(user: Any) -> tuple[Person | None, list[PeerSession]]:
    """The signed-in person's own record and its peer sessions."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None, []
    person = Person.objects.current().filter(account=user).first()
    if person is None:
        return None, []
    return person, sessions_of(person)
