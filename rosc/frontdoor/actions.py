"""Writes for the front door. Each runs in one transaction with its audit row.

Front door visitors are anonymous, and a kept pathway identifies nobody, so
the audit rows of pathway actions carry no address (no ``request``): the
log must not tie a computer to someone's answers about drink, drugs and danger.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import Channel, Notification, NotificationStatus, User
from rosc.core.notifications import notification_queue
from rosc.directory.models import Service
from rosc.frontdoor.answers import (
    GENDERS,
    LANGUAGES,
    OTHER_NEEDS,
    RELATIONSHIPS,
    SUBSTANCE_WORDS,
    URGENCY,
    Answers,
)
from rosc.frontdoor.models import Pathway, SupportRequest, new_token, token_hash

PURPOSE = "front door"
LINK_REASON = "frontdoor_pathway_link"
# How many times one pathway's link may be emailed or texted.
MAX_LINKS_PER_PATHWAY = 5
FORGOTTEN_TO = "removed after sending"
FORGOTTEN_BODY = "A link to a recovery pathway. The address and the link were removed once the message was sent."
_UK_MOBILE = re.compile(r"^(?:\+?44|0)7\d{9}$")


def pathway_url(token: str) -> str:
    return settings.ROSC_SITE_URL + reverse("frontdoor:pathway", args=[token])


def pathway_keep(*, answers: Answers) -> tuple[Pathway, str]:
    """Keep a pathway's answers under a new link. Returns the pathway and the link's token,
    which is shown to the person and never stored."""
    token = new_token()
    with transaction.atomic():
        pathway = Pathway.objects.create(token_hash=token_hash(token), answers=answers.to_dict())
        audit_write(actor=None, action="frontdoor.pathway_kept", target=pathway, purpose=PURPOSE)
    return pathway, token


def pathway_end(*, pathway: Pathway) -> None:
    """Delete a kept pathway now: its link stops working at once."""
    with transaction.atomic():
        pathway_id = pathway.pk
        Pathway.objects.filter(pk=pathway_id).delete()
        audit_write(
            actor=None,
            action="frontdoor.pathway_ended",
            object_type="frontdoor.pathway",
            object_id=pathway_id,
            purpose=PURPOSE,
        )


def clean_mobile(text: str) -> str:
    """A UK mobile number as digits (with a leading +44 kept), or ActionRefused."""
    compact = re.sub(r"[\s\-().]", "", text or "")
    if not _UK_MOBILE.match(compact):
        raise ActionRefused("Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982", field="mobile")
    return compact


def clean_phone(text: str) -> str:
    """Any UK phone number, for a call: digits, spaces and + ( ) - only, 10 to 15 digits."""
    value = " ".join((text or "").split())
    digits = [ch for ch in value if ch.isdigit()]
    if any(ch not in "0123456789 +()-" for ch in value) or not 10 <= len(digits) <= 15:
        raise ActionRefused("Enter a phone number, like 01632 960 001 or 07700 900 982", field="phone")
    return value


def clean_email(text: str) -> str:
    value = (text or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        raise ActionRefused(
            "Enter an email address in the right format, like name@example.com", field="email"
        ) from None
    if len(value) > 254:
        raise ActionRefused("Enter an email address of 254 characters or fewer", field="email")
    return value


def pathway_send_link(*, pathway: Pathway, token: str, channel: str, to: str) -> Notification:
    """Email or text the person the link to their pathway.

    The address or number is used for this one message only: once it has been
    sent (or has finally failed) ``pathway_link_forget`` removes it, and the
    link, from the stored message.
    """
    if channel not in (Channel.EMAIL, Channel.SMS):
        raise ActionRefused("Choose email or text message.", field="channel")
    if token_hash(token) != pathway.token_hash:
        raise ActionRefused("This link does not belong to this pathway.")
    to = clean_email(to) if channel == Channel.EMAIL else clean_mobile(to)
    url = pathway_url(token)
    until = timezone.localtime(pathway.expires_at).strftime("%-d %B %Y")
    if channel == Channel.EMAIL:
        body = (
            f"Here is the link to the recovery pathway you made on {settings.SITE_NAME}:\n\n{url}\n\n"
            f"It works until {until}, unless you delete it sooner. Anyone with this link can see the pathway, "
            "so keep it private.\n\nIf someone is in danger now, call 999."
        )
    else:
        body = f"Your recovery pathway from {settings.SITE_NAME}: {url} (works until {until}). Keep this link private."
    with transaction.atomic():
        locked = Pathway.objects.select_for_update().get(pk=pathway.pk)
        if locked.links_sent >= MAX_LINKS_PER_PATHWAY:
            raise ActionRefused(
                "This link has been sent too many times. Copy the link from this page instead.", field="channel"
            )
        notification = notification_queue(
            channel=channel, to=to, subject="Your recovery pathway", body=body, reason=LINK_REASON
        )
        locked.links_sent += 1
        locked.save(update_fields=["links_sent"])
        audit_write(
            actor=None,
            action="frontdoor.pathway_link_sent",
            target=locked,
            purpose=PURPOSE,
            details={"channel": channel, "notification_id": notification.pk},
        )

        def forget_later() -> None:
            from rosc.frontdoor.tasks import forget_pathway_link

            forget_pathway_link.enqueue(notification.pk)

        transaction.on_commit(forget_later)
    pathway.links_sent = locked.links_sent
    return notification


def pathway_link_forget(notification_id: int) -> str:
    """Remove the address and the link from a pathway link message once it is sent or has failed.

    Returns "forgotten", "waiting" (still being delivered: try again later) or "gone".
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id, reason=LINK_REASON).first()
        if notification is None or notification.to == FORGOTTEN_TO:
            return "gone"
        if notification.status not in (NotificationStatus.SENT, NotificationStatus.FAILED):
            return "waiting"
        notification.to = FORGOTTEN_TO
        notification.body = FORGOTTEN_BODY
        notification.save(update_fields=["to", "body"])
        audit_write(
            actor=None,
            action="frontdoor.link_recipient_forgotten",
            target=notification,
            purpose=PURPOSE,
        )
    return "forgotten"


def pathways_purge(
    *, now: datetime | None = None, batch_size: int = 500, progress: Callable[[str], None] | None = None
) -> tuple[int, int]:
    """Delete expired pathways and forget the addresses of link messages already sent.

    Returns (pathways deleted, messages forgotten). Each batch is its own transaction;
    ``progress`` hears about each one.
    """
    now = now or timezone.now()
    deleted = 0
    while True:
        ids = list(Pathway.objects.filter(expires_at__lte=now).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        with transaction.atomic():
            Pathway.objects.filter(pk__in=ids).delete()
            audit_write(
                actor=None,
                action="frontdoor.pathways_expired",
                object_type="frontdoor.pathway",
                purpose=PURPOSE,
                details={"count": len(ids)},
            )
        deleted += len(ids)
        if progress is not None:
            progress(f"{deleted} expired pathways deleted so far")
    forgotten = 0
    stale = (
        Notification.objects.filter(reason=LINK_REASON, status__in=[NotificationStatus.SENT, NotificationStatus.FAILED])
        .exclude(to=FORGOTTEN_TO)
        .filter(created_at__lte=now - timedelta(minutes=1))
        .values_list("pk", flat=True)
    )
    for notification_id in list(stale):
        if pathway_link_forget(notification_id) == "forgotten":
            forgotten += 1
    return deleted, forgotten


# --- Asking for support ------------------------------------------------------------------------------------------

CONSENT_DAYS = 365
REQUEST_REASON = "frontdoor_request_sent"
TIMES_WORDS = {
    "mornings": "weekday mornings",
    "afternoons": "weekday afternoons",
    "evenings": "evenings after 6pm",
    "weekends": "weekends",
}
METHOD_WORDS = {"call": "Phone call", "text": "Text message", "email": "Email"}


@dataclass(frozen=True)
class ContactPreferences:
    """How and when services may get in touch."""

    method: str  # call, text, email or none (do not contact me)
    phone: str = ""
    email: str = ""
    times: tuple[str, ...] = ()
    voicemail_ok: bool = False
    letters_ok: bool = False

    @classmethod
    def from_dict(cls, data: Any) -> ContactPreferences:
        if not isinstance(data, dict):
            return cls(method="")
        method = str(data.get("method") or "")
        if method not in ("call", "text", "email", "none"):
            method = ""
        given = data.get("times")
        times: list[Any] = given if isinstance(given, list) else []
        return cls(
            method=method,
            phone=str(data.get("phone") or "")[:30],
            email=str(data.get("email") or "")[:254],
            times=tuple(t for t in TIMES_WORDS if t in times),
            voicemail_ok=data.get("voicemail_ok") is True,
            letters_ok=data.get("letters_ok") is True,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "phone": self.phone,
            "email": self.email,
            "times": list(self.times),
            "voicemail_ok": self.voicemail_ok,
            "letters_ok": self.letters_ok,
        }

    @property
    def do_not_contact(self) -> bool:
        return self.method == "none"

    def lines(self) -> list[str]:
        """The preferences in plain words, for the person and for the services."""
        if self.do_not_contact:
            return ["Do not contact them: they will get in touch with you themselves."]
        how = METHOD_WORDS.get(self.method, "")
        to = self.phone if self.method in ("call", "text") else self.email
        lines = [f"{how} only, to {to}." if to else f"{how} only."]
        if self.times:
            times = [TIMES_WORDS[t] for t in self.times]
            joined = ", ".join(times[:-1]) + " or " + times[-1] if len(times) > 1 else times[0]
            lines.append(f"Only {joined}.")
        else:
            lines.append("Any time is fine.")
        lines.append("Voicemail is safe." if self.voicemail_ok else "Do not leave a voicemail.")
        lines.append("Letters are safe." if self.letters_ok else "Do not send letters.")
        return lines


def need_text(*, answers: Answers, contact: ContactPreferences, for_asker: bool) -> str:
    """What the receiving service reads: who asked, what they told us and how to get in touch."""
    parts = [f"Asked for support through the {settings.SITE_NAME} front door."]
    if answers.is_family:
        relation = RELATIONSHIPS.get(answers.relationship, "").replace("I am their", "").strip()
        who = f"A family member or friend{f' ({relation})' if relation else ''}"
        parts.append(
            f"{who} of someone who drinks or uses drugs, asking for support for themselves."
            if for_asker
            else f"{who} asking for support."
        )
    elif answers.who == "me":
        parts.append("The person asking for support for themselves.")
    if answers.substances:
        parts.append("Drink or drugs: " + ", ".join(SUBSTANCE_WORDS[code] for code in answers.substances) + ".")
    if answers.other_needs:
        parts.append(
            "Also going on: " + ", ".join(OTHER_NEEDS[code].split(",")[0].lower() for code in answers.other_needs) + "."
        )
    if answers.urgency:
        parts.append(f"How soon: {URGENCY[answers.urgency].lower()}.")
    if answers.in_danger:
        parts.append("They said someone was in danger and were shown the crisis routes (999, NHS 111, Samaritans).")
    preferences = []
    if answers.worker_gender:
        preferences.append(f"would rather talk to {GENDERS[answers.worker_gender].lower()}")
    if answers.language:
        preferences.append(
            f"would like to talk in {LANGUAGES[answers.language]}"
            if answers.language != "other"
            else "would like to talk in another language"
        )
    if answers.lived_experience:
        preferences.append("would like to talk to someone with lived experience")
    if preferences:
        parts.append("They " + "; ".join(preferences) + ".")
    parts.append("How to get in touch: " + " ".join(contact.lines()))
    return "\n".join(parts)


def _contact_notes(contact: ContactPreferences) -> str:
    return " ".join(contact.lines())[:300]


class RequestAlreadySent(Exception):
    """This form was sent before: ``support_request`` is the request it made."""

    def __init__(self, support_request: SupportRequest) -> None:
        super().__init__("This request has already been sent.")
        self.support_request = support_request


def support_request_send(
    *,
    form_token: str,
    answers: Answers,
    services: Sequence[Service],
    name: str,
    contact: ContactPreferences,
    for_asker: bool,
    account: User | None = None,
    request: HttpRequest | None = None,
) -> tuple[SupportRequest, str]:
    """Send a request for support to each chosen service, all or nothing.

    Creates the person's record (``rosc.record.actions.create_person``, created
    via the front door; a signed-in account already linked to a record uses that
    record) and records their consent, given online, covering exactly the chosen
    services' organisations (``rosc.record.actions.record_consent``), then one referral to each service
    (``rosc.referrals.actions.referral_send`` as a self-referral). Returns the
    request and its status link's token. A form sent again (the same one-time
    ``form_token``) raises ``RequestAlreadySent`` and sends nothing.
    """
    from rosc.record.actions import ConsentTerms, create_person, record_consent
    from rosc.record.categories import Category
    from rosc.record.models import ConsentGivenHow, ConsentKind, CreatedVia
    from rosc.referrals.actions import referral_send
    from rosc.referrals.selectors import person_of_account

    if not form_token:
        raise ActionRefused("This form has expired. Go back to your plan and try again.")
    if not services:
        raise ActionRefused("Select at least one service.", field="services")
    if len({service.pk for service in services}) != len(services):
        raise ActionRefused("Select each service once.", field="services")
    if contact.method not in ("call", "text", "email", "none"):
        raise ActionRefused("Select how the services should get in touch.", field="method")
    form_hash = token_hash(form_token)
    existing = SupportRequest.objects.filter(form_token_hash=form_hash).first()
    if existing is not None:
        raise RequestAlreadySent(existing)
    status_token = new_token()
    organisations = list({service.organisation_id: service.organisation for service in services}.values())
    now = timezone.now()
    terms = ConsentTerms(
        kind=ConsentKind.CARE_COORDINATION,
        categories=[Category.REFERRALS, Category.CONTACT],
        expires_at=now + timedelta(days=CONSENT_DAYS),
        given_how=ConsentGivenHow.ONLINE,
        organisations=organisations,
        purpose="To get in touch about the support asked for through the front door.",
        given_at=now,
    )
    try:
        with transaction.atomic():
            # Claimed first, so that a second copy of the same form waits here and then fails, sending nothing.
            support_request = SupportRequest.objects.create(
                form_token_hash=form_hash, status_token_hash=token_hash(status_token), services_asked=len(services)
            )
            # Someone signed in whose account already has a record asks with that record.
            person = person_of_account(account) if account is not None else None
            if person is None:
                person = create_person(
                    actor=account,
                    organisation=None,
                    full_name=name,
                    email=contact.email,
                    phone=contact.phone,
                    contact_notes=_contact_notes(contact),
                    area=answers.place,
                    created_via=CreatedVia.FRONT_DOOR,
                    account=account,
                    request=request,
                )
            # Given online by the person, for exactly the organisations of the services they chose.
            record_consent(actor=account, person=person, terms=terms, request=request)
            support_request.person = person
            support_request.save(update_fields=["person"])
            need = need_text(answers=answers, contact=contact, for_asker=for_asker)
            for service in services:
                referral_send(
                    actor=account,
                    person=person,
                    service=service,
                    need=need,
                    sender_organisation=None,
                    request=request,
                )
            audit_write(
                actor=account,
                action="frontdoor.support_requested",
                target=support_request,
                purpose=PURPOSE,
                request=request,
                details={
                    "person_id": person.pk,
                    "service_ids": [str(service.pk) for service in services],
                    "contact_method": contact.method,
                },
            )
            _confirm(support_request=support_request, status_token=status_token, contact=contact, count=len(services))
    except IntegrityError:
        existing = SupportRequest.objects.filter(form_token_hash=form_hash).first()
        if existing is None:
            raise
        raise RequestAlreadySent(existing) from None
    return support_request, status_token


def status_url(token: str) -> str:
    return settings.ROSC_SITE_URL + reverse("frontdoor:request_status", args=[token])


def _confirm(*, support_request: SupportRequest, status_token: str, contact: ContactPreferences, count: int) -> None:
    """Tell the person the request went, by text or email if that is how they asked to be contacted."""
    if contact.method not in ("text", "email"):
        return
    services = f"{count} service{'s' if count != 1 else ''}"
    link = status_url(status_token)
    if contact.method == "email":
        notification_queue(
            channel=Channel.EMAIL,
            to=contact.email,
            subject="Your request for support has been sent",
            body=(
                f"You asked {services} for support through {settings.SITE_NAME}. They will get in touch the way "
                f"you asked. See what happens next and where your request is up to:\n\n{link}\n\n"
                "If someone is in danger now, call 999."
            ),
            reason=REQUEST_REASON,
        )
    else:
        notification_queue(
            channel=Channel.SMS,
            to=contact.phone,
            body=f"You asked {services} for support through {settings.SITE_NAME}. See where it is up to: {link}",
            reason=REQUEST_REASON,
        )


def support_requests_forget(*, person: Any) -> int:
    """Remove the front door's links to a person whose record is erased. Returns how many went."""
    removed, _ = SupportRequest.objects.filter(person=person).delete()
    return removed
