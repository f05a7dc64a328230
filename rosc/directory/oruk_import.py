"""Reading and checking Open Referral UK / HSDS feeds, before anything is written.

A feed is one of:

* a JSON document: a list of services, an ORUK page envelope with ``contents``,
  or a single service (a local file, or an ``http(s)`` URL ending ``.json``);
* an ORUK API base URL, whose ``/services`` pages are followed (a listed
  service without nested arrays is fetched again from ``/services/{id}``);
* an HSDS tabular data package: a folder (or ``.zip``) holding
  ``datapackage.json`` and one CSV per table, as ``export_oruk`` writes.

Every service or CSV row is checked (against the ORUK 3.0 JSON Schemas and our
own rules: required fields, UUIDs, known codes, numbers in range, lengths that
fit our columns, and that every id a row refers to exists in the feed). All
problems are collected with the record number or CSV file and line that
caused them. Nothing here writes to the database: checked rows are spooled to
temporary files, one per table, so that a 50,000-service feed is held on disk
rather than in memory, and ``rosc.directory.oruk_write`` writes them.

JSON is read incrementally (one service at a time), so memory stays flat
whatever the size of the feed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_BASE_URI = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
RUNTIME_SCHEMA_DIR = Path(__file__).resolve().parent / "standards" / "oruk" / "schema"
USER_AGENT = "OpenROSC-import/1.0 (+https://github.com/open-rosc)"
HTTP_TIMEOUT_SECONDS = 30
MAX_KEPT_ERRORS = 5000
CSV_FIELD_LIMIT = 10 * 1024 * 1024

# --- Schemas --------------------------------------------------------------------------


def schema_registry(schema_dir: Path = RUNTIME_SCHEMA_DIR) -> Registry:
    """The ORUK schemas in ``schema_dir`` (and ``compiled/``), registered under their
    published URIs so that ``$ref`` resolves to the local files, never the network."""
    resources = []
    for path in sorted([*schema_dir.glob("*.json"), *schema_dir.glob("compiled/*.json")]):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        uri = SCHEMA_BASE_URI + path.relative_to(schema_dir).as_posix()
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=64)
def schema_validator(name: str, schema_dir: str = str(RUNTIME_SCHEMA_DIR)) -> Draft202012Validator:
    """A validator for one ORUK schema, e.g. ``"compiled/service.json"`` or ``"schedule.json"``."""
    return Draft202012Validator(
        {"$ref": SCHEMA_BASE_URI + name},
        registry=schema_registry(Path(schema_dir)),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@lru_cache(maxsize=64)
def fast_schema_check(name: str, schema_dir: str = str(RUNTIME_SCHEMA_DIR)) -> Callable[[Any], bool]:
    """A compiled yes/no check for one ORUK schema (jsonschema-rs), about a hundred
    times quicker than the full validator. Valid records need nothing more; the
    few invalid ones are run through :func:`schema_errors` for plain messages.
    It checks formats too, so it never passes a record the full validator would fail."""
    import jsonschema_rs

    root = Path(schema_dir)

    def retrieve(uri: str) -> Any:
        if not uri.startswith(SCHEMA_BASE_URI):
            raise ValueError(f"Schema {uri} is not one of the bundled ORUK schemas.")
        return json.loads((root / uri.removeprefix(SCHEMA_BASE_URI)).read_text(encoding="utf-8"))

    validator = jsonschema_rs.validator_for(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": SCHEMA_BASE_URI + name},
        retriever=retrieve,
        validate_formats=True,
    )
    return validator.is_valid


def schema_errors(validator: Draft202012Validator, instance: Any) -> list[str]:
    """Plain messages for each schema error: where, then what."""
    messages = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
        message = error.message if len(error.message) <= 200 else error.message[:200] + "…"
        messages.append(f"{where.lstrip('.') or 'record'}: {message}")
    return messages


# --- What a feed may hold ---------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "text"  # uuid text int number bool date time datetime email url enum
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    ref: str | None = None  # the table whose id this field holds


@dataclass(frozen=True)
class Table:
    name: str
    filename: str
    fields: tuple[Field, ...]
    schema: str | None = None  # ORUK table schema for CSV rows
    aliases: tuple[str, ...] = ()  # other file names seen in the wild

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @cached_property
    def column_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields)


def _id(required: bool = True) -> Field:
    return Field("id", "uuid", required=required)


STATUSES = ("active", "inactive", "defunct", "temporarily closed")
LOCATION_TYPES = ("physical", "postal", "virtual")
FREQUENCIES = ("WEEKLY", "MONTHLY")
UNITS = ("beds", "places", "wait_weeks")
TERM_KINDS = ("domain", "need", "other")
DAY_PATTERN = re.compile(r"^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$")

TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            "organization",
            "organizations.csv",
            (
                _id(),
                Field("name", required=True, max_length=200),
                Field("description"),
                Field("email", "email", max_length=254),
                Field("website", "url", max_length=200),
            ),
            schema="organization.json",
        ),
        Table(
            "taxonomy",
            "taxonomies.csv",
            (
                _id(),
                Field("name", required=True, max_length=200),
                Field("description"),
                Field("uri", "url", max_length=200),
                Field("version", max_length=40),
            ),
            schema="taxonomy.json",
            aliases=("taxonomy.csv",),
        ),
        Table(
            "taxonomy_term",
            "taxonomy_terms.csv",
            (
                _id(),
                Field("code", max_length=80),
                Field("name", required=True, max_length=200),
                Field("description"),
                # A parent outside the feed is dropped rather than refused: nested ORUK
                # services carry parent_id without carrying the parent term.
                Field("parent_id", "uuid"),
                Field("taxonomy", max_length=200),
                Field("taxonomy_id", "uuid", ref="taxonomy"),
                Field("term_uri", "url", max_length=200),
                Field("x_kind", "enum", choices=TERM_KINDS),
                Field("x_position", "int", minimum=0, maximum=32767),
                Field("x_synonyms"),
            ),
            schema="taxonomy_term.json",
        ),
        Table(
            "service",
            "services.csv",
            (
                _id(),
                Field("organization_id", "uuid", required=True, ref="organization"),
                Field("name", required=True, max_length=300),
                Field("description"),
                Field("url", "url", max_length=500),
                Field("email", "email", max_length=254),
                Field("status", "enum", required=True, choices=STATUSES),
                Field("fees"),
                Field("accreditations"),
                Field("minimum_age", "int", minimum=0, maximum=150),
                Field("maximum_age", "int", minimum=0, maximum=150),
                Field("assured_date", "date"),
                Field("alert"),
                Field("last_modified", "datetime"),
                Field("eligibility_description"),
                Field("application_process"),
                Field("x_offers_in_person", "bool"),
                Field("x_offers_online", "bool"),
                Field("x_offers_phone", "bool"),
                Field("x_is_county_wide", "bool"),
                Field("x_is_illustrative", "bool"),
                Field("x_status_note", max_length=300),
            ),
            schema="service.json",
        ),
        Table(
            "location",
            "locations.csv",
            (
                _id(),
                Field("location_type", "enum", required=True, choices=LOCATION_TYPES),
                Field("name", max_length=300),
                Field("description"),
                Field("transportation"),
                Field("latitude", "number", minimum=-90, maximum=90),
                Field("longitude", "number", minimum=-180, maximum=180),
                Field("external_identifier", max_length=100),
                Field("external_identifier_type", max_length=50),
            ),
            schema="location.json",
        ),
        Table(
            "address",
            "addresses.csv",
            (
                _id(),
                Field("location_id", "uuid", required=True, ref="location"),
                Field("attention", max_length=200),
                Field("address_1", required=True, max_length=200),
                Field("address_2", max_length=200),
                Field("city", required=True, max_length=100),
                Field("region", max_length=100),
                Field("state_province", max_length=100),
                Field("postal_code", required=True, max_length=12),
                Field("country", max_length=2),
                Field("address_type", "enum", choices=LOCATION_TYPES),
            ),
            schema="address.json",
            aliases=("address.csv",),
        ),
        Table(
            "accessibility",
            "accessibility.csv",
            (
                _id(),
                Field("location_id", "uuid", required=True, ref="location"),
                Field("description"),
                Field("details"),
                Field("url", "url", max_length=200),
            ),
            schema="accessibility.json",
        ),
        Table(
            "service_at_location",
            "service_at_location.csv",
            (
                _id(),
                Field("service_id", "uuid", required=True, ref="service"),
                Field("location_id", "uuid", required=True, ref="location"),
            ),
            schema="service_at_location.json",
            aliases=("service_at_locations.csv",),
        ),
        Table(
            "contact",
            "contacts.csv",
            (
                _id(),
                Field("service_id", "uuid", ref="service"),
                Field("name", max_length=200),
                Field("title", max_length=200),
                Field("email", "email", max_length=254),
            ),
            schema="contact.json",
        ),
        Table(
            "phone",
            "phones.csv",
            (
                _id(),
                Field("service_id", "uuid", ref="service"),
                Field("location_id", "uuid", ref="location"),
                Field("contact_id", "uuid", ref="contact"),
                Field("number", required=True, max_length=40),
                Field("description", max_length=300),
            ),
            schema="phone.json",
        ),
        Table(
            "schedule",
            "schedules.csv",
            (
                _id(),
                Field("service_id", "uuid", ref="service"),
                Field("service_at_location_id", "uuid", ref="service_at_location"),
                Field("valid_from", "date"),
                Field("valid_to", "date"),
                Field("dtstart", "date"),
                Field("freq", "enum", choices=FREQUENCIES),
                Field("interval", "int", minimum=1, maximum=366),
                Field("byday", max_length=40),
                Field("bymonthday", max_length=40),
                Field("opens_at", "time"),
                Field("closes_at", "time"),
                Field("description"),
                Field("attending_type", max_length=40),
                Field("notes"),
            ),
            schema="schedule.json",
            aliases=("schedule.csv",),
        ),
        Table(
            "service_area",
            "service_areas.csv",
            (
                _id(),
                Field("service_id", "uuid", required=True, ref="service"),
                Field("name", max_length=200),
                Field("extent"),
                Field("extent_type", max_length=40),
                Field("uri", max_length=300),
            ),
            schema="service_area.json",
        ),
        Table(
            "language",
            "languages.csv",
            (
                _id(),
                Field("service_id", "uuid", ref="service"),
                Field("name", max_length=100),
                Field("code", max_length=12),
                Field("note", max_length=300),
            ),
            schema="language.json",
        ),
        Table(
            "cost_option",
            "cost_options.csv",
            (
                _id(),
                Field("service_id", "uuid", required=True, ref="service"),
                Field("option", max_length=200),
                Field("amount", "number", minimum=0, maximum=9_999_999),
                Field("amount_description", max_length=300),
                Field("valid_from", "date"),
                Field("valid_to", "date"),
            ),
            schema="cost_option.json",
        ),
        Table(
            "attribute",
            "attributes.csv",
            (
                _id(),
                Field("link_id", "uuid", required=True),
                Field("taxonomy_term_id", "uuid", required=True, ref="taxonomy_term"),
                Field("link_type", max_length=80),
                Field("link_entity", max_length=80),
            ),
            schema="attribute.json",
            aliases=("attribute.csv",),
        ),
        Table(
            "service_capacity",
            "service_capacities.csv",
            (
                _id(),
                Field("service_id", "uuid", required=True, ref="service"),
                Field("unit", "enum", required=True, choices=UNITS),
                Field("available", "int", minimum=0, maximum=2_147_483_647),
                Field("maximum", "int", minimum=0, maximum=2_147_483_647),
                Field("description", max_length=300),
                Field("updated", "datetime"),
            ),
        ),
    )
}
# Order in which tables are written (parents first).
WRITE_ORDER = list(TABLES)
# HSDS tables we do not hold; their rows are counted and skipped.
IGNORED_TABLES = {
    "funding",
    "program",
    "required_document",
    "organization_identifier",
    "metadata",
    "meta_table_description",
    "unit",
}
# Tables whose rows may legitimately repeat in a nested JSON feed (shared by services).
SHARED_IN_JSON = {"organization", "taxonomy", "taxonomy_term", "location", "address", "accessibility"}
# Pairs that our tables hold once (unique constraints).
PAIR_KEYS = {
    "service_at_location": ("service_id", "location_id"),
    "service_capacity": ("service_id", "unit"),
    "attribute": ("link_id", "taxonomy_term_id"),
}
TAXONOMY_NAMESPACE = uuid.UUID("6f2b3c3e-4d1a-4a57-9a43-6a6f0e1f7a10")


# --- Errors and progress -------------------------------------------------------------


@dataclass
class Problems:
    messages: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, origin: str, message: str) -> None:
        self.count += 1
        if len(self.messages) < MAX_KEPT_ERRORS:
            self.messages.append(f"{origin}: {message}")

    def __bool__(self) -> bool:
        return self.count > 0


class Progress:
    """A progress bar on stderr: rewritten in place on a terminal, a line every few
    seconds (and at the end) otherwise."""

    def __init__(self, label: str, *, total: int | None = None, stream: Any = None) -> None:
        self.label, self.total, self.done = label, total, 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = self.last = time.monotonic()

    def _line(self) -> str:
        if self.total:
            share = min(1.0, self.done / self.total)
            bar = "#" * int(share * 30)
            return f"{self.label}: [{bar:<30}] {self.done}/{self.total} ({share:.0%})"
        return f"{self.label}: {self.done}"

    def advance(self, step: int = 1) -> None:
        self.done += step
        now = time.monotonic()
        if self.tty and now - self.last >= 0.1:
            self.stream.write("\r" + self._line())
            self.stream.flush()
            self.last = now
        elif not self.tty and now - self.last >= 5:
            self.stream.write(self._line() + "\n")
            self.last = now

    def finish(self) -> None:
        seconds = time.monotonic() - self.started
        self.stream.write(("\r" if self.tty else "") + self._line() + f" in {seconds:.1f}s\n")
        self.stream.flush()


# --- Values -------------------------------------------------------------------------------

_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


class BadValue(ValueError):
    pass


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    raise BadValue(f"should be text, not {type(value).__name__}")


CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def clean_value(spec: Field, value: Any) -> Any:
    """A feed value as the JSON-ready value we store; raises BadValue with a reason."""
    kind = spec.kind
    if kind == "uuid":
        if isinstance(value, str) and CANONICAL_UUID.fullmatch(value):
            return value  # already as str(uuid.UUID(value)) writes it, as most feeds send ids
        try:
            return str(uuid.UUID(_text(value).strip()))
        except ValueError:
            raise BadValue(f"{value!r} is not a UUID") from None
    if kind in ("int", "number"):
        if isinstance(value, bool):
            raise BadValue(f"{value!r} is not a number")
        try:
            number = float(value) if not isinstance(value, int | float) else value
        except (TypeError, ValueError):
            raise BadValue(f"{value!r} is not a number") from None
        if not math.isfinite(number):
            raise BadValue(f"{value!r} is not a number")
        if kind == "int":
            if number != int(number):
                raise BadValue(f"{value!r} is not a whole number")
            number = int(number)
        if spec.minimum is not None and number < spec.minimum:
            raise BadValue(f"{value!r} is below {spec.minimum:g}")
        if spec.maximum is not None and number > spec.maximum:
            raise BadValue(f"{value!r} is above {spec.maximum:g}")
        return number
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = _text(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise BadValue(f"{value!r} is not true or false")
    text = _text(value).strip() if kind != "text" else _text(value)
    if kind == "enum":
        candidate = text.upper() if spec.choices == FREQUENCIES else text.lower()
        if candidate not in spec.choices:
            raise BadValue(f"{value!r} is not one of {', '.join(spec.choices)}")
        return candidate
    if kind == "date":
        try:
            return dt.date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise BadValue(f"{value!r} is not a date like 2024-05-01") from None
    if kind == "time":
        try:
            return dt.time.fromisoformat(text).replace(tzinfo=None).isoformat()
        except ValueError:
            raise BadValue(f"{value!r} is not a time like 09:30:00") from None
    if kind == "datetime":
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise BadValue(f"{value!r} is not a date and time like 2024-05-01T09:30:00Z") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.isoformat()
    if kind == "email":
        try:
            _email(text)
        except ValidationError:
            raise BadValue(f"{value!r} is not an email address") from None
    if kind == "url":
        if "://" not in text:  # "www.example.org" is common in real feeds
            text = "https://" + text
        try:
            _url(text)
        except ValidationError:
            raise BadValue(f"{value!r} is not a web address") from None
    if spec.max_length is not None and len(text) > spec.max_length:
        raise BadValue(f"is {len(text)} characters long; at most {spec.max_length} fit")
    return text


def clean_row(table: Table, raw: dict[str, Any], origin: str, problems: Problems) -> dict[str, Any] | None:
    """The row with known columns cleaned; None (and problems noted) if anything is wrong."""
    row: dict[str, Any] = {}
    ok = True
    for spec in table.fields:
        value = raw.get(spec.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.required:
                problems.add(origin, f"{table.name} {spec.name} is missing")
                ok = False
            continue
        try:
            row[spec.name] = clean_value(spec, value)
        except BadValue as reason:
            problems.add(origin, f"{table.name} {spec.name} {reason}")
            ok = False
    if not ok:
        return None
    pairs = [("minimum_age", "maximum_age"), ("valid_from", "valid_to"), ("available", "maximum")]
    for low, high in pairs:
        if low in row and high in row and row[low] > row[high]:
            problems.add(origin, f"{table.name} {low} ({row[low]}) is more than {high} ({row[high]})")
            ok = False
    if ("latitude" in row) != ("longitude" in row):
        problems.add(origin, "location has a latitude or a longitude but not both")
        ok = False
    if table.name == "schedule" and row.get("byday"):
        days = [part.strip().upper() for part in row["byday"].split(",") if part.strip()]
        if not all(DAY_PATTERN.match(day) for day in days):
            problems.add(origin, f"schedule byday {row['byday']!r} should be days like MO,WE,FR")
            ok = False
        row["byday"] = ",".join(days)
    return row if ok else None


# --- Reading JSON ---------------------------------------------------------------------------


class JsonStream:
    """Values from a JSON text read a chunk at a time."""

    CHUNK = 1 << 20

    def __init__(self, handle: IO[str]) -> None:
        self.handle, self.buffer, self.pos, self.eof = handle, "", 0, False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.handle.read(self.CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            found = self.peek() or "the end of the file"
            raise ValueError(f"expected {char!r} but found {found!r}")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                if self._more():
                    continue
                raise ValueError(f"the JSON is malformed ({error.msg})") from None
            if end >= len(self.buffer) and not self.eof and self._more():
                continue  # a number may run on into the next chunk
            self.pos = end
            return value

    def array_items(self) -> Iterator[Any]:
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            separator = self.peek()
            self.pos += 1
            if separator == "]":
                return
            if separator != ",":
                raise ValueError(f"expected ',' or ']' between services but found {separator!r}")


@dataclass
class JsonDocument:
    """What the top of a JSON document said besides its services."""

    meta: dict[str, Any] = field(default_factory=dict)


def iter_json_services(handle: IO[str], document: JsonDocument | None = None) -> Iterator[Any]:
    """Services from a list, a page envelope (``contents``) or a single service."""
    document = document if document is not None else JsonDocument()
    stream = JsonStream(handle)
    first = stream.peek()
    if first == "[":
        yield from stream.array_items()
        return
    if first != "{":
        raise ValueError("the document is neither a list of services nor a page of services")
    stream.expect("{")
    saw_contents = False
    while stream.peek() != "}":
        key = stream.value()
        stream.expect(":")
        if key == "contents" and stream.peek() == "[":
            saw_contents = True
            yield from stream.array_items()
        else:
            document.meta[key] = stream.value()
        if stream.peek() == ",":
            stream.pos += 1
    if not saw_contents and "id" in document.meta:
        yield dict(document.meta)


def _open_url(url: str) -> Any:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{url} is not an http or https address")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})  # noqa: S310
    return urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS)  # noqa: S310


def _fetch_json(url: str) -> Any:
    with _open_url(url) as response:
        return json.load(io.TextIOWrapper(response, encoding="utf-8"))


NESTED_KEYS = ("service_at_locations", "schedules", "contacts", "attributes")


def iter_api_services(base_url: str, *, per_page: int = 200) -> Iterator[tuple[str, Any]]:
    """(origin, service) for every service an ORUK API lists, fetching a service's
    full record when its page entry has no nested arrays."""
    base = base_url.rstrip("/")
    if base.endswith("/services"):
        base = base[: -len("/services")]
    page = 1
    while True:
        url = f"{base}/services?" + urllib.parse.urlencode({"page": page, "per_page": per_page})
        envelope = _fetch_json(url)
        contents = envelope.get("contents") if isinstance(envelope, dict) else None
        if not isinstance(contents, list):
            raise ValueError(f"{url} did not answer with a page of services")
        for index, item in enumerate(contents, start=1):
            origin = f"page {page} item {index}"
            if isinstance(item, dict) and item.get("id") and not any(key in item for key in NESTED_KEYS):
                item = _fetch_json(f"{base}/services/{urllib.parse.quote(str(item['id']))}")
            yield origin, item
        total_pages = envelope.get("total_pages")
        if not contents or envelope.get("last_page") is True or (isinstance(total_pages, int) and page >= total_pages):
            return
        page += 1


# --- Spooling checked rows -------------------------------------------------------------------


class Spool:
    """Checked rows, one temporary JSON-lines file per table."""

    def __init__(self) -> None:
        self.files: dict[str, IO[str]] = {}
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def write(self, table: str, origin: str, row: dict[str, Any]) -> None:
        handle = self.files.get(table)
        if handle is None:
            handle = self.files[table] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        handle.write(json.dumps([origin, row], separators=(",", ":")) + "\n")
        self.counts[table] += 1

    def rows(self, table: str) -> Iterator[tuple[str, dict[str, Any]]]:
        handle = self.files.get(table)
        if handle is None:
            return
        handle.flush()
        handle.seek(0)
        for line in handle:
            origin, row = json.loads(line)
            yield origin, row
        handle.seek(0, 2)

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()
        self.files.clear()


@dataclass
class CheckedFeed:
    """A feed that has been read and checked; rows wait in ``spool``."""

    source: str
    spool: Spool
    problems: Problems
    ids: dict[str, set[str]]
    present: dict[str, set[str]]
    ignored: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, table: str) -> int:
        return self.spool.counts.get(table, 0)


class FeedChecker:
    """Collects rows from any source, checks them and spools the good ones."""

    def __init__(self, *, known_ids: dict[str, set[str]] | None = None, schema_dir: Path = RUNTIME_SCHEMA_DIR):
        self.problems = Problems()
        self.spool = Spool()
        self.ids: dict[str, set[str]] = {name: set() for name in TABLES}
        self.present: dict[str, set[str]] = {name: set() for name in TABLES}
        self.ignored: dict[str, int] = {}
        self.known_ids = known_ids or {}
        self.schema_dir = str(schema_dir)
        self.pairs: dict[str, set[tuple[str, str]]] = {name: set() for name in PAIR_KEYS}

    def validator(self, name: str) -> Draft202012Validator:
        return schema_validator(name, self.schema_dir)

    def schema_errors(self, name: str, instance: Any) -> list[str]:
        if fast_schema_check(name, self.schema_dir)(instance):
            return []
        return schema_errors(self.validator(name), instance)

    def ignore(self, table: str, count: int = 1) -> None:
        self.ignored[table] = self.ignored.get(table, 0) + count

    def add(self, table_name: str, raw: dict[str, Any], origin: str, *, shared: bool = False) -> dict[str, Any] | None:
        table = TABLES[table_name]
        self.present[table_name].update(key for key in raw if key in table.column_names)
        row = clean_row(table, raw, origin, self.problems)
        if row is None:
            raw_id = raw.get("id")
            if isinstance(raw_id, str):
                self.ids[table_name].add(raw_id.strip().lower())  # so references to it do not also fail
            return None
        seen = self.ids[table_name]
        if row["id"] in seen:
            if shared:
                return row
            self.problems.add(origin, f"{table_name} id {row['id']} is used more than once in the feed")
            return None
        seen.add(row["id"])
        if table_name in PAIR_KEYS:
            first, second = PAIR_KEYS[table_name]
            pair = (row[first], row[second])
            if pair in self.pairs[table_name]:
                self.problems.add(origin, f"{table_name} {second} {pair[1]} is listed twice for {first} {pair[0]}")
                return None
            self.pairs[table_name].add(pair)
        self.spool.write(table_name, origin, row)
        return row

    # -- JSON services ------------------------------------------------------------------

    def add_service_record(self, record: Any, origin: str) -> None:
        """One nested service (ORUK ``compiled/service.json``) and everything in it."""
        if not isinstance(record, dict):
            self.problems.add(origin, "a service must be a JSON object")
            return
        name = record.get("name")
        if isinstance(name, str) and name:
            origin = f"{origin} ({name[:60]!r})"
        errors = self.schema_errors("compiled/service.json", record)
        if errors:
            for message in errors:
                self.problems.add(origin, message)
            if isinstance(record.get("id"), str):
                self.ids["service"].add(record["id"].strip().lower())
            return
        service = dict(record)
        organization = record.get("organization")
        if isinstance(organization, dict):
            service.setdefault("organization_id", organization.get("id"))
            self.add("organization", organization, origin, shared=True)
        row = self.add("service", service, origin)
        # Children are checked even when the service row is wrong, so every problem is reported at once.
        service_id = row["id"] if row else str(record.get("id") or "").strip().lower()

        def children(key: str) -> list[dict[str, Any]]:
            items = record.get(key) or []
            return [item for item in items if isinstance(item, dict)]

        for item in children("schedules"):
            self.add("schedule", {**item, "service_id": service_id, "service_at_location_id": None}, origin)
        for item in children("service_areas"):
            self.add("service_area", {**item, "service_id": service_id}, origin)
        for item in children("languages"):
            self.add("language", {**item, "service_id": service_id}, origin)
        for item in children("cost_options"):
            self.add("cost_option", {**item, "service_id": service_id}, origin)
        for item in children("phones"):
            self.add("phone", {**item, "service_id": service_id}, origin, shared=True)
        for item in children("capacities"):
            unit = item.get("unit")
            if isinstance(unit, dict):
                unit = unit.get("identifier") or unit.get("id") or unit.get("name")
            if isinstance(unit, str):
                unit = unit.strip().lower().replace(" ", "_")
            self.add("service_capacity", {**item, "unit": unit, "service_id": service_id}, origin)
        for item in children("contacts"):
            contact = self.add("contact", {**item, "service_id": service_id}, origin)
            for phone in item.get("phones") or []:
                if isinstance(phone, dict) and contact is not None:
                    self.add("phone", {**phone, "contact_id": contact["id"], "service_id": None}, origin, shared=True)
        for item in children("service_at_locations"):
            location = item.get("location")
            location_id = item.get("location_id")
            if isinstance(location, dict):
                location_id = location_id or location.get("id")
                self.add_location(location, origin)
            link = self.add(
                "service_at_location", {**item, "service_id": service_id, "location_id": location_id}, origin
            )
            for schedule in item.get("schedules") or []:
                if isinstance(schedule, dict) and link is not None:
                    self.add(
                        "schedule",
                        {**schedule, "service_id": None, "service_at_location_id": link["id"]},
                        origin,
                    )
        for item in children("attributes"):
            self.add_attribute(item, origin, service_id)
        for key in ("funding",):
            self.ignore(key, len(children(key)))

    def add_location(self, location: dict[str, Any], origin: str) -> None:
        row = self.add("location", location, origin, shared=True)
        if row is None:
            return
        for address in location.get("addresses") or []:
            if isinstance(address, dict):
                self.add("address", {**address, "location_id": row["id"]}, origin, shared=True)
        for item in location.get("accessibility") or []:
            if isinstance(item, dict):
                self.add("accessibility", {**item, "location_id": row["id"]}, origin, shared=True)
        for phone in location.get("phones") or []:
            if isinstance(phone, dict):
                self.add("phone", {**phone, "location_id": row["id"]}, origin, shared=True)

    def add_attribute(self, item: dict[str, Any], origin: str, service_id: str) -> None:
        term = item.get("taxonomy_term")
        term_id = item.get("taxonomy_term_id")
        if isinstance(term, dict):
            term_id = term_id or term.get("id")
            term = dict(term)
            taxonomy_id = term.get("taxonomy_id")
            taxonomy_name = term.get("taxonomy") if isinstance(term.get("taxonomy"), str) else ""
            if not taxonomy_id:
                taxonomy_id = str(uuid.uuid5(TAXONOMY_NAMESPACE, taxonomy_name or "imported"))
                term["taxonomy_id"] = taxonomy_id
            if not (taxonomy_id in self.ids["taxonomy"] or taxonomy_id in self.known_ids.get("taxonomy", set())):
                self.add(
                    "taxonomy",
                    {"id": taxonomy_id, "name": taxonomy_name or "Imported terms", "description": taxonomy_name},
                    origin,
                    shared=True,
                )
            self.add("taxonomy_term", term, origin, shared=True)
        self.add(
            "attribute",
            {**item, "taxonomy_term_id": term_id, "link_id": service_id, "link_entity": "service"},
            origin,
        )

    # -- CSV rows -------------------------------------------------------------------------

    def add_csv_row(self, table_name: str, raw: dict[str, str], origin: str) -> None:
        table = TABLES[table_name]
        if table.schema:
            typed = _typed_for_schema(schema_properties(table.schema, self.schema_dir), raw)
            errors = self.schema_errors(table.schema, typed)
            if errors:
                for message in errors:
                    self.problems.add(origin, message)
                if raw.get("id"):
                    self.ids[table_name].add(raw["id"].strip().lower())  # so references to it do not also fail
                return
        if table_name == "schedule" and not (raw.get("service_id") or raw.get("service_at_location_id")):
            self.ignore("schedule (not linked to a service)")
            return
        if table_name in ("contact", "language") and not raw.get("service_id"):
            self.ignore(f"{table_name} (not linked to a service)")
            return
        if table_name == "phone" and not any(raw.get(key) for key in ("service_id", "location_id", "contact_id")):
            self.ignore("phone (not linked to a service, location or contact)")
            return
        if table_name == "attribute":
            entity = (raw.get("link_entity") or raw.get("link_type") or "service").strip().lower()
            if entity != "service":
                self.ignore(f"attribute (linked to {entity})")
                return
        if table_name == "schedule" and raw.get("service_at_location_id"):
            raw = {**raw, "service_id": ""}
        self.add(table_name, raw, origin)

    # -- References --------------------------------------------------------------------------

    def check_references(self) -> None:
        for table_name, table in TABLES.items():
            refs = [spec for spec in table.fields if spec.ref]
            if table_name == "attribute":
                refs = [*refs, Field("link_id", "uuid", ref="service")]
            if not refs:
                continue
            for origin, row in self.spool.rows(table_name):
                for spec in refs:
                    value = row.get(spec.name)
                    if value is None or spec.ref is None:
                        continue
                    if value in self.ids[spec.ref] or value in self.known_ids.get(spec.ref, ()):
                        continue
                    self.problems.add(origin, f"{table_name} {spec.name} {value} is not in the feed")

    def result(self, source: str) -> CheckedFeed:
        self.check_references()
        return CheckedFeed(
            source=source,
            spool=self.spool,
            problems=self.problems,
            ids=self.ids,
            present=self.present,
            ignored=self.ignored,
        )


@lru_cache(maxsize=64)
def schema_properties(name: str, schema_dir: str = str(RUNTIME_SCHEMA_DIR)) -> tuple[dict[str, Any], frozenset[str]]:
    """The ``properties`` and ``required`` names of one table schema."""
    schema = json.loads((Path(schema_dir) / name).read_text(encoding="utf-8"))
    return dict(schema.get("properties", {})), frozenset(schema.get("required", []))


def _typed_for_schema(schema: tuple[dict[str, Any], frozenset[str]], raw: dict[str, str]) -> dict[str, Any]:
    """A CSV row as the JSON its table schema describes: numbers as numbers, blanks left
    out (except required text columns, where a blank cell is an empty string)."""
    properties, required = schema
    typed: dict[str, Any] = {}
    for key, value in raw.items():
        if key is None or value is None:
            continue
        if value == "":
            if key in required and key != "id" and properties.get(key, {}).get("type") == "string":
                typed[key] = ""
            continue
        kind = properties.get(key, {}).get("type")
        if kind in ("array", "object"):
            continue
        if kind == "number":
            try:
                typed[key] = float(value)
            except ValueError:
                typed[key] = value
        else:
            typed[key] = value
    return typed


# --- Sources ------------------------------------------------------------------------------------


def _resource_files(folder: Path) -> list[tuple[str, Path]]:
    """(table, file) pairs named by datapackage.json, or by the usual file names."""
    found: list[tuple[str, Path]] = []
    package = folder / "datapackage.json"
    names = {table.filename: name for name, table in TABLES.items()}
    for name, table in TABLES.items():
        for alias in table.aliases:
            names.setdefault(alias, name)
    if package.exists():
        for resource in json.loads(package.read_text(encoding="utf-8")).get("resources", []):
            path = folder / str(resource.get("path", ""))
            name = str(resource.get("name", ""))
            if name in TABLES and path.is_file():
                found.append((name, path))
            elif path.is_file():
                found.append((names.get(path.name, name), path))
    else:
        for path in sorted(folder.glob("*.csv")):
            found.append((names.get(path.name, path.stem), path))
    order = {name: index for index, name in enumerate(TABLES)}
    return sorted(found, key=lambda pair: order.get(pair[0], len(order)))


def check_csv_package(folder: Path, checker: FeedChecker, progress: Progress | None = None) -> None:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    files = _resource_files(folder)
    if not files:
        checker.problems.add(str(folder), "no datapackage.json or CSV files found")
    for table_name, path in files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if table_name not in TABLES:
                checker.ignore(table_name, sum(1 for _ in reader))
                continue
            checker.present[table_name].update(name for name in reader.fieldnames or [] if name)
            previous = reader.line_num
            for raw in reader:
                origin = f"{path.name} line {previous + 1}"
                previous = reader.line_num
                checker.add_csv_row(table_name, raw, origin)
                if progress:
                    progress.advance()


def check_json_records(records: Iterator[tuple[str, Any]], checker: FeedChecker, progress: Progress | None) -> None:
    try:
        for origin, record in records:
            checker.add_service_record(record, origin)
            if progress:
                progress.advance()
    except ValueError as error:
        checker.problems.add("the feed", str(error))
    except OSError as error:  # network failures, unreadable files
        checker.problems.add("the feed", f"could not be read ({error})")


def _numbered(records: Iterator[Any]) -> Iterator[tuple[str, Any]]:
    for index, record in enumerate(records, start=1):
        yield f"record {index}", record


def check_feed(
    source: str,
    *,
    known_ids: dict[str, set[str]] | None = None,
    progress_stream: Any = None,
    schema_dir: Path = RUNTIME_SCHEMA_DIR,
) -> CheckedFeed:
    """Read and check a feed from a base URL, JSON file or URL, or CSV data package.

    ``known_ids`` holds ids already in our directory (by table) that rows may
    refer to without carrying them, e.g. our own taxonomy terms.
    """
    checker = FeedChecker(known_ids=known_ids, schema_dir=schema_dir)
    progress = Progress("Checking", stream=progress_stream)
    if source.startswith(("http://", "https://")):
        path_part = urllib.parse.urlsplit(source).path
        if path_part.endswith(".json"):
            document = JsonDocument()
            with _open_url(source) as response:
                text = io.TextIOWrapper(response, encoding="utf-8")
                check_json_records(_numbered(iter_json_services(text, document)), checker, progress)
        else:
            check_json_records(iter_api_services(source), checker, progress)
    else:
        path = Path(source)
        if not path.exists():
            checker.problems.add(source, "no such file or folder")
        elif path.is_dir():
            check_csv_package(path, checker, progress)
        elif path.suffix.lower() == ".zip":
            with tempfile.TemporaryDirectory() as folder:
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        target = (Path(folder) / member).resolve()
                        if not str(target).startswith(str(Path(folder).resolve())):
                            raise ValueError(f"{member} would be written outside the archive folder")
                    archive.extractall(folder)
                inner = next((p.parent for p in Path(folder).rglob("datapackage.json")), Path(folder))
                check_csv_package(inner, checker, progress)
        else:
            document = JsonDocument()
            with path.open(encoding="utf-8-sig") as handle:
                check_json_records(_numbered(iter_json_services(handle, document)), checker, progress)
    progress.finish()
    return checker.result(source)
