"""The ORUK /services endpoints: pages and services validate against the ORUK 3.0 schemas."""

import pytest

from rosc.directory.tests.oruk_helpers import all_pages, build_directory, oruk_errors, page_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    return build_directory()


def test_every_services_page_validates_against_the_oruk_schemas(client, directory):
    pages = all_pages(client, "/api/oruk/services", per_page=2)
    assert len(pages) == 2
    for page in pages:
        assert page_errors(page, "compiled/service_list.json") == []
        assert page_errors(page, "compiled/service.json") == []
    names = [service["name"] for page in pages for service in page["contents"]]
    assert names == ["Alcohol detox", "Bare listing", "Family helpline", "Peer mentoring"]


def test_every_service_validates_against_the_oruk_schema(client, directory):
    for service in directory["services"].values():
        if service.status == "defunct":
            continue
        response = client.get(f"/api/oruk/services/{service.id}")
        assert response.status_code == 200
        assert oruk_errors("compiled/service.json", response.json()) == []


@pytest.mark.parametrize("near", [False, True], ids=["by-name", "near-a-postcode"])
def test_each_service_on_a_page_is_exactly_its_own_page(client, directory, near):
    """Pages read related rows as plain values; a single service is read with model instances."""
    params = {"postcode": "SS14 1AB", "proximity": 200000} if near else {}
    pages = all_pages(client, "/api/oruk/services", per_page=3, **params)
    listed = [service for page in pages for service in page["contents"]]
    assert len(listed) == 4
    assert any(service["capacities"] and service["service_at_locations"] for service in listed)
    for service in listed:
        assert client.get(f"/api/oruk/services/{service['id']}").json() == service


def test_a_service_is_fully_nested(client, directory):
    data = client.get(f"/api/oruk/services/{directory['services']['detox'].id}").json()
    assert data["organization"]["name"] == "Basildon Recovery Trust"
    assert data["organization_id"] == data["organization"]["id"]
    assert {link["location"]["name"] for link in data["service_at_locations"]} == {"Recovery Centre", "Chelmsford Hub"}
    centre = next(link for link in data["service_at_locations"] if link["location"]["name"] == "Recovery Centre")
    assert centre["location"]["addresses"][0]["postal_code"] == "SS14 1AB"
    assert centre["location"]["accessibility"][0]["description"] == "Step-free access"
    assert centre["schedules"][0]["byday"] == "FR"
    assert data["schedules"][0]["opens_at"] == "09:00:00"
    assert data["contacts"][0]["phones"][0]["number"] == "07700 900000"
    assert data["phones"][0]["number"] == "01268 111111"
    assert data["languages"][0]["code"] == "pl"
    assert data["cost_options"][0]["amount"] == 0.0
    assert data["attributes"][0]["taxonomy_term"]["name"] == "Detox"
    assert {c["unit"]["id"] for c in data["capacities"]} == {"beds", "wait_weeks"}
    assert data["minimum_age"] == 18
    assert data["last_modified"].endswith("Z")


def test_defunct_services_are_hidden(client, directory):
    response = client.get(f"/api/oruk/services/{directory['services']['hidden'].id}")
    assert response.status_code == 404
    names = [s["name"] for s in client.get("/api/oruk/services").json()["contents"]]
    assert "Closed for good" not in names


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "1"])
def test_unknown_or_malformed_ids_answer_a_json_404(client, directory, bad_id):
    response = client.get(f"/api/oruk/services/{bad_id}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["errors"]


def test_the_page_envelope_counts_pages(client, directory):
    page = client.get("/api/oruk/services", {"per_page": 3, "page": 2}).json()
    assert {
        k: page[k] for k in ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")
    } == {
        "total_items": 4,
        "total_pages": 2,
        "page_number": 2,
        "size": 1,
        "first_page": False,
        "last_page": True,
        "empty": False,
    }


def test_an_empty_result_is_a_valid_empty_page(client, directory):
    page = client.get("/api/oruk/services", {"search": "nothing-matches-this"}).json()
    assert page["empty"] is True
    assert page["contents"] == []
    assert page_errors(page, "compiled/service_list.json") == []


def test_per_page_is_capped_at_200(client, directory):
    page = client.get("/api/oruk/services", {"per_page": 5000}).json()
    assert page["size"] == 4
    assert page["total_pages"] == 1
