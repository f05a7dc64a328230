"""The public search page and service page."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rosc.directory.models import (
    Accessibility,
    CapacityUnit,
    CostOption,
    Language,
    Phone,
    ServiceCapacity,
    ServiceStatus,
)
from rosc.directory.tests.search_helpers import BASILDON_SS13, make_service, make_taxonomy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _taxonomy():
    make_taxonomy()


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_search_form_to_anyone_with_a_quick_exit(client):
    html = html_of(client, "/services/")
    assert "What help are you looking for?" in html
    assert "For example: detox, AA meetings, help for my family" in html
    assert "Exit this page" in html
    assert 'method="get"' in html


def test_it_lists_matching_services_with_reasons(client):
    make_service("Basildon Drug Service", codes=["opiates", "clinical-treatment"], at=[BASILDON_SS13])
    make_service("Opiates Online", codes=["opiates"], online=True, in_person=False)

    html = html_of(client, "/services/?q=opiate+treatment&where=SS14+1AB&distance=10")

    assert "2 services found for SS14 1AB" in html
    assert html.index("Basildon Drug Service") < html.index("Opiates Online")
    assert "1.6 miles away" in html
    assert '<strong class="govuk-tag">Online</strong>' in html


def test_it_accepts_a_town_name_instead_of_a_postcode(client):
    make_service("Basildon Drug Service", codes=["alcohol"], at=[BASILDON_SS13])
    html = html_of(client, "/services/?q=alcohol&where=Basildon")
    assert "1 service found for Basildon" in html


def test_it_asks_for_a_real_postcode_without_crashing(client):
    html = html_of(client, "/services/?q=alcohol&where=XX99+9XX")
    assert "There is a problem" in html
    assert "Enter a real postcode, like SS14 1AB, or a town in Essex" in html
    assert 'href="#id_where"' in html
    assert "<title>Error: " in html


@pytest.mark.parametrize(
    "query",
    [
        "age=old",
        "age=-4",
        "distance=1000",
        "day=XX",
        "domains=not-a-code",
        "page=999",
        "page=abc",
        "q=" + "x" * 500,
        "where=%00",
    ],
)
def test_it_answers_bad_input_with_a_message_not_an_error(client, query):
    response = client.get(f"/services/?{query}")
    assert response.status_code == 200


def test_it_says_what_to_do_when_nothing_matches_and_still_offers_online_help(client):
    make_service("Alcohol Web Group", codes=["alcohol"], online=True, in_person=False)
    html = html_of(client, "/services/?q=alcohol&modes=in_person")
    assert "No services match your search" in html
    assert "You could also try these online or phone services" in html
    assert "Alcohol Web Group" in html


def test_it_shows_crisis_help_first_when_the_words_suggest_danger(client):
    html = html_of(client, "/services/?q=my+son+has+taken+an+overdose")
    assert "Get help now" in html
    assert html.index("call 999") < html.index("What help are you looking for?")


def test_it_shows_crisis_help_even_when_the_postcode_is_wrong(client):
    html = html_of(client, "/services/?q=I+want+to+kill+myself&where=nowhere")
    assert "Get help now" in html
    assert "Samaritans" in html


def test_it_says_where_to_go_for_gambling(client):
    html = html_of(client, "/services/?q=gambling")
    assert "National Gambling Helpline" in html


def test_it_keeps_the_same_number_of_queries_for_5_or_50_matching_services(client):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for n in range(5):
        make_service(f"Clinic {n}", codes=["opiates", "clinical-treatment"], at=[BASILDON_SS13])
        make_service(f"Online {n}", codes=["opiates"], online=True, in_person=False)
    urls = [
        "/services/?q=opiates&where=SS14&distance=25&needs=opiates",
        "/services/?q=opiates",
        "/services/?q=",
    ]
    few = [queries(url) for url in urls]
    for n in range(5, 50):
        make_service(f"Clinic {n}", codes=["opiates", "clinical-treatment"], at=[BASILDON_SS13, BASILDON_SS13])
        make_service(f"Online {n}", codes=["opiates"], online=True, in_person=False)
    many = [queries(url) for url in urls]
    assert few == many
    assert max(many) <= 9


def test_it_shows_everything_a_family_needs_on_the_service_page(client):
    service = make_service(
        "Basildon Drug Service",
        codes=["opiates", "prescribing"],
        at=[BASILDON_SS13],
        minimum_age=18,
        opening=[("MO,WE", time(9), time(17))],
        phone=True,
    )
    service.what_to_expect = "A worker calls you back within two days."
    service.eligibility = "Adults who live in Basildon."
    service.is_illustrative = True
    service.last_verified_at = datetime(2026, 3, 3, 12, tzinfo=UTC)
    service.save()
    Phone.objects.create(service=service, number="01268 000 000")
    CostOption.objects.create(service=service, option="Everything", amount=0)
    Language.objects.create(service=service, name="Polish", code="pl")
    ServiceCapacity.objects.create(service=service, unit=CapacityUnit.WAIT_WEEKS, available=2)
    location = service.service_at_locations.get().location
    location.transport = "Bus 1 from the station."
    location.save()
    Accessibility.objects.create(location=location, description="Step-free entrance")

    html = html_of(client, f"/services/{service.id}/")

    for text in (
        "What happens when you contact them",
        "A worker calls you back within two days.",
        "Adults who live in Basildon.",
        "For ages 18 and over",
        "Mondays and Wednesdays, 9am to 5pm",
        "1 High Street",
        "Bus 1 from the station.",
        "Step-free entrance",
        "Polish",
        "01268 000 000",
        "Everything: free",
        "Checked 3 March 2026",
        "Illustrative example",
        "Opiates and opioids",
        "Exit this page",
    ):
        assert text in html, text


def test_it_warns_when_a_service_is_temporarily_closed(client):
    service = make_service("Paused", status=ServiceStatus.TEMPORARILY_CLOSED, status_note="Closed until 1 May.")
    html = html_of(client, f"/services/{service.id}/")
    assert "This service is temporarily closed. Closed until 1 May." in html


def test_it_keeps_the_same_number_of_queries_on_the_service_page(client):
    small = make_service("Small", at=[BASILDON_SS13])
    big = make_service(
        "Big", at=[BASILDON_SS13] * 5, codes=["opiates", "alcohol", "housing"], opening=[("MO", None, None)] * 4
    )

    def queries(service):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/services/{service.id}/").status_code == 200
        return len(captured)

    assert queries(small) == queries(big)


def test_it_gives_a_404_for_an_unknown_or_malformed_id(client):
    assert client.get(f"/services/{uuid.uuid4()}/").status_code == 404
    assert client.get("/services/not-a-uuid/").status_code == 404
    assert client.get("/services/12345/").status_code == 404


def test_it_links_to_search_from_the_home_page_and_the_menu(client, persona):
    home = html_of(client, "/")
    assert home.count('href="/services/"') >= 2
    client.force_login(persona("family_member"))
    assert 'href="/services/">Find support</a>' in html_of(client, "/home/")


def test_it_has_no_inline_scripts_or_styles(client):
    make_service("Basildon Drug Service", codes=["alcohol"], at=[BASILDON_SS13])
    for url in ("/services/?q=alcohol&where=SS14", "/services/?q=overdose&where=nowhere"):
        html = html_of(client, url)
        assert "style=" not in html
        assert "<script>" not in html
        assert "onclick" not in html


def test_a_link_can_ask_for_a_distance_the_list_does_not_offer(client):
    make_service("Wickford Clinic", codes=["opiates"], at=[(51.6110, 0.5230)])
    html = html_of(client, "/services/?q=opiates&where=SS14+1AB&distance=15.53")
    assert '<option value="15.53" selected>15.53 miles</option>' in html
    assert "Wickford Clinic" in html
    assert "within 15.53 miles" in html


@pytest.mark.parametrize("distance", ["1000", "-3", "nan", "far"])
def test_a_distance_out_of_range_is_refused_with_a_plain_message(client, distance):
    html = html_of(client, f"/services/?q=opiates&where=SS14+1AB&distance={distance}")
    assert "Choose a distance, or give a number of miles up to 100" in html
