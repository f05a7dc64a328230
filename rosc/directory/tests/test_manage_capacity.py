"""Updating beds, places and the weeks to a first appointment."""

import pytest
from django.urls import reverse

from conftest import organisation
from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.directory.models import CapacityUnit, Service, ServiceCapacity


def make_service(slug="org-a", name="Detox unit"):
    return Service.objects.create(organisation=organisation(slug), name=name, description="Inpatient detox.")


def capacity_url(service):
    return reverse("directory_manage:capacity", args=[service.pk])


def figures(**overrides):
    answers = {
        "beds_available": "2",
        "beds_maximum": "12",
        "places_available": "",
        "places_maximum": "",
        "wait_weeks_available": "3",
    }
    answers.update(overrides)
    return answers


def rows(service):
    return {row.unit: (row.available, row.maximum) for row in ServiceCapacity.objects.filter(service=service)}


def test_it_shows_a_service_manager_the_current_figures(client, service_manager):
    service = make_service()
    ServiceCapacity.objects.create(service=service, unit=CapacityUnit.BEDS, available=4, maximum=11)
    sign_in(client, service_manager)
    response = client.get(capacity_url(service))
    assert response.status_code == 200
    assert b'value="11"' in response.content


def test_a_service_manager_updates_capacity_and_the_search_fields_follow(client, service_manager):
    service = make_service()
    sign_in(client, service_manager)
    response = client.post(capacity_url(service), figures())
    assert response.status_code == 302
    assert rows(service) == {CapacityUnit.BEDS: (2, 12), CapacityUnit.WAIT_WEEKS: (3, None)}
    service.refresh_from_db()
    assert service.has_capacity is True
    assert service.wait_weeks == 3
    event = AuditEvent.objects.get(action="service.capacity_updated")
    assert event.actor == service_manager
    assert sorted(event.details["fields"]) == ["beds.available", "beds.maximum", "wait_weeks.available"]


def test_emptying_a_pair_of_boxes_removes_those_figures(client, service_manager):
    service = make_service()
    ServiceCapacity.objects.create(service=service, unit=CapacityUnit.PLACES, available=0, maximum=8)
    sign_in(client, service_manager)
    client.post(capacity_url(service), figures(beds_available="0"))
    assert rows(service) == {CapacityUnit.BEDS: (0, 12), CapacityUnit.WAIT_WEEKS: (3, None)}
    service.refresh_from_db()
    assert service.has_capacity is False


def test_updating_capacity_does_not_count_as_checking_the_whole_listing(client, service_manager):
    service = make_service()
    sign_in(client, service_manager)
    client.post(capacity_url(service), figures())
    service.refresh_from_db()
    assert service.last_verified_at is None


def test_it_refuses_a_service_manager_another_organisations_listing(client, service_manager):
    service = make_service("org-b")
    sign_in(client, service_manager)
    assert client.get(capacity_url(service)).status_code == 403
    assert client.post(capacity_url(service), figures()).status_code == 403
    assert rows(service) == {}


def test_an_administrator_can_update_any_listing(client, administrator):
    service = make_service("org-b")
    sign_in(client, administrator)
    assert client.post(capacity_url(service), figures()).status_code == 302
    assert rows(service)[CapacityUnit.BEDS] == (2, 12)


@pytest.mark.parametrize("name", ["keyworker_a", "commissioner"])
def test_it_refuses_staff_who_do_not_manage_the_service(client, persona, name):
    service = make_service()
    sign_in(client, persona(name))
    assert client.post(capacity_url(service), figures()).status_code == 403
    assert rows(service) == {}


def test_it_refuses_members_of_the_public_and_anonymous_visitors(client, persona):
    service = make_service()
    assert client.get(capacity_url(service)).status_code == 403
    sign_in(client, persona("family_member"), with_mfa=False)
    assert client.post(capacity_url(service), figures()).status_code == 403
    assert rows(service) == {}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"beds_available": "13"}, b"Beds free now cannot be more than beds in total"),
        ({"places_available": "5", "places_maximum": "4"}, b"Places free now cannot be more than places in total"),
        ({"beds_available": "-1"}, b"Enter a number that is 0 or more"),
        ({"wait_weeks_available": "-2"}, b"Enter a number that is 0 or more"),
        ({"beds_maximum": "lots"}, b"Enter a whole number, like 3"),
        ({"wait_weeks_available": "500"}, b"Enter a number that is 104 or less"),
    ],
)
def test_bad_input_gives_a_clear_message_and_saves_nothing(client, service_manager, overrides, message):
    service = make_service()
    ServiceCapacity.objects.create(service=service, unit=CapacityUnit.BEDS, available=1, maximum=12)
    sign_in(client, service_manager)
    response = client.post(capacity_url(service), figures(**overrides))
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert message in response.content
    assert rows(service) == {CapacityUnit.BEDS: (1, 12)}
    assert not AuditEvent.objects.filter(action="service.capacity_updated").exists()
