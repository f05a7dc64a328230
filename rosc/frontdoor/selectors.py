"""Reads for the front door: directory candidates for a pathway, and kept pathways.

The directory is public information, so the candidate reads take no actor.
A pathway is built with a fixed number of queries however big the
directory is (see ``pathway_for``):

1. the directory's terms (codes and ids);
2. with a place: how many places each map grid cell around it holds, to choose
   how far to look (``search_radius``: less far where the directory is dense);
   the ids, flags and coordinates of open services with a place in the grid
   cells within that distance, giving one of the kinds of help the plan
   needs (and, in a second query, the rare places with no grid cell or known
   only by postcode district); then the services listed whatever the place
   (online or by phone with no place to visit, or covering a whole area with a
   place within reach). With no place: only those that work from anywhere;
3. the terms of every candidate, in one query;
4. for the shortlist the engine picks (a few dozen at most): the services,
   their opening times, phone numbers, languages and places (one query each).

The pathway engine (``pathway.py``) does the rest in Python.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from rosc.core.memory import cycle_collector_paused
from rosc.directory import geo, search
from rosc.directory.models import (
    Attribute,
    Language,
    Location,
    LocationType,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from rosc.frontdoor import pathway
from rosc.frontdoor.answers import Answers
from rosc.frontdoor.models import Pathway, SupportRequest, token_hash


def _rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """Plain tuples for a values_list query, without Django's per-row conversion:
    a plan may read a few thousand candidate rows, and only ids, flags and
    coordinates are needed. Compare ids with ``_key``."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _key(value: Any) -> str:
    """One spelling for a UUID from the database or from Python: 32 lower-case hex digits."""
    if isinstance(value, str) and len(value) == 32:
        return value  # SQLite gives them like this already
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value).replace("-", "").lower()


_LIGHT_FIELDS = (
    "name",
    "offers_in_person",
    "offers_online",
    "offers_phone",
    "is_county_wide",
    "has_capacity",
    "wait_weeks",
    "minimum_age",
    "maximum_age",
)


def _term_codes() -> tuple[dict[str, str], dict[str, str]]:
    """(term id -> code, code -> kind) for every term: one query."""
    code_of: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    for term_id, code, kind in TaxonomyTerm.objects.values_list("id", "code", "kind"):
        code_of[_key(term_id)] = code
        kind_of.setdefault(code, kind)
    return code_of, kind_of


def _tagged(term_ids: Sequence[Any], *, outer: str) -> Q:
    return Q(Exists(Attribute.objects.filter(service_id=OuterRef(outer), taxonomy_term_id__in=term_ids)))


# The most places a plan reads around a point (an estimate): where the directory is dense, as in a big
# city at national scale, the search area shrinks until about this many places are inside it.
MAX_PLACES = 500
RADII_KM = (25.0, 20.0, 16.0, 12.0, 10.0, 8.0, 6.0, 5.0, 4.0, 3.0, 2.0)


def search_radius(latitude: float, longitude: float) -> float:
    """How far to look from a point: ``pathway.RADIUS_KM``, or less where the directory is dense.

    One query counts the places in each map grid cell (``geo.cell_of``) around the point, through
    the cell index. The places inside a smaller box are estimated from the share of each cell the
    box covers; the widest radius whose estimate stays under ``MAX_PLACES`` wins.
    """
    per_degree = geo.CELLS_PER_DEGREE
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(latitude, longitude, RADII_KM[0])
    counts = dict(
        _rows(
            Location.objects.filter(geocell__in=geo.cells_for_box(min_lat, max_lat, min_lon, max_lon))
            .order_by()
            .values("geocell")
            .annotate(places=Count("id"))
            .values_list("geocell", "places")
        )
    )
    if not counts:
        return RADII_KM[0]
    cells = [
        (lat_index, lon_index, counts.get(lat_index * 10_000 + lon_index, 0))
        for lat_index in range(math.floor(min_lat * per_degree), math.floor(max_lat * per_degree) + 1)
        for lon_index in range(math.floor(min_lon * per_degree), math.floor(max_lon * per_degree) + 1)
    ]
    for radius in RADII_KM:
        b_min_lat, b_max_lat, b_min_lon, b_max_lon = geo.bounding_box(latitude, longitude, radius)
        estimate = 0.0
        for lat_index, lon_index, places in cells:
            if not places:
                continue
            lat_share = _overlap(lat_index / per_degree, (lat_index + 1) / per_degree, b_min_lat, b_max_lat)
            lon_share = _overlap(lon_index / per_degree, (lon_index + 1) / per_degree, b_min_lon, b_max_lon)
            estimate += places * lat_share * lon_share * per_degree * per_degree
        if estimate <= MAX_PLACES:
            return radius
    return RADII_KM[-1]


def _overlap(low: float, high: float, box_low: float, box_high: float) -> float:
    return max(0.0, min(high, box_high) - max(low, box_low))


def _light_rows(answers: Answers, term_ids: Sequence[str], radius_km: float) -> list[tuple[Any, ...]]:
    """(service id, *light fields, latitude, longitude, location id, district) for every candidate place
    (the last four empty for a service read for working from anywhere)."""
    rows: list[tuple[Any, ...]] = []
    service_fields = [f"service__{name}" for name in _LIGHT_FIELDS]
    if answers.has_place:
        assert answers.latitude is not None
        assert answers.longitude is not None
        lat, lon = answers.latitude, answers.longitude
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(lat, lon, radius_km)
        box = Q(
            location__latitude__gte=min_lat,
            location__latitude__lte=max_lat,
            location__longitude__gte=min_lon,
            location__longitude__lte=max_lon,
        )
        in_cells = Q(location__geocell__in=geo.cells_for_box(min_lat, max_lat, min_lon, max_lon)) & box
        cell_unknown = Q(location__geocell__isnull=True, location__latitude__isnull=False) & box
        districts = search.outcodes_within(lat, lon, radius_km)
        by_district = Q(location__latitude__isnull=True, location__outcode__in=districts or [""])
        # Every open service with a place in the area: checking each one's kinds of help here would
        # cost more than reading them with the terms (``_candidates``) and leaving out the rest there.
        base = (
            ServiceAtLocation.objects.filter(service__status=ServiceStatus.ACTIVE)
            .exclude(location__location_type=LocationType.VIRTUAL)
            .order_by()
            .values_list(
                "service_id",
                *service_fields,
                "location__latitude",
                "location__longitude",
                "location_id",
                "location__outcode",
            )
        )
        rows += _rows(base.filter(in_cells)) + _rows(base.filter(cell_unknown | by_district))
        anywhere = Q(has_place=False) & (Q(is_county_wide=True) | Q(offers_online=True) | Q(offers_phone=True))
        if radius_km >= pathway.RADIUS_KM:
            # Where services are sparse, a service covering a whole area counts from anywhere near
            # (a place within ``search.COUNTY_REACH_KM``). Where they are dense, the many near by are enough.
            r_min_lat, r_max_lat, r_min_lon, r_max_lon = geo.bounding_box(lat, lon, search.COUNTY_REACH_KM)
            place_in_reach = (
                ServiceAtLocation.objects.filter(service_id=OuterRef("pk"))
                .exclude(location__location_type=LocationType.VIRTUAL)
                .filter(
                    location__latitude__gte=r_min_lat,
                    location__latitude__lte=r_max_lat,
                    location__longitude__gte=r_min_lon,
                    location__longitude__lte=r_max_lon,
                )
            )
            anywhere |= Q(is_county_wide=True) & Q(Exists(place_in_reach))
    else:
        # Without a place only what works from anywhere can be offered.
        anywhere = Q(has_place=False) & (Q(is_county_wide=True) | Q(offers_online=True) | Q(offers_phone=True))
    anywhere_rows = _rows(
        Service.objects.filter(status=ServiceStatus.ACTIVE, always_listed=True)
        .filter(_tagged(term_ids, outer="pk"))
        .filter(anywhere)
        .order_by()
        .values_list("id", *_LIGHT_FIELDS)
    )
    rows += [(*row, None, None, None, None) for row in anywhere_rows]
    return rows


def _attribute_rows(service_ids: Sequence[Any]) -> list[tuple[Any, Any]]:
    """(service id, term id) of these services, given as the database returned them. Plain SQL: a
    plan may have a thousand candidates, and turning each id back into a UUID only to write it out
    again would cost more than the query."""
    table = connection.ops.quote_name(Attribute._meta.db_table)
    placeholders = ", ".join(["%s"] * len(service_ids))
    sql = f"SELECT service_id, taxonomy_term_id FROM {table} WHERE service_id IN ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, service_ids)
        return list(cursor.fetchall())


def _candidates(
    rows: Iterable[tuple[Any, ...]], code_of: dict[str, str], kind_of: dict[str, str], wanted: frozenset[str]
) -> dict[str, pathway.ServiceFacts]:
    """The candidates from their rows, with their kinds of help and needs (one more query); only
    those giving a kind of help (or meeting a need) in ``wanted``."""
    by_service: dict[str, list[tuple[Any, ...]]] = {}
    raw_ids: list[Any] = []
    for row in rows:
        key = _key(row[0])
        found = by_service.get(key)
        if found is None:
            by_service[key] = [row]
            raw_ids.append(row[0])
        else:
            found.append(row)
    domains: dict[str, set[str]] = {}
    needs: dict[str, set[str]] = {}
    if raw_ids:
        for sid, term_id in _attribute_rows(raw_ids):
            code = code_of.get(_key(term_id))
            if code is not None:
                (needs if kind_of.get(code) == "need" else domains).setdefault(_key(sid), set()).add(code)
    facts = {}
    empty: frozenset[str] = frozenset()
    for key, service_rows in by_service.items():
        kinds = domains.get(key, empty)
        circumstances = needs.get(key, empty)
        if not (kinds & wanted or circumstances & wanted):
            continue
        _sid, name, in_person, online, phone, wide, capacity, wait, low, high, *_place = service_rows[0]
        facts[key] = pathway.ServiceFacts(
            id=key,
            name=name,
            domains=frozenset(kinds),
            needs=frozenset(circumstances),
            in_person=bool(in_person),
            online=bool(online),
            phone=bool(phone),
            county_wide=bool(wide),
            has_capacity=None if capacity is None else bool(capacity),
            wait_weeks=wait,
            minimum_age=low,
            maximum_age=high,
            places=tuple(place for place in (_place_of(row) for row in service_rows) if place is not None),
        )
    return facts


def _place_of(row: tuple[Any, ...]) -> pathway.Place | None:
    """The place of a candidate row: its coordinates, or the centre of its postcode district."""
    latitude, longitude, location_id, outcode = row[-4:]
    if location_id is None:
        return None
    if latitude is None or longitude is None:
        district = geo.centroids().get((outcode or "").upper())
        if district is None:
            return None
        latitude, longitude = district.latitude, district.longitude
    return pathway.Place(float(latitude), float(longitude), "", _key(location_id))


def _with_details(facts: dict[str, pathway.ServiceFacts], ids: Sequence[str]) -> list[pathway.ServiceFacts]:
    """The shortlisted services in full: five queries whatever the shortlist holds."""
    if not ids:
        return []
    wanted = _uuids(ids)
    services = {
        _key(row[0]): row
        for row in _rows(
            Service.objects.filter(id__in=wanted)
            .order_by()
            .values_list("id", "organisation__name", "what_to_expect", "eligibility", "url", "is_illustrative")
        )
    }
    towns: dict[str, str] = {}
    place_ids: list[Any] = []
    place_rows = (
        ServiceAtLocation.objects.filter(service_id__in=wanted)
        .exclude(location__location_type=LocationType.VIRTUAL)
        .order_by("id", "location__addresses__id")
        .values_list("id", "location_id", "location__addresses__city")
    )
    for place_id, location_id, city in _rows(place_rows):
        place_ids.append(place_id)
        if city:
            towns.setdefault(_key(location_id), city)
    openings: dict[str, list[pathway.Opening]] = {}
    schedule_rows = (
        Schedule.objects.filter(Q(service_id__in=wanted) | Q(service_at_location_id__in=place_ids))
        .order_by("byday", "opens_at", "id")
        .values_list("service_id", "service_at_location__service_id", "byday", "opens_at", "closes_at", "description")
    )
    seen_schedules: set[tuple[Any, ...]] = set()
    for own, via_place, byday, opens, closes, note in schedule_rows:
        key = _key(own or via_place)
        signature = (key, byday, opens, closes, note)
        if signature in seen_schedules or not (byday or opens or note):
            continue
        seen_schedules.add(signature)
        openings.setdefault(key, []).append(pathway.Opening(byday, opens, closes, note))
    phones: dict[str, list[str]] = {}
    phone_rows = Phone.objects.filter(service_id__in=wanted).order_by("id").values_list("service_id", "number")
    for sid, number in _rows(phone_rows):
        phones.setdefault(_key(sid), []).append(number)
    languages: dict[str, set[str]] = {}
    language_rows = Language.objects.filter(service_id__in=wanted).order_by().values_list("service_id", "code")
    for sid, code in _rows(language_rows):
        languages.setdefault(_key(sid), set()).add(code or "")
    found = []
    for key in ids:
        item = facts.get(key)
        row = services.get(key)
        if item is None or row is None:
            continue
        _, organisation, expect, eligibility, url, illustrative = row
        found.append(
            replace(
                item,
                organisation=organisation or "",
                what_to_expect=expect or "",
                eligibility=eligibility or "",
                url=url or "",
                is_illustrative=bool(illustrative),
                openings=tuple(openings.get(key, ())),
                phones=tuple(phones.get(key, ())),
                languages=frozenset(languages.get(key, ())),
                places=tuple(replace(place, town=towns.get(place.location_id, "")) for place in item.places),
                detailed=True,
            )
        )
    return found


def _radius(answers: Answers) -> float:
    if answers.latitude is None or answers.longitude is None:
        return pathway.RADIUS_KM
    return search_radius(answers.latitude, answers.longitude)


def pathway_candidates(answers: Answers, *, radius_km: float = pathway.RADIUS_KM) -> list[pathway.ServiceFacts]:
    """Every directory service a plan for these answers could offer, with light facts."""
    code_of, kind_of = _term_codes()
    wanted = pathway.kinds_wanted(answers)
    term_ids = [term_id for term_id, code in code_of.items() if code in wanted]
    return list(_candidates(_light_rows(answers, term_ids, radius_km), code_of, kind_of, wanted).values())


def pathway_for(answers: Answers) -> pathway.Plan:
    """Build the plan for these answers from the directory, in a fixed number of queries."""
    with cycle_collector_paused():
        radius = _radius(answers)
        candidates = pathway_candidates(answers, radius_km=radius)
        by_id = {item.id: item for item in candidates}
        ids = pathway.shortlist(answers, candidates, radius_km=radius)
        return pathway.build(answers, _with_details(by_id, ids), radius_km=radius)


def crisis_for(answers: Answers) -> pathway.Crisis | None:
    """Only the crisis help for these answers (for the page shown straight after the danger question)."""
    if not answers.in_danger:
        return None
    with cycle_collector_paused():
        radius = _radius(answers)
        code_of, kind_of = _term_codes()
        term_ids = [term_id for term_id, code in code_of.items() if code == "crisis"]
        facts = _candidates(_light_rows(answers, term_ids, radius), code_of, kind_of, frozenset({"crisis"}))
        light = list(facts.values())
        ids = pathway.shortlist(replace(answers, substances=(), other_needs=()), light, radius_km=radius)
        return pathway.crisis_help(answers, _with_details(facts, ids), radius_km=radius)


# --- Kept pathways --------------------------------------------------------------------------------------------


def pathway_by_token(token: str) -> Pathway | None:
    """The live kept pathway for a link's token, or None (unknown, ended or expired: the same answer)."""
    if not token or len(token) > 100:
        return None
    return Pathway.objects.live().filter(token_hash=token_hash(token)).first()


# --- Asking for support ---------------------------------------------------------------------------------------


def askable(plan: pathway.Plan) -> list[pathway.Match]:
    """The services in a plan the person may ask for support from the front door.

    A family member asks only for support for themselves (the steps for them): the
    person they care about asks for their own. A professional refers through the
    referrals pages, with the person's consent, so is offered none here.
    """
    answers = plan.answers
    if answers.is_professional:
        return []
    seen: set[str] = set()
    found = []
    for step in plan.steps:
        if answers.is_family and not step.for_asker:
            continue
        for match in step.services:
            if match.can_ask and match.service.id not in seen:
                seen.add(match.service.id)
                found.append(match)
    return found


def services_for_request(ids: Sequence[str]) -> list[Service]:
    """The open services with these ids, with their organisations, in the order given."""
    keys = [_key(value) for value in ids]
    found = {
        _key(service.pk): service
        for service in Service.objects.filter(pk__in=_uuids(ids), status=ServiceStatus.ACTIVE).select_related(
            "organisation"
        )
    }
    return [found[key] for key in keys if key in found]


def _uuids(values: Iterable[str]) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


def support_request_by_token(token: str) -> SupportRequest | None:
    """The request for a status link's token, while the link lasts; None otherwise."""
    if not token or len(token) > 100:
        return None
    return (
        SupportRequest.objects.filter(
            status_token_hash=token_hash(token), status_expires_at__gt=timezone.now(), person__isnull=False
        )
        .select_related("person")
        .first()
    )


def request_status(support_request: SupportRequest, *, actor: Any, request: HttpRequest | None = None) -> list[Any]:
    """The referrals of the person who asked, newest first, read through the referrals' own selector (audited)."""
    from rosc.referrals.selectors import own_referrals

    person = support_request.person
    if person is None or person.erased_at is not None:
        return []
    return own_referrals(person=person, actor=actor, request=request)
