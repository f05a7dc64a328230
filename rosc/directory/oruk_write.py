"""Writing a checked Open Referral UK feed into the directory, all or nothing.

Rows are upserted by their UUID (``INSERT … ON CONFLICT (id) DO UPDATE``, in
chunks, by ``Upsert``: ADR 26), so importing the same feed twice updates rather
than duplicates. For every service and place in the feed that the directory
already held, child rows (schedules, phones, contacts, locations' addresses …)
that the feed no longer lists are removed. Organisations are
matched on ``Organisation.uuid``; a new one is kind "other", and a name already
used by a different organisation gets a " (2)" suffix. Only columns that the
feed actually carries are updated, so an ORUK feed without our ``x_`` fields
leaves them as they were.

Everything runs in one ``transaction.atomic()`` with one audit row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from rosc.core.audit import audit_write
from rosc.core.models import Organisation, OrganisationKind
from rosc.directory import geo, search_index
from rosc.directory.actions import capacity_facts, search_text_of
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
    SearchPlace,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
)
from rosc.directory.oruk_import import TAXONOMY_NAMESPACE, CheckedFeed, Progress

CHUNK = 500


def chunked(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _unique(wanted: str, taken: dict[str, Any], owner: Any, limit: int, sep: str = " ") -> str:
    """``wanted``, or ``wanted (2)``/``wanted-2`` … if another owner has it."""
    wanted = wanted[:limit]
    number = 1
    candidate = wanted
    while taken.get(candidate, owner) != owner:
        number += 1
        suffix = f" ({number})" if sep == " " else f"-{number}"
        candidate = wanted[: limit - len(suffix)] + suffix
    taken[candidate] = owner
    return candidate


def unnest_arrays(fields: Iterable[Any]) -> str:
    """``unnest(%s::uuid[], %s::text[], …)``: on PostgreSQL, one array parameter per column,
    typed from the model's own metadata, so a statement's text is short and the same for
    every batch (see ADR 26)."""
    return "unnest(" + ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields) + ")"


def bulk_set(model: type[models.Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Set ``fields`` on many rows, each given as (pk, value, value, ...). Much quicker
    than ``bulk_update``'s CASE expressions at scale: one executemany on SQLite, and on
    PostgreSQL one ``UPDATE … FROM unnest(…)`` per thousand rows, with one array per column."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns: list[Any] = [model._meta.get_field(name) for name in fields]
    pk: Any = model._meta.pk
    table = quote(model._meta.db_table)
    params = [
        [column.get_db_prep_save(value, connection) for column, value in zip(columns, values, strict=True)]
        + [pk.get_db_prep_value(key, connection)]
        for key, *values in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
            # Names come from the model's own metadata and are quoted; values are parameters.
            sql = f"UPDATE {table} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608
            cursor.executemany(sql, params)
            return
        names = [f"v{number}" for number in range(len(columns))]
        assignments = ", ".join(
            f"{quote(column.column)} = v.{name}" for column, name in zip(columns, names, strict=True)
        )
        # Names and types come from the model's own metadata; values are parameters.
        sql = (
            f"UPDATE {table} SET {assignments} FROM {unnest_arrays([*columns, pk])} AS v({', '.join(names)}, pk)"  # noqa: S608
            f" WHERE {table}.{quote(pk.column)} = v.pk"
        )
        for part in chunked(params, 1000):
            cursor.execute(sql, [list(column) for column in zip(*part, strict=True)])


class Upsert:
    """``INSERT … ON CONFLICT (id) DO UPDATE`` of many rows given as dicts of field values
    (by attribute name, e.g. ``service_id``), without making model instances.

    The feed's checked values are already the right Python types, and ids, dates and
    times are canonical strings, so most columns need no conversion; the rest go
    through the field's own ``get_db_prep_save``, as ``bulk_create`` would send them.
    A field a row leaves out gets the field's default, as a new model instance would.
    Only ``update_fields`` change on a row that exists. At national scale this is
    several times quicker than ``bulk_create``, which builds and prepares every value
    through the ORM.

    On PostgreSQL a statement takes one array per column (``SELECT * FROM unnest(…)``),
    so its text stays short and the same for every batch; a ``VALUES`` list of
    thousands of placeholders costs more to compose in the driver than to run."""

    PLAIN = (
        models.CharField,  # includes EmailField and URLField
        models.TextField,
        models.BooleanField,
        models.IntegerField,  # includes the positive and small integer fields
        models.FloatField,
    )

    def __init__(self, model: type[models.Model], update_fields: list[str]) -> None:
        def quote(name: Any) -> str:
            return connection.ops.quote_name(str(name))

        opts = model._meta
        pk: Any = opts.pk
        self.fields: list[Any] = [field for field in opts.concrete_fields if not field.generated]
        # For each column: the row's key, the field's default, and how its value is sent.
        self.plan = [(field.attname, self._default(field), self._converter(field)) for field in self.fields]
        self.columns = ", ".join(quote(field.column) for field in self.fields)
        self.table = quote(opts.db_table)
        self.by_column = connection.vendor == "postgresql"
        if self.by_column:
            self.source = f"SELECT * FROM {unnest_arrays(self.fields)}"  # noqa: S608 - types from model metadata
            self.rows_per_statement = CHUNK
        else:
            self.row_placeholders = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
            # As many rows per statement as the database takes parameters (SQLite: 999).
            most = connection.features.max_query_params
            self.rows_per_statement = max(1, most // len(self.fields)) if most else CHUNK
        conflict = "DO NOTHING"
        if update_fields:
            updated: list[Any] = [opts.get_field(name) for name in update_fields]
            conflict = "DO UPDATE SET " + ", ".join(
                f"{quote(field.column)} = EXCLUDED.{quote(field.column)}" for field in updated
            )
        self.on_conflict = f"ON CONFLICT ({quote(pk.column)}) {conflict}"

    @staticmethod
    def _default(field: Any) -> Callable[[], Any]:
        if field.has_default() and callable(field.default):
            return field.get_default
        value = field.get_default()
        return lambda: value

    @classmethod
    def _converter(cls, field: Any) -> Callable[[Any], Any]:
        target = field.target_field if field.is_relation else field
        if isinstance(target, cls.PLAIN):
            return lambda value: value
        if isinstance(target, models.UUIDField):
            native = connection.features.has_native_uuid_field

            def uuid_value(value: Any) -> Any:
                if isinstance(value, str):  # the checker's canonical form, e.g. 1b4e28ba-2fa1-11d2-883f-0016d3cca427
                    return value if native else value.replace("-", "")
                return field.get_db_prep_save(value, connection)

            return uuid_value
        if isinstance(target, models.DateField | models.TimeField) and not isinstance(target, models.DateTimeField):

            def iso_value(value: Any) -> Any:
                # An ISO date or time string is what SQLite stores and what PostgreSQL reads.
                return value if isinstance(value, str) else field.get_db_prep_save(value, connection)

            return iso_value
        return lambda value: field.get_db_prep_save(value, connection)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        plan = self.plan
        with connection.cursor() as cursor:
            for part in chunked(rows, self.rows_per_statement):
                values = [
                    [convert(row[name]) if name in row else convert(default()) for name, default, convert in plan]
                    for row in part
                ]
                if self.by_column:
                    source, params = self.source, [list(column) for column in zip(*values, strict=True)]
                else:
                    source = "VALUES " + ", ".join([self.row_placeholders] * len(part))
                    params = [value for row_values in values for value in row_values]
                # Names come from the model's own metadata and are quoted; values are parameters.
                cursor.execute(f"INSERT INTO {self.table} ({self.columns}) {source} {self.on_conflict}", params)


class FeedWriter:
    def __init__(self, feed: CheckedFeed, *, progress_stream: Any = None) -> None:
        self.feed = feed
        self.progress_stream = progress_stream
        self.org_pk: dict[str, int] = {}
        self.outcodes: dict[str, str] = {}
        self.summary: dict[str, int] = {}

    # -- helpers ----------------------------------------------------------------------------

    def fields_for(self, table: str, mapping: dict[str, str], always: Iterable[str] = ()) -> list[str]:
        """Model fields to update: those whose feed column was present, plus ``always``."""
        present = self.feed.present[table]
        return sorted({mapping[column] for column in present if column in mapping} | set(always))

    def write_table(
        self,
        table: str,
        model: type[models.Model],
        build: Callable[[dict[str, Any]], dict[str, Any]],
        mapping: dict[str, str],
        always: Iterable[str] = (),
        progress: Progress | None = None,
    ) -> None:
        upsert = Upsert(model, self.fields_for(table, mapping, always))
        count = 0
        for batch in chunked(self.feed.spool.rows(table)):
            upsert.write([build(row) for _, row in batch])
            count += len(batch)
            if progress:
                progress.advance(len(batch))
        self.summary[table] = count

    def remove_vanished(self, model: type[models.Model], link: str, owners: set[str], keep: set[str]) -> int:
        """Delete ``model`` rows linked (by ``link``) to ``owners`` whose ids are not in ``keep``."""
        removed = 0
        for batch in chunked(sorted(owners)):
            existing = model._default_manager.filter(**{f"{link}__in": batch}).values_list("id", flat=True)
            gone = [pk for pk in existing if str(pk) not in keep]
            for doomed in chunked(gone):
                model._default_manager.filter(id__in=doomed).delete()
            removed += len(gone)
        return removed

    # -- tables -----------------------------------------------------------------------------

    def write_organisations(self) -> None:
        existing = {
            str(uid): (pk, name, slug)
            for pk, uid, name, slug in Organisation.objects.values_list("id", "uuid", "name", "slug")
        }
        names: dict[str, Any] = {name: str(uid) for uid, (_, name, _) in existing.items()}
        slugs: dict[str, Any] = {slug: str(uid) for uid, (_, _, slug) in existing.items()}
        creates: list[Organisation] = []
        updates: list[Organisation] = []
        mapping = {"name": "name", "description": "description", "email": "email", "website": "website"}
        update_fields = self.fields_for("organization", mapping, always=["name"])
        for _, row in self.feed.spool.rows("organization"):
            uid = row["id"]
            name = _unique(row["name"].strip() or "Unnamed organisation", names, uid, 200)
            values = {
                "name": name,
                "description": row.get("description", ""),
                "email": row.get("email", ""),
                "website": row.get("website", ""),
            }
            if uid in existing:
                updates.append(Organisation(pk=existing[uid][0], uuid=uid, **values))
            else:
                slug = _unique(slugify(name)[:190] or "organisation", slugs, uid, 200, sep="-")
                creates.append(Organisation(uuid=uid, slug=slug, kind=OrganisationKind.OTHER, **values))
        # Free names held by organisations that are being renamed before taking them.
        if updates:
            Organisation.objects.bulk_update(updates, update_fields, batch_size=CHUNK)
        Organisation.objects.bulk_create(creates, batch_size=CHUNK)
        self.org_pk = {str(uid): pk for pk, uid in Organisation.objects.values_list("id", "uuid")}
        self.summary["organization"] = len(creates) + len(updates)

    def write_taxonomies(self) -> None:
        names: dict[str, Any] = {name: str(pk) for pk, name in Taxonomy.objects.values_list("id", "name")}
        count = 0
        for _, row in self.feed.spool.rows("taxonomy"):
            name = _unique(row["name"], names, row["id"], 200)
            defaults = {"name": name}
            for column in ("description", "uri", "version"):
                if column in self.feed.present["taxonomy"] or column == "description":
                    defaults[column] = row.get(column, "")
            Taxonomy.objects.update_or_create(id=row["id"], defaults=defaults)
            count += 1
        self.summary["taxonomy"] = count

    def write_terms(self) -> None:
        codes: dict[tuple[str, str], str] = {
            (str(tax), code): str(pk) for pk, tax, code in TaxonomyTerm.objects.values_list("id", "taxonomy_id", "code")
        }
        present = self.feed.present["taxonomy_term"]
        parents: dict[str, str | None] = {}
        count = 0
        for _, row in self.feed.spool.rows("taxonomy_term"):
            taxonomy_id = row.get("taxonomy_id")
            if not taxonomy_id:
                label = row.get("taxonomy") or "Imported terms"
                taxonomy_id = str(uuid.uuid5(TAXONOMY_NAMESPACE, label))
                Taxonomy.objects.get_or_create(id=taxonomy_id, defaults={"name": label, "description": label})
            wanted = row.get("code") or slugify(row["name"])[:80] or "term"
            taken = {code: owner for (tax, code), owner in codes.items() if tax == taxonomy_id}
            code = _unique(wanted, taken, row["id"], 80, sep="-")
            codes[(taxonomy_id, code)] = row["id"]
            defaults: dict[str, Any] = {
                "taxonomy_id": taxonomy_id,
                "code": code,
                "name": row["name"],
                "description": row.get("description", ""),
                "term_uri": row.get("term_uri", ""),
            }
            for column, field_name in (("x_kind", "kind"), ("x_position", "position"), ("x_synonyms", "synonyms")):
                if column in present:
                    defaults[field_name] = row.get(column, "" if field_name == "synonyms" else None)
            if defaults.get("kind") is None:
                defaults.pop("kind", None)
            if defaults.get("position") is None:
                defaults.pop("position", None)
            TaxonomyTerm.objects.update_or_create(id=row["id"], defaults=defaults)
            if "parent_id" in present:
                parents[row["id"]] = row.get("parent_id")
            count += 1
        known = {str(pk) for pk in TaxonomyTerm.objects.values_list("id", flat=True)}
        for term_id, parent_id in parents.items():
            TaxonomyTerm.objects.filter(id=term_id).update(parent_id=parent_id if parent_id in known else None)
        self.summary["taxonomy_term"] = count

    def build_service(self, row: dict[str, Any]) -> dict[str, Any]:
        verified = _date(row.get("assured_date"))
        return dict(
            id=row["id"],
            organisation_id=self.org_pk[row["organization_id"]],
            name=row["name"],
            description=row.get("description", ""),
            what_to_expect=row.get("application_process", ""),
            eligibility=row.get("eligibility_description", ""),
            url=row.get("url", ""),
            email=row.get("email", ""),
            status=row["status"],
            status_note=row.get("x_status_note", ""),
            fees=row.get("fees", ""),
            accreditations=row.get("accreditations", ""),
            minimum_age=row.get("minimum_age"),
            maximum_age=row.get("maximum_age"),
            alert=row.get("alert", ""),
            offers_in_person=row.get("x_offers_in_person", True),
            offers_online=row.get("x_offers_online", False),
            offers_phone=row.get("x_offers_phone", False),
            is_county_wide=row.get("x_is_county_wide", False),
            is_illustrative=row.get("x_is_illustrative", False),
            last_modified=_moment(row.get("last_modified")) or timezone.now(),
            last_verified_at=(timezone.make_aware(dt.datetime.combine(verified, dt.time(12))) if verified else None),
        )

    SERVICE_FIELDS = {
        "name": "name",
        "description": "description",
        "application_process": "what_to_expect",
        "eligibility_description": "eligibility",
        "url": "url",
        "email": "email",
        "status": "status",
        "x_status_note": "status_note",
        "fees": "fees",
        "accreditations": "accreditations",
        "minimum_age": "minimum_age",
        "maximum_age": "maximum_age",
        "alert": "alert",
        "x_offers_in_person": "offers_in_person",
        "x_offers_online": "offers_online",
        "x_offers_phone": "offers_phone",
        "x_is_county_wide": "is_county_wide",
        "x_is_illustrative": "is_illustrative",
        "last_modified": "last_modified",
        "assured_date": "last_verified_at",
    }

    @staticmethod
    def already_held(model: type[models.Model], ids: set[str]) -> set[str]:
        """Those of ``ids`` that the directory holds before the import writes anything."""
        held: set[str] = set()
        for batch in chunked(sorted(ids)):
            held.update(str(pk) for pk in model._default_manager.filter(id__in=batch).values_list("id", flat=True))
        return held

    def remove_vanished_children(self, services: set[str], locations: set[str]) -> None:
        """``services`` and ``locations`` are those the directory already held: a new one has no
        rows to remove, so a first import of a large feed asks nothing here."""
        ids = self.feed.ids
        removed = 0
        removed += self.remove_vanished(ServiceAtLocation, "service_id", services, ids["service_at_location"])
        removed += self.remove_vanished(Attribute, "service_id", services, ids["attribute"])
        removed += self.remove_vanished(Contact, "service_id", services, ids["contact"])
        removed += self.remove_vanished(Schedule, "service_id", services, ids["schedule"])
        removed += self.remove_vanished(Schedule, "service_at_location__service_id", services, ids["schedule"])
        removed += self.remove_vanished(Phone, "service_id", services, ids["phone"])
        removed += self.remove_vanished(Phone, "contact__service_id", services, ids["phone"])
        removed += self.remove_vanished(Phone, "location_id", locations, ids["phone"])
        removed += self.remove_vanished(ServiceArea, "service_id", services, ids["service_area"])
        removed += self.remove_vanished(Language, "service_id", services, ids["language"])
        removed += self.remove_vanished(CostOption, "service_id", services, ids["cost_option"])
        removed += self.remove_vanished(ServiceCapacity, "service_id", services, ids["service_capacity"])
        removed += self.remove_vanished(Address, "location_id", locations, ids["address"])
        removed += self.remove_vanished(Accessibility, "location_id", locations, ids["accessibility"])
        self.summary["removed"] = removed

    def write_children(self, progress: Progress) -> None:
        def address(row: dict[str, Any]) -> dict[str, Any]:
            with contextlib.suppress(geo.PostcodeNotRecognised):
                self.outcodes.setdefault(row["location_id"], geo.outcode_of(row["postal_code"]))
            return dict(
                id=row["id"],
                location_id=row["location_id"],
                attention=row.get("attention", ""),
                address_1=row["address_1"],
                address_2=row.get("address_2", ""),
                city=row["city"],
                region=row.get("region", ""),
                state_province=row.get("state_province", ""),
                postal_code=row["postal_code"],
                country=(row.get("country") or "GB").upper(),
                address_type=row.get("address_type") or "physical",
            )

        def schedule(row: dict[str, Any]) -> dict[str, Any]:
            return dict(
                id=row["id"],
                service_id=None if row.get("service_at_location_id") else row.get("service_id"),
                service_at_location_id=row.get("service_at_location_id"),
                valid_from=row.get("valid_from"),
                valid_to=row.get("valid_to"),
                dtstart=row.get("dtstart"),
                freq=row.get("freq") or "WEEKLY",
                interval=row.get("interval") or 1,
                byday=row.get("byday", ""),
                bymonthday=row.get("bymonthday", ""),
                opens_at=row.get("opens_at"),
                closes_at=row.get("closes_at"),
                description=row.get("description", ""),
                attending_type=row.get("attending_type", ""),
                notes=row.get("notes", ""),
            )

        def cost(row: dict[str, Any]) -> dict[str, Any]:
            amount = row.get("amount")
            return dict(
                id=row["id"],
                service_id=row["service_id"],
                option=row.get("option", ""),
                amount=Decimal(str(amount)).quantize(Decimal("0.01")) if amount is not None else None,
                amount_description=row.get("amount_description", ""),
                valid_from=row.get("valid_from"),
                valid_to=row.get("valid_to"),
            )

        same = {name: name for name in ("name", "description", "attention", "address_1", "address_2", "city")}
        self.write_table(
            "address",
            Address,
            address,
            {
                **same,
                "region": "region",
                "state_province": "state_province",
                "postal_code": "postal_code",
                "country": "country",
                "address_type": "address_type",
                "location_id": "location",
            },
            always=["location", "address_1", "city", "postal_code"],
            progress=progress,
        )
        self.write_table(
            "accessibility",
            Accessibility,
            lambda row: dict(
                id=row["id"],
                location_id=row["location_id"],
                description=row.get("description", ""),
                details=row.get("details", ""),
                url=row.get("url", ""),
            ),
            {"description": "description", "details": "details", "url": "url"},
            always=["location"],
            progress=progress,
        )
        self.write_table(
            "service_at_location",
            ServiceAtLocation,
            lambda row: dict(id=row["id"], service_id=row["service_id"], location_id=row["location_id"]),
            {},
            always=["service", "location"],
            progress=progress,
        )
        self.write_table(
            "contact",
            Contact,
            lambda row: dict(
                id=row["id"],
                service_id=row["service_id"],
                name=row.get("name", ""),
                title=row.get("title", ""),
                email=row.get("email", ""),
            ),
            {"name": "name", "title": "title", "email": "email"},
            always=["service"],
            progress=progress,
        )
        self.write_table(
            "phone",
            Phone,
            lambda row: dict(
                id=row["id"],
                service_id=row.get("service_id"),
                location_id=row.get("location_id"),
                contact_id=row.get("contact_id"),
                number=row["number"],
                description=row.get("description", ""),
            ),
            {"description": "description"},
            always=["service", "location", "contact", "number"],
            progress=progress,
        )
        self.write_table(
            "schedule",
            Schedule,
            schedule,
            {
                "valid_from": "valid_from",
                "valid_to": "valid_to",
                "dtstart": "dtstart",
                "freq": "freq",
                "interval": "interval",
                "byday": "byday",
                "bymonthday": "bymonthday",
                "opens_at": "opens_at",
                "closes_at": "closes_at",
                "description": "description",
                "attending_type": "attending_type",
                "notes": "notes",
            },
            always=["service", "service_at_location"],
            progress=progress,
        )
        self.write_table(
            "service_area",
            ServiceArea,
            lambda row: dict(
                id=row["id"],
                service_id=row["service_id"],
                name=row.get("name", ""),
                extent=row.get("extent", ""),
                extent_type=row.get("extent_type", ""),
                uri=row.get("uri", ""),
            ),
            {"name": "name", "extent": "extent", "extent_type": "extent_type", "uri": "uri"},
            always=["service"],
            progress=progress,
        )
        self.write_table(
            "language",
            Language,
            lambda row: dict(
                id=row["id"],
                service_id=row["service_id"],
                name=row.get("name") or row.get("code", ""),
                code=row.get("code", ""),
                note=row.get("note", ""),
            ),
            {"name": "name", "code": "code", "note": "note"},
            always=["service"],
            progress=progress,
        )
        self.write_table(
            "cost_option",
            CostOption,
            cost,
            {
                "option": "option",
                "amount": "amount",
                "amount_description": "amount_description",
                "valid_from": "valid_from",
                "valid_to": "valid_to",
            },
            always=["service"],
            progress=progress,
        )
        self.write_table(
            "attribute",
            Attribute,
            lambda row: dict(id=row["id"], service_id=row["link_id"], taxonomy_term_id=row["taxonomy_term_id"]),
            {},
            always=["service", "taxonomy_term"],
            progress=progress,
        )
        self.write_table(
            "service_capacity",
            ServiceCapacity,
            lambda row: dict(
                id=row["id"],
                service_id=row["service_id"],
                unit=CapacityUnit(row["unit"]).value,
                available=row.get("available"),
                maximum=row.get("maximum"),
                description=row.get("description", ""),
                updated=_moment(row.get("updated")) or timezone.now(),
            ),
            {"available": "available", "maximum": "maximum", "description": "description", "updated": "updated"},
            always=["service", "unit"],
            progress=progress,
        )

    def reindex(self, service_ids: set[str], progress: Progress) -> None:
        """The bulk equivalent of ``actions.service_reindex`` for every imported service
        (and the search index of any other service at a place in the feed)."""
        # Plain values, not model instances: at national scale this step reads a
        # quarter of a million rows. search_text_of gives what build_search_text would.
        term_order = ("taxonomy_term__taxonomy__name", "taxonomy_term__position", "taxonomy_term__name")
        for batch in chunked(sorted(service_ids)):
            services = Service.objects.filter(id__in=batch).values_list(
                "id", "name", "description", "eligibility", "organisation__name"
            )
            terms: dict[Any, list[tuple[str, str]]] = {}
            for service_id, name, synonyms in (
                Attribute.objects.filter(service_id__in=batch)
                .order_by(*term_order)
                .values_list("service_id", "taxonomy_term__name", "taxonomy_term__synonyms")
            ):
                terms.setdefault(service_id, []).append((name, synonyms))
            capacities: dict[Any, list[tuple[str, int | None]]] = {}
            for service_id, unit, available in ServiceCapacity.objects.filter(service_id__in=batch).values_list(
                "service_id", "unit", "available"
            ):
                capacities.setdefault(service_id, []).append((unit, available))
            with_place = set(
                ServiceAtLocation.objects.filter(service_id__in=batch)
                .exclude(location__location_type=LocationType.VIRTUAL)
                .values_list("service_id", flat=True)
            )
            changes: list[tuple[Any, ...]] = []
            for pk, name, description, eligibility, organisation in services:
                changes.append(
                    (
                        pk,
                        *capacity_facts(capacities.get(pk, [])),
                        search_text_of([name, description, eligibility, organisation], terms.get(pk, [])),
                        pk in with_place,
                    )
                )
            bulk_set(Service, ["has_capacity", "wait_weeks", "search_text", "has_place"], changes)
            search_index.rebuild(batch)
            progress.advance(len(changes))
        # A place in the feed may also be a place of a service listed from elsewhere
        # (there are none when the feed holds every service in the directory).
        sharing: set[uuid.UUID] = set()
        others = Service.objects.count() > len(service_ids)
        for feed_places in chunked(self.feed.ids["location"] if others else ()):
            found = ServiceAtLocation.objects.filter(location_id__in=feed_places).values_list("service_id", flat=True)
            sharing.update(uuid.UUID(str(service_id)) for service_id in found)
        search_index.rebuild(sharing - {uuid.UUID(str(service_id)) for service_id in service_ids})

    # -- all --------------------------------------------------------------------------------

    def write(self) -> dict[str, int]:
        feed = self.feed
        services = feed.ids["service"]
        locations = feed.ids["location"]
        total_rows = sum(feed.spool.counts.values())
        with transaction.atomic():
            progress = Progress("Writing", total=total_rows, stream=self.progress_stream)
            held_services, held_locations = self.already_held(Service, services), self.already_held(Location, locations)
            self.write_organisations()
            self.write_taxonomies()
            self.write_terms()
            progress.advance(feed.count("organization") + feed.count("taxonomy") + feed.count("taxonomy_term"))
            self.write_table(
                "service",
                Service,
                self.build_service,
                self.SERVICE_FIELDS,
                always=["organisation", "name", "status"],
                progress=progress,
            )
            self.write_table(
                "location",
                Location,
                lambda row: dict(
                    id=row["id"],
                    location_type=row["location_type"],
                    name=row.get("name", ""),
                    description=row.get("description", ""),
                    transport=row.get("transportation", ""),
                    latitude=row.get("latitude"),
                    longitude=row.get("longitude"),
                    geocell=geo.cell_of(row.get("latitude"), row.get("longitude")),
                    external_identifier=row.get("external_identifier", ""),
                    external_identifier_type=row.get("external_identifier_type", ""),
                ),
                {
                    "location_type": "location_type",
                    "name": "name",
                    "description": "description",
                    "transportation": "transport",
                    "latitude": "latitude",
                    "longitude": "longitude",
                    "external_identifier": "external_identifier",
                    "external_identifier_type": "external_identifier_type",
                },
                always=["location_type", "geocell"],
                progress=progress,
            )
            self.remove_vanished_children(held_services, held_locations)
            self.write_children(progress)
            bulk_set(Location, ["outcode"], [(uuid.UUID(pk), outcode) for pk, outcode in self.outcodes.items()])
            progress.finish()
            refresh_statistics()
            indexing = Progress("Indexing", total=len(services), stream=self.progress_stream)
            self.reindex(services, indexing)
            indexing.finish()
            details: dict[str, Any] = {"services": len(services)}
            for table in ("organization", "location", "taxonomy_term", "removed"):
                details[table if table != "organization" else "organisations"] = self.summary.get(table, 0)
            audit_write(
                actor=None,
                action="directory.imported",
                object_type="directory.feed",
                purpose="directory import",
                details=details,
            )
        self.summary["service"] = len(services)
        return self.summary


def refresh_statistics() -> None:
    """Let PostgreSQL's planner see the rows just written. A large import is one
    transaction, which autovacuum cannot see into, so without this the indexing
    queries are planned as if the tables were still empty. (ANALYZE in a
    transaction counts the rows that transaction wrote.) SQLite plans by its
    indexes and needs nothing."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Service, Attribute, Location, ServiceAtLocation, SearchPlace)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def write_feed(feed: CheckedFeed, *, progress_stream: Any = None) -> dict[str, int]:
    """Write a checked feed (it must have no problems) in one transaction."""
    if not feed.ok:
        raise ValueError("A feed with problems cannot be written.")
    return FeedWriter(feed, progress_stream=progress_stream).write()
