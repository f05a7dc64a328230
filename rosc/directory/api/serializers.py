"""Directory rows as Open Referral UK (HSDS 3.0 UK profile) dictionaries.

Plain functions, no framework. Each takes rows whose relations were already
fetched (see ``views.SERVICE_PREFETCH``) and never queries the database, so a
page of services costs the same number of queries whatever its size.

The UK profile drops a few HSDS 3.0 fields (phones, language names, contact
email). Its schemas allow additional properties, so we publish those fields
under their HSDS 3.0 names: a person looking for help needs the phone number.
Open ROSC facts that HSDS has no field for are published with an ``x_`` prefix
(``x_offers_online``, ``x_is_county_wide`` ...) so that ``import_oruk`` can read
our own feeds back without loss. Empty optional values are left out rather
than sent as ``""`` or ``null`` (``format: uri``/``email`` fields would not
validate as empty strings).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from rosc.core.models import Organisation
from rosc.directory.models import (
    Accessibility,
    Address,
    Attribute,
    CapacityUnit,
    Contact,
    CostOption,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
)

Json = dict[str, Any]

# Open ROSC's own service facts, published with an x_ prefix (see module docstring).
SERVICE_EXTENSIONS = (
    "offers_in_person",
    "offers_online",
    "offers_phone",
    "is_county_wide",
    "is_illustrative",
    "status_note",
)


def _related(row: Any, name: str) -> list[Any]:
    """Rows prefetched for ``name``, read straight from the prefetch cache: calling
    ``.all()`` on each related manager costs a queryset clone per row per relation,
    a quarter of an API page's time at 50 services."""
    attached = row.__dict__.get("_rel", {})
    if name in attached:
        return list(attached[name])
    cache = getattr(row, "_prefetched_objects_cache", {})
    if name in cache:
        return list(cache[name])
    return list(getattr(row, name).all())


def _put(data: Json, key: str, value: Any) -> None:
    """Set ``key`` unless the value is empty (``None`` or ``""``)."""
    if value is not None and value != "":
        data[key] = value


def datetime_text(value: dt.datetime) -> str:
    """An aware datetime as UTC ISO 8601 with milliseconds: 2023-03-15T10:30:45.123Z."""
    value = timezone.localtime(value, dt.UTC) if timezone.is_aware(value) else value
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def organization(org: Organisation) -> Json:
    data: Json = {"id": str(org.uuid), "name": org.name, "description": org.description}
    _put(data, "email", org.email)
    _put(data, "website", org.website)
    return data


def taxonomy(tax: Taxonomy, *, terms: list[TaxonomyTerm] | None = None) -> Json:
    data: Json = {"id": str(tax.id), "name": tax.name, "description": tax.description}
    _put(data, "uri", tax.uri)
    _put(data, "version", tax.version)
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term(term, tax=tax) for term in terms]
    return data


def taxonomy_term(term: TaxonomyTerm, *, tax: Taxonomy | None = None) -> Json:
    """A term; ``tax`` is its taxonomy when the caller has it (else ``term.taxonomy``)."""
    tax = tax or term.taxonomy
    data: Json = {
        "id": str(term.id),
        "code": term.code,
        "name": term.name,
        "description": term.description,
        "term": term.name,
        "taxonomy": tax.name,
        "taxonomy_id": str(tax.id),
    }
    if term.parent_id:
        data["parent_id"] = str(term.parent_id)
    _put(data, "term_uri", term.term_uri)
    data["x_kind"] = term.kind
    data["x_position"] = term.position
    _put(data, "x_synonyms", term.synonyms)
    return data


def attribute_fields(attr: Attribute) -> Json:
    return {
        "id": str(attr.id),
        "link_id": str(attr.service_id),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": str(attr.taxonomy_term_id),
    }


def attribute(attr: Attribute) -> Json:
    term = attr.taxonomy_term
    return {
        "id": str(attr.id),
        "link_id": str(attr.service_id),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": str(attr.taxonomy_term_id),
        "taxonomy_term": taxonomy_term(term),
    }


def phone(row: Phone) -> Json:
    data: Json = {"id": str(row.id), "number": row.number}
    _put(data, "description", row.description)
    for key in ("service_id", "location_id", "contact_id"):
        value = getattr(row, key)
        if value:
            data[key] = str(value)
    return data


def schedule(row: Schedule) -> Json:
    data: Json = {"id": str(row.id), "freq": row.freq, "interval": row.interval}
    if row.service_id:
        data["service_id"] = str(row.service_id)
    if row.service_at_location_id:
        data["service_at_location_id"] = str(row.service_at_location_id)
    _put(data, "valid_from", _date(row.valid_from))
    _put(data, "valid_to", _date(row.valid_to))
    _put(data, "dtstart", _date(row.dtstart))
    _put(data, "byday", row.byday)
    _put(data, "bymonthday", row.bymonthday)
    _put(data, "opens_at", _time(row.opens_at))
    _put(data, "closes_at", _time(row.closes_at))
    _put(data, "description", row.description)
    _put(data, "attending_type", row.attending_type)
    _put(data, "notes", row.notes)
    return data


def address(row: Address) -> Json:
    data: Json = {
        "id": str(row.id),
        "location_id": str(row.location_id),
        "address_1": row.address_1,
        "city": row.city,
        "state_province": row.state_province,
        "postal_code": row.postal_code,
        "country": row.country,
        "address_type": row.address_type,
    }
    _put(data, "attention", row.attention)
    _put(data, "address_2", row.address_2)
    _put(data, "region", row.region)
    return data


def accessibility(row: Accessibility) -> Json:
    data: Json = {"id": str(row.id), "location_id": str(row.location_id)}
    _put(data, "description", row.description)
    _put(data, "details", row.details)
    _put(data, "url", row.url)
    return data


def location_fields(row: Location) -> Json:
    data: Json = {"id": str(row.id), "location_type": row.location_type}
    _put(data, "name", row.name)
    _put(data, "description", row.description)
    _put(data, "transportation", row.transport)
    _put(data, "latitude", row.latitude)
    _put(data, "longitude", row.longitude)
    _put(data, "external_identifier", row.external_identifier)
    _put(data, "external_identifier_type", row.external_identifier_type)
    return data


def location(row: Location) -> Json:
    data = location_fields(row)
    data["addresses"] = [address(item) for item in _related(row, "addresses")]
    data["accessibility"] = [accessibility(item) for item in _related(row, "accessibility")]
    data["phones"] = [phone(item) for item in _related(row, "phones")]
    return data


def service_at_location(row: ServiceAtLocation, *, nested_service: Json | None = None) -> Json:
    data: Json = {
        "id": str(row.id),
        "service_id": str(row.service_id),
        "location_id": str(row.location_id),
        "location": location(row.location),
        "schedules": [schedule(item) for item in _related(row, "schedules")],
    }
    if nested_service is not None:
        data["service"] = nested_service
    return data


def contact_fields(row: Contact) -> Json:
    data: Json = {"id": str(row.id), "service_id": str(row.service_id)}
    _put(data, "name", row.name)
    _put(data, "title", row.title)
    _put(data, "email", row.email)
    return data


def contact(row: Contact) -> Json:
    data = contact_fields(row)
    data["phones"] = [phone(item) for item in _related(row, "phones")]
    return data


def language(row: Language) -> Json:
    data: Json = {"id": str(row.id), "service_id": str(row.service_id), "name": row.name}
    _put(data, "code", row.code)
    _put(data, "note", row.note)
    return data


def cost_option(row: CostOption) -> Json:
    data: Json = {"id": str(row.id), "service_id": str(row.service_id)}
    _put(data, "option", row.option)
    if row.amount is not None:
        data["amount"] = float(row.amount)
        data["currency"] = "GBP"
    _put(data, "amount_description", row.amount_description)
    _put(data, "valid_from", _date(row.valid_from))
    _put(data, "valid_to", _date(row.valid_to))
    return data


def service_area(row: ServiceArea) -> Json:
    data: Json = {"id": str(row.id), "service_id": str(row.service_id), "name": row.name}
    _put(data, "extent", row.extent)
    _put(data, "extent_type", row.extent_type)
    _put(data, "uri", row.uri)
    return data


_UNIT_NAMES = {str(value): str(label) for value, label in CapacityUnit.choices}


def capacity_fields(row: ServiceCapacity) -> Json:
    """HSDS 3.1 ``service_capacity`` as a flat row: ``unit`` is our unit code."""
    data: Json = {
        "id": str(row.id),
        "service_id": str(row.service_id),
        "unit": row.unit,
        "updated": datetime_text(row.updated),
    }
    _put(data, "available", row.available)
    _put(data, "maximum", row.maximum)
    _put(data, "description", row.description)
    return data


def capacity(row: ServiceCapacity) -> Json:
    """HSDS 3.1 ``service_capacity``, its unit an object named by our unit code."""
    data = capacity_fields(row)
    name = _UNIT_NAMES.get(row.unit, row.unit)  # as get_unit_display, for plain rows too
    data["unit"] = {"id": row.unit, "name": name, "scheme": "openrosc", "identifier": row.unit}
    return data


def service_summary(row: Service) -> Json:
    """The one-to-one fields of a service and its organisation (``service_list`` schema)."""
    data: Json = {
        "id": str(row.id),
        "organization_id": str(row.organisation.uuid),
        "name": row.name,
        "description": row.description,
        "status": row.status,
        "last_modified": datetime_text(row.last_modified),
    }
    _put(data, "url", row.url)
    _put(data, "email", row.email)
    _put(data, "fees", row.fees)
    _put(data, "accreditations", row.accreditations)
    _put(data, "minimum_age", row.minimum_age)
    _put(data, "maximum_age", row.maximum_age)
    _put(data, "alert", row.alert)
    _put(data, "eligibility_description", row.eligibility)
    _put(data, "application_process", row.what_to_expect)
    if row.last_verified_at:
        data["assured_date"] = timezone.localdate(row.last_verified_at).isoformat()
    for name in SERVICE_EXTENSIONS:
        value = getattr(row, name)
        if value != "":
            data[f"x_{name}"] = value
    data["organization"] = organization(row.organisation)
    return data


def service(row: Service) -> Json:
    """A fully nested service (``compiled/service.json``)."""
    data = service_summary(row)
    data["schedules"] = [schedule(item) for item in _related(row, "schedules")]
    data["service_areas"] = [service_area(item) for item in _related(row, "service_areas")]
    data["service_at_locations"] = [service_at_location(item) for item in _related(row, "service_at_locations")]
    data["languages"] = [language(item) for item in _related(row, "languages")]
    data["cost_options"] = [cost_option(item) for item in _related(row, "cost_options")]
    data["contacts"] = [contact(item) for item in _related(row, "contacts")]
    data["phones"] = [phone(item) for item in _related(row, "phones")]
    data["attributes"] = [attribute(item) for item in _related(row, "attributes")]
    data["capacities"] = [capacity(item) for item in _related(row, "capacities")]
    data["funding"] = []
    return data
