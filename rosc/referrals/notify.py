"""Who hears about a referral's changes, and what the message says.

Messages go through ``rosc.core.notifications.notification_queue``: stored in
the action's transaction, delivered by the task worker after it commits, and
retried when a provider is down. They say that something happened and where
to sign in, never the person's name or what help they need.

* The receiving service: the worker who accepted the referral; before that
  the service's email address, or the organisation's, or else its service
  managers.
* The sender: the worker who sent it; if they have gone, their
  organisation's email address or its service managers.
* The person: only by the channels they chose for this referral (email,
  text message, both or neither), never more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from rosc.core.models import Channel, Membership, Organisation, Role, User
from rosc.core.notifications import notification_queue
from rosc.referrals import states
from rosc.referrals.models import Referral


@dataclass(frozen=True)
class Recipient:
    channel: str
    to: str
    user: User | None = None


def _link(path: str) -> str:
    return settings.ROSC_SITE_URL + path


def _detail_link(referral: Referral) -> str:
    return _link(reverse("referrals:detail", args=[referral.pk]))


def _managers_of(organisation: Organisation) -> list[Recipient]:
    memberships = (
        Membership.objects.active()
        .filter(organisation=organisation, role=Role.SERVICE_MANAGER, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    )
    return [Recipient(Channel.EMAIL, m.user.email, m.user) for m in memberships]


def _still_works_at(user: User | None, organisation: Organisation | None) -> bool:
    if user is None or organisation is None or not user.is_active:
        return False
    return (
        Membership.objects.active()
        .filter(user=user, organisation=organisation, role__in=[Role.PRACTITIONER, Role.SERVICE_MANAGER])
        .exists()
    )


def receiving_side(referral: Referral) -> list[Recipient]:
    organisation = referral.receiving_organisation
    receiver = referral.receiver
    if receiver is not None and _still_works_at(receiver, organisation):
        return [Recipient(Channel.EMAIL, receiver.email, receiver)]
    if referral.service.email:
        return [Recipient(Channel.EMAIL, referral.service.email)]
    if organisation.email:
        return [Recipient(Channel.EMAIL, organisation.email)]
    return _managers_of(organisation)


def sending_side(referral: Referral) -> list[Recipient]:
    organisation = referral.sender_organisation
    if organisation is None:
        return []
    sender = referral.sender
    if sender is not None and _still_works_at(sender, organisation):
        return [Recipient(Channel.EMAIL, sender.email, sender)]
    if organisation.email:
        return [Recipient(Channel.EMAIL, organisation.email)]
    return _managers_of(organisation)


def person_side(referral: Referral) -> list[Recipient]:
    person = referral.person
    if person.erased_at is not None or person.restricted_at is not None:
        return []
    found = []
    if referral.tell_person_by_email and person.email:
        found.append(Recipient(Channel.EMAIL, person.email, person.account))
    if referral.tell_person_by_sms and person.phone:
        found.append(Recipient(Channel.SMS, person.phone, person.account))
    return found


def _send_all(recipients: Iterable[Recipient], *, subject: str, body: str, reason: str) -> int:
    seen: set[tuple[str, str]] = set()
    for recipient in recipients:
        key = (recipient.channel, recipient.to.lower())
        if key in seen or not recipient.to:
            continue
        seen.add(key)
        notification_queue(
            channel=recipient.channel,
            to=recipient.to,
            subject=subject if recipient.channel == Channel.EMAIL else "",
            body=body,
            reason=reason,
            recipient=recipient.user,
        )
    return len(seen)


def _staff_body(referral: Referral, what: str) -> str:
    return (
        f"Referral {referral.reference} to {referral.service.name}: {what}\n\n"
        f"Sign in to Open ROSC to see it: {_detail_link(referral)}"
    )


def _tell_person(referral: Referral) -> None:
    mine = _link(reverse("referrals:mine"))
    _send_all(
        person_side(referral),
        subject=f"An update from {settings.SITE_NAME}",
        body=f"There is an update about a referral made for you. Sign in to {settings.SITE_NAME} to see it: {mine}",
        reason="referral_update_person",
    )


def referral_sent(referral: Referral) -> None:
    _send_all(
        receiving_side(referral),
        subject=f"New referral {referral.reference}",
        body=_staff_body(
            referral,
            f"a new referral from {referral.sender_name}. Please answer it by the end of "
            f"{referral.respond_by.day} {referral.respond_by:%B %Y}.",
        ),
        reason="referral_received",
    )
    _tell_person(referral)


def referral_changed(referral: Referral, *, action: states.Action, actor: User, side: states.Party) -> None:
    """After a change of status: tell the other side and, except for receipt, the person."""
    other = sending_side(referral) if side == states.Party.RECEIVER else receiving_side(referral)
    other = [r for r in other if r.user is None or r.user.pk != actor.pk]
    _send_all(
        other,
        subject=f"Referral {referral.reference}: {action.past_tense}",
        body=_staff_body(referral, f"{action.past_tense} by {actor} ({states.State(referral.state).label})."),
        reason=f"referral_{action.value}",
    )
    if action != states.Action.RECEIVE:
        _tell_person(referral)


def referral_commented(referral: Referral, *, side: states.Party) -> None:
    other = sending_side(referral) if side == states.Party.RECEIVER else receiving_side(referral)
    _send_all(
        other,
        subject=f"Referral {referral.reference}: new comment",
        body=_staff_body(referral, "there is a new comment."),
        reason="referral_comment",
    )


def exception_for_review(referral: Referral) -> None:
    leads = (
        Membership.objects.active()
        .filter(role=Role.IG_LEAD, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    )
    _send_all(
        [Recipient(Channel.EMAIL, m.user.email, m.user) for m in leads],
        subject="A referral was sent without consent",
        body=(
            f"Referral {referral.reference} was sent without the person's consent, under a "
            f"{referral.get_basis_display().lower()}. Please review it: "
            f"{_link(reverse('referrals:exceptions'))}"
        ),
        reason="referral_exception",
    )


def referrals_overdue(referrals: Iterable[Referral]) -> None:
    """One email per service manager per organisation, listing the overdue references."""
    by_organisation: dict[int, list[Referral]] = defaultdict(list)
    organisations: dict[int, Organisation] = {}
    for referral in referrals:
        by_organisation[referral.receiving_organisation_id].append(referral)
        organisations[referral.receiving_organisation_id] = referral.receiving_organisation
    inbox = _link(reverse("referrals:inbox") + "?view=overdue")
    for organisation_id, overdue in by_organisation.items():
        organisation = organisations[organisation_id]
        references = "\n".join(f"- {r.reference} ({r.service.name})" for r in overdue)
        _send_all(
            _managers_of(organisation)
            or ([Recipient(Channel.EMAIL, organisation.email)] if organisation.email else []),
            subject=f"{len(overdue)} overdue referral{'s' if len(overdue) != 1 else ''} at {organisation.name}",
            body=(
                f"These referrals to {organisation.name} have not been answered by their deadline:\n\n"
                f"{references}\n\nSign in to see the overdue referrals: {inbox}"
            ),
            reason="referral_overdue",
        )
