"""Writes for the directory. Every user-facing change is audited in its transaction."""

from __future__ import annotations

from collections.abc import Iterable

from rosc.directory import search_index
from rosc.directory.models import CapacityUnit, LocationType, Service, ServiceAtLocation, ServiceCapacity


def build_search_text(service: Service) -> str:
    """Lower-case words people might search for: names, description and the
    service's taxonomy terms with their synonyms."""
    return search_text_of(
        [service.name, service.description, service.eligibility, service.organisation.name],
        [(term.name, term.synonyms) for term in service.terms.all()],
    )


def search_text_of(texts: Iterable[str], terms: Iterable[tuple[str, str]]) -> str:
    """``build_search_text`` from plain values: the service's own texts, then each
    term's name and synonyms (one per line), in the terms' usual order."""
    parts = list(texts)
    for name, synonyms in terms:
        parts.append(name)
        parts.extend(line.strip() for line in synonyms.splitlines() if line.strip())
    return " ".join(" ".join(parts).lower().split())


def service_reindex(service: Service) -> Service:
    """Recompute the denormalised search and capacity fields, and the service's
    rows in the search index, from the related rows.

    Internal housekeeping called by actions, seeding and import; it changes no
    published fact, so it writes no audit row of its own.
    """
    capacities = list(ServiceCapacity.objects.filter(service=service))
    places = [c for c in capacities if c.unit in (CapacityUnit.BEDS, CapacityUnit.PLACES) and c.available is not None]
    waits = [c.available for c in capacities if c.unit == CapacityUnit.WAIT_WEEKS and c.available is not None]
    service.has_capacity = any(c.available and c.available > 0 for c in places) if places else None
    service.wait_weeks = min(waits) if waits else None
    service.search_text = build_search_text(service)
    service.has_place = (
        ServiceAtLocation.objects.filter(service=service).exclude(location__location_type=LocationType.VIRTUAL).exists()
    )
    service.save(update_fields=["has_capacity", "wait_weeks", "search_text", "has_place"])
    search_index.rebuild([service.pk])
    return service
