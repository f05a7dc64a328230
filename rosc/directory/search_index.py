"""Keeping the search index for "near a place" (``SearchPlace``) in step.

The rows are derived from a service's tags (``Attribute``), its places
(``ServiceAtLocation`` and ``Location``) and its flags, so ``rebuild`` throws
a service's rows away and writes them again from those tables, in one
``INSERT ... SELECT`` per batch: the database copies the rows without
bringing them into Python, which keeps a national import or seed quick.

What gets a row:

* each tag of a service at each of its places that is not online-only, at the
  place's coordinates, or else at the centre of its postcode district (the
  search measures such a place from there), with the grid cell of that point;
* each tag of a service that is listed whatever the place (``always_listed``)
  and has no place to visit, with no place.

Places with coordinates and a grid cell are nearly all of them: the database
copies those. The rare rest (known only by district, or written without a
grid cell) are worked out here in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from rosc.directory import geo
from rosc.directory.models import Attribute, Location, LocationType, SearchPlace, Service, ServiceAtLocation

BATCH = 500


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _insert_sql(service_filter: str) -> str:
    sp, attribute, service = _table(SearchPlace), _table(Attribute), _table(Service)
    sal, location = _table(ServiceAtLocation), _table(Location)
    columns = (
        "attribute_id, service_at_location_id, term_id, service_id, location_id,"
        " geocell, latitude, longitude, always_listed"
    )
    # Table names come from our models and the filter is SQL compiled by the ORM; values are parameters.
    return (
        f"INSERT INTO {sp} ({columns}) "  # noqa: S608
        f"SELECT a.id, sal.id, a.taxonomy_term_id, a.service_id, l.id, l.geocell, l.latitude, l.longitude,"
        f" s.always_listed"
        f" FROM {attribute} a"
        f" INNER JOIN {service} s ON s.id = a.service_id"
        f" INNER JOIN {sal} sal ON sal.service_id = a.service_id"
        f" INNER JOIN {location} l ON l.id = sal.location_id"
        f" WHERE l.location_type <> %s AND l.geocell IS NOT NULL"
        f" AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL{service_filter}"
        f" UNION ALL"
        f" SELECT a.id, NULL, a.taxonomy_term_id, a.service_id, NULL, NULL, NULL, NULL, s.always_listed"
        f" FROM {attribute} a"
        f" INNER JOIN {service} s ON s.id = a.service_id"
        f" WHERE s.always_listed AND NOT s.has_place{service_filter}"
    )


def rebuild(service_ids: Iterable[Any] | None = None) -> None:
    """Write the rows of these services again (of every service when None).

    Call it after changing a service's tags, places, the coordinates or type
    of one of its places, or its delivery flags; ``actions.service_reindex``
    and the bulk writers do.
    """
    with transaction.atomic():
        if service_ids is None:
            SearchPlace.objects.all().delete()
            service_ids = Service.objects.order_by().values_list("id", flat=True)
        ids = list(dict.fromkeys(service_ids))
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            SearchPlace.objects.filter(service_id__in=batch).delete()
            chosen_sql, chosen_params = Service.objects.filter(id__in=batch).values("id").query.sql_with_params()
            condition = f" AND a.service_id IN ({chosen_sql})"
            with connection.cursor() as cursor:
                cursor.execute(_insert_sql(condition), [LocationType.VIRTUAL.value, *chosen_params, *chosen_params])
            _add_rare_places(ServiceAtLocation.objects.filter(service_id__in=batch))


def place_point(latitude: float | None, longitude: float | None, outcode: str | None) -> tuple[float, float] | None:
    """Where a search measures a place from: its coordinates, or else the
    centre of its postcode district (None when neither is known)."""
    if latitude is not None and longitude is not None:
        return latitude, longitude
    district = geo.centroids().get(outcode or "")
    return (district.latitude, district.longitude) if district else None


def _add_rare_places(places: Any) -> None:
    """Rows for places without a grid cell: known only by their district, or
    written straight to the table. There are few, so Python works them out."""
    rare = list(
        places.exclude(location__location_type=LocationType.VIRTUAL)
        .filter(Q(location__geocell__isnull=True) | Q(location__latitude__isnull=True))
        .values_list(
            "id", "service_id", "location_id", "location__latitude", "location__longitude", "location__outcode"
        )
    )
    if not rare:
        return
    services = {row[1] for row in rare}
    tags: dict[Any, list[tuple[Any, Any]]] = {}
    for attribute_id, service_id, term_id in Attribute.objects.filter(service_id__in=services).values_list(
        "id", "service_id", "taxonomy_term_id"
    ):
        tags.setdefault(service_id, []).append((attribute_id, term_id))
    listed = dict(Service.objects.filter(id__in=services).values_list("id", "always_listed"))
    rows = []
    for sal_id, service_id, location_id, latitude, longitude, outcode in rare:
        point = place_point(latitude, longitude, outcode)
        if point is None:
            continue
        for attribute_id, term_id in tags.get(service_id, ()):
            rows.append(
                SearchPlace(
                    attribute_id=attribute_id,
                    service_at_location_id=sal_id,
                    term_id=term_id,
                    service_id=service_id,
                    location_id=location_id,
                    geocell=geo.cell_of(*point),
                    latitude=point[0],
                    longitude=point[1],
                    always_listed=listed[service_id],
                )
            )
    SearchPlace.objects.bulk_create(rows, batch_size=BATCH)
