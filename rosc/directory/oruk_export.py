"""The whole directory as an HSDS tabular data package (``datapackage.json`` + CSVs).

One CSV per HSDS table we hold, with the HSDS 3.0 column names (and our ``x_``
extension columns), streamed from the database a chunk at a time. The package
reads back with ``import_oruk``. ``service_capacities.csv`` follows HSDS 3.1's
``service_capacity`` with ``unit`` holding our unit code.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from rosc.core.models import Organisation
from rosc.directory.api import serializers
from rosc.directory.models import (
    Accessibility,
    Address,
    Attribute,
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
from rosc.directory.oruk_import import TABLES, Field

FRICTIONLESS_TYPES = {
    "uuid": ("string", "uuid"),
    "text": ("string", None),
    "email": ("string", "email"),
    "url": ("string", "uri"),
    "enum": ("string", None),
    "int": ("integer", None),
    "number": ("number", None),
    "bool": ("boolean", None),
    "date": ("date", None),
    "time": ("time", None),
    "datetime": ("datetime", None),
}


def _sources() -> dict[str, tuple[QuerySet[Any], Callable[[Any], dict[str, Any]]]]:
    services = Service.objects.all()
    return {
        "organization": (
            Organisation.objects.filter(services__in=services).distinct().order_by("name"),
            serializers.organization,
        ),
        "taxonomy": (Taxonomy.objects.order_by("name"), serializers.taxonomy),
        "taxonomy_term": (
            TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "position", "name"),
            serializers.taxonomy_term,
        ),
        "service": (services.select_related("organisation").order_by("name", "id"), serializers.service_summary),
        "location": (Location.objects.order_by("id"), serializers.location_fields),
        "address": (Address.objects.order_by("id"), serializers.address),
        "accessibility": (Accessibility.objects.order_by("id"), serializers.accessibility),
        "service_at_location": (
            ServiceAtLocation.objects.order_by("id"),
            lambda row: {"id": str(row.id), "service_id": str(row.service_id), "location_id": str(row.location_id)},
        ),
        "contact": (Contact.objects.order_by("id"), serializers.contact_fields),
        "phone": (Phone.objects.order_by("id"), serializers.phone),
        "schedule": (Schedule.objects.order_by("id"), serializers.schedule),
        "service_area": (ServiceArea.objects.order_by("id"), serializers.service_area),
        "language": (Language.objects.order_by("id"), serializers.language),
        "cost_option": (CostOption.objects.order_by("id"), serializers.cost_option),
        "attribute": (Attribute.objects.order_by("id"), serializers.attribute_fields),
        "service_capacity": (ServiceCapacity.objects.order_by("id"), serializers.capacity_fields),
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field_schema(spec: Field) -> dict[str, Any]:
    kind, fmt = FRICTIONLESS_TYPES[spec.kind]
    data: dict[str, Any] = {"name": spec.name, "type": kind}
    if fmt:
        data["format"] = fmt
    constraints: dict[str, Any] = {}
    if spec.required:
        constraints["required"] = True
    if spec.choices:
        constraints["enum"] = list(spec.choices)
    if spec.max_length:
        constraints["maxLength"] = spec.max_length
    if constraints:
        data["constraints"] = constraints
    return data


def datapackage(resources: Iterable[str]) -> dict[str, Any]:
    entries = []
    for name in resources:
        table = TABLES[name]
        schema: dict[str, Any] = {"fields": [_field_schema(spec) for spec in table.fields], "primaryKey": "id"}
        foreign = [
            {"fields": spec.name, "reference": {"resource": spec.ref, "fields": "id"}}
            for spec in table.fields
            if spec.ref
        ]
        if foreign:
            schema["foreignKeys"] = foreign
        entries.append(
            {
                "name": name,
                "path": table.filename,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "name": "open_rosc_directory",
        "title": "Open ROSC service directory (HSDS 3.0, Open Referral UK profile)",
        "profile": "tabular-data-package",
        "version": "3.0.0",
        "homepage": "https://openreferraluk.org/",
        "license": {
            "name": "Creative Commons Attribution-ShareAlike 4.0",
            "path": "https://creativecommons.org/licenses/by-sa/4.0/",
        },
        "resources": entries,
    }


def export_folder(folder: Path, *, on_rows: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Write every table into ``folder``; returns rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, (queryset, to_row) in _sources().items():
        table = TABLES[name]
        count = 0
        with (folder / table.filename).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.columns)
            for row in queryset.iterator(chunk_size=2000):
                data = to_row(row)
                writer.writerow([_cell(data.get(column)) for column in table.columns])
                count += 1
        counts[name] = count
        if on_rows:
            on_rows(name, count)
    (folder / "datapackage.json").write_text(json.dumps(datapackage(counts), indent=2) + "\n", encoding="utf-8")
    return counts


def export_package(target: Path, *, on_rows: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """A folder, or a .zip when ``target`` ends in .zip."""
    if target.suffix.lower() != ".zip":
        return export_folder(target, on_rows=on_rows)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        counts = export_folder(folder, on_rows=on_rows)
        partial = target.with_suffix(".zip.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.iterdir()):
                archive.write(path, arcname=path.name)
        shutil.move(str(partial), str(target))
    return counts
