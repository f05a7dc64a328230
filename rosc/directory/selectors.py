"""Public reads of the directory: search and the service page.

The directory is public information, so these selectors take no actor.
A search runs a fixed, small set of SQL queries however many services
match (see ``service_search``):

1. the domain and need terms (for the form and to read the words typed);
2. with a place and terms to look for: the search index (``SearchPlace``,
   kept by ``search_index``) gives the ids, flags and points of matching
   services with a place in the map grid cells around the search area; a
   second read of the index gives the services listed whatever the place
   (with no place to visit and working online or by phone, or covering a whole
   area with a place within ``search.COUNTY_REACH_KM``). With a place but no
   terms, the places in the grid cells, the rare places without a cell, and
   the services listed whatever the place are read from the tables instead.
   These small rows are ranked in Python by ``search.rank``.
   Without a place: a count and one page of ids, ordered by the database;
3. the services on the page, their terms, and their places with addresses
   (one query each), read as plain rows but for the services.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any, NamedTuple

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from rosc.directory import geo, search, search_index, taxonomy
from rosc.directory.models import (
    Attribute,
    LocationType,
    Schedule,
    SearchPlace,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
    TermKind,
)

PAGE_SIZE = 20
SHOWN_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
MODES = ("in_person", "online", "phone")
_MODE_FIELDS = {"in_person": "offers_in_person", "online": "offers_online", "phone": "offers_phone"}


# --- Terms ------------------------------------------------------------------------


def directory_terms() -> list[search.TermInfo]:
    """Every domain and need term, in display order (one query). When two
    taxonomies share a code, the first one listed wins, and carries the ids
    of all of them so that a search by that code finds services tagged with any."""
    rows = TaxonomyTerm.objects.filter(kind__in=[TermKind.DOMAIN, TermKind.NEED]).values_list(
        "code", "name", "kind", "synonyms", "parent__code", "id"
    )
    seen: dict[str, search.TermInfo] = {}
    ids: dict[str, list[str]] = {}
    for code, name, kind, synonyms, parent, term_id in rows:
        ids.setdefault(code, []).append(str(term_id))
        if code not in seen:
            words = tuple(line.strip().lower() for line in synonyms.splitlines() if line.strip())
            seen[code] = search.TermInfo(code=code, name=name, kind=kind, synonyms=words, parent=parent or "")
    return [replace(term, ids=tuple(ids[term.code])) for term in seen.values()]


def understand(text: str, terms: Sequence[search.TermInfo]) -> search.Understood:
    """Read the words typed: term codes, words left over and notices about
    help that this directory does not list.

    The shared recovery taxonomy (``taxonomy.interpret``) does the reading;
    the names and synonyms of terms in the database are matched as well, so
    imported taxonomies work too. Codes with no term in the database are
    dropped.
    """
    known = {term.code for term in terms}
    own = search.understand_with_terms(text, terms)
    shared = taxonomy.interpret(text)
    codes = [code for code in shared.codes if code in known]
    codes += [code for code in own.codes if code not in codes]
    taken_by_own = set(search.words_of(text)) - set(own.leftovers)
    leftovers = [word for word in shared.leftover if word not in taken_by_own and len(word) > 1]
    notices = [
        search.Notice(
            topic=scope.topic,
            message=scope.message,
            signposts=tuple(search.Signpost(s.name, s.detail, s.url) for s in scope.where_to_go),
        )
        for scope in shared.out_of_scope
    ]
    return search.Understood(codes=codes, leftovers=leftovers, notices=notices)


# --- Search -------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    domains: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    origin: search.Origin | None = None
    radius_km: float | None = None
    modes: tuple[str, ...] = ()
    day: str = ""
    open_now: bool = False
    age: int | None = None
    capacity_or_short_wait: bool = False


@dataclass
class ResultRow:
    service: Service
    ranked: search.Ranked
    reasons: list[str]
    address: PlaceAddress | None = None

    @property
    def distance(self) -> str:
        if self.ranked.distance_km is None:
            return ""
        return search.format_distance(self.ranked.distance_km)

    @property
    def is_local(self) -> bool:
        return self.ranked.group == search.Group.LOCAL

    @property
    def is_anywhere(self) -> bool:
        return self.ranked.group == search.Group.ANYWHERE


@dataclass
class SearchOutcome:
    page: Page[Any]
    rows: list[ResultRow]
    understood: search.Understood
    asked: search.Asked
    danger: bool
    local_count: int = 0
    anywhere_count: int = 0
    first_anywhere_page: int | None = None
    notices: list[search.Notice] = field(default_factory=list)

    fallback: list[ResultRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def local_rows(self) -> list[ResultRow]:
        return [row for row in self.rows if row.ranked.group == search.Group.LOCAL]

    @property
    def anywhere_rows(self) -> list[ResultRow]:
        return [row for row in self.rows if row.ranked.group == search.Group.ANYWHERE]

    @property
    def all_rows(self) -> list[ResultRow]:
        return [row for row in self.rows if row.ranked.group == search.Group.ALL]

    @property
    def anywhere_on_later_page(self) -> bool:
        return bool(self.first_anywhere_page and self.page.number < self.first_anywhere_page and not self.anywhere_rows)


# Stands for "no term at all", so that a filter by codes with no term in the database matches nothing.
_NO_TERM = uuid.UUID(int=0)


def _has_any_term(codes: Sequence[str], wanted: _Wanted, *, prefix: str, correlated: bool = False) -> Q:
    """Tagged with at least one of the codes.

    The codes become term ids here (read with the terms at the start of the
    request), so the database checks an attribute with one index probe
    instead of joining the terms table for every row.

    Read straight from Service (prefix ''), this is an IN list, so the
    database can start from the terms. Read through a place (prefix
    'service__'), or when ``correlated``, it is a correlated EXISTS, so the
    database starts from something smaller instead: the places in the box
    around the search point, or the few services listed whatever the place.
    With services spread over the country, either is far smaller than the
    list of services with a common need.
    """
    term_ids = wanted.ids_of(codes)
    if prefix or correlated:
        outer = OuterRef(f"{prefix}id" if prefix else "pk")
        tagged = Attribute.objects.filter(service_id=outer, taxonomy_term_id__in=term_ids)
        return Q(Exists(tagged))
    return Q(id__in=Attribute.objects.filter(taxonomy_term_id__in=term_ids).values("service_id"))


def _schedule_q(*, day: str, at: time | None, today: date) -> Q:
    rule = (
        Q(byday__icontains=day)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    )
    if at is not None:
        rule &= (
            Q(opens_at__isnull=True, closes_at__isnull=True)
            | Q(opens_at__lte=at, closes_at__gt=at)
            | Q(opens_at__lte=at, closes_at__isnull=True)
            | Q(opens_at__isnull=True, closes_at__gt=at)
            # Open past midnight, for example 6pm to 2am.
            | Q(opens_at__gt=F("closes_at"), opens_at__lte=at)
            | Q(opens_at__gt=F("closes_at"), closes_at__gt=at)
        )
    return rule


@dataclass(frozen=True)
class _Wanted:
    """Term codes to filter on: each non-empty group must match at least one."""

    text_domains: tuple[str, ...] = ()
    text_needs: tuple[str, ...] = ()
    term_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def ids_of(self, codes: Sequence[str]) -> list[uuid.UUID]:
        """The term ids for these codes; one that matches no term when none has any."""
        return [uuid.UUID(term_id) for code in codes for term_id in self.term_ids.get(code, ())] or [_NO_TERM]

    @classmethod
    def read(cls, understood: search.Understood, terms: Sequence[search.TermInfo]) -> _Wanted:
        kinds = {term.code: term.kind for term in terms}
        domains = [code for code in understood.codes if kinds.get(code) != TermKind.NEED]
        needs = [code for code in understood.codes if kinds.get(code) == TermKind.NEED]
        term_ids = {term.code: term.ids for term in terms}
        return cls(tuple(search.with_narrower(domains, terms)), tuple(needs), term_ids)


def _conditions(
    request: SearchRequest,
    understood: search.Understood,
    wanted: _Wanted,
    *,
    prefix: str,
    now: datetime,
    correlated: bool = False,
    skip: str = "",
) -> tuple[Q, list[str]]:
    """The filters every candidate must pass, on Service (prefix '') or through
    a relation to it (prefix 'service__'). Returns the filter and the words
    that only add to the score.

    Terms read from the words typed: when they name needs ("opiates", "my
    son"), a service must help with at least one of them, and kinds of help
    named as well ("treatment") only lift services that give them. When they
    name only kinds of help ("detox", "AA"), a service must give at least one
    of them (or a narrower kind). Words left over must all appear in the
    service's text when no term was recognised; otherwise they only lift
    services that mention them. Ticked kinds of help and ticked needs are two
    more groups: a service must match at least one in each group ticked.

    ``skip`` names a group (see ``_indexed_group``) that the search index
    already checks, so it is left out here.
    """
    outer = f"{prefix}id" if prefix else "pk"
    q = Q(**{f"{prefix}status__in": SHOWN_STATUSES})
    score_words: list[str] = []
    if understood.codes:
        if wanted.text_needs:
            if skip != "text_needs":
                q &= _has_any_term(wanted.text_needs, wanted, prefix=prefix, correlated=correlated)
        elif wanted.text_domains and skip != "text_domains":
            q &= _has_any_term(wanted.text_domains, wanted, prefix=prefix, correlated=correlated)
        score_words = list(understood.leftovers)
    else:
        for word in understood.leftovers:
            q &= Q(**{f"{prefix}search_text__contains": word})
    if request.domains and skip != "domains":
        q &= _has_any_term(request.domains, wanted, prefix=prefix, correlated=correlated)
    if request.needs and skip != "needs":
        q &= _has_any_term(request.needs, wanted, prefix=prefix, correlated=correlated)
    if request.modes:
        modes = Q()
        for mode in request.modes:
            modes |= Q(**{f"{prefix}{_MODE_FIELDS[mode]}": True})
        q &= modes
    if request.age is not None:
        q &= Q(**{f"{prefix}minimum_age__isnull": True}) | Q(**{f"{prefix}minimum_age__lte": request.age})
        q &= Q(**{f"{prefix}maximum_age__isnull": True}) | Q(**{f"{prefix}maximum_age__gte": request.age})
    if request.capacity_or_short_wait:
        q &= Q(**{f"{prefix}has_capacity": True}) | Q(**{f"{prefix}wait_weeks__lte": search.SHORT_WAIT_WEEKS})
    day, at = _day_and_time(request, now)
    if day:
        rule = _schedule_q(day=day, at=at, today=now.date())
        direct = Schedule.objects.filter(rule, service_id=OuterRef(outer))
        at_place = Schedule.objects.filter(rule, service_at_location__service_id=OuterRef(outer))
        q &= Q(Exists(direct)) | Q(Exists(at_place))
    return q, score_words


def _day_and_time(request: SearchRequest, now: datetime) -> tuple[str, time | None]:
    if request.open_now:
        return search.DAY_ORDER[now.weekday()], now.time().replace(microsecond=0)
    return request.day, None


def _score(
    words: Sequence[str], wanted: _Wanted, *, prefix: str, correlated: bool = False, indexed: bool = False
) -> Any:
    """How well the words typed fit: one point for each word left over that
    the service mentions, and one for giving a kind of help that was named
    alongside a need.

    ``indexed``: scoring search index rows of services listed whatever the
    place, so the kinds of help are looked up among those rows only (a few
    hundred), not among every service that gives them."""
    total: Any = Value(0, output_field=IntegerField())
    if wanted.text_needs and wanted.text_domains:
        if indexed:
            gives = Q(
                Exists(
                    SearchPlace.objects.filter(
                        service_id=OuterRef("service_id"),
                        term_id__in=wanted.ids_of(wanted.text_domains),
                        always_listed=True,
                    )
                )
            )
        else:
            gives = _has_any_term(wanted.text_domains, wanted, prefix=prefix, correlated=correlated)
        total = Case(When(gives, then=Value(1)), default=Value(0), output_field=IntegerField())
    for word in words:
        hit = Case(
            When(**{f"{prefix}search_text__contains": word}, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        total = total + hit
    return total


def _closed_flag() -> Case:
    return Case(
        When(status=ServiceStatus.TEMPORARILY_CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()
    )


def plain_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """Plain tuples for a values_list query, without Django's per-row
    conversion: a search may read thousands of candidate rows, and only
    their ids, flags and coordinates are needed. Ids come back as the
    database gives them; compare them with ``_key``."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def id_key(value: Any) -> str:
    """One spelling for a UUID from the database or from Python."""
    if isinstance(value, uuid.UUID):  # PostgreSQL gives UUIDs; .hex is the cheap spelling
        return value.hex
    return str(value).replace("-", "").lower()


def _indexed_group(request: SearchRequest, understood: search.Understood, wanted: _Wanted) -> str:
    """The group of terms a search near a place starts from, through the search
    index (``SearchPlace``): the one ``_conditions`` would check first. '' when
    the search names no terms, so it reads the places themselves."""
    if understood.codes and wanted.text_needs:
        return "text_needs"
    if understood.codes and wanted.text_domains:
        return "text_domains"
    if request.needs:
        return "needs"
    if request.domains:
        return "domains"
    return ""


def _group_term_ids(group: str, request: SearchRequest, wanted: _Wanted) -> list[uuid.UUID]:
    codes = {
        "text_needs": wanted.text_needs,
        "text_domains": wanted.text_domains,
        "needs": request.needs,
        "domains": request.domains,
    }[group]
    return wanted.ids_of(codes)


_ANYWHERE_FIELDS = ("name", "offers_online", "offers_phone", "is_county_wide", "status")
_SERVICE_COLUMNS = tuple(f"service__{name}" for name in _ANYWHERE_FIELDS)  # the same, read through a relation


def _ranked_with_place(
    request: SearchRequest,
    understood: search.Understood,
    wanted: _Wanted,
    origin: search.Origin,
    radius_km: float,
    now: datetime,
    *,
    use_index: bool = True,
) -> list[search.Ranked]:
    """Lean queries for the places near and the services listed anywhere, then rank in Python.

    When the search names terms, both start from the search index: the rows
    for those terms in the grid cells around the place, and the rows for those
    terms of services listed whatever the place. Otherwise (or with
    ``use_index`` False, which the tests compare against) they read the places
    in the grid cells, and the services listed whatever the place.
    """
    group = _indexed_group(request, understood, wanted) if use_index else ""
    q_local, score_words = _conditions(request, understood, wanted, prefix="service__", now=now, skip=group)
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(origin.latitude, origin.longitude, radius_km)
    cells = geo.cells_for_box(min_lat, max_lat, min_lon, max_lon)
    local_rows: list[tuple[Any, ...]]
    if group:
        # The index places every place at a point (see search_index), with its grid cell.
        local_rows = plain_rows(
            SearchPlace.objects.filter(
                q_local,
                term_id__in=_group_term_ids(group, request, wanted),
                geocell__in=cells,
                latitude__gte=min_lat,
                latitude__lte=max_lat,
                longitude__gte=min_lon,
                longitude__lte=max_lon,
            )
            .order_by()
            .values_list("service_id", *_SERVICE_COLUMNS, "location_id", "latitude", "longitude", Value(""))
        )
    else:
        box = Q(
            location__latitude__gte=min_lat,
            location__latitude__lte=max_lat,
            location__longitude__gte=min_lon,
            location__longitude__lte=max_lon,
        )
        # The places in the grid cells; places saved without a grid cell (written
        # straight to the table), by the box alone; and places without coordinates,
        # measured from the centre of their postcode district. The last two are rare.
        in_cells = Q(location__geocell__in=cells) & box
        no_coordinates = search.outcodes_within(origin.latitude, origin.longitude, radius_km)
        rare = Q(location__geocell__isnull=True, location__latitude__isnull=False) & box
        rare |= (Q(location__latitude__isnull=True) | Q(location__longitude__isnull=True)) & Q(
            location__outcode__in=no_coordinates or [""]
        )
        places = (
            ServiceAtLocation.objects.filter(q_local)
            .exclude(location__location_type=LocationType.VIRTUAL)
            .order_by()
            .values_list(
                "service_id",
                *_SERVICE_COLUMNS,
                "location_id",
                "location__latitude",
                "location__longitude",
                "location__outcode",
            )
        )
        local_rows = plain_rows(places.filter(in_cells)) + plain_rows(places.filter(rare))
    closed = ServiceStatus.TEMPORARILY_CLOSED.value
    candidates: list[search.Candidate] = []
    seen: set[tuple[Any, Any]] = set()
    for sid, name, online, phone, wide, status, location_id, lat, lon, outcode in local_rows:
        if (sid, location_id) in seen:  # the index has a row for each term a place matches
            continue
        seen.add((sid, location_id))
        point = search_index.place_point(lat, lon, outcode)
        if point is None:
            continue
        place = search.Point(id_key(location_id), *point)
        candidates.append(search.Candidate(id_key(sid), name, online, phone, wide, status == closed, (place,)))
    candidates.extend(_listed_anywhere(request, understood, wanted, origin, radius_km, now, group, score_words))
    return search.rank(candidates, latitude=origin.latitude, longitude=origin.longitude, radius_km=radius_km)


def _listed_anywhere(
    request: SearchRequest,
    understood: search.Understood,
    wanted: _Wanted,
    origin: search.Origin,
    radius_km: float,
    now: datetime,
    group: str,
    score_words: list[str],
) -> list[search.Candidate]:
    """Services listed whatever the place: with no place to visit and working
    online or by phone, or covering a whole area with a place within
    ``search.COUNTY_REACH_KM`` (or no place). Their places come back in the
    same query (a row for each) and are checked here."""
    closed = ServiceStatus.TEMPORARILY_CLOSED.value
    reach = max(radius_km, search.COUNTY_REACH_KM)
    r_min_lat, r_max_lat, r_min_lon, r_max_lon = geo.bounding_box(origin.latitude, origin.longitude, reach)
    if group:
        # The index holds a row for each matching tag at each place, and one with
        # no place for a service with no place to visit. A service listed anywhere
        # that has places covers a whole area, so only its places within reach count.
        q_all, _ = _conditions(request, understood, wanted, prefix="service__", now=now, correlated=True, skip=group)
        within_reach = Q(location_id__isnull=True) | Q(
            latitude__gte=r_min_lat, latitude__lte=r_max_lat, longitude__gte=r_min_lon, longitude__lte=r_max_lon
        )
        rows = [
            (sid, name, online, phone, wide, status, score, location is not None, lat, lon)
            for sid, name, online, phone, wide, status, score, location, lat, lon in plain_rows(
                SearchPlace.objects.filter(
                    q_all, within_reach, term_id__in=_group_term_ids(group, request, wanted), always_listed=True
                )
                .annotate(score=_score(score_words, wanted, prefix="service__", indexed=True))
                .order_by()
                .values_list(
                    "service_id",
                    *_SERVICE_COLUMNS,
                    "score",
                    "location_id",
                    "latitude",
                    "longitude",
                )
            )
        ]
    else:
        q_all, _ = _conditions(request, understood, wanted, prefix="", now=now, correlated=True)
        virtual = LocationType.VIRTUAL.value
        rows = [
            # A place that is online only is never near; one without coordinates is at its district's centre.
            (sid, name, online, phone, wide, status, score, has_place, *(point or (None, None)))
            for sid, name, online, phone, wide, status, has_place, score, lat, lon, outcode, kind in plain_rows(
                Service.objects.filter(q_all, always_listed=True)
                .annotate(score=_score(score_words, wanted, prefix="", correlated=True))
                .order_by()
                .values_list(
                    "id",
                    *_ANYWHERE_FIELDS,
                    "has_place",
                    "score",
                    "service_at_locations__location__latitude",
                    "service_at_locations__location__longitude",
                    "service_at_locations__location__outcode",
                    "service_at_locations__location__location_type",
                )
            )
            for point in [search_index.place_point(lat, lon, outcode) if kind != virtual else None]
        ]
    listed: dict[Any, search.Candidate] = {}
    for sid, name, online, phone, wide, status, score, placed, lat, lon in rows:
        if placed:
            # Online or by phone with a place to visit: found through its places.
            # Covering a whole area: only with a place near enough.
            near = (
                wide
                and lat is not None
                and lon is not None
                and r_min_lat <= lat <= r_max_lat
                and r_min_lon <= lon <= r_max_lon
            )
            if not near:
                continue
        if sid not in listed:
            listed[sid] = search.Candidate(id_key(sid), name, online, phone, wide, status == closed, (), score)
    return list(listed.values())


class PlaceAddress(NamedTuple):
    """The first address of a place, as a result shows it."""

    address_1: str
    city: str
    postal_code: str


@dataclass
class _PageFacts:
    """What the results on one page show beyond the service row itself, read as plain
    values: a page makes no model instances for terms, places or addresses."""

    services: dict[str, Service]
    terms: dict[str, list[search.TermInfo]]
    places: dict[str, list[tuple[str, PlaceAddress | None]]]  # service key -> [(location key, address)]


# What a result shows and explains (directory/includes/results.html and search.Facts).
_RESULT_FIELDS = (
    "name",
    "description",
    "status",
    "status_note",
    "offers_in_person",
    "offers_online",
    "offers_phone",
    "is_county_wide",
    "is_illustrative",
    "has_capacity",
    "wait_weeks",
    "minimum_age",
    "maximum_age",
    "search_text",
    "organisation__name",
)


def _page_facts(ids: Sequence[str]) -> _PageFacts:
    """The services on a page with their terms and places: three queries whatever the page holds."""
    facts = _PageFacts({}, {}, {})
    if not ids:
        return facts
    wanted = list(ids)
    services = Service.objects.filter(id__in=wanted).select_related("organisation").only(*_RESULT_FIELDS)
    facts.services = {id_key(service.id): service for service in services}
    term_rows = (
        Attribute.objects.filter(service_id__in=wanted)
        .order_by()
        .values_list("service_id", "taxonomy_term__code", "taxonomy_term__name", "taxonomy_term__kind")
    )
    for sid, code, name, kind in plain_rows(term_rows):
        facts.terms.setdefault(id_key(sid), []).append(search.TermInfo(code=code, name=name, kind=kind))
    # Each place with its addresses (a row for each), in order; a place shows its first address.
    place_rows = plain_rows(
        ServiceAtLocation.objects.filter(service_id__in=wanted)
        .exclude(location__location_type=LocationType.VIRTUAL)
        .order_by("id", "location__addresses__id")
        .values_list(
            "service_id",
            "location_id",
            "location__addresses__address_1",
            "location__addresses__city",
            "location__addresses__postal_code",
        )
    )
    seen: set[tuple[str, str]] = set()
    for sid, location_id, line, city, postcode in place_rows:
        service_key, location_key = id_key(sid), id_key(location_id)
        if (service_key, location_key) in seen:
            continue
        seen.add((service_key, location_key))
        address = PlaceAddress(line, city, postcode) if line is not None else None
        facts.places.setdefault(service_key, []).append((location_key, address))
    return facts


def service_search(
    request: SearchRequest,
    *,
    terms: Sequence[search.TermInfo],
    page_number: Any = 1,
    now: datetime | None = None,
) -> SearchOutcome:
    """Search the directory. See the module docstring for the queries run."""
    now = timezone.localtime(now)
    understood = understand(request.text, terms)
    wanted = _Wanted.read(understood, terms)
    known = {term.code for term in terms}
    asked = search.Asked(
        text_codes=frozenset((*understood.codes, *wanted.text_domains)),
        filter_codes=frozenset(c for c in (*request.domains, *request.needs) if c in known),
        words=tuple(understood.leftovers),
        day=_day_and_time(request, now)[0],
        open_now=request.open_now,
        age=request.age,
        capacity_or_short_wait=request.capacity_or_short_wait,
        has_place=request.origin is not None,
        area_name=settings.AREA_NAME,
    )
    local_count = anywhere_count = 0
    first_anywhere_page: int | None = None
    if request.origin is not None:
        radius = request.radius_km or 16.09344
        ranked = _ranked_with_place(request, understood, wanted, request.origin, radius, now)
        local_count = sum(1 for r in ranked if r.group == search.Group.LOCAL)
        anywhere_count = len(ranked) - local_count
        if anywhere_count:
            first_anywhere_page = local_count // PAGE_SIZE + 1
        page: Page[Any] = Paginator(ranked, PAGE_SIZE).get_page(page_number)
        page_ranked: list[search.Ranked] = list(page.object_list)
    else:
        q_all, score_words = _conditions(request, understood, wanted, prefix="", now=now)
        ordered = (
            Service.objects.filter(q_all)
            .annotate(score=_score(score_words, wanted, prefix=""), closed=_closed_flag())
            .order_by("-score", "closed", "name", "id")
            .values_list("id", "status")
        )
        page = Paginator(ordered, PAGE_SIZE).get_page(page_number)
        page_ranked = [
            search.Ranked(id_key(sid), search.Group.ALL, temporarily_closed=status == ServiceStatus.TEMPORARILY_CLOSED)
            for sid, status in page.object_list
        ]
    page_facts = _page_facts([r.service_id for r in page_ranked])
    rows: list[ResultRow] = []
    for item in page_ranked:
        service = page_facts.services.get(item.service_id)
        if service is None:  # removed between the two queries
            continue
        places = page_facts.places.get(item.service_id, [])
        address = next((found for key, found in places if key == item.location_id), None)
        if address is None and item.group != search.Group.LOCAL and places:
            address = places[0][1]
        facts = search.Facts(
            terms=tuple(page_facts.terms.get(item.service_id, ())),
            text=service.search_text,
            distance_km=item.distance_km,
            group=item.group,
            online=service.offers_online,
            phone=service.offers_phone,
            in_person=service.offers_in_person,
            county_wide=service.is_county_wide,
            open_days=frozenset({asked.day}) if asked.day else frozenset(),
            has_capacity=service.has_capacity,
            wait_weeks=service.wait_weeks,
            minimum_age=service.minimum_age,
            maximum_age=service.maximum_age,
        )
        rows.append(ResultRow(service, item, search.explain(facts, asked), address))
    fallback = _online_fallback(understood, wanted, asked) if page.paginator.count == 0 else []
    return SearchOutcome(
        page=page,
        rows=rows,
        fallback=fallback,
        understood=understood,
        asked=asked,
        danger=search.suggests_danger(request.text) or "crisis" in understood.codes,
        local_count=local_count,
        anywhere_count=anywhere_count,
        first_anywhere_page=first_anywhere_page,
        notices=list(understood.notices),
    )


FALLBACK_SIZE = 5


def _online_fallback(understood: search.Understood, wanted: _Wanted, asked: search.Asked) -> list[ResultRow]:
    """When nothing matches: a few services that can be used online or by
    phone, for the help named in the words typed if we recognised any."""
    base = Service.objects.filter(status=ServiceStatus.ACTIVE).filter(Q(offers_online=True) | Q(offers_phone=True))
    if wanted.text_needs:
        base = base.filter(_has_any_term(wanted.text_needs, wanted, prefix=""))
    elif wanted.text_domains:
        base = base.filter(_has_any_term(wanted.text_domains, wanted, prefix=""))
    ids = [id_key(sid) for sid in base.order_by("name", "id").values_list("id", flat=True)[:FALLBACK_SIZE]]
    page_facts = _page_facts(ids)
    plain = search.Asked(text_codes=asked.text_codes, area_name=asked.area_name)
    rows = []
    for sid in ids:
        service = page_facts.services.get(sid)
        if service is None:
            continue
        facts = search.Facts(
            terms=tuple(page_facts.terms.get(sid, ())),
            group=search.Group.ANYWHERE,
            online=service.offers_online,
            phone=service.offers_phone,
            county_wide=service.is_county_wide,
        )
        rows.append(ResultRow(service, search.Ranked(sid, search.Group.ANYWHERE), search.explain(facts, plain)))
    return rows


# --- The service page -----------------------------------------------------------------


def service_public(service_id: uuid.UUID | str) -> Service:
    """One service with everything its page shows, in a fixed number of queries.

    Services that are not running any more are still found, so old links
    explain what happened; the page says so plainly.
    """
    try:
        key = uuid.UUID(str(service_id))
    except ValueError as error:
        raise Http404("No such service") from error
    found = (
        Service.objects.filter(pk=key)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "attributes",
                queryset=Attribute.objects.select_related("taxonomy_term").order_by(
                    "taxonomy_term__kind", "taxonomy_term__position", "taxonomy_term__name"
                ),
            ),
            Prefetch("schedules", queryset=Schedule.objects.order_by(Coalesce("opens_at", Value(time(0))), "byday")),
            "phones",
            "contacts__phones",
            "languages",
            "cost_options",
            "capacities",
            "service_areas",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "location__addresses", "location__accessibility", "location__phones", "schedules"
                ),
            ),
        )
        .first()
    )
    if found is None:
        raise Http404("No such service")
    return found


def opening_times(service: Service) -> list[tuple[str, list[str]]]:
    """Opening times in plain English: [(where, [lines])]; '' means the whole service."""
    groups: list[tuple[str, list[str]]] = []
    own = [_schedule_line(s) for s in service.schedules.all()]
    if any(own):
        groups.append(("", [line for line in own if line]))
    for sal in service.service_at_locations.all():
        lines = [_schedule_line(s) for s in sal.schedules.all()]
        if any(lines):
            groups.append((sal.location.name or "This place", [line for line in lines if line]))
    return groups


def _schedule_line(schedule: Schedule) -> str:
    line = search.describe_opening(schedule.byday, schedule.opens_at, schedule.closes_at, schedule.description)
    if schedule.freq == "MONTHLY" and schedule.bymonthday and not schedule.byday:
        days = ", ".join(schedule.bymonthday.split(","))
        line = f"Day {days} of each month" + (f", {line[0].lower()}{line[1:]}" if line else "")
    if schedule.notes:
        line = f"{line}. {schedule.notes}" if line else schedule.notes
    return line
