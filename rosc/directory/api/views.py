"""The Open Referral UK (HSDS 3.0 UK profile) API, read-only and open to all.

Lists are paginated with the ORUK page envelope (``total_items``,
``total_pages``, ``page_number``, ``size``, ``first_page``, ``last_page``,
``empty``, ``contents``). ``per_page`` defaults to 50; more than 200 is served
as 200. Only services that are active or temporarily closed are published
(inactive and defunct ones are hidden everywhere in the API).

Each page costs a fixed number of queries: one count, one page of rows and one
query per kind of related row (``prefetch_related`` with ``Prefetch``), however
many services the page holds.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from rosc.directory import geo
from rosc.directory.api import serializers
from rosc.directory.api.http import BadParameters, error_response, json_response, oruk_endpoint
from rosc.directory.api.openapi import openapi_document
from rosc.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
    Weekday,
)
from rosc.directory.selectors import id_key, plain_rows

VISIBLE_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_SEARCH_WORDS = 12
# Up to this many nearby candidates are checked against the filters with one IN list
# (SQLite accepts up to 32,766 parameters); beyond it, all allowed ids are read instead.
MAX_CANDIDATE_IDS = 30000
API_VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
DAY_NAMES = {label.lower(): code for code, label in Weekday.choices} | {code.lower(): code for code in Weekday.values}


# --- Reading the query string -------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class ServiceFilters:
    words: tuple[str, ...] = ()
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    day: str | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    modified_after: dt.datetime | None = None
    place: geo.Place | None = None
    radius_km: float | None = None

    def only_place(self) -> bool:
        """No filter but where: every visible service near the place counts."""
        return not (
            self.words
            or self.taxonomy_term_id
            or self.taxonomy_id
            or self.minimum_age is not None
            or self.maximum_age is not None
            or self.day
            or self.start_time
            or self.end_time
            or self.modified_after
        )


def _integer(params: QueryDict, name: str, problems: list[str], *, default: int, minimum: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name} must be a whole number, like {name}=2 (you sent {raw!r}).")
        return default
    if value < minimum:
        problems.append(f"{name} must be {minimum} or more (you sent {value}).")
        return default
    return value


def _number(params: QueryDict, name: str, problems: list[str]) -> float | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        problems.append(f"{name} must be a number of years, like {name}=18 (you sent {raw!r}).")
        return None
    if not math.isfinite(value) or value < 0 or value > 150:
        problems.append(f"{name} must be between 0 and 150 (you sent {raw!r}).")
        return None
    return value


def _uuid(params: QueryDict, name: str, problems: list[str]) -> uuid.UUID | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        problems.append(f"{name} must be a UUID, like 3f7b145d-84af-42d7-8fae-eaca714b02b2 (you sent {raw!r}).")
        return None


def _time(params: QueryDict, name: str, problems: list[str]) -> dt.time | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        problems.append(f"{name} must be a time of day in 24-hour form, like {name}=09:30 (you sent {raw!r}).")
        return None


def _day(params: QueryDict, problems: list[str]) -> str | None:
    raw = params.get("day", "").strip()
    if not raw:
        return None
    code = DAY_NAMES.get(raw.lower())
    if code is None:
        problems.append(f"day must be a day of the week, like day=MO or day=Monday (you sent {raw!r}).")
    return code


def _modified_after(params: QueryDict, problems: list[str]) -> dt.datetime | None:
    raw = params.get("modified_after", "").strip()
    if not raw:
        return None
    candidates = [raw]
    if " " in raw:  # an unencoded '+' in a time zone offset arrives as a space
        head, _, tail = raw.rpartition(" ")
        candidates.append(f"{head}+{tail}")
    for text in candidates:
        try:
            moment = parse_datetime(text)
            if moment is None:
                day = parse_date(text)
                moment = dt.datetime.combine(day, dt.time.min) if day else None
        except ValueError:
            moment = None
        if moment is not None:
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    problems.append(
        f"modified_after must be a date or date and time, like modified_after=2024-05-01T09:00:00Z (you sent {raw!r})."
    )
    return None


def read_paging(params: QueryDict, problems: list[str]) -> Paging:
    page = _integer(params, "page", problems, default=1, minimum=1)
    per_page = _integer(params, "per_page", problems, default=DEFAULT_PER_PAGE, minimum=1)
    return Paging(page=page, per_page=min(per_page, MAX_PER_PAGE))


def read_service_filters(params: QueryDict, problems: list[str]) -> ServiceFilters:
    """The ORUK service filters, checked; wrong values are added to ``problems``.

    ``minimum_age`` and ``maximum_age`` follow the ORUK wording literally:
    services whose minimum age is at least the value (no minimum counts as 0),
    and services whose maximum age is at most the value (no maximum never
    matches). ``start_time``/``end_time``/``day`` must all hold for one
    schedule of the service (or of one of its locations).
    """
    search = params.get("search", "").strip().lower()
    words = tuple(search.split()[:MAX_SEARCH_WORDS])
    minimum_age = _number(params, "minimum_age", problems)
    maximum_age = _number(params, "maximum_age", problems)
    place, radius_km = None, None
    postcode = params.get("postcode", "").strip()
    proximity = params.get("proximity", "").strip()
    if postcode:
        try:
            place = geo.place_for(postcode[:12])
        except geo.PostcodeNotRecognised:
            problems.append(
                f"postcode must be a UK postcode or postcode district we know, like SS14 1AB (you sent {postcode!r})."
            )
    if proximity:
        try:
            metres = float(proximity)
        except ValueError:
            metres = math.nan
        if not math.isfinite(metres) or metres <= 0:
            problems.append(
                f"proximity must be a distance in metres greater than 0, like proximity=5000 (you sent {proximity!r})."
            )
        elif not postcode:
            problems.append("proximity needs a postcode to measure from, like postcode=SS14&proximity=5000.")
        else:
            radius_km = metres / 1000
    if place is not None and radius_km is None:
        radius_km = settings.ROSC_API_DEFAULT_PROXIMITY_METRES / 1000
    return ServiceFilters(
        words=words,
        taxonomy_term_id=_uuid(params, "taxonomy_term_id", problems),
        taxonomy_id=_uuid(params, "taxonomy_id", problems),
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        day=_day(params, problems),
        start_time=_time(params, "start_time", problems),
        end_time=_time(params, "end_time", problems),
        modified_after=_modified_after(params, problems),
        place=place,
        radius_km=radius_km,
    )


# --- Querying -------------------------------------------------------------------------


def visible_services() -> QuerySet[Service]:
    return Service.objects.filter(status__in=VISIBLE_STATUSES)


def _by_pk(lookup: str, model: Any, queryset: QuerySet[Any] | None = None) -> Prefetch:
    return Prefetch(lookup, queryset=(queryset if queryset is not None else model.objects.all()).order_by("pk"))


def _location_prefetches(prefix: str) -> list[Any]:
    return [
        _by_pk(f"{prefix}addresses", Address),
        _by_pk(f"{prefix}accessibility", Accessibility),
        _by_pk(f"{prefix}phones", Phone),
    ]


def service_prefetches() -> list[Any]:
    """Everything a fully nested service needs, one query per kind of row, in the
    same order as a page of services lists them (``attach_related``)."""
    schedule_order = ("byday", "opens_at", "id")
    return [
        # A schedule tied to a location is published under that service_at_location only.
        Prefetch(
            "schedules",
            queryset=Schedule.objects.filter(service_at_location__isnull=True).order_by(*schedule_order),
        ),
        _by_pk("service_areas", ServiceArea),
        _by_pk("languages", Language),
        _by_pk("cost_options", CostOption),
        _by_pk("capacities", ServiceCapacity),
        _by_pk("contacts", Contact, Contact.objects.prefetch_related(_by_pk("phones", Phone))),
        _by_pk("phones", Phone, Phone.objects.filter(contact__isnull=True)),
        _by_pk(
            "service_at_locations",
            ServiceAtLocation,
            ServiceAtLocation.objects.select_related("location").prefetch_related(
                *_location_prefetches("location__"),
                Prefetch("schedules", queryset=Schedule.objects.order_by(*schedule_order)),
            ),
        ),
        _by_pk("attributes", Attribute, Attribute.objects.select_related("taxonomy_term__taxonomy")),
    ]


def _grouped(rows: Iterable[Any], key: str) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


def _attach(owners: Iterable[Any], name: str, groups: dict[Any, list[Any]]) -> None:
    for owner in owners:
        owner.__dict__.setdefault("_rel", {})[name] = groups.get(owner.pk, [])


class _Row(SimpleNamespace):
    """A row read as plain values for the serializers: the model's fields by their
    attribute names (``service_id`` ...) and ``pk``, without a model instance."""


def _light(queryset: QuerySet[Any], *, join: str = "") -> list[Any]:
    """The rows of ``queryset`` as ``_Row`` objects. ``join`` names a forward
    relation read in the same query and set on each row as its own ``_Row``."""
    names = [field.attname for field in queryset.model._meta.concrete_fields]
    joined: list[str] = []
    if join:
        related = queryset.model._meta.get_field(join).related_model
        joined = [field.attname for field in related._meta.concrete_fields]
    rows = []
    for values in queryset.values_list(*names, *(f"{join}__{name}" for name in joined)):
        row = _Row(**dict(zip(names, values[: len(names)], strict=True)))
        row.pk = row.id
        if join:
            other = _Row(**dict(zip(joined, values[len(names) :], strict=True)))
            other.pk = other.id
            setattr(row, join, other)
        rows.append(row)
    return rows


def attach_related(services: list[Service]) -> list[Service]:
    """Load everything a fully nested service needs: one query per kind of row,
    as ``service_prefetches`` would, but grouped by hand into plain lists that
    the serializers read (see ``serializers._related``). Django's prefetching
    builds a queryset per row per relation, which was a third of a 50-service
    page's time; the related rows are read as plain values (``_light``), not
    model instances, which was another third. A test checks that each service
    on a page is exactly what its own page (read with prefetching) says."""
    if not services:
        return services
    ids = [service.pk for service in services]
    _attach(
        services,
        "schedules",
        _grouped(
            _light(
                Schedule.objects.filter(service_id__in=ids, service_at_location__isnull=True).order_by(
                    "byday", "opens_at", "id"
                )
            ),
            "service_id",
        ),
    )
    service_rows: tuple[tuple[str, Any], ...] = (
        ("service_areas", ServiceArea),
        ("languages", Language),
        ("cost_options", CostOption),
        ("capacities", ServiceCapacity),
    )
    for name, model in service_rows:
        _attach(services, name, _grouped(_light(model.objects.filter(service_id__in=ids).order_by("pk")), "service_id"))
    contacts = _light(Contact.objects.filter(service_id__in=ids).order_by("pk"))
    _attach(
        contacts,
        "phones",
        _grouped(_light(Phone.objects.filter(contact__in=[c.pk for c in contacts]).order_by("pk")), "contact_id"),
    )
    _attach(services, "contacts", _grouped(contacts, "service_id"))
    _attach(
        services,
        "phones",
        _grouped(_light(Phone.objects.filter(service_id__in=ids, contact__isnull=True).order_by("pk")), "service_id"),
    )
    links = _light(ServiceAtLocation.objects.filter(service_id__in=ids).order_by("pk"), join="location")
    places = [link.location for link in links]
    place_ids = [place.pk for place in places]
    addresses = _light(Address.objects.filter(location_id__in=place_ids).order_by("pk"))
    _attach(places, "addresses", _grouped(addresses, "location_id"))
    access = _light(Accessibility.objects.filter(location_id__in=place_ids).order_by("pk"))
    _attach(places, "accessibility", _grouped(access, "location_id"))
    _attach(
        places,
        "phones",
        _grouped(_light(Phone.objects.filter(location_id__in=place_ids).order_by("pk")), "location_id"),
    )
    _attach(
        links,
        "schedules",
        _grouped(
            _light(
                Schedule.objects.filter(service_at_location__in=[link.pk for link in links]).order_by(
                    "byday", "opens_at", "id"
                )
            ),
            "service_at_location_id",
        ),
    )
    _attach(services, "service_at_locations", _grouped(links, "service_id"))
    # A page's tags share a few dozen terms: each term (with its taxonomy) is made once.
    attributes = _light(Attribute.objects.filter(service_id__in=ids).order_by("pk"))
    terms = TaxonomyTerm.objects.filter(pk__in={attr.taxonomy_term_id for attr in attributes})
    by_id = {term.pk: term for term in terms.select_related("taxonomy")}
    for attr in attributes:
        attr.taxonomy_term = by_id[attr.taxonomy_term_id]
    _attach(services, "attributes", _grouped(attributes, "service_id"))
    return services


def filter_services(services: QuerySet[Service], filters: ServiceFilters) -> QuerySet[Service]:
    """Apply every filter but distance (see :func:`nearest_first`)."""
    for word in filters.words:
        services = services.filter(search_text__contains=word)
    if filters.taxonomy_term_id:
        services = services.filter(
            Exists(Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term_id=filters.taxonomy_term_id))
        )
    if filters.taxonomy_id:
        services = services.filter(
            Exists(Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term__taxonomy_id=filters.taxonomy_id))
        )
    if filters.minimum_age is not None:
        services = services.annotate(min_age_or_zero=Coalesce("minimum_age", 0)).filter(
            min_age_or_zero__gte=filters.minimum_age
        )
    if filters.maximum_age is not None:
        services = services.filter(maximum_age__lte=filters.maximum_age)
    if filters.day or filters.start_time or filters.end_time:
        schedules = Schedule.objects.filter(Q(service=OuterRef("pk")) | Q(service_at_location__service=OuterRef("pk")))
        if filters.day:
            schedules = schedules.filter(byday__contains=filters.day)
        if filters.start_time:
            schedules = schedules.filter(opens_at__gte=filters.start_time)
        if filters.end_time:
            schedules = schedules.filter(closes_at__lte=filters.end_time)
        services = services.filter(Exists(schedules))
    if filters.modified_after:
        services = services.filter(last_modified__gte=filters.modified_after)
    return services


def _within(
    place: geo.Place, radius_km: float, rows: Sequence[tuple[Any, float | None, float | None]]
) -> dict[Any, float]:
    """Exact haversine distances of (key, lat, lon) rows within the radius; nearest per key."""
    best: dict[Any, float] = {}
    for key, latitude, longitude in rows:
        if latitude is None or longitude is None:
            continue
        distance = geo.distance_km(place.latitude, place.longitude, latitude, longitude)
        if distance <= radius_km and distance < best.get(key, math.inf):
            best[key] = distance
    return best


def _box(place: geo.Place, radius_km: float, prefix: str) -> dict[str, float]:
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(place.latitude, place.longitude, radius_km)
    return {
        f"{prefix}latitude__gte": min_lat,
        f"{prefix}latitude__lte": max_lat,
        f"{prefix}longitude__gte": min_lon,
        f"{prefix}longitude__lte": max_lon,
    }


def nearest_first(
    services: QuerySet[Service], place: geo.Place, radius_km: float, *, only_visible: bool = False
) -> list[str]:
    """Keys (``selectors.id_key``) of services near a postcode, nearest first.

    A service is near when one of its locations lies within ``radius_km`` of
    the postcode district's centre (a bounding box on latitude/longitude finds
    candidates, then the exact great-circle distance decides). Services that
    cannot be placed on a map are NOT dropped: county-wide services and
    services with no location that has coordinates (online, phone, outreach)
    reach people wherever they live, so they follow the located services, in
    name order. Services whose every site is beyond the radius are dropped.

    ``only_visible``: ``services`` is every visible service, with no other
    filter, so the box query checks the status itself. Rows are read as plain
    tuples: a wide radius finds thousands of places.
    """
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(place.latitude, place.longitude, radius_km)
    box: dict[str, Any] = dict(_box(place, radius_km, "location__"))
    if only_visible:
        box["service__status__in"] = VISIBLE_STATUSES
    candidates: list[tuple[str, float | None, float | None]] = []
    # Grid cells find the candidates through an index; places without a cell by the box alone.
    for where in (
        Q(location__geocell__in=geo.cells_for_box(min_lat, max_lat, min_lon, max_lon)),
        Q(location__geocell__isnull=True),
    ):
        rows = ServiceAtLocation.objects.filter(where, **box).order_by()
        candidates.extend(
            (id_key(sid), lat, lon)
            for sid, lat, lon in plain_rows(rows.values_list("service_id", "location__latitude", "location__longitude"))
        )
    if not only_visible:
        # Keep the candidates whose service passes the filters, in one query. Filtering
        # inside the box query would make the database start from every service instead.
        candidate_ids = list({row[0] for row in candidates})
        if len(candidate_ids) <= MAX_CANDIDATE_IDS:
            allowed = {id_key(pk) for pk in services.filter(pk__in=candidate_ids).values_list("pk", flat=True)}
        else:  # a huge radius: reading every allowed id is cheaper than a vast IN list
            allowed = {id_key(pk) for pk in services.values_list("pk", flat=True)}
        candidates = [row for row in candidates if row[0] in allowed]
    distances = _within(place, radius_km, candidates)
    located = ServiceAtLocation.objects.filter(
        service=OuterRef("pk"), location__latitude__isnull=False, location__longitude__isnull=False
    )
    # "Cannot be placed on a map": county-wide (within always_listed), no place to visit
    # at all (has_place), or every place lacks coordinates. The first two are read through
    # partial indexes, which SQLite can use for a bare true/false column. Only services
    # with a place missing coordinates (few) need the slower check that none has them.
    missing_coordinates = ServiceAtLocation.objects.filter(location__latitude__isnull=True).values("service_id")
    # Three narrow queries joined with UNION, each able to use its own index; one
    # filter with OR made PostgreSQL read every service.
    fields = ("name", "id")
    unordered = services.order_by()
    everywhere = (
        unordered.filter(always_listed=True)
        .values_list(*fields)
        .union(
            unordered.filter(has_place=False).values_list(*fields),
            unordered.filter(pk__in=missing_coordinates).filter(~Exists(located)).values_list(*fields),
        )
        .order_by("name", "id")
    )
    near = sorted(distances, key=lambda key: (distances[key], key))
    seen = set(near)
    return near + [key for _name, pk in plain_rows(everywhere) if (key := id_key(pk)) not in seen]


def page_envelope(*, total: int, paging: Paging, contents: list[Any]) -> dict[str, Any]:
    total_pages = math.ceil(total / paging.per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }


def _in_order(rows: Sequence[Any], ids: Sequence[Any]) -> list[Any]:
    """The rows in the order of ``ids`` (UUIDs or ``id_key`` keys)."""
    by_key = {id_key(row.pk): row for row in rows}
    return [by_key[key] for key in map(id_key, ids) if key in by_key]


def _parse_id(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _not_found(kind: str, raw: str) -> HttpResponse:
    return error_response(404, [f"There is no {kind} with the id {raw!r}."])


def _check(problems: list[str]) -> None:
    if problems:
        raise BadParameters(problems)


# --- Views ------------------------------------------------------------------------------


@oruk_endpoint
def api_root(request: HttpRequest) -> HttpResponse:
    return json_response(
        {
            "version": API_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("oruk:openapi")),
        }
    )


@oruk_endpoint
def openapi(request: HttpRequest) -> HttpResponse:
    return json_response(openapi_document(server_url=request.build_absolute_uri(reverse("oruk:root"))))


def _paged_services(
    request: HttpRequest, render: Callable[[list[Service]], list[Any]], *, full: bool
) -> dict[str, Any]:
    problems: list[str] = []
    paging = read_paging(request.GET, problems)
    filters = read_service_filters(request.GET, problems)
    _check(problems)
    services = filter_services(visible_services(), filters)
    page_rows = services.select_related("organisation").defer("search_text")
    if filters.place is not None and filters.radius_km is not None:
        keys = nearest_first(services, filters.place, filters.radius_km, only_visible=filters.only_place())
        total = len(keys)
        page_keys = keys[paging.offset : paging.offset + paging.per_page]
        rows = _in_order(list(page_rows.filter(pk__in=page_keys)), page_keys) if page_keys else []
    else:
        total = services.count()
        window = slice(paging.offset, paging.offset + paging.per_page)
        rows = list(page_rows.order_by("name", "id")[window]) if paging.offset < total else []
    if full:
        attach_related(rows)
    return page_envelope(total=total, paging=paging, contents=render(rows))


@oruk_endpoint
def service_list(request: HttpRequest) -> HttpResponse:
    """Services, fully nested (a superset of the ORUK ``service_list`` item, so
    one harvest of the pages gets everything without a request per service)."""
    return json_response(_paged_services(request, lambda rows: [serializers.service(row) for row in rows], full=True))


@oruk_endpoint
def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    pk = _parse_id(service_id)
    service = (
        visible_services().select_related("organisation").prefetch_related(*service_prefetches()).filter(pk=pk).first()
        if pk
        else None
    )
    if service is None:
        return _not_found("service", service_id)
    return json_response(serializers.service(service))


def _sal_rows() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.select_related("service__organisation", "location").prefetch_related(
        *_location_prefetches("location__"), "schedules"
    )


@oruk_endpoint
def service_at_location_list(request: HttpRequest) -> HttpResponse:
    """Where each service is delivered: the location and a summary of the service.

    With ``postcode`` the rows are ordered nearest first and rows beyond
    ``proximity`` are dropped; rows whose location has no coordinates come last.
    """
    problems: list[str] = []
    paging = read_paging(request.GET, problems)
    filters = read_service_filters(request.GET, problems)
    _check(problems)
    services = filter_services(visible_services(), filters)
    links = ServiceAtLocation.objects.filter(service__in=services.values("pk"))
    rows: list[ServiceAtLocation]
    if filters.place is not None and filters.radius_km is not None:
        candidates = links.filter(**_box(filters.place, filters.radius_km, "location__"))
        distances = _within(
            filters.place,
            filters.radius_km,
            list(candidates.values_list("id", "location__latitude", "location__longitude")),
        )
        unplaced = links.filter(Q(location__latitude__isnull=True) | Q(location__longitude__isnull=True)).order_by(
            "service__name", "location__name", "id"
        )
        ids = sorted(distances, key=lambda key: (distances[key], key)) + list(unplaced.values_list("id", flat=True))
        total = len(ids)
        page_ids = ids[paging.offset : paging.offset + paging.per_page]
        rows = _in_order(list(_sal_rows().filter(pk__in=page_ids)), page_ids) if page_ids else []
    else:
        total = links.count()
        ordered = (
            _sal_rows().filter(service__in=services.values("pk")).order_by("service__name", "location__name", "id")
        )
        window = slice(paging.offset, paging.offset + paging.per_page)
        rows = list(ordered.defer("service__search_text")[window]) if paging.offset < total else []
    contents = [
        serializers.service_at_location(row, nested_service=serializers.service_summary(row.service)) for row in rows
    ]
    return json_response(page_envelope(total=total, paging=paging, contents=contents))


@oruk_endpoint
def service_at_location_detail(request: HttpRequest, service_at_location_id: str) -> HttpResponse:
    pk = _parse_id(service_at_location_id)
    link = (
        ServiceAtLocation.objects.filter(pk=pk, service__status__in=VISIBLE_STATUSES).only("id", "service_id").first()
        if pk
        else None
    )
    if link is None:
        return _not_found("service at location", service_at_location_id)
    service = (
        Service.objects.select_related("organisation").prefetch_related(*service_prefetches()).get(pk=link.service_id)
    )
    chosen = next(row for row in service.service_at_locations.all() if row.pk == link.pk)
    return json_response(serializers.service_at_location(chosen, nested_service=serializers.service(service)))


@oruk_endpoint
def taxonomy_list(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    paging = read_paging(request.GET, problems)
    _check(problems)
    taxonomies = Taxonomy.objects.order_by("name", "id")
    total = taxonomies.count()
    rows = list(taxonomies[paging.offset : paging.offset + paging.per_page])
    return json_response(
        page_envelope(total=total, paging=paging, contents=[serializers.taxonomy(row) for row in rows])
    )


@oruk_endpoint
def taxonomy_detail(request: HttpRequest, taxonomy_id: str) -> HttpResponse:
    pk = _parse_id(taxonomy_id)
    found = (
        Taxonomy.objects.prefetch_related(
            Prefetch("terms", queryset=TaxonomyTerm.objects.order_by("position", "name", "id"))
        )
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if found is None:
        return _not_found("taxonomy", taxonomy_id)
    return json_response(serializers.taxonomy(found, terms=list(found.terms.all())))


@oruk_endpoint
def taxonomy_term_list(request: HttpRequest) -> HttpResponse:
    """Taxonomy terms; ``taxonomy_id`` narrows them to one taxonomy."""
    problems: list[str] = []
    paging = read_paging(request.GET, problems)
    taxonomy_id = _uuid(request.GET, "taxonomy_id", problems)
    _check(problems)
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "position", "name", "id")
    if taxonomy_id:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    total = terms.count()
    rows = list(terms[paging.offset : paging.offset + paging.per_page])
    return json_response(
        page_envelope(total=total, paging=paging, contents=[serializers.taxonomy_term(row) for row in rows])
    )


@oruk_endpoint
def taxonomy_term_detail(request: HttpRequest, taxonomy_term_id: str) -> HttpResponse:
    pk = _parse_id(taxonomy_term_id)
    term = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=pk).first() if pk else None
    if term is None:
        return _not_found("taxonomy term", taxonomy_term_id)
    return json_response(serializers.taxonomy_term(term))


@oruk_endpoint
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, [f"There is nothing at {request.path}. Start at {reverse('oruk:root')}."])
