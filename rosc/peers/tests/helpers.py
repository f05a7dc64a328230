"""Builders for peer mentoring tests: a coordinator, mentors with checks, a person with consent for the peer org."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from conftest import organisation
from rosc.core.models import Role, User
from rosc.peers.models import CheckKind, MentorCheck, MentorProfile, MentorRequest
from rosc.record.categories import Category
from rosc.record.models import Person
from rosc.referrals.tests.helpers import consent_for, person_in_team, worker


def coordinator() -> User:
    return worker("coordinator@example.com", "peers", Role.SERVICE_MANAGER)


def mentor(
    email: str = "mentor@example.com", *, capacity: int = 2, expired_dbs: bool = False, **fields
) -> MentorProfile:
    user = worker(email, "peers", Role.PEER_MENTOR, display_name=fields.pop("display_name", email.split("@")[0]))
    fields.setdefault("areas", "Chelmsford")
    fields.setdefault("substances", ["alcohol"])
    profile, _ = MentorProfile.objects.update_or_create(
        user=user, organisation=organisation("peers"), defaults={"capacity": capacity, **fields}
    )
    today = timezone.localdate()
    dbs_expires = today - timedelta(days=1) if expired_dbs else today + timedelta(days=400)
    MentorCheck.objects.create(
        profile=profile, kind=CheckKind.DBS, completed_on=today - timedelta(days=700), expires_on=dbs_expires
    )
    for kind in (CheckKind.SAFEGUARDING, CheckKind.FOUNDATION):
        MentorCheck.objects.create(profile=profile, kind=kind, completed_on=today - timedelta(days=100))
    return profile


def waiting_person(full_name: str = "Robin Example", **request_fields) -> tuple[Person, MentorRequest]:
    """A person in org-a's care team, consenting to the peer org seeing their contact details and plan,
    and on the peer org's waiting list."""
    person = person_in_team("org-a", full_name=full_name, area="Chelmsford")
    consent_for(person, [organisation("org-a")], categories=list(Category))
    consent_for(person, [organisation("peers")], categories=[Category.CONTACT, Category.PLAN])
    request_fields.setdefault("area", "Chelmsford")
    request_fields.setdefault("substances", ["alcohol"])
    made = MentorRequest.objects.create(person=person, organisation=organisation("peers"), **request_fields)
    return person, made
