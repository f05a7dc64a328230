"""Keeping the search index for "near a place" (``SearchPlace``) in step.

The rows are derived from a service's tags (``Attribute``), its places
(``ServiceAtLocation`` and ``Location``) and its flags, so ``rebuild`` throws
a service's rows away and writes them again from those tables, in one
``INSERT ... SELECT`` per batch: the database copies the rows without
bringing them into Python, which keeps a national import or seed quick.

What gets a row:

* each tag of a service at each of its places that is not online-only and has
  coordinates (the grid cell is copied as the place has it);
* each tag of a service that is listed whatever the place (``always_listed``)
  and has no place to visit, with no place.

Places known only by their postcode district, and places with coordinates but
no grid cell, are rare and are read from the tables themselves by the search.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

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
        f" WHERE l.location_type <> %s AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL{service_filter}"
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
            with connection.cursor() as cursor:
                cursor.execute(_insert_sql(""), [LocationType.VIRTUAL.value])
            return
        ids = list(dict.fromkeys(service_ids))
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            SearchPlace.objects.filter(service_id__in=batch).delete()
            chosen_sql, chosen_params = Service.objects.filter(id__in=batch).values("id").query.sql_with_params()
            condition = f" AND a.service_id IN ({chosen_sql})"
            with connection.cursor() as cursor:
                cursor.execute(_insert_sql(condition), [LocationType.VIRTUAL.value, *chosen_params, *chosen_params])
