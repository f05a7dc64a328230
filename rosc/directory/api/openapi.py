"""The OpenAPI document served at /api/oruk/openapi.json.

It follows the Open Referral UK profile's ``schema/openapi.json`` (HSDS 3.0 UK
profile, CC BY-SA 4.0, https://github.com/OpenReferralUK/uk-profile) and
describes what Open ROSC actually serves: the same paths and page envelope,
plus the ``postcode``/``proximity`` and ``modified_after`` parameters on
``/services``, error bodies, the 429 throttle and the ``x_`` extension fields.
Response bodies refer to the profile's published schemas by their canonical
URLs, as the profile's own document does.
"""

from __future__ import annotations

from typing import Any

SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"

_PARAMETERS: dict[str, tuple[str, dict[str, Any]]] = {
    "search": (
        "Words that must all appear in the service's name, description, organisation or terms.",
        {"type": "string"},
    ),
    "page": ("Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
    "per_page": (
        "Results per page: 50 unless asked, at most 200 (larger values are served as 200).",
        {"type": "integer", "minimum": 1, "default": 50, "maximum": 200},
    ),
    "taxonomy_term_id": ("Only services tagged with this taxonomy term.", {"type": "string", "format": "uuid"}),
    "taxonomy_id": ("Only services tagged with any term of this taxonomy.", {"type": "string", "format": "uuid"}),
    "minimum_age": ("Services whose minimum age is at least this (no minimum counts as 0).", {"type": "number"}),
    "maximum_age": ("Services whose maximum age is at most this.", {"type": "number"}),
    "day": (
        "Services with a schedule on this day: MO, TU, WE, TH, FR, SA, SU (or the day's name).",
        {"type": "string"},
    ),
    "start_time": ("Services with a schedule opening at or after this time (HH:MM).", {"type": "string"}),
    "end_time": ("Services with a schedule closing at or before this time (HH:MM).", {"type": "string"}),
    "modified_after": (
        "Services modified on or after this date or date-time (ISO 8601).",
        {"type": "string", "format": "date-time"},
    ),
    "postcode": (
        "A UK postcode or postcode district. Results are ordered nearest first from the district's centre. "
        "Services with no mapped location (online, phone, county-wide) are kept, after the located ones.",
        {"type": "string"},
    ),
    "proximity": (
        "With postcode: only services with a location within this many metres (default 40000).",
        {"type": "number", "minimum": 0},
    ),
}

_SERVICE_FILTERS = list(_PARAMETERS)
_PAGING = ["page", "per_page"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "The query parameters are wrong; each message says which and how.",
        404: "No such record (also for ids that are not UUIDs).",
        429: "Too many requests from this address; see Retry-After.",
    }
    return {
        str(code): {
            "description": text[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code in codes
    }


def _page_of(item_schema: str) -> dict[str, Any]:
    return {
        "allOf": [{"$ref": "#/components/schemas/Page"}],
        "properties": {"contents": {"type": "array", "items": {"$ref": SCHEMA_BASE + item_schema}}},
    }


def _get(summary: str, operation_id: str, schema: dict[str, Any], *, params: list[str], errors: tuple[int, ...]) -> Any:
    return {
        "get": {
            "summary": summary,
            "operationId": operation_id,
            "parameters": [_ref(name) for name in params],
            "responses": {
                "200": {"description": summary, "content": {"application/json": {"schema": schema}}},
                **_errors(*errors),
            },
        }
    }


def _by_id(summary: str, operation_id: str, schema_file: str, what: str) -> Any:
    path = _get(summary, operation_id, {"$ref": SCHEMA_BASE + schema_file}, params=[], errors=(404, 429))
    path["parameters"] = [
        {
            "in": "path",
            "name": "id",
            "required": True,
            "description": f"The UUID of the {what}.",
            "schema": {"type": "string", "format": "uuid"},
        }
    ]
    return path


def openapi_document(*, server_url: str) -> dict[str, Any]:
    page_schema = {
        "type": "object",
        "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"],
        "properties": {
            "total_items": {"type": "integer", "description": "How many results there are in all."},
            "total_pages": {"type": "integer", "description": "How many pages there are."},
            "page_number": {"type": "integer", "description": "This page's number, from 1."},
            "size": {"type": "integer", "description": "How many results are on this page."},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean", "description": "True when there are no results at all."},
        },
    }
    root_schema = {
        "type": "object",
        "properties": {
            "version": {"type": "string", "example": "HSDS-UK-3.0"},
            "profile": {"type": "string", "format": "uri"},
            "openapi_url": {"type": "string", "format": "uri"},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Open ROSC service directory: Open Referral UK API",
            "version": "3.0",
            "description": (
                "Read-only, open Open Referral UK (HSDS 3.0 UK profile) API for the Open ROSC service directory. "
                "No key is needed; requests are limited per address (429 with Retry-After). Every response carries "
                "Access-Control-Allow-Origin: *. Services carry HSDS 3.0 fields that the UK profile leaves out "
                "(phones, language names, contact email) and Open ROSC facts prefixed x_ (x_offers_online, "
                "x_is_county_wide ...). Based on the Open Referral UK profile OpenAPI document, "
                "https://github.com/OpenReferralUK/uk-profile (CC BY-SA 4.0)."
            ),
            "license": {"name": "CC BY-SA 4.0", "url": "https://creativecommons.org/licenses/by-sa/4.0/"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/": _get(
                "Information about this API and its HSDS profile.",
                "getAPIMetaInformation",
                root_schema,
                params=[],
                errors=(429,),
            ),
            "/services": _get(
                "Paginated services, fully nested.",
                "getPaginatedListOfServices",
                _page_of("compiled/service.json"),
                params=_SERVICE_FILTERS,
                errors=(400, 429),
            ),
            "/services/{id}": _by_id(
                "A fully nested service.", "getFullyNestedServiceById", "compiled/service.json", "service"
            ),
            "/service_at_locations": _get(
                "Paginated services at locations, each with its location and a summary of its service.",
                "getPaginatedListOfServiceAtLocation",
                _page_of("compiled/service_at_location_list.json"),
                params=_SERVICE_FILTERS,
                errors=(400, 429),
            ),
            "/service_at_locations/{id}": _by_id(
                "A service at a location, with its location and the fully nested service.",
                "getServiceAtLocationWithNestedDataById",
                "compiled/service_at_location.json",
                "service at location",
            ),
            "/taxonomies": _get(
                "Paginated taxonomies.",
                "getPaginatedListOfTaxonomies",
                _page_of("taxonomy.json"),
                params=_PAGING,
                errors=(400, 429),
            ),
            "/taxonomies/{id}": _by_id("A taxonomy with its terms.", "getTaxonomyById", "taxonomy.json", "taxonomy"),
            "/taxonomy_terms": _get(
                "Paginated taxonomy terms.",
                "getPaginatedListOfTaxonomyTerms",
                _page_of("taxonomy_term.json"),
                params=[*_PAGING, "taxonomy_id"],
                errors=(400, 429),
            ),
            "/taxonomy_terms/{id}": _by_id(
                "A taxonomy term.", "getTaxonomyTermById", "taxonomy_term.json", "taxonomy term"
            ),
        },
        "components": {
            "schemas": {
                "Page": page_schema,
                "Error": {
                    "type": "object",
                    "required": ["status", "errors"],
                    "properties": {
                        "status": {"type": "integer"},
                        "errors": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
            "parameters": {
                name: {"name": name, "in": "query", "required": False, "description": text, "schema": schema}
                for name, (text, schema) in _PARAMETERS.items()
            },
        },
    }
