"""The "Your listings" page: who sees which listings, the needs-checking tag and a flat query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import organisation
from rosc.core.testing import sign_in
from rosc.directory.models import CapacityUnit, Service, ServiceCapacity, ServiceStatus

URL = reverse("directory_manage:list")


def make_service(slug="org-a", name="Drop-in", **fields):
    fields.setdefault("description", "A friendly drop-in.")
    return Service.objects.create(organisation=organisation(slug), name=name, **fields)


def test_it_shows_a_service_manager_the_listings_of_their_organisation(client, service_manager):
    make_service(name="Alcohol drop-in")
    make_service("org-b", name="Housing advice line")
    sign_in(client, service_manager)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Alcohol drop-in" in response.content
    assert b"Housing advice line" not in response.content


def test_it_shows_an_administrator_every_listing(client, administrator):
    make_service(name="Alcohol drop-in")
    make_service("org-b", name="Housing advice line")
    sign_in(client, administrator)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Alcohol drop-in" in response.content
    assert b"Housing advice line" in response.content


def test_it_lets_an_administrator_filter_by_organisation(client, administrator):
    make_service(name="Alcohol drop-in")
    make_service("org-b", name="Housing advice line")
    sign_in(client, administrator)
    response = client.get(URL, {"organisation": organisation("org-b").pk})
    assert b"Housing advice line" in response.content
    assert b"Alcohol drop-in" not in response.content


def test_it_pages_fifty_listings_at_a_time(client, administrator):
    for number in range(51):
        make_service(name=f"Service {number:02d}")
    sign_in(client, administrator)
    first = client.get(URL)
    assert first.content.count(b"These details are correct<span") == 50
    assert b"Page 1 of 2" in first.content
    second = client.get(URL, {"page": 2})
    assert second.content.count(b"These details are correct<span") == 1


def test_it_tags_listings_that_have_not_been_checked_for_a_while(client, service_manager, settings):
    settings.ROSC_LISTING_STALE_DAYS = 30
    make_service(name="Checked recently", last_verified_at=timezone.now() - timedelta(days=29))
    make_service(name="Checked long ago", last_verified_at=timezone.now() - timedelta(days=31))
    sign_in(client, service_manager)
    response = client.get(URL)
    assert response.content.count(b"Needs checking</strong>") == 1
    assert b"1 listing needs checking" in response.content
    only_stale = client.get(URL, {"needs_checking": "on"})
    assert b"Checked long ago" in only_stale.content
    assert b"Checked recently" not in only_stale.content


def test_a_listing_that_was_never_checked_needs_checking(client, service_manager):
    make_service(name="Never checked")
    sign_in(client, service_manager)
    response = client.get(URL)
    assert b"Never" in response.content
    assert b"Needs checking</strong>" in response.content


def test_a_service_closed_for_good_never_needs_checking(client, service_manager):
    make_service(name="Gone", status=ServiceStatus.DEFUNCT)
    sign_in(client, service_manager)
    assert b"Needs checking</strong>" not in client.get(URL).content


def test_it_summarises_capacity_and_waiting_time(client, service_manager):
    service = make_service(name="Detox")
    ServiceCapacity.objects.create(service=service, unit=CapacityUnit.BEDS, available=3, maximum=10)
    ServiceCapacity.objects.create(service=service, unit=CapacityUnit.WAIT_WEEKS, available=2)
    sign_in(client, service_manager)
    assert b"3 of 10 beds free, 2 weeks&#x27; wait" in client.get(URL).content


@pytest.mark.parametrize("name", ["keyworker_a", "keyworker_b", "peer_mentor", "commissioner", "ig_lead"])
def test_it_refuses_staff_who_do_not_look_after_listings(client, persona, name):
    sign_in(client, persona(name))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("name", ["outsider", "family_member", "person_in_recovery", "community_member"])
def test_it_refuses_members_of_the_public(client, persona, name):
    sign_in(client, persona(name), with_mfa=False)
    assert client.get(URL).status_code == 403


def test_it_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 403
    assert reverse("account_login").encode() in response.content


def test_a_bad_filter_gives_a_clear_message(client, administrator):
    make_service(name="Alcohol drop-in")
    sign_in(client, administrator)
    response = client.get(URL, {"organisation": "not-a-number"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Select a valid choice" in response.content


def test_a_service_manager_cannot_filter_to_another_organisation(client, service_manager):
    make_service("org-b", name="Housing advice line")
    sign_in(client, service_manager)
    response = client.get(URL, {"organisation": organisation("org-b").pk})
    assert b"Housing advice line" not in response.content
    assert b"Select a valid choice" in response.content


def _queries_for(client, count):
    for number in range(count):
        service = make_service(name=f"Service {count}-{number:02d}")
        ServiceCapacity.objects.create(service=service, unit=CapacityUnit.PLACES, available=1, maximum=5)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    Service.objects.all().delete()
    return len(queries)


@pytest.mark.parametrize("persona_name", ["service_manager", "administrator"])
def test_the_page_runs_the_same_number_of_queries_for_3_or_30_listings(client, persona, persona_name):
    sign_in(client, persona(persona_name))
    client.get(URL)  # warm the session
    assert _queries_for(client, 3) == _queries_for(client, 30)
