"""Writes for the directory. Every user-facing change is audited in its transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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


def capacity_facts(figures: Sequence[tuple[str, int | None]]) -> tuple[bool | None, int | None]:
    """``has_capacity`` and ``wait_weeks`` from a service's (unit, available)
    capacity figures: any bed or place free (None when none is given), and the
    shortest wait in weeks."""
    places = [a for unit, a in figures if unit in (CapacityUnit.BEDS, CapacityUnit.PLACES) and a is not None]
    waits = [a for unit, a in figures if unit == CapacityUnit.WAIT_WEEKS and a is not None]
    return (any(a > 0 for a in places) if places else None), (min(waits) if waits else None)


def service_reindex(service: Service) -> Service:
    """Recompute the denormalised search and capacity fields, and the service's
    rows in the search index, from the related rows.

    Internal housekeeping called by actions, seeding and import; it changes no
    published fact, so it writes no audit row of its own.
    """
    figures = list(ServiceCapacity.objects.filter(service=service).values_list("unit", "available"))
    service.has_capacity, service.wait_weeks = capacity_facts(figures)
    service.search_text = build_search_text(service)
    service.has_place = (
        ServiceAtLocation.objects.filter(service=service).exclude(location__location_type=LocationType.VIRTUAL).exists()
    )
    service.save(update_fields=["has_capacity", "wait_weeks", "search_text", "has_place"])
    search_index.rebuild([service.pk])
    return service
