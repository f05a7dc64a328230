"""Which consent, if any, lets an organisation see a category of a person's record.

A care-coordination consent covers an organisation when it names that
organisation or the organisation's kind, includes the category, has been
given, has not expired and has not been withdrawn. Every check reads the
database at the moment of the read, so a withdrawal takes effect at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from rosc.core.models import Organisation
from rosc.record.models import Consent, ConsentKind, ConsentRecipientKind, Person


def _names_organisation(organisation: Organisation) -> Q:
    through = Consent.recipient_organisations.through
    named = through.objects.filter(consent_id=OuterRef("pk"), organisation_id=organisation.pk)
    by_kind = ConsentRecipientKind.objects.filter(consent_id=OuterRef("pk"), kind=organisation.kind)
    return Q(Exists(named)) | Q(Exists(by_kind))


def consent_covers(
    person: Person, organisation: Organisation, category: str, *, at: datetime | None = None
) -> Consent | None:
    """The live care-coordination consent letting ``organisation`` see ``category``
    of ``person``'s record (the most recently given, if several), or None."""
    return (
        Consent.objects.live(at)
        .covering(category)
        .filter(person=person, kind=ConsentKind.CARE_COORDINATION)
        .filter(_names_organisation(organisation))
        .order_by("-given_at", "-id")
        .first()
    )


def consent_covers_in(
    consents: Iterable[Consent], organisation: Organisation, category: str, *, at: datetime | None = None
) -> Consent | None:
    """The same decision over consents already loaded (with their recipients
    prefetched): for pages that check many people or organisations at once."""
    moment = at or timezone.now()
    best: Consent | None = None
    for consent in consents:
        if consent.kind != ConsentKind.CARE_COORDINATION or not consent.is_live(moment):
            continue
        if not consent.covers_category(category):
            continue
        named = any(org.pk == organisation.pk for org in consent.recipient_organisations.all())
        if not named and organisation.kind not in consent.recipient_kinds:
            continue
        if best is None or (consent.given_at, consent.pk) > (best.given_at, best.pk):
            best = consent
    return best


def consents_with_recipients(person: Person) -> list[Consent]:
    """All the person's consents, newest first, with their recipients loaded."""
    return list(
        Consent.objects.filter(person=person)
        .prefetch_related("recipient_organisations", "recipient_kind_rows")
        .select_related("recorded_by", "withdrawn_by")
        .order_by("-given_at", "-id")
    )
