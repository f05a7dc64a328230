"""Writes for closed-loop referrals.

Every action takes keyword-only arguments, checks who is acting, validates
its input (raising :class:`ActionRefused` with a plain-English message and
the field it is about) and runs in one transaction that also writes the
audit row, the referral's history and the notifications. Notifications are
stored in that transaction and handed to the task worker only when it
commits (``rosc.core.notifications``), so a crash part-way leaves nothing
half-written and an email or SMS provider that is down loses nothing.

A change of status locks the referral row (``select_for_update``), checks
the version the person saw and the state machine, and then updates the row
only if its version is still the one read (compare-and-set). Of two workers
acting on one referral at once, the second is told who got there first.

``referral_send`` is the one way a referral starts. Other areas (the front
door, for a person asking for support themselves) call it with
``sender_organisation=None``; such a self-referral always needs the person's
consent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import Organisation, User
from rosc.directory.models import Service, ServiceStatus
from rosc.record.access import record_disclosure
from rosc.record.categories import Category
from rosc.record.consent import consent_covers
from rosc.record.models import DisclosureHow, Person
from rosc.referrals import notify, states
from rosc.referrals.deadlines import respond_by_for
from rosc.referrals.models import (
    Basis,
    DeclineReason,
    EventKind,
    Outcome,
    Referral,
    ReferralEvent,
    Source,
    State,
)
from rosc.referrals.scoping import consented_team_organisations, team_access, working_organisation_ids

NEED_MAX = 2000
TEXT_MAX = 2000
MIN_EXCEPTION_REASON = 20
PURPOSE = "referral"


# --- Helpers ---------------------------------------------------------------------------


def _text(value: Any, *, limit: int, field: str, label: str, required: bool = False, minimum: int = 0) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ActionRefused(f"Enter {label}.", field=field)
    if text and len(text) < minimum:
        raise ActionRefused(f"{label[0].upper()}{label[1:]} must be at least {minimum} characters.", field=field)
    if len(text) > limit:
        raise ActionRefused(f"{label[0].upper()}{label[1:]} must be {limit} characters or fewer.", field=field)
    return text


def _label_of(user: User | None) -> str:
    return str(user)[:200] if user is not None else ""


def _person_ok(person: Person) -> None:
    if person.erased_at is not None or person.restricted_at is not None:
        raise ActionRefused("This person's record cannot be used at the moment, so no referral can be made.")


def _open_referral_exists(person: Person, service: Service, *, excluding: Referral | None = None) -> bool:
    open_states = [state.value for state in states.OPEN]
    found = Referral.objects.filter(person=person, service=service, state__in=open_states)
    if excluding is not None:
        found = found.exclude(pk=excluding.pk)
    return found.exists()


def check_person_contact(person: Person, *, by_email: bool, by_sms: bool) -> None:
    if by_email and not person.email:
        raise ActionRefused(
            "Their record has no email address. Add one to their record first, or choose another way.",
            field="tell_person",
        )
    if by_sms and not person.phone:
        raise ActionRefused(
            "Their record has no phone number for text messages. Add one to their record first, or choose another way.",
            field="tell_person",
        )


def sender_organisations_for(*, actor: User, person: Person) -> list[Organisation]:
    """The organisations ``actor`` may refer ``person`` from: their own organisations
    in the person's care team whose consent covers referrals, or the organisation of
    their live break-glass access to the person."""
    if not isinstance(actor, User) or not actor.has_perm("referrals.send"):
        return []
    if person.erased_at is not None or person.restricted_at is not None:
        return []
    found = consented_team_organisations(actor, person)
    if not found:
        grant = team_access(actor, person)
        if grant is not None:
            found = [grant.organisation]
    return found


# --- Sending ---------------------------------------------------------------------------


def referral_send(
    *,
    actor: User | None,
    person: Person,
    service: Service,
    need: str,
    sender_organisation: Organisation | None,
    basis: str = Basis.CONSENT,
    exception_reason: str = "",
    tell_person_by_email: bool = False,
    tell_person_by_sms: bool = False,
    request: HttpRequest | None = None,
) -> Referral:
    """Send a referral for ``person`` to a directory ``service``.

    From a service (``sender_organisation`` given): ``actor`` must work there,
    may send referrals, and must be able to see the person's referrals (their
    organisation is in the care team with consent). Without a consent that
    covers the receiving organisation for referrals, it can go only under a
    recorded safeguarding or vital-interests exception, which is flagged for
    review by the information-governance lead.

    As a self-referral (``sender_organisation=None``), the front door calls
    this for what the person asked for themselves; the person's consent must
    cover the receiving organisation.

    ``tell_person_by_email`` / ``tell_person_by_sms``: how the person asked to
    hear about changes (to the email address and phone number in their record).
    """
    if sender_organisation is not None:
        if actor is None or not actor.has_perm("referrals.send"):
            raise PermissionDenied
        if sender_organisation.pk not in working_organisation_ids(actor):
            raise PermissionDenied
        if sender_organisation.pk not in {o.pk for o in sender_organisations_for(actor=actor, person=person)}:
            raise Http404("No record found.")
    elif actor is not None and person.account_id != actor.pk:
        # A self-referral is made by the person (their own account) or by the platform on their behalf.
        raise PermissionDenied
    with transaction.atomic():
        return _send(
            actor=actor,
            sender=actor,
            person=person,
            service=service,
            need=need,
            sender_organisation=sender_organisation,
            basis=basis,
            exception_reason=exception_reason,
            request=request,
            rerouted_from=None,
            tell_person_by_email=tell_person_by_email,
            tell_person_by_sms=tell_person_by_sms,
        )


def _send(
    *,
    actor: User | None,
    sender: User | None,
    person: Person,
    service: Service,
    need: str,
    sender_organisation: Organisation | None,
    basis: str,
    exception_reason: str,
    request: HttpRequest | None,
    rerouted_from: Referral | None,
    event_organisation: Organisation | None = None,
    event_text: str = "",
    tell_person_by_email: bool = False,
    tell_person_by_sms: bool = False,
) -> Referral:
    """Create the referral, its first event, the audit row, the disclosure and
    the notifications. The caller holds the transaction."""
    _person_ok(person)
    need = _text(need, limit=NEED_MAX, field="need", label="what help they need from this service", required=True)
    if basis not in Basis.values:
        raise ActionRefused("Choose whether the person has consented or which exception applies.", field="basis")
    if service.status != ServiceStatus.ACTIVE:
        raise ActionRefused(
            f"{service.name} is not taking referrals at the moment ({service.get_status_display().lower()}). "
            "Choose another service.",
            field="service",
        )
    if _open_referral_exists(person, service, excluding=rerouted_from):
        raise ActionRefused(
            f"There is already an open referral for this person to {service.name}. Add a comment to it instead.",
            field="service",
        )
    check_person_contact(person, by_email=tell_person_by_email, by_sms=tell_person_by_sms)
    receiving = service.organisation
    consent = consent_covers(person, receiving, Category.REFERRALS)
    if consent is not None:
        basis, exception_reason = Basis.CONSENT, ""
    elif basis == Basis.CONSENT or sender_organisation is None:
        raise ActionRefused(
            f"{person.display_name} has not agreed to referrals being shared with {receiving.name}. "
            "Record their consent first. Only if there is a safeguarding or vital-interests reason may you send it "
            "without consent.",
            field="basis",
        )
    else:
        exception_reason = _text(
            exception_reason,
            limit=TEXT_MAX,
            field="exception_reason",
            label="why it must be sent without consent",
            required=True,
            minimum=MIN_EXCEPTION_REASON,
        )
    now = timezone.now()
    referral = Referral.objects.create(
        person=person,
        service=service,
        receiving_organisation=receiving,
        source=Source.SERVICE if sender_organisation is not None else Source.SELF,
        sender_organisation=sender_organisation,
        sender=sender,
        sender_label=_label_of(sender),
        need=need,
        state=State.SENT,
        version=1,
        basis=basis,
        consent=consent,
        exception_reason=exception_reason,
        ig_review_needed=basis != Basis.CONSENT,
        sent_at=now,
        respond_by=respond_by_for(now),
        rerouted_from=rerouted_from,
        tell_person_by_email=tell_person_by_email,
        tell_person_by_sms=tell_person_by_sms,
        updated_at=now,
    )
    ReferralEvent.objects.create(
        referral=referral,
        at=now,
        kind=EventKind.SENT,
        actor=actor,
        actor_label=_label_of(actor) or ("" if sender_organisation else person.display_name),
        organisation=event_organisation or sender_organisation,
        to_state=State.SENT,
        version=1,
        text=event_text,
    )
    audit_write(
        actor=actor,
        action="referral.sent",
        target=referral,
        purpose=PURPOSE,
        request=request,
        details={
            "person_id": person.pk,
            "service_id": str(service.pk),
            "receiving_organisation_id": receiving.pk,
            "sender_organisation_id": sender_organisation.pk if sender_organisation else None,
            "basis": basis,
            "consent_id": consent.pk if consent else None,
            "rerouted_from": str(rerouted_from.pk) if rerouted_from else None,
        },
    )
    record_disclosure(
        person,
        None,
        receiving,
        Category.REFERRALS,
        "referral sent" if basis == Basis.CONSENT else f"referral sent without consent ({basis})",
        how=DisclosureHow.SHARED,
        consent=consent,
        at=now,
    )
    notify.referral_sent(referral)
    if referral.ig_review_needed:
        notify.exception_for_review(referral)
    return referral


# --- Changes of status -----------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    side: states.Party
    organisation: Organisation


def parties_of(actor: Any, referral: Referral) -> list[Party]:
    """The sides ``actor`` may act for on ``referral`` (receiver first)."""
    if not isinstance(actor, User) or not actor.is_authenticated:
        return []
    working = working_organisation_ids(actor)
    found: list[Party] = []
    if referral.receiving_organisation_id in working and actor.has_perm("referrals.receive"):
        found.append(Party(states.Party.RECEIVER, referral.receiving_organisation))
    if (
        referral.sender_organisation_id is not None
        and referral.sender_organisation_id in working
        and actor.has_perm("referrals.send")
    ):
        assert referral.sender_organisation is not None
        found.append(Party(states.Party.SENDER, referral.sender_organisation))
    return found


def _party_for(actor: User, referral: Referral, action: states.Action) -> Party:
    parties = parties_of(actor, referral)
    if not parties:
        raise Http404("No referral found.")
    for party in parties:
        found = states.TRANSITIONS.get((states.State(referral.state), action))
        if found is not None and party.side in found[1]:
            return party
    return parties[0]


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _last_change(referral: Referral) -> ReferralEvent | None:
    return referral.events.exclude(version=None).order_by("-version").first()


def _already(referral: Referral, wanted: states.Action) -> str:
    """Who changed the referral last, for someone whose change came second."""
    last = _last_change(referral)
    if last is None or last.kind == EventKind.SENT:
        return "This referral has changed since you opened it. Check its status and try again."
    done = states.Action(last.kind).past_tense
    if last.kind == wanted.value:
        return f"This referral was already {done} by {last.who} at {_when(last.at)}."
    return (
        f"This referral has changed since you opened it: it was {done} by {last.who} at {_when(last.at)}. "
        "Check its status and try again."
    )


def _lock(referral_id: uuid.UUID | str) -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("service", "receiving_organisation", "sender_organisation", "person", "sender", "receiver")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No referral found.")
    return referral


def _change(
    *,
    actor: User,
    referral_id: uuid.UUID | str,
    action: states.Action,
    seen_version: int | None,
    text: str = "",
    fields: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    after: Callable[[Referral], None] | None = None,
) -> Referral:
    """Move a referral on by ``action``: lock, check, compare-and-set, record, notify."""
    with transaction.atomic():
        referral = _lock(referral_id)
        party = _party_for(actor, referral, action)
        if seen_version is not None and referral.version != seen_version:
            raise ActionRefused(_already(referral, action))
        try:
            new_state = states.transition(referral.state, action, party.side)
        except states.IllegalTransition as refused:
            last = _last_change(referral)
            if last is not None and last.kind == action.value:
                raise ActionRefused(_already(referral, action)) from None
            raise ActionRefused(refused.message) from None
        now = timezone.now()
        changes: dict[str, Any] = {"state": new_state.value, "updated_at": now, **(fields or {})}
        if action == states.Action.RECEIVE:
            changes["received_at"] = now
        if referral.state in states.AWAITING_RESPONSE and new_state not in states.AWAITING_RESPONSE:
            changes["responded_at"] = now
        if new_state in states.CLOSED:
            changes["closed_at"] = now
        if action == states.Action.ACCEPT:
            changes["receiver"] = actor
        updated = Referral.objects.filter(pk=referral.pk, version=referral.version).update(
            version=F("version") + 1, **changes
        )
        if updated != 1:
            # Only reachable if the row changed under the lock: refuse rather than overwrite.
            raise ActionRefused(_already(referral, action))
        old_state, new_version = referral.state, referral.version + 1
        for name, value in changes.items():
            setattr(referral, name, value)
        referral.version = new_version
        ReferralEvent.objects.create(
            referral=referral,
            at=now,
            kind=action.value,
            actor=actor,
            actor_label=_label_of(actor),
            organisation=party.organisation,
            from_state=old_state,
            to_state=new_state.value,
            text=text,
            version=new_version,
        )
        audit_write(
            actor=actor,
            action=f"referral.{action.value}",
            target=referral,
            purpose=PURPOSE,
            request=request,
            details={
                "from_state": old_state,
                "to_state": new_state.value,
                "version": new_version,
                "organisation_id": party.organisation.pk,
                **(details or {}),
            },
        )
        if after is not None:
            after(referral)
        notify.referral_changed(referral, action=action, actor=actor, side=party.side)
    return referral


def referral_receive(
    *, actor: User, referral_id: uuid.UUID | str, request: HttpRequest | None = None
) -> Referral | None:
    """Record that the receiving service has opened a new referral. Does nothing
    (and answers None) when it was already received or the actor is not the receiver."""
    with transaction.atomic():
        referral = _lock(referral_id)
        if referral.state != State.SENT:
            return None
        if not any(p.side == states.Party.RECEIVER for p in parties_of(actor, referral)):
            return None
        return _change(
            actor=actor, referral_id=referral.pk, action=states.Action.RECEIVE, seen_version=None, request=request
        )


def referral_accept(
    *,
    actor: User,
    referral_id: uuid.UUID | str,
    seen_version: int | None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """Accept a received referral. The accepting worker takes it on, and, when the
    person's consent names the receiving organisation, it joins the person's care
    team (``rosc.record.actions.add_to_care_team``) so the services around the
    person can work together; without consent it does not."""
    note = _text(note, limit=TEXT_MAX, field="note", label="the note")

    def join_care_team(referral: Referral) -> None:
        _join_care_team(actor=actor, referral=referral, request=request)

    return _change(
        actor=actor,
        referral_id=referral_id,
        action=states.Action.ACCEPT,
        seen_version=seen_version,
        text=note,
        request=request,
        after=join_care_team,
    )


def _join_care_team(*, actor: User, referral: Referral, request: HttpRequest | None) -> None:
    from rosc.record.actions import add_to_care_team
    from rosc.record.models import CareTeamMember, TeamRole

    if referral.basis != Basis.CONSENT:
        return
    organisation = referral.receiving_organisation
    if CareTeamMember.objects.active().filter(person=referral.person, organisation=organisation).exists():
        return
    try:
        with transaction.atomic():
            add_to_care_team(
                actor=actor,
                person=referral.person,
                role=TeamRole.SERVICE,
                organisation=organisation,
                worker=actor,
                request=request,
            )
    except (ActionRefused, PermissionDenied):
        # The referral is accepted either way; joining the team is the record's decision.
        return


def referral_decline(
    *,
    actor: User,
    referral_id: uuid.UUID | str,
    seen_version: int | None,
    reason: str,
    explanation: str,
    request: HttpRequest | None = None,
) -> Referral:
    if reason not in DeclineReason.values:
        raise ActionRefused("Select why the referral is declined.", field="reason")
    explanation = _text(
        explanation,
        limit=TEXT_MAX,
        field="explanation",
        label="an explanation for the sender and the person",
        required=True,
    )
    return _change(
        actor=actor,
        referral_id=referral_id,
        action=states.Action.DECLINE,
        seen_version=seen_version,
        text=f"{DeclineReason(reason).label}. {explanation}",
        fields={"decline_reason": reason},
        details={"reason": reason},
        request=request,
    )


def referral_wait_list(
    *,
    actor: User,
    referral_id: uuid.UUID | str,
    seen_version: int | None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    note = _text(note, limit=TEXT_MAX, field="note", label="the note")
    return _change(
        actor=actor,
        referral_id=referral_id,
        action=states.Action.WAIT_LIST,
        seen_version=seen_version,
        text=note,
        request=request,
    )


def referral_start(
    *,
    actor: User,
    referral_id: uuid.UUID | str,
    seen_version: int | None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    note = _text(note, limit=TEXT_MAX, field="note", label="the note")
    return _change(
        actor=actor,
        referral_id=referral_id,
        action=states.Action.START,
        seen_version=seen_version,
        text=note,
        request=request,
    )


def referral_complete(
    *,
    actor: User,
    referral_id: uuid.UUID | str,
    seen_version: int | None,
    outcome: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    if outcome not in Outcome.values:
        raise ActionRefused("Select the outcome.", field="outcome")
    note = _text(note, limit=TEXT_MAX, field="note", label="what happened", required=outcome == Outcome.OTHER)
    label = Outcome(outcome).label
    return _change(
        actor=actor,
        referral_id=referral_id,
        action=states.Action.COMPLETE,
        seen_version=seen_version,
        text=f"Outcome: {label}." + (f" {note}" if note else ""),
        fields={"outcome": outcome},
        details={"outcome": outcome},
        request=request,
    )


def referral_withdraw(
    *,
    actor: User,
    referral_id: uuid.UUID | str,
    seen_version: int | None,
    reason: str,
    request: HttpRequest | None = None,
) -> Referral:
    reason = _text(reason, limit=TEXT_MAX, field="reason", label="why the referral is withdrawn", required=True)
    return _change(
        actor=actor,
        referral_id=referral_id,
        action=states.Action.WITHDRAW,
        seen_version=seen_version,
        text=reason,
        request=request,
    )


def referral_reroute(
    *,
    actor: User,
    referral_id: uuid.UUID | str,
    seen_version: int | None,
    service: Service,
    note: str,
    basis: str = Basis.CONSENT,
    exception_reason: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """Pass a referral on to another service: the old one is closed as re-routed
    and a new one is sent, in one transaction. The new referral keeps the
    original sender, so the loop still closes back to them. Answers the new referral."""
    note = _text(note, limit=TEXT_MAX, field="note", label="why it is passed on", required=True)
    created: list[Referral] = []

    def send_on(old: Referral) -> None:
        if service.pk == old.service_id:
            raise ActionRefused("Choose a different service from the one it was sent to.", field="service")
        rerouter = _party_for(actor, old, states.Action.REROUTE).organisation
        created.append(
            _send(
                actor=actor,
                sender=old.sender,
                person=old.person,
                service=service,
                need=old.need,
                sender_organisation=old.sender_organisation,
                basis=basis,
                exception_reason=exception_reason,
                request=request,
                rerouted_from=old,
                event_organisation=rerouter,
                event_text=f"Passed on from {old.service.name} ({old.receiving_organisation.name}). {note}",
                tell_person_by_email=old.tell_person_by_email,
                tell_person_by_sms=old.tell_person_by_sms,
            )
        )

    _change(
        actor=actor,
        referral_id=referral_id,
        action=states.Action.REROUTE,
        seen_version=seen_version,
        text=f"Passed on to {service.name} ({service.organisation.name}). {note}",
        details={"to_service_id": str(service.pk)},
        request=request,
        after=send_on,
    )
    return created[0]


# --- Comments ----------------------------------------------------------------------------


def referral_comment(
    *, actor: User, referral_id: uuid.UUID | str, text: str, request: HttpRequest | None = None
) -> ReferralEvent:
    """Add a comment the sender, the receiving service and the person can all read."""
    text = _text(text, limit=TEXT_MAX, field="text", label="your comment", required=True)
    with transaction.atomic():
        referral = _lock(referral_id)
        parties = parties_of(actor, referral)
        if not parties:
            raise Http404("No referral found.")
        if referral.person.erased_at is not None:
            raise ActionRefused("This person's record has been erased, so no comment can be added.")
        now = timezone.now()
        event = ReferralEvent.objects.create(
            referral=referral,
            at=now,
            kind=EventKind.COMMENT,
            actor=actor,
            actor_label=_label_of(actor),
            organisation=parties[0].organisation,
            text=text,
        )
        Referral.objects.filter(pk=referral.pk).update(updated_at=now)
        audit_write(
            actor=actor,
            action="referral.commented",
            target=referral,
            purpose=PURPOSE,
            request=request,
            details={"event_id": event.pk, "organisation_id": parties[0].organisation.pk},
        )
        notify.referral_commented(referral, side=parties[0].side)
    return event


def referral_set_person_updates(
    *, actor: User | None, referral: Referral, by_email: bool, by_sms: bool, request: HttpRequest | None = None
) -> Referral:
    """The person changes how they hear about one of their referrals.

    ``actor`` is the person's own account, or None when they use a signed
    link; the caller has already established it is their referral.
    """
    with transaction.atomic():
        locked = _lock(referral.pk)
        check_person_contact(locked.person, by_email=by_email, by_sms=by_sms)
        locked.tell_person_by_email, locked.tell_person_by_sms = by_email, by_sms
        locked.save(update_fields=["tell_person_by_email", "tell_person_by_sms"])
        audit_write(
            actor=actor,
            action="referral.person_updates_set",
            target=locked,
            purpose="own referral",
            request=request,
            details={"email": by_email, "sms": by_sms},
        )
    return locked


# --- Information-governance review -------------------------------------------------------


def referral_exception_review(
    *, actor: User, referral_id: uuid.UUID | str, note: str, request: HttpRequest | None = None
) -> Referral:
    """The information-governance lead records that a referral sent without consent was reviewed."""
    if not actor.has_perm("referrals.review_exceptions"):
        raise PermissionDenied
    note = _text(note, limit=TEXT_MAX, field="note", label="what the review found", required=True)
    with transaction.atomic():
        referral = _lock(referral_id)
        if not referral.ig_review_needed:
            raise Http404("No referral found.")
        if referral.ig_reviewed_at is not None:
            raise ActionRefused(
                f"This exception was already reviewed by {referral.ig_reviewed_by or 'someone'} "
                f"at {_when(referral.ig_reviewed_at)}."
            )
        referral.ig_reviewed_at = timezone.now()
        referral.ig_reviewed_by = actor
        referral.ig_review_note = note
        referral.save(update_fields=["ig_reviewed_at", "ig_reviewed_by", "ig_review_note"])
        audit_write(
            actor=actor,
            action="referral.exception_reviewed",
            target=referral,
            purpose="information governance",
            request=request,
            details={"basis": referral.basis},
        )
    return referral


# --- Overdue referrals ----------------------------------------------------------------------


def referrals_escalate_overdue(
    *, today: date | None = None, batch_size: int = 200, progress: Callable[[int], None] | None = None
) -> int:
    """Flag every referral still waiting for an answer after its deadline and tell
    the receiving organisation's service managers, once per referral.

    Safe to run as often as wanted and from two places at once: a referral is
    escalated only while ``escalated_at`` is empty, rows are locked (skipping
    rows another run holds) and each batch commits on its own. Answers how many
    referrals were escalated.
    """
    day = today or timezone.localdate()
    total = 0
    while True:
        with transaction.atomic():
            due = list(
                Referral.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    state__in=[s.value for s in states.AWAITING_RESPONSE],
                    respond_by__lt=day,
                    escalated_at__isnull=True,
                )
                .select_related("receiving_organisation", "service")
                .order_by("respond_by", "sent_at")[:batch_size]
            )
            if not due:
                break
            now = timezone.now()
            Referral.objects.filter(pk__in=[r.pk for r in due], escalated_at__isnull=True).update(escalated_at=now)
            ReferralEvent.objects.bulk_create(
                [
                    ReferralEvent(
                        referral=referral,
                        at=now,
                        kind=EventKind.ESCALATED,
                        organisation=referral.receiving_organisation,
                        text=f"No answer by the end of {referral.respond_by.day} {referral.respond_by:%B %Y}: "
                        "the service manager has been told.",
                    )
                    for referral in due
                ]
            )
            for referral in due:
                referral.escalated_at = now
                audit_write(
                    actor=None,
                    action="referral.escalated",
                    target=referral,
                    purpose="response deadline",
                    details={
                        "receiving_organisation_id": referral.receiving_organisation_id,
                        "respond_by": referral.respond_by.isoformat(),
                    },
                )
            notify.referrals_overdue(due)
        total += len(due)
        if progress is not None:
            progress(total)
        if len(due) < batch_size:
            break
    return total
