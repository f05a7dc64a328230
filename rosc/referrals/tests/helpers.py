"""Builders for referral tests: services, people with a care team and consent, referrals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone

from conftest import make_persona, organisation
from rosc.core.models import Membership, Organisation, Role, User
from rosc.directory.models import Service
from rosc.record.categories import Category
from rosc.record.models import CATEGORY_FIELDS, CareTeamMember, Consent, ConsentGivenHow, ConsentKind, Person, TeamRole
from rosc.referrals import actions
from rosc.referrals.models import Referral


def service_in(slug: str, name: str = "", **fields) -> Service:
    org = organisation(slug)
    return Service.objects.create(
        organisation=org, name=name or f"Service of {org.name}", description="Help.", **fields
    )


def consent_for(person: Person, organisations: Iterable[Organisation], categories=(Category.REFERRALS,)) -> Consent:
    now = timezone.now()
    consent = Consent.objects.create(
        person=person,
        kind=ConsentKind.CARE_COORDINATION,
        given_how=ConsentGivenHow.VERBAL,
        given_at=now - timedelta(days=1),
        expires_at=now + timedelta(days=365),
        **{CATEGORY_FIELDS[Category(c)]: True for c in categories},
    )
    consent.recipient_organisations.set(list(organisations))
    return consent


def person_in_team(*slugs: str, consent_to: Iterable[str] = (), full_name: str = "Robin Example", **fields) -> Person:
    """A person whose care team has each organisation in ``slugs``; consent for referrals
    covers those organisations and ``consent_to``."""
    fields.setdefault("date_of_birth", date(1985, 4, 1))
    person = Person.objects.create(full_name=full_name, **fields)
    for slug in slugs:
        CareTeamMember.objects.create(
            person=person,
            organisation=organisation(slug),
            role=TeamRole.KEYWORKER,
            started=timezone.localdate() - timedelta(days=30),
        )
    covered = [organisation(slug) for slug in (*slugs, *consent_to)]
    if covered:
        consent_for(person, covered)
    return person


def worker(email: str, slug: str, role: str = Role.PRACTITIONER, **extra) -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, "a long enough password", display_name=extra.pop("display_name", email.split("@")[0])
    )
    Membership.objects.get_or_create(user=user, organisation=organisation(slug), role=role)
    return user


def send(actor: User | None = None, person: Person | None = None, service: Service | None = None, **kwargs) -> Referral:
    """A referral from keyworker A's organisation (org-a) to a service of org-b, with consent."""
    actor = actor or make_persona("keyworker_a")
    person = person or person_in_team("org-a", consent_to=["org-b"])
    service = service or service_in("org-b", "Housing advice")
    kwargs.setdefault("need", "Somewhere safe to live after leaving detox.")
    kwargs.setdefault("sender_organisation", organisation("org-a"))
    return actions.referral_send(actor=actor, person=person, service=service, **kwargs)
