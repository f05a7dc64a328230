"""Every write of family support: keyword-only, one transaction each, audited in it.

Sharing with a family member:

- ``family_invite``: the person in recovery (signed in to the account linked to
  their record) chooses what to share, with whom and for how long. This records
  a purpose-specific consent in the shared record and a ``FamilyLink`` carrying
  a single-use invitation token (only its hash is stored), and emails the link.
- ``family_invitation_accept``: the family member, signed in, accepts; the token
  is cleared in the same transaction, so it works once.
- ``family_link_end``: the person stops sharing (the consent is withdrawn at
  once) or the family member stops seeing it.

Groups: a worker (peer mentor, practitioner or service manager) of a
family-support or peer-support organisation sets up a group and facilitates it;
the organisation's service managers may manage every group of the organisation.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import Channel, Organisation, User
from rosc.core.notifications import notification_queue
from rosc.core.permissions import is_staff_user
from rosc.family import policy
from rosc.family.models import (
    Attendance,
    FamilyGroup,
    FamilyLink,
    FamilyPreference,
    GroupMember,
    GroupSession,
    MembershipStatus,
)
from rosc.record.actions import ConsentTerms, record_consent, withdraw_consent
from rosc.record.models import ConsentGivenHow, ConsentKind, Person

PURPOSE = policy.PURPOSE


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _text(value: Any, *, limit: int, field: str, missing: str = "", too_long: str = "") -> str:
    text = " ".join(str(value or "").split())
    if not text and missing:
        raise ActionRefused(missing, field=field)
    if len(text) > limit:
        raise ActionRefused(too_long or f"Use {limit} characters or fewer.", field=field)
    return text


def _own_record(actor: User, person: Person) -> None:
    if not actor.has_perm("family.share_progress") or person.account_id != actor.pk:
        raise PermissionDenied
    if person.erased_at is not None or person.restricted_at is not None:
        raise PermissionDenied


# --- Sharing with a family member ------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    link: FamilyLink
    token: str

    @property
    def url(self) -> str:
        return settings.ROSC_SITE_URL + reverse("family:invitation", kwargs={"token": self.token})


def family_invite(
    *,
    actor: User,
    person: Person,
    name: str,
    relationship: str,
    email: str,
    categories: Iterable[str],
    months: int,
    request: HttpRequest | None = None,
) -> Invitation:
    """Record the person's consent to share ``categories`` with a family member, and invite them."""
    _own_record(actor, person)
    name = _text(name, limit=100, field="name", missing="Enter their name.")
    relationship = _text(
        relationship, limit=60, field="relationship", missing="Enter how they are related to you, for example mum."
    )
    email = _text(email, limit=254, field="email", missing="Enter their email address.").lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ActionRefused(
            "Enter an email address in the right format, like name@example.com", field="email"
        ) from None
    if email == actor.email.lower():
        raise ActionRefused(
            "Enter the email address of the person you want to share with, not your own.", field="email"
        )
    chosen = sorted({str(c) for c in categories})
    if not chosen:
        raise ActionRefused("Select at least one thing to share.", field="categories")
    if set(chosen) - set(policy.SHAREABLE):
        raise ActionRefused("Choose what to share from the list.", field="categories")
    if months not in policy.DURATIONS:
        raise ActionRefused("Choose how long to share for.", field="months")
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        consent = record_consent(
            actor=actor,
            person=person,
            terms=ConsentTerms(
                kind=ConsentKind.SPECIFIC,
                categories=chosen,
                recipient_description=f"{name} ({relationship}), family member"[:200],
                purpose=PURPOSE,
                given_how=ConsentGivenHow.ONLINE,
                expires_at=now + timedelta(days=round(months * 30.44)),
            ),
            request=request,
        )
        link = FamilyLink.objects.create(
            person=person,
            name=name,
            relationship=relationship,
            invited_email=email,
            consent=consent,
            token_hash=token_hash(token),
            invited_at=now,
            invitation_expires_at=now + timedelta(days=policy.INVITATION_DAYS),
            created_by=actor,
        )
        audit_write(
            actor=actor,
            action="family.invited",
            target=link,
            purpose=PURPOSE,
            request=request,
            details={"person_id": person.pk, "consent_id": consent.pk, "categories": chosen, "months": months},
        )
        invitation = Invitation(link=link, token=token)
        notification_queue(
            channel=Channel.EMAIL,
            to=email,
            subject=f"You have been invited to {settings.SITE_NAME}",
            body=(
                f"Someone close to you has invited you to keep up with how they are getting on, on "
                f"{settings.SITE_NAME}.\n\nTo accept, sign in or create a free account, then open this link "
                f"within {policy.INVITATION_DAYS} days:\n{invitation.url}\n\n"
                "The link works once. If you were not expecting this email, you can ignore it."
            ),
            reason="family.invitation",
        )
    return invitation


def family_invitation_accept(*, actor: User, token: str, request: HttpRequest | None = None) -> FamilyLink:
    """The family member, signed in, accepts the invitation. The token works once."""
    if not actor.has_perm("family.use_own_support") or is_staff_user(actor):
        raise PermissionDenied
    with transaction.atomic():
        link = (
            FamilyLink.objects.select_for_update()
            .select_related("person", "consent")
            .filter(token_hash=token_hash(str(token)))
            .first()
        )
        if link is None or link.ended_at is not None or link.accepted_at is not None:
            raise ActionRefused(policy.INVITATION_USED)
        if link.invitation_expires_at <= timezone.now() or not link.consent.is_live():
            raise ActionRefused(policy.INVITATION_USED)
        if link.person.account_id == actor.pk:
            raise ActionRefused("You cannot accept an invitation you sent yourself.")
        if link.person.erased_at is not None:
            raise ActionRefused(policy.INVITATION_USED)
        link.family_member = actor
        link.accepted_at = timezone.now()
        link.token_hash = None
        link.invited_email = ""
        link.save(update_fields=["family_member", "accepted_at", "token_hash", "invited_email"])
        audit_write(
            actor=actor,
            action="family.invitation_accepted",
            target=link,
            purpose=PURPOSE,
            request=request,
            details={"person_id": link.person_id, "consent_id": link.consent_id},
        )
    return link


def family_link_end(*, actor: User, link: FamilyLink, request: HttpRequest | None = None) -> FamilyLink:
    """Stop sharing. The person ends it (their consent is withdrawn at once), or the
    family member stops seeing it."""
    is_person = link.person.account_id is not None and link.person.account_id == actor.pk
    is_member = link.family_member_id is not None and link.family_member_id == actor.pk
    if not (is_person or is_member):
        raise PermissionDenied
    with transaction.atomic():
        locked = FamilyLink.objects.select_for_update().select_related("consent", "person").get(pk=link.pk)
        if locked.ended_at is not None:
            raise ActionRefused("You have already stopped sharing with them.")
        if is_person and locked.consent.is_live():
            withdraw_consent(actor=actor, consent=locked.consent, request=request)
        locked.ended_at = timezone.now()
        locked.ended_by = actor
        locked.token_hash = None
        locked.save(update_fields=["ended_at", "ended_by", "token_hash"])
        audit_write(
            actor=actor,
            action="family.link_ended",
            target=locked,
            purpose=PURPOSE,
            request=request,
            details={"person_id": locked.person_id, "by": "person" if is_person else "family_member"},
        )
    return locked


# --- The family member's own wellbeing ---------------------------------------------------


def family_reminder_set(*, actor: User, monthly_reminder: bool, request: HttpRequest | None = None) -> FamilyPreference:
    if not actor.has_perm("family.use_own_support"):
        raise PermissionDenied
    with transaction.atomic():
        preference, _ = FamilyPreference.objects.select_for_update().get_or_create(user=actor)
        preference.monthly_reminder = bool(monthly_reminder)
        preference.updated_at = timezone.now()
        preference.save(update_fields=["monthly_reminder", "updated_at"])
        audit_write(
            actor=actor,
            action="family.reminder_set",
            target=preference,
            purpose="own wellbeing",
            request=request,
            details={"monthly_reminder": preference.monthly_reminder},
        )
    return preference


# --- Family groups -----------------------------------------------------------------------


@dataclass(frozen=True)
class GroupDetails:
    name: str
    where: str
    meets_when: str
    description: str = ""
    online: bool = False
    taking_new_members: bool = True


def _clean_group(details: GroupDetails) -> dict[str, Any]:
    return {
        "name": _text(details.name, limit=120, field="name", missing="Enter the group's name."),
        "where": _text(details.where, limit=200, field="where", missing="Enter where the group meets, or 'Online'."),
        "meets_when": _text(details.meets_when, limit=200, field="meets_when", missing="Enter when the group meets."),
        "description": _text(details.description, limit=2000, field="description"),
        "online": bool(details.online),
        "taking_new_members": bool(details.taking_new_members),
    }


def group_create(
    *, actor: User, organisation: Organisation, details: GroupDetails, request: HttpRequest | None = None
) -> FamilyGroup:
    """Set up a group for one of the actor's family-support or peer-support organisations; they facilitate it."""
    if not actor.has_perm("family.run_groups"):
        raise PermissionDenied
    if organisation.pk not in policy.group_organisation_ids(actor):
        raise PermissionDenied
    clean = _clean_group(details)
    with transaction.atomic():
        group = FamilyGroup.objects.create(organisation=organisation, created_by=actor, **clean)
        group.facilitators.add(actor)
        audit_write(
            actor=actor,
            action="family.group_created",
            target=group,
            purpose="family groups",
            request=request,
            details={"organisation_id": organisation.pk},
        )
    return group


def group_ask_to_join(*, actor: User, group: FamilyGroup, request: HttpRequest | None = None) -> GroupMember:
    """A family member asks to join; a facilitator answers."""
    if not actor.has_perm("family.use_own_support"):
        raise PermissionDenied
    if group.closed_at is not None:
        raise ActionRefused("This group has closed.")
    with transaction.atomic():
        place = GroupMember.objects.select_for_update().filter(group=group, user=actor).first()
        if place is not None and place.status in (MembershipStatus.REQUESTED, MembershipStatus.MEMBER):
            raise ActionRefused("You have already asked to join this group.")
        if not group.taking_new_members:
            raise ActionRefused("This group is not taking new members at the moment.")
        if place is None:
            try:
                with transaction.atomic():
                    place = GroupMember.objects.create(group=group, user=actor)
            except IntegrityError:
                raise ActionRefused("You have already asked to join this group.") from None
        else:
            place.status = MembershipStatus.REQUESTED
            place.requested_at = timezone.now()
            place.decided_at = None
            place.decided_by = None
            place.save(update_fields=["status", "requested_at", "decided_at", "decided_by"])
        audit_write(
            actor=actor,
            action="family.group_join_asked",
            target=place,
            purpose="family groups",
            request=request,
            details={"group_id": group.pk},
        )
        for facilitator in group.facilitators.filter(is_active=True):
            notification_queue(
                channel=Channel.EMAIL,
                to=facilitator.email,
                recipient=facilitator,
                subject="Someone has asked to join a group you run",
                body=(
                    f"Someone has asked to join a family group you run. Sign in to {settings.SITE_NAME} to answer: "
                    f"{settings.ROSC_SITE_URL}{reverse('family:run_group', kwargs={'group_id': group.uuid})}"
                ),
                reason="family.group_join_asked",
            )
    return place


def group_leave(*, actor: User, group: FamilyGroup, request: HttpRequest | None = None) -> GroupMember:
    with transaction.atomic():
        place = GroupMember.objects.select_for_update().filter(group=group, user=actor).first()
        if place is None or place.status not in (MembershipStatus.REQUESTED, MembershipStatus.MEMBER):
            raise ActionRefused("You are not in this group.")
        place.status = MembershipStatus.LEFT
        place.decided_at = timezone.now()
        place.decided_by = actor
        place.save(update_fields=["status", "decided_at", "decided_by"])
        audit_write(
            actor=actor,
            action="family.group_left",
            target=place,
            purpose="family groups",
            request=request,
            details={"group_id": group.pk},
        )
    return place


def group_decide(*, actor: User, place: GroupMember, decision: str, request: HttpRequest | None = None) -> GroupMember:
    """A facilitator accepts a request, declines it, or takes a member off the group."""
    if not policy.can_manage_group(actor, place.group):
        raise PermissionDenied
    wanted = {"accept": MembershipStatus.MEMBER, "decline": MembershipStatus.DECLINED, "remove": MembershipStatus.LEFT}
    if decision not in wanted:
        raise ActionRefused("Choose what to do.", field="decision")
    with transaction.atomic():
        locked = GroupMember.objects.select_for_update().get(pk=place.pk)
        allowed_from = {
            "accept": {MembershipStatus.REQUESTED},
            "decline": {MembershipStatus.REQUESTED},
            "remove": {MembershipStatus.MEMBER},
        }[decision]
        if locked.status not in allowed_from:
            raise ActionRefused("This has already been answered.")
        locked.status = wanted[decision]
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        audit_write(
            actor=actor,
            action=f"family.group_member_{decision}",
            target=locked,
            purpose="family groups",
            request=request,
            details={"group_id": locked.group_id, "user_id": locked.user_id},
        )
        if decision != "remove":
            notification_queue(
                channel=Channel.EMAIL,
                to=locked.user.email,
                recipient=locked.user,
                subject="Your request to join a group has been answered",
                body=(
                    f"Your request to join a family group has been answered. Sign in to {settings.SITE_NAME} "
                    f"to see it: {settings.ROSC_SITE_URL}{reverse('family:groups')}"
                ),
                reason="family.group_join_answered",
            )
    return locked


def session_add(
    *, actor: User, group: FamilyGroup, on: date | None, topic: str, request: HttpRequest | None = None
) -> GroupSession:
    if not policy.can_manage_group(actor, group):
        raise PermissionDenied
    if on is None:
        raise ActionRefused("Enter the date of the session, for example 27 3 2027.", field="on")
    today = timezone.localdate()
    if not today - timedelta(days=366) <= on <= today + timedelta(days=366):
        raise ActionRefused("Enter a date within a year of today.", field="on")
    topic = _text(topic, limit=200, field="topic")
    with transaction.atomic():
        session = GroupSession.objects.create(group=group, on=on, topic=topic, created_by=actor)
        audit_write(
            actor=actor,
            action="family.session_added",
            target=session,
            purpose="family groups",
            request=request,
            details={"group_id": group.pk},
        )
    return session


def attendance_record(
    *, actor: User, session: GroupSession, attended: Iterable[int], request: HttpRequest | None = None
) -> list[Attendance]:
    """Record who came to a session (replaces what was recorded before). Only members can be marked."""
    if not policy.can_manage_group(actor, session.group):
        raise PermissionDenied
    if session.on > timezone.localdate():
        raise ActionRefused("You can record who came once the session has happened.", field="attended")
    wanted = {int(pk) for pk in attended}
    with transaction.atomic():
        locked = GroupSession.objects.select_for_update().get(pk=session.pk)
        allowed = set(
            GroupMember.objects.filter(group_id=locked.group_id)
            .filter(status__in=[MembershipStatus.MEMBER, MembershipStatus.LEFT])
            .values_list("user_id", flat=True)
        )
        if wanted - allowed:
            raise ActionRefused("Choose people from the group's members.", field="attended")
        Attendance.objects.filter(session=locked).delete()
        rows = Attendance.objects.bulk_create([Attendance(session=locked, user_id=pk) for pk in sorted(wanted)])
        locked.attendance_recorded_at = timezone.now()
        locked.save(update_fields=["attendance_recorded_at"])
        audit_write(
            actor=actor,
            action="family.attendance_recorded",
            target=locked,
            purpose="family groups",
            request=request,
            details={"group_id": locked.group_id, "count": len(rows)},
        )
    return rows
