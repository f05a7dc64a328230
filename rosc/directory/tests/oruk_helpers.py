"""Helpers for the ORUK API and import/export tests.

Schemas are loaded from the shared standards folder beside the repository
(``../shared/standards/oruk``), registered under their published URIs with
``referencing`` so every ``$ref`` resolves locally; nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from rosc.core.models import Organisation, OrganisationKind
from rosc.directory.actions import service_reindex
from rosc.directory.models import (
    Accessibility,
    Address,
    Attribute,
    CapacityUnit,
    Contact,
    CostOption,
    Language,
    Location,
    LocationType,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from rosc.directory.oruk_import import schema_errors, schema_validator

STANDARDS = Path(settings.BASE_DIR).parent / "shared" / "standards"
ORUK_SCHEMAS = STANDARDS / "oruk" / "schema"
HSDS_EXAMPLES = STANDARDS / "hsds" / "examples"

BASILDON_SS14 = (51.5749, 0.469984)
CHELMSFORD_CM2 = (51.7237, 0.484916)
COLCHESTER_CO1 = (51.8891, 0.90422)


def oruk_errors(schema: str, instance: Any) -> list[str]:
    """Schema problems of ``instance`` against a shared ORUK schema, e.g. 'compiled/service.json'."""
    return schema_errors(schema_validator(schema, str(ORUK_SCHEMAS)), instance)


PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def page_errors(page: dict[str, Any], item_schema: str) -> list[str]:
    problems = [f"page is missing {key}" for key in PAGE_KEYS - set(page)]
    for key in ("total_items", "total_pages", "page_number", "size"):
        if not isinstance(page.get(key), int) or isinstance(page.get(key), bool):
            problems.append(f"{key} is not an integer")
    for key in ("first_page", "last_page", "empty"):
        if not isinstance(page.get(key), bool):
            problems.append(f"{key} is not a boolean")
    for index, item in enumerate(page.get("contents", [])):
        problems.extend(f"contents[{index}] {message}" for message in oruk_errors(item_schema, item))
    return problems


def all_pages(client: Any, url: str, per_page: int = 2, **params: Any) -> list[dict[str, Any]]:
    pages = []
    page = 1
    while True:
        response = client.get(url, {"page": page, "per_page": per_page, **params})
        assert response.status_code == 200, response.content
        pages.append(response.json())
        if pages[-1]["last_page"] or not pages[-1]["contents"]:
            return pages
        page += 1


def _org(name: str, **extra: Any) -> Organisation:
    slug = name.lower().replace(" ", "-")
    return Organisation.objects.create(name=name, slug=slug, kind=OrganisationKind.TREATMENT, **extra)


def _location(name: str, point: tuple[float, float] | None, postcode: str, **extra: Any) -> Location:
    location = Location.objects.create(
        name=name,
        description=f"{name} building",
        transport="Bus 1 from the station.",
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        outcode=postcode.split()[0],
        **extra,
    )
    Address.objects.create(
        location=location,
        address_1=f"1 {name} Street",
        city="Basildon",
        state_province="Essex",
        postal_code=postcode,
    )
    return location


def build_directory() -> dict[str, Any]:
    """A small but rich directory: every kind of related row, one hidden service,
    one online-only county-wide service and one service with nothing but a name."""
    tax = Taxonomy.objects.create(name="Recovery support", description="Kinds of help.", uri="https://example.org/t")
    detox = TaxonomyTerm.objects.create(
        taxonomy=tax, code="detox", name="Detox", description="Coming off safely.", synonyms="detox\nwithdrawal"
    )
    peer = TaxonomyTerm.objects.create(
        taxonomy=tax, code="peer-support", name="Peer support", description="People who have been there.", parent=detox
    )
    housing = TaxonomyTerm.objects.create(
        taxonomy=tax, code="housing", name="Housing", description="Somewhere to live."
    )
    trust = _org(
        "Basildon Recovery Trust",
        description="Treatment in Basildon.",
        email="hello@brt.example",
        website="https://brt.example",
    )
    charity = _org("Peer Mentors Essex")

    centre = _location("Recovery Centre", BASILDON_SS14, "SS14 1AB")
    Accessibility.objects.create(location=centre, description="Step-free access", details="Lift to all floors.")
    Phone.objects.create(location=centre, number="01268 000000", description="Reception")
    hub = _location("Chelmsford Hub", CHELMSFORD_CM2, "CM2 0AA")
    far = _location("Colchester Rooms", COLCHESTER_CO1, "CO1 1AA")
    online = Location.objects.create(name="Online", location_type=LocationType.VIRTUAL)

    detox_service = Service.objects.create(
        organisation=trust,
        name="Alcohol detox",
        description="Medically supported detox.",
        eligibility="Adults in Essex.",
        what_to_expect="A nurse calls you within a week.",
        url="https://brt.example/detox",
        email="detox@brt.example",
        fees="Free on the NHS.",
        accreditations="CQC registered",
        minimum_age=18,
        maximum_age=99,
        alert="Closed on bank holidays.",
        offers_phone=True,
        last_verified_at=timezone.now() - dt.timedelta(days=3),
    )
    at_centre = ServiceAtLocation.objects.create(service=detox_service, location=centre)
    ServiceAtLocation.objects.create(service=detox_service, location=hub)
    Schedule.objects.create(service=detox_service, byday="MO,WE", opens_at=dt.time(9), closes_at=dt.time(17))
    Schedule.objects.create(
        service_at_location=at_centre, byday="FR", opens_at=dt.time(10), closes_at=dt.time(12), description="Drop-in"
    )
    Phone.objects.create(service=detox_service, number="01268 111111", description="Referrals")
    contact = Contact.objects.create(
        service=detox_service, name="Sam Nurse", title="Lead nurse", email="sam@brt.example"
    )
    Phone.objects.create(contact=contact, number="07700 900000")
    Language.objects.create(service=detox_service, name="Polish", code="pl", note="Some staff")
    CostOption.objects.create(
        service=detox_service, option="Free", amount=Decimal("0.00"), amount_description="No charge"
    )
    ServiceArea.objects.create(service=detox_service, name="Basildon", extent="SS14,SS15", extent_type="postcodes")
    ServiceCapacity.objects.create(service=detox_service, unit=CapacityUnit.BEDS, available=2, maximum=10)
    ServiceCapacity.objects.create(service=detox_service, unit=CapacityUnit.WAIT_WEEKS, available=3)
    Attribute.objects.create(service=detox_service, taxonomy_term=detox)

    peer_service = Service.objects.create(
        organisation=charity, name="Peer mentoring", description="Meet someone in recovery.", minimum_age=16
    )
    ServiceAtLocation.objects.create(service=peer_service, location=far)
    Schedule.objects.create(service=peer_service, byday="TU", opens_at=dt.time(18), closes_at=dt.time(20))
    Attribute.objects.create(service=peer_service, taxonomy_term=peer)

    helpline = Service.objects.create(
        organisation=charity,
        name="Family helpline",
        description="Support for families, by phone and online.",
        offers_in_person=False,
        offers_online=True,
        offers_phone=True,
        is_county_wide=True,
        status=ServiceStatus.TEMPORARILY_CLOSED,
        status_note="Back in June.",
    )
    ServiceAtLocation.objects.create(service=helpline, location=online)
    Attribute.objects.create(service=helpline, taxonomy_term=housing)

    bare = Service.objects.create(organisation=trust, name="Bare listing", description="")
    hidden = Service.objects.create(organisation=trust, name="Closed for good", description="Gone.", status="defunct")
    for service in (detox_service, peer_service, helpline, bare, hidden):
        service_reindex(service)
    return {
        "taxonomy": tax,
        "terms": {"detox": detox, "peer": peer, "housing": housing},
        "services": {
            "detox": detox_service,
            "peer": peer_service,
            "helpline": helpline,
            "bare": bare,
            "hidden": hidden,
        },
        "locations": {"centre": centre, "hub": hub, "far": far, "online": online},
    }


def add_plain_services(count: int, organisation: Organisation | None = None) -> list[Service]:
    """Many services each with a location, schedule, contact and term, for query counts."""
    organisation = organisation or _org("Bulk Provider")
    tax, _ = Taxonomy.objects.get_or_create(name="Bulk", defaults={"description": "Bulk terms"})
    term, _ = TaxonomyTerm.objects.get_or_create(
        taxonomy=tax, code="bulk", defaults={"name": "Bulk", "description": ""}
    )
    services = []
    for index in range(count):
        service = Service.objects.create(organisation=organisation, name=f"Bulk service {index:03d}", description="x")
        location = _location(f"Bulk place {index}", BASILDON_SS14, "SS14 1AB")
        link = ServiceAtLocation.objects.create(service=service, location=location)
        Schedule.objects.create(service_at_location=link, byday="MO", opens_at=dt.time(9), closes_at=dt.time(17))
        Schedule.objects.create(service=service, byday="TU", opens_at=dt.time(9), closes_at=dt.time(17))
        contact = Contact.objects.create(service=service, name="Someone")
        Phone.objects.create(contact=contact, number="01000 000000")
        Phone.objects.create(service=service, number="01000 000001")
        Language.objects.create(service=service, name="English", code="en")
        CostOption.objects.create(service=service, option="Free")
        ServiceArea.objects.create(service=service, name="Essex")
        ServiceCapacity.objects.create(service=service, unit=CapacityUnit.PLACES, available=1)
        Attribute.objects.create(service=service, taxonomy_term=term)
        services.append(service)
    return services
