"""Builders for continuing-care tests: a person in a care team with consent, a plan, answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core import mail
from django.utils import timezone

from conftest import make_persona, organisation
from rosc.continuing import actions
from rosc.continuing.models import CheckIn, CheckInLink, Plan
from rosc.continuing.questions import QUESTIONS
from rosc.core.models import Membership, Notification, Role, User
from rosc.record.categories import Category
from rosc.record.models import CATEGORY_FIELDS, CareTeamMember, Consent, ConsentGivenHow, ConsentKind, Person, TeamRole

CALM = {
    "physical_health": "3",
    "sleep_days": "0",
    "low_mood_days": "0",
    "alcohol_days": "0",
    "heavy_drinking_days": "0",
    "drug_days": "0",
    "cravings": "1",
    "confidence": "3",
    "meeting_days": "1",
    "risky_days": "0",
    "work_days": "3",
    "enough_money": "yes",
    "conflict_days": "0",
    "support_days": "3",
    "satisfaction": "3",
    "wants_contact": "no",
}
assert set(CALM) == {q.code for q in QUESTIONS}


def worker(email: str, slug: str, role: str = Role.PRACTITIONER) -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, "a long enough password", display_name=email.split("@")[0]
    )
    Membership.objects.get_or_create(user=user, organisation=organisation(slug), role=role)
    return user


def person_in_care(
    *, categories=(Category.OUTCOMES, Category.CONTACT, Category.PLAN, Category.REFERRALS), mentor=True, **fields
) -> Person:
    """A person with keyworker A (org-a) and the peer mentor (peers), and consent for both organisations."""
    fields.setdefault("email", "robin@example.com")
    person = Person.objects.create(full_name="Robin Example", date_of_birth=date(1985, 4, 1), **fields)
    start = timezone.localdate() - timedelta(days=400)
    CareTeamMember.objects.create(
        person=person,
        organisation=organisation("org-a"),
        role=TeamRole.KEYWORKER,
        worker=make_persona("keyworker_a"),
        started=start,
    )
    orgs = [organisation("org-a")]
    if mentor:
        CareTeamMember.objects.create(
            person=person,
            organisation=organisation("peers"),
            role=TeamRole.PEER_MENTOR,
            worker=make_persona("peer_mentor"),
            started=start,
        )
        orgs.append(organisation("peers"))
    now = timezone.now()
    consent = Consent.objects.create(
        person=person,
        kind=ConsentKind.CARE_COORDINATION,
        given_how=ConsentGivenHow.VERBAL,
        given_at=now - timedelta(days=400),
        expires_at=now + timedelta(days=1000),
        **{CATEGORY_FIELDS[Category(c)]: True for c in categories},
    )
    consent.recipient_organisations.set(orgs)
    return person


def start_plan(person: Person | None = None, *, started_on: date | None = None, **kwargs) -> Plan:
    person = person or person_in_care()
    kwargs.setdefault("channel", "email")
    kwargs.setdefault("discharge_reason", "completed_drug_free")
    return actions.plan_start(
        actor=make_persona("keyworker_a"),
        person=person,
        organisation=organisation("org-a"),
        person_agreed=True,
        started_on=started_on or timezone.localdate(),
        **kwargs,
    )


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def token_from_outbox(index: int = -1) -> str:
    """The token in the last (or given) check-in link message."""
    bodies = [n.body for n in Notification.objects.filter(reason="continuing.check_in_link").order_by("pk")]
    body = bodies[index]
    return body.split("/continuing-care/check-in/")[1].split("/")[0]


def fresh_link(check_in: CheckIn, *, days: int = 7) -> str:
    """Give a check-in a known link (for tests that do not go through the message)."""
    token, hashed = actions.new_token()
    CheckInLink.objects.create(check_in=check_in, token_hash=hashed, expires_at=check_in.expires_at)
    return token


__all__ = ["CALM", "at", "fresh_link", "mail", "person_in_care", "start_plan", "token_from_outbox", "worker"]
