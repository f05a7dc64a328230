"""Small directory fixtures for the search tests, built with the models directly."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

from rosc.core.models import Organisation
from rosc.directory import taxonomy
from rosc.directory.actions import service_reindex
from rosc.directory.models import (
    Address,
    Attribute,
    Location,
    LocationType,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)

# Postcode district centres from the bundled data.
BASILDON_SS14 = (51.5749, 0.469984)
BASILDON_SS13 = (51.5749, 0.507569)  # about 1.6 miles from SS14
LAINDON_SS15 = (51.5769, 0.429114)  # about 1.8 miles from SS14
CHELMSFORD_CM2 = (51.7237, 0.484916)  # about 10 miles from SS14
COLCHESTER_CO1 = (51.8891, 0.90422)  # about 28 miles from SS14


def make_taxonomy() -> dict[str, TaxonomyTerm]:
    """The shared recovery taxonomy, written straight to the database."""
    tax, _ = Taxonomy.objects.get_or_create(
        name=taxonomy.TAXONOMY_NAME, defaults={"description": taxonomy.TAXONOMY_DESCRIPTION}
    )
    terms: dict[str, TaxonomyTerm] = {}
    for position, item in enumerate(taxonomy.TERMS):
        terms[item.code], _ = TaxonomyTerm.objects.get_or_create(
            taxonomy=tax,
            code=item.code,
            defaults={
                "name": item.name,
                "description": item.description,
                "kind": item.kind,
                "synonyms": "\n".join(item.synonyms),
                "position": position,
            },
        )
    for item in taxonomy.TERMS:
        if item.parent:
            terms[item.code].parent = terms[item.parent]
            terms[item.code].save(update_fields=["parent"])
    return terms


def organisation(name: str = "Search Test Trust") -> Organisation:
    slug = name.lower().replace(" ", "-")
    found, _ = Organisation.objects.get_or_create(slug=slug, defaults={"name": name, "kind": "treatment"})
    return found


def make_service(
    name: str,
    *,
    codes: Iterable[str] = (),
    at: Iterable[tuple[float, float]] = (),
    outcode_only: str = "",
    online: bool = False,
    phone: bool = False,
    in_person: bool = True,
    county_wide: bool = False,
    status: str = ServiceStatus.ACTIVE,
    status_note: str = "",
    minimum_age: int | None = None,
    maximum_age: int | None = None,
    has_capacity: bool | None = None,
    wait_weeks: int | None = None,
    opening: Iterable[tuple[str, time | None, time | None]] = (),
    description: str = "",
    org: Organisation | None = None,
) -> Service:
    service = Service.objects.create(
        organisation=org or organisation(),
        name=name,
        description=description or f"{name} helps people in recovery.",
        status=status,
        status_note=status_note,
        offers_in_person=in_person,
        offers_online=online,
        offers_phone=phone,
        is_county_wide=county_wide,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
    )
    for code in codes:
        Attribute.objects.create(service=service, taxonomy_term=TaxonomyTerm.objects.filter(code=code).first())
    for number, (lat, lon) in enumerate(at, start=1):
        location = Location.objects.create(name=f"{name} place {number}", latitude=lat, longitude=lon)
        Address.objects.create(
            location=location,
            address_1=f"{number} High Street",
            city="Basildon",
            state_province="Essex",
            postal_code="SS14 1AB",
        )
        ServiceAtLocation.objects.create(service=service, location=location)
    if outcode_only:
        location = Location.objects.create(
            name=f"{name} hall", outcode=outcode_only, location_type=LocationType.PHYSICAL
        )
        ServiceAtLocation.objects.create(service=service, location=location)
    for byday, opens_at, closes_at in opening:
        Schedule.objects.create(service=service, byday=byday, opens_at=opens_at, closes_at=closes_at)
    service_reindex(service)
    if has_capacity is not None or wait_weeks is not None:
        service.has_capacity = has_capacity
        service.wait_weeks = wait_weeks
        service.save(update_fields=["has_capacity", "wait_weeks"])
    return service
