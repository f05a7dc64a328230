"""Every write of peer mentoring. Keyword-only; each runs in one transaction with its audit row.

Bad input raises ``ActionRefused`` with a plain-English message; not being allowed raises
``PermissionDenied``. Messages to mentors and supervisors say only what happened and where to sign in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import Membership, Organisation, OrganisationKind, Role, User
from rosc.core.notifications import notification_queue
from rosc.peers import matching, selectors
from rosc.peers.models import (
    SLOT_LABELS,
    CheckKind,
    Gender,
    GenderPreference,
    MentorCheck,
    MentorProfile,
    MentorRequest,
    PeerSession,
    RequestStatus,
    SessionMode,
    Substance,
    SupervisionSession,
    Topic,
    split_words,
)
from rosc.record import access
from rosc.record.actions import add_to_care_team
from rosc.record.categories import Category
from rosc.record.consent import consent_covers
from rosc.record.models import Person, TeamRole

MAX_CAPACITY = 20


def _text(value: Any, *, limit: int, field: str, label: str, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ActionRefused(f"Enter {label}.", field=field)
    if len(text) > limit:
        raise ActionRefused(f"{label[0].upper()}{label[1:]} must be {limit} characters or fewer.", field=field)
    return text


def _codes(values: Iterable[str], allowed: Iterable[str], *, field: str, what: str) -> list[str]:
    allowed = list(allowed)
    chosen = list(dict.fromkeys(values or []))
    if any(v not in allowed for v in chosen):
        raise ActionRefused(f"Choose {what} from the list.", field=field)
    return [v for v in allowed if v in chosen]


def _link(path: str) -> str:
    return settings.ROSC_SITE_URL + path


def _mentor_of(actor: Any, organisation: Organisation) -> bool:
    return isinstance(actor, User) and organisation.pk in selectors.mentor_organisation_ids(actor)


# --- Mentor profile -------------------------------------------------------------------------


def profile_save(
    *,
    actor: User,
    organisation: Organisation,
    lived_experience: str = "",
    substances: Sequence[str] = (),
    languages: str = "",
    gender: str = Gender.NOT_SAID,
    areas: str = "",
    in_person: bool = True,
    online: bool = True,
    availability: Sequence[str] = (),
    capacity: int = 2,
    request: HttpRequest | None = None,
) -> MentorProfile:
    """A peer mentor writes their own profile (created the first time)."""
    if not actor.has_perm("peers.mentor") or not _mentor_of(actor, organisation):
        raise PermissionDenied
    lived_experience = _text(lived_experience, limit=2000, field="lived_experience", label="your lived experience")
    substances = _codes(substances, Substance.values, field="substances", what="experiences")
    languages_list = split_words(_text(languages, limit=200, field="languages", label="the languages"))
    if not languages_list:
        raise ActionRefused("Enter at least one language you can mentor in.", field="languages")
    if gender not in Gender.values:
        raise ActionRefused("Choose how you describe your gender.", field="gender")
    area_list = split_words(_text(areas, limit=300, field="areas", label="the areas"))
    if not in_person and not online:
        raise ActionRefused("Choose in person, online, or both.", field="ways")
    if in_person and not area_list:
        raise ActionRefused("Enter the towns or districts where you can meet in person.", field="areas")
    availability = _codes(availability, SLOT_LABELS, field="availability", what="times")
    if not isinstance(capacity, int) or not 0 <= capacity <= MAX_CAPACITY:
        raise ActionRefused(f"Enter a number of mentees from 0 to {MAX_CAPACITY}.", field="capacity")
    with transaction.atomic():
        profile, created = MentorProfile.objects.select_for_update().get_or_create(
            user=actor, organisation=organisation
        )
        profile.lived_experience = lived_experience
        profile.substances = substances
        profile.languages = ", ".join(languages_list)
        profile.gender = gender
        profile.areas = ", ".join(area_list)
        profile.in_person, profile.online = in_person, online
        profile.availability = availability
        profile.capacity = capacity
        profile.updated_at = timezone.now()
        profile.save()
        audit_write(
            actor=actor,
            action="peers.profile_created" if created else "peers.profile_changed",
            target=profile,
            request=request,
            details={"organisation": organisation.pk, "capacity": capacity},
        )
    return profile


def _coordinates(actor: Any, organisation: Organisation) -> None:
    if not isinstance(actor, User) or not actor.has_perm("peers.coordinate"):
        raise PermissionDenied
    if organisation not in selectors.coordinated_organisations(actor):
        raise PermissionDenied


def profile_set_supervisor(
    *, actor: User, profile: MentorProfile, supervisor: User | None, request: HttpRequest | None = None
) -> MentorProfile:
    """A coordinator names the mentor's supervisor: a service manager or peer mentor of the same organisation."""
    _coordinates(actor, profile.organisation)
    if supervisor is not None:
        if supervisor.pk == profile.user_id:
            raise ActionRefused("A mentor cannot supervise themselves.", field="supervisor")
        allowed = (
            Membership.objects.active()
            .filter(
                user=supervisor,
                organisation=profile.organisation,
                role__in=[Role.SERVICE_MANAGER, Role.PEER_MENTOR],
            )
            .exists()
        )
        if not allowed:
            raise ActionRefused(
                f"The supervisor must be a service manager or peer mentor at {profile.organisation.name}.",
                field="supervisor",
            )
    with transaction.atomic():
        profile.supervisor = supervisor
        profile.updated_at = timezone.now()
        profile.save(update_fields=["supervisor", "updated_at"])
        audit_write(
            actor=actor,
            action="peers.supervisor_set",
            target=profile,
            request=request,
            details={"supervisor": supervisor.pk if supervisor else None},
        )
    return profile


def check_record(
    *,
    actor: User,
    profile: MentorProfile,
    kind: str,
    completed_on: date,
    expires_on: date | None = None,
    title: str = "",
    request: HttpRequest | None = None,
) -> MentorCheck:
    """A coordinator records a DBS check or a training course."""
    _coordinates(actor, profile.organisation)
    if kind not in CheckKind.values:
        raise ActionRefused("Choose the kind of check or training.", field="kind")
    title = _text(title, limit=200, field="title", label="the name of the course")
    if kind == CheckKind.OTHER and not title:
        raise ActionRefused("Enter the name of the course.", field="title")
    today = timezone.localdate()
    if completed_on > today:
        raise ActionRefused("The date it was done must be today or in the past.", field="completed_on")
    if expires_on is not None and expires_on <= completed_on:
        raise ActionRefused("The expiry date must be after the date it was done.", field="expires_on")
    if kind == CheckKind.DBS and expires_on is None:
        raise ActionRefused("Enter when the DBS check needs renewing.", field="expires_on")
    with transaction.atomic():
        check = MentorCheck.objects.create(
            profile=profile,
            kind=kind,
            title=title,
            completed_on=completed_on,
            expires_on=expires_on,
            recorded_by=actor,
        )
        audit_write(actor=actor, action="peers.check_recorded", target=check, request=request, details={"kind": kind})
    return check


def supervision_record(
    *,
    actor: User,
    profile: MentorProfile,
    held_on: date,
    minutes: int,
    covered: str = "",
    next_on: date | None = None,
    request: HttpRequest | None = None,
) -> SupervisionSession:
    """The mentor's named supervisor logs a supervision session."""
    if not isinstance(actor, User) or not actor.has_perm("peers.supervise"):
        raise PermissionDenied
    if profile.supervisor_id != actor.pk or profile.organisation_id not in selectors.roles_of(actor):
        raise PermissionDenied
    if held_on > timezone.localdate():
        raise ActionRefused("The date of the session must be today or in the past.", field="held_on")
    if not isinstance(minutes, int) or not 5 <= minutes <= 480:
        raise ActionRefused("Enter how long it lasted, from 5 to 480 minutes.", field="minutes")
    covered = _text(covered, limit=2000, field="covered", label="what you covered")
    if next_on is not None and next_on <= held_on:
        raise ActionRefused("The next session must be after this one.", field="next_on")
    with transaction.atomic():
        session = SupervisionSession.objects.create(
            profile=profile, supervisor=actor, held_on=held_on, minutes=minutes, covered=covered, next_on=next_on
        )
        audit_write(actor=actor, action="peers.supervision_recorded", target=session, request=request)
    return session


# --- Requests for a mentor ------------------------------------------------------------------


def request_create(
    *,
    actor: User,
    person: Person,
    organisation: Organisation,
    substances: Sequence[str] = (),
    languages: str = "",
    gender_preference: str = "",
    area: str = "",
    in_person_ok: bool = True,
    online_ok: bool = True,
    availability: Sequence[str] = (),
    note: str = "",
    request: HttpRequest | None = None,
) -> MentorRequest:
    """A worker in the person's care team puts them on a peer organisation's waiting list.

    Needs the person's live consent naming the peer organisation (or its kind) for their plan: that is what
    the coordinator and then the mentor will see.
    """
    if not isinstance(actor, User) or not actor.has_perm("peers.request_mentor"):
        raise PermissionDenied
    if not access.can_manage_team_and_consent(actor, person) or not access.can_access(actor, person, Category.PLAN):
        raise PermissionDenied
    if organisation.kind != OrganisationKind.PEER_SUPPORT:
        raise ActionRefused("Choose a peer-support organisation.", field="organisation")
    if consent_covers(person, organisation, Category.PLAN) is None:
        raise ActionRefused(
            f"Their consent does not let {organisation.name} see their plan. "
            "Record their consent first, then ask for a mentor.",
            field="organisation",
        )
    substances = _codes(substances, Substance.values, field="substances", what="experiences")
    languages = ", ".join(split_words(_text(languages, limit=200, field="languages", label="the languages")))
    if gender_preference not in GenderPreference.values:
        raise ActionRefused("Choose a gender preference from the list.", field="gender_preference")
    area = _text(area, limit=100, field="area", label="the area")
    if not in_person_ok and not online_ok:
        raise ActionRefused("Choose in person, online, or both.", field="ways")
    if in_person_ok and not area:
        raise ActionRefused("Enter the town or district where they could meet in person.", field="area")
    availability = _codes(availability, SLOT_LABELS, field="availability", what="times")
    note = _text(note, limit=1000, field="note", label="the note")
    own_orgs = access.working_organisation_ids(actor)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if MentorRequest.objects.filter(person=person, organisation=organisation, status=RequestStatus.OPEN).exists():
            raise ActionRefused(f"They are already waiting for a mentor at {organisation.name}.", field="organisation")
        created = MentorRequest.objects.create(
            person=person,
            organisation=organisation,
            requested_by=actor,
            requested_by_organisation_id=min(own_orgs) if own_orgs else None,
            substances=substances,
            languages=languages,
            gender_preference=gender_preference,
            area=area,
            in_person_ok=in_person_ok,
            online_ok=online_ok,
            availability=availability,
            note=note,
        )
        audit_write(
            actor=actor,
            action="peers.request_created",
            target=created,
            request=request,
            details={"person": person.pk, "organisation": organisation.pk},
        )
    return created


def request_close(*, actor: User, mentor_request: MentorRequest, request: HttpRequest | None = None) -> MentorRequest:
    """A coordinator takes a request off the waiting list without a match."""
    _coordinates(actor, mentor_request.organisation)
    with transaction.atomic():
        locked = MentorRequest.objects.select_for_update().get(pk=mentor_request.pk)
        if locked.status != RequestStatus.OPEN:
            raise ActionRefused("This request is no longer on the waiting list.")
        locked.status = RequestStatus.CLOSED
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        audit_write(actor=actor, action="peers.request_closed", target=locked, request=request)
    return locked


# --- Confirming matches ---------------------------------------------------------------------


def match_confirm(
    *,
    actor: User,
    pairs: Sequence[tuple[str, str]],
    request: HttpRequest | None = None,
) -> list[MentorRequest]:
    """Confirm (request uuid, mentor profile uuid) pairs: each mentor becomes the person's peer mentor.

    Everything is checked again here, in one transaction with the mentors' rows locked: the request is still
    open and in the coordinator's organisation, the person's consent still covers their plan, the mentor's
    DBS check and required training are in date, and the mentor has a free place counting the pairs confirmed
    with it. If any pair fails, nothing is confirmed and the message says which and why.
    """
    if not isinstance(actor, User) or not actor.has_perm("peers.coordinate"):
        raise PermissionDenied
    if not pairs:
        raise ActionRefused("Choose at least one match to confirm.", field="pairs")
    if len({r for r, _ in pairs}) != len(pairs):
        raise ActionRefused("Each person can be matched with one mentor at a time.", field="pairs")
    orgs = selectors.coordinated_organisations(actor)
    if not orgs:
        raise PermissionDenied
    confirmed: list[MentorRequest] = []
    with transaction.atomic():
        requests = {
            str(r.uuid): r
            for r in MentorRequest.objects.select_for_update()
            .filter(uuid__in=[r for r, _ in pairs], organisation__in=orgs)
            .select_related("person", "organisation")
        }
        profiles = {
            str(p.uuid): p
            for p in MentorProfile.objects.select_for_update()
            .filter(uuid__in=[m for _, m in pairs], organisation__in=orgs)
            .select_related("user", "organisation")
        }
        inputs: dict[str, matching.Mentor] = {}
        for org in {p.organisation for p in profiles.values()}:
            inputs.update({key: mentor for key, mentor in ((str(p.uuid), m) for p, m in selectors.mentor_inputs(org))})
        taken: dict[str, int] = {}
        for request_key, profile_key in pairs:
            mentor_request, profile = requests.get(request_key), profiles.get(profile_key)
            if mentor_request is None or profile is None or profile.organisation_id != mentor_request.organisation_id:
                raise ActionRefused("One of the matches is not in your organisation. Nothing was confirmed.")
            name = str(profile)
            if mentor_request.status != RequestStatus.OPEN:
                raise ActionRefused(
                    "Someone on the list has already been matched or taken off it. Nothing was confirmed; "
                    "look at the waiting list again."
                )
            if consent_covers(mentor_request.person, mentor_request.organisation, Category.PLAN) is None:
                raise ActionRefused(
                    "A person's consent no longer lets your organisation see their plan. Nothing was confirmed."
                )
            mentor = inputs.get(profile_key)
            if mentor is None:
                raise ActionRefused(f"{name} is no longer a peer mentor here. Nothing was confirmed.")
            mentor = dataclasses.replace(mentor, mentees=mentor.mentees + taken.get(profile_key, 0))
            exclude = selectors.current_mentor_keys([mentor_request], profiles.values())[mentor_request.pk]
            why = matching.ineligibility(selectors.needs_for(mentor_request, exclude), mentor)
            if why:
                raise ActionRefused(
                    f"{name} cannot take this match now ({why[0].lower()}{why[1:]}). Nothing was confirmed."
                )
            taken[profile_key] = taken.get(profile_key, 0) + 1
            add_to_care_team(
                actor=actor,
                person=mentor_request.person,
                role=TeamRole.PEER_MENTOR,
                organisation=profile.organisation,
                worker=profile.user,
                request=request,
            )
            mentor_request.status = RequestStatus.MATCHED
            mentor_request.matched_profile = profile
            mentor_request.matched_at = timezone.now()
            mentor_request.matched_by = actor
            mentor_request.version += 1
            mentor_request.save(update_fields=["status", "matched_profile", "matched_at", "matched_by", "version"])
            audit_write(
                actor=actor,
                action="peers.match_confirmed",
                target=mentor_request,
                request=request,
                details={"person": mentor_request.person_id, "mentor": profile.user_id},
            )
            notification_queue(
                channel="email",
                to=profile.user.email,
                recipient=profile.user,
                subject="You have a new mentee",
                body=(
                    "You have been matched with someone new to mentor. Sign in to see who and how to get in touch: "
                    + _link(reverse("peers:home"))
                ),
                reason="peers.match_confirmed",
            )
            confirmed.append(mentor_request)
    return confirmed


# --- Peer sessions --------------------------------------------------------------------------


def session_log(
    *,
    actor: User,
    person: Person,
    held_on: date,
    mode: str,
    minutes: int,
    topics: Sequence[str] = (),
    other_topic: str = "",
    next_steps: str = "",
    request: HttpRequest | None = None,
) -> PeerSession:
    """The person's named peer mentor logs a session (only while consent covers their plan)."""
    if not isinstance(actor, User) or not actor.has_perm("peers.mentor"):
        raise PermissionDenied
    profile = selectors.is_mentor_of(actor, person)
    grant = access.access_grant(actor, person, Category.PLAN)
    if profile is None or grant is None:
        raise PermissionDenied
    today = timezone.localdate()
    if held_on > today:
        raise ActionRefused("The date of the session must be today or in the past.", field="held_on")
    if (today - held_on).days > 365:
        raise ActionRefused("The date of the session must be in the last year.", field="held_on")
    if mode not in SessionMode.values:
        raise ActionRefused("Choose how you met.", field="mode")
    if not isinstance(minutes, int) or not 1 <= minutes <= 480:
        raise ActionRefused("Enter how long it lasted, from 1 to 480 minutes.", field="minutes")
    topics = _codes(topics, Topic.values, field="topics", what="topics")
    other_topic = _text(other_topic, limit=200, field="other_topic", label="the other topic")
    if not topics and not other_topic:
        raise ActionRefused("Choose at least one topic, or describe what you talked about.", field="topics")
    next_steps = _text(next_steps, limit=2000, field="next_steps", label="the agreed next steps")
    with transaction.atomic():
        session = PeerSession.objects.create(
            person=person,
            mentor=actor,
            mentor_label=str(profile),
            organisation=profile.organisation,
            held_on=held_on,
            mode=mode,
            minutes=minutes,
            topics=topics,
            other_topic=other_topic,
            next_steps=next_steps,
        )
        audit_write(
            actor=actor,
            action="peers.session_logged",
            target=session,
            request=request,
            details={"person": person.pk, "mode": mode, "minutes": minutes},
        )
    return session
