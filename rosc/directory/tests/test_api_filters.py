"""ORUK query parameters on /services and /service_at_locations, and the 400s for bad ones."""

import datetime as dt

import pytest
from django.utils import timezone

from rosc.directory import geo
from rosc.directory.api import views
from rosc.directory.models import Service
from rosc.directory.selectors import id_key
from rosc.directory.tests.oruk_helpers import build_directory, page_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    return build_directory()


def names(client, **params):
    response = client.get("/api/oruk/services", params)
    assert response.status_code == 200, response.content
    return [service["name"] for service in response.json()["contents"]]


def test_search_matches_every_word_in_names_descriptions_and_terms(client, directory):
    assert names(client, search="DETOX") == ["Alcohol detox"]
    assert names(client, search="withdrawal") == ["Alcohol detox"]  # a synonym of a term
    assert names(client, search="families phone") == ["Family helpline"]
    assert names(client, search="families detox") == []


def test_taxonomy_term_and_taxonomy_filters(client, directory):
    assert names(client, taxonomy_term_id=str(directory["terms"]["peer"].id)) == ["Peer mentoring"]
    assert names(client, taxonomy_id=str(directory["taxonomy"].id)) == [
        "Alcohol detox",
        "Family helpline",
        "Peer mentoring",
    ]


def test_age_filters_follow_the_oruk_wording(client, directory):
    assert names(client, minimum_age=17) == ["Alcohol detox"]
    assert names(client, maximum_age=99) == ["Alcohol detox"]
    assert names(client, maximum_age=50) == []


def test_day_and_time_filters_use_schedules(client, directory):
    assert names(client, day="TU") == ["Peer mentoring"]
    assert names(client, day="friday") == ["Alcohol detox"]  # a location's schedule counts
    assert names(client, start_time="17:30") == ["Peer mentoring"]
    assert names(client, day="MO", end_time="17:00") == ["Alcohol detox"]
    assert names(client, day="MO", end_time="16:00") == []


def test_modified_after(client, directory):
    Service.objects.filter(pk=directory["services"]["peer"].pk).update(
        last_modified=timezone.now() - dt.timedelta(days=30)
    )
    recent = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%d")
    assert "Peer mentoring" not in names(client, modified_after=recent)
    assert "Peer mentoring" in names(client, modified_after="2000-01-01T00:00:00+00:00")


def test_postcode_and_proximity_sort_nearest_first_and_keep_services_without_a_place(client, directory):
    # Chelmsford is about 16 km from SS14; Colchester about 45 km.
    assert names(client, postcode="SS14 1AB", proximity=5000) == ["Alcohol detox", "Bare listing", "Family helpline"]
    assert names(client, postcode="CO1 1AA", proximity=5000) == ["Peer mentoring", "Bare listing", "Family helpline"]
    assert names(client, postcode="CO1", proximity=100000) == [
        "Peer mentoring",
        "Alcohol detox",
        "Bare listing",
        "Family helpline",
    ]


def test_near_a_postcode_with_no_other_filter_the_status_is_checked_in_the_place_query(directory):
    closed = Service.objects.get(name="Alcohol detox")
    closed.status = "inactive"
    closed.save(update_fields=["status"])
    for postcode, metres in (("SS14 1AB", 5000), ("CO1", 100000), ("CM2", 30000)):
        place = geo.place_for(postcode)
        plain = views.nearest_first(views.visible_services(), place, metres / 1000, only_visible=True)
        filtered = views.nearest_first(views.visible_services(), place, metres / 1000)
        assert plain == filtered
        assert id_key(closed.pk) not in plain
    assert views.ServiceFilters(place=place, radius_km=30).only_place()
    assert not views.ServiceFilters(words=("detox",), place=place, radius_km=30).only_place()


def test_postcode_pages_validate(client, directory):
    page = client.get("/api/oruk/services", {"postcode": "SS14", "proximity": 50000, "per_page": 2}).json()
    assert page["total_items"] == 4
    assert page_errors(page, "compiled/service.json") == []


def test_service_at_locations_filter_by_distance(client, directory):
    page = client.get("/api/oruk/service_at_locations", {"postcode": "SS14 1AB", "proximity": 20000}).json()
    located = [(row["service"]["name"], row["location"]["name"]) for row in page["contents"]]
    assert located == [
        ("Alcohol detox", "Recovery Centre"),
        ("Alcohol detox", "Chelmsford Hub"),
        ("Family helpline", "Online"),
    ]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"page": "two"}, "page must be a whole number"),
        ({"page": "0"}, "page must be 1 or more"),
        ({"per_page": "-1"}, "per_page must be 1 or more"),
        ({"day": "Funday"}, "day must be a day of the week"),
        ({"postcode": "NOT A POSTCODE"}, "postcode must be a UK postcode"),
        ({"postcode": "SS14", "proximity": "-5"}, "proximity must be a distance in metres"),
        ({"proximity": "500"}, "proximity needs a postcode"),
        ({"minimum_age": "old"}, "minimum_age must be a number"),
        ({"start_time": "9am"}, "start_time must be a time of day"),
        ({"modified_after": "yesterday"}, "modified_after must be a date"),
        ({"taxonomy_term_id": "detox"}, "taxonomy_term_id must be a UUID"),
    ],
)
@pytest.mark.parametrize("endpoint", ["/api/oruk/services", "/api/oruk/service_at_locations"])
def test_bad_parameters_answer_400_with_plain_english_messages(client, directory, endpoint, params, fragment):
    response = client.get(endpoint, params)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert isinstance(body["errors"], list)
    assert any(fragment in message for message in body["errors"]), body


def test_every_bad_parameter_is_reported_at_once(client, directory):
    response = client.get("/api/oruk/services", {"page": "x", "day": "y", "postcode": "zz"})
    assert response.status_code == 400
    assert len(response.json()["errors"]) == 3
