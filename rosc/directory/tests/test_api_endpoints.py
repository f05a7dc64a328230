"""The ORUK taxonomy, taxonomy term, service-at-location, root and OpenAPI endpoints."""

import pytest

from rosc.directory.tests.oruk_helpers import all_pages, build_directory, oruk_errors, page_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    return build_directory()


def test_every_taxonomies_page_and_taxonomy_validates(client, directory):
    for page in all_pages(client, "/api/oruk/taxonomies", per_page=1):
        assert page_errors(page, "taxonomy.json") == []
        for item in page["contents"]:
            response = client.get(f"/api/oruk/taxonomies/{item['id']}")
            assert response.status_code == 200
            assert oruk_errors("taxonomy.json", response.json()) == []
            assert {term["name"] for term in response.json()["taxonomy_terms"]} == {"Detox", "Peer support", "Housing"}


def test_every_taxonomy_terms_page_and_term_validates(client, directory):
    pages = all_pages(client, "/api/oruk/taxonomy_terms", per_page=2)
    assert sum(page["size"] for page in pages) == 3
    for page in pages:
        assert page_errors(page, "taxonomy_term.json") == []
        for item in page["contents"]:
            response = client.get(f"/api/oruk/taxonomy_terms/{item['id']}")
            assert response.status_code == 200
            assert oruk_errors("taxonomy_term.json", response.json()) == []
    peer = client.get(f"/api/oruk/taxonomy_terms/{directory['terms']['peer'].id}").json()
    assert peer["parent_id"] == str(directory["terms"]["detox"].id)


def test_taxonomy_terms_filter_by_taxonomy(client, directory):
    page = client.get("/api/oruk/taxonomy_terms", {"taxonomy_id": "7f6f5d9e-0000-4000-8000-000000000000"}).json()
    assert page["empty"] is True


def test_every_service_at_locations_page_and_item_validates(client, directory):
    pages = all_pages(client, "/api/oruk/service_at_locations", per_page=2)
    items = [item for page in pages for item in page["contents"]]
    assert len(items) == 4  # the defunct service has none; the bare listing has none
    for page in pages:
        assert page_errors(page, "compiled/service_at_location_list.json") == []
    for item in items:
        response = client.get(f"/api/oruk/service_at_locations/{item['id']}")
        assert response.status_code == 200
        data = response.json()
        assert oruk_errors("compiled/service_at_location.json", data) == []
        assert data["location"]["id"] == item["location_id"]
        assert oruk_errors("compiled/service.json", data["service"]) == []


@pytest.mark.parametrize("path", ["taxonomies", "taxonomy_terms", "service_at_locations"])
@pytest.mark.parametrize("bad_id", ["nope", "3f7b145d-84af-42d7-8fae-eaca714b02b2"])
def test_unknown_ids_answer_json_404(client, directory, path, bad_id):
    response = client.get(f"/api/oruk/{path}/{bad_id}")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_the_root_describes_the_api(client):
    data = client.get("/api/oruk/").json()
    assert data["version"] == "HSDS-UK-3.0"
    assert data["profile"].startswith("https://")
    assert data["openapi_url"] == "http://testserver/api/oruk/openapi.json"


def test_the_openapi_document_lists_what_we_serve(client):
    response = client.get("/api/oruk/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.0")
    assert set(document["paths"]) == {
        "/",
        "/services",
        "/services/{id}",
        "/service_at_locations",
        "/service_at_locations/{id}",
        "/taxonomies",
        "/taxonomies/{id}",
        "/taxonomy_terms",
        "/taxonomy_terms/{id}",
    }
    parameters = {p["$ref"].rsplit("/", 1)[1] for p in document["paths"]["/services"]["get"]["parameters"]}
    assert parameters >= {
        "search",
        "taxonomy_term_id",
        "taxonomy_id",
        "page",
        "per_page",
        "postcode",
        "proximity",
        "minimum_age",
        "maximum_age",
        "day",
        "start_time",
        "end_time",
        "modified_after",
    }
    for parameter in parameters:
        assert parameter in document["components"]["parameters"]
