"""Open access: CORS on every response, OPTIONS preflight, GET only, throttled per address."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rosc.directory.api.http import parse_rate
from rosc.directory.tests.oruk_helpers import add_plain_services, build_directory

pytestmark = pytest.mark.django_db

URLS = [
    "/api/oruk/",
    "/api/oruk/openapi.json",
    "/api/oruk/services",
    "/api/oruk/services/not-an-id",
    "/api/oruk/services?page=x",
    "/api/oruk/taxonomies",
    "/api/oruk/taxonomy_terms",
    "/api/oruk/service_at_locations",
    "/api/oruk/no-such-endpoint",
]


@pytest.mark.parametrize("url", URLS)
def test_every_response_is_open_to_other_sites(client, url):
    response = client.get(url)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/json"


def test_unknown_paths_under_the_api_answer_json_404(client):
    response = client.get("/api/oruk/no-such-endpoint")
    assert response.status_code == 404
    assert response.json()["errors"]


def test_a_trailing_slash_is_fine(client):
    assert client.get("/api/oruk/services/").status_code == 200


def test_preflight_requests_are_answered(client):
    response = client.options("/api/oruk/services", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_it_refuses_to_change_anything(client):
    response = client.post("/api/oruk/services", {})
    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == "*"


def test_no_key_or_sign_in_is_needed(client, persona):
    assert client.get("/api/oruk/services").status_code == 200


def test_it_answers_429_with_retry_after_once_an_address_uses_its_limit(client, settings):
    settings.ROSC_API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/api/oruk/").status_code == 200
    refused = client.get("/api/oruk/services")
    assert refused.status_code == 429
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "Too many requests" in refused.json()["errors"][0]
    other = client.get("/api/oruk/", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_rates_are_read_plainly():
    assert parse_rate("120/m") == (120, 60)
    assert parse_rate("1000/h") == (1000, 3600)
    assert parse_rate("10/5m") == (10, 300)


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()


@pytest.mark.parametrize("url", ["/api/oruk/services", "/api/oruk/service_at_locations"])
def test_a_page_costs_the_same_queries_whatever_its_size(client, settings, url):
    settings.ROSC_API_RATE_LIMIT = "1000/m"
    build_directory()
    add_plain_services(50)
    client.get(url)  # warm the cache table used by the throttle
    small, small_page = _queries(client, url, per_page=5)
    large, large_page = _queries(client, url, per_page=50)
    assert small_page["size"] == 5
    assert large_page["size"] == 50
    assert small == large


def test_a_postcode_page_costs_the_same_queries_whatever_its_size(client, settings):
    settings.ROSC_API_RATE_LIMIT = "1000/m"
    add_plain_services(50)
    client.get("/api/oruk/services")
    small, _ = _queries(client, "/api/oruk/services", per_page=5, postcode="SS14", proximity=10000)
    large, _ = _queries(client, "/api/oruk/services", per_page=50, postcode="SS14", proximity=10000)
    assert small == large
