"""Builders for shared-record tests: people, care teams and consents in a line each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone

from rosc.core.models import Organisation, User
from rosc.record.categories import Category
from rosc.record.models import (
    CATEGORY_FIELDS,
    CareTeamMember,
    Consent,
    ConsentGivenHow,
    ConsentKind,
    ConsentRecipientKind,
    Person,
    TeamRole,
)

ALL_CATEGORIES = tuple(Category)


def make_person(
    *organisations: Organisation, full_name: str = "Robin Example", role: str = TeamRole.KEYWORKER, **fields
) -> Person:
    """A person with each organisation in their care team today (no consent yet)."""
    fields.setdefault("date_of_birth", date(1985, 4, 1))
    person = Person.objects.create(full_name=full_name, **fields)
    for organisation in organisations:
        CareTeamMember.objects.create(
            person=person, organisation=organisation, role=role, started=timezone.localdate() - timedelta(days=30)
        )
    return person


def give_consent(
    person: Person,
    *,
    organisations: Iterable[Organisation] = (),
    kinds: Iterable[str] = (),
    categories: Iterable[str] = ALL_CATEGORIES,
    days: int = 365,
    kind: str = ConsentKind.CARE_COORDINATION,
    recorded_by: User | None = None,
    **extra,
) -> Consent:
    now = timezone.now()
    extra.setdefault("given_at", now - timedelta(days=1))
    consent = Consent.objects.create(
        person=person,
        kind=kind,
        given_how=ConsentGivenHow.VERBAL,
        expires_at=now + timedelta(days=days),
        recorded_by=recorded_by,
        **{CATEGORY_FIELDS[Category(c)]: True for c in categories},
        **extra,
    )
    consent.recipient_organisations.set(list(organisations))
    for organisation_kind in kinds:
        ConsentRecipientKind.objects.create(consent=consent, kind=organisation_kind)
    return consent
