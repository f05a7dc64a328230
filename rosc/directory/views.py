"""Public directory pages: search for services, and one service's page.

The directory is public information: anyone may use these pages without
an account, and they show no personal data.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rosc.directory import search, selectors
from rosc.directory.forms import ServiceSearchForm
from rosc.directory.models import CapacityUnit, ServiceStatus

_FORM_FIELDS = ("q", "where", "distance", "domains", "needs", "modes", "day", "open_now", "age", "capacity")


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def service_search(request: HttpRequest) -> HttpResponse:
    terms = selectors.directory_terms()
    searched = any(name in request.GET for name in (*_FORM_FIELDS, "page"))
    form = ServiceSearchForm(request.GET if searched else None, terms=terms)
    outcome = None
    text = request.GET.get("q", "")[:200]
    if searched and form.is_valid():
        outcome = selectors.service_search(form.to_request(), terms=terms, page_number=request.GET.get("page"))
        understood = outcome.understood
        danger = outcome.danger
    else:
        # Bad input elsewhere on the form must not hide crisis help or notices.
        understood = selectors.understand(text, terms)
        danger = search.suggests_danger(text) or "crisis" in understood.codes
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "outcome": outcome,
            "page": outcome.page if outcome else None,
            "query": _query_without_page(request),
            "searched": searched,
            "danger": danger,
            "notices": understood.notices,
            "filters_open": form.filters_used(),
            "short_wait_weeks": search.SHORT_WAIT_WEEKS,
        },
    )


@require_GET
def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = selectors.service_public(service_id)
    attributes = [a.taxonomy_term for a in service.attributes.all()]
    locations = [sal.location for sal in service.service_at_locations.all()]
    places = [loc for loc in locations if loc.location_type != "virtual"]
    capacities = list(service.capacities.all())
    return render(
        request,
        "directory/service.html",
        {
            "service": service,
            "domains": [t for t in attributes if t.kind == "domain"],
            "needs": [t for t in attributes if t.kind == "need"],
            "places": places,
            "opening": selectors.opening_times(service),
            "ages": search.describe_ages(service.minimum_age, service.maximum_age),
            "places_free": [c for c in capacities if c.unit in (CapacityUnit.BEDS, CapacityUnit.PLACES)],
            "waits": [c for c in capacities if c.unit == CapacityUnit.WAIT_WEEKS],
            "wait_text": search.describe_wait(service.wait_weeks) if service.wait_weeks is not None else "",
            "is_temporarily_closed": service.status == ServiceStatus.TEMPORARILY_CLOSED,
            "is_not_running": service.status in (ServiceStatus.INACTIVE, ServiceStatus.DEFUNCT),
        },
    )
