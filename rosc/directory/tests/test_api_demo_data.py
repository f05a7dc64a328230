"""The issue's promise: every /api/oruk/services page and every /api/oruk/services/{id}
for the Essex demo data validates against the ORUK 3.0 schemas in ../shared/standards/oruk/."""

import pytest

from rosc.directory.models import Service
from rosc.directory.seeding import seed_essex_directory
from rosc.directory.tests.oruk_helpers import all_pages, oruk_errors, page_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.ROSC_API_RATE_LIMIT = "100000/m"
    seed_essex_directory()


def test_every_demo_services_page_and_service_validates(client, demo):
    pages = all_pages(client, "/api/oruk/services", per_page=50)
    listed = [item for page in pages for item in page["contents"]]
    assert listed
    assert len(listed) == Service.objects.filter(status__in=["active", "temporarily closed"]).count()
    for page in pages:
        assert page_errors(page, "compiled/service_list.json") == []
        assert page_errors(page, "compiled/service.json") == []
    for item in listed:
        response = client.get(f"/api/oruk/services/{item['id']}")
        assert response.status_code == 200
        assert oruk_errors("compiled/service.json", response.json()) == [], item["name"]


def test_every_demo_service_at_location_and_taxonomy_page_validates(client, demo):
    for page in all_pages(client, "/api/oruk/service_at_locations", per_page=100):
        assert page_errors(page, "compiled/service_at_location_list.json") == []
    for page in all_pages(client, "/api/oruk/taxonomies", per_page=50):
        assert page_errors(page, "taxonomy.json") == []
    for page in all_pages(client, "/api/oruk/taxonomy_terms", per_page=100):
        assert page_errors(page, "taxonomy_term.json") == []


def test_the_demo_directory_round_trips_through_its_own_api_feed(client, demo, tmp_path):
    """What we publish is a feed we can check and import without a single problem."""
    import json

    from rosc.directory.oruk_import import check_feed

    services = [item for page in all_pages(client, "/api/oruk/services", per_page=200) for item in page["contents"]]
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(services), encoding="utf-8")
    feed = check_feed(str(path))
    assert feed.problems.messages == []
    assert feed.count("service") == len(services)
    feed.spool.close()
