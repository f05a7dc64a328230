"""Changes made on the staff pages show on the public service page at once: nothing is cached in between."""

from django.urls import reverse

from conftest import organisation
from rosc.core.testing import sign_in
from rosc.directory.models import Service


def make_service():
    return Service.objects.create(
        organisation=organisation("org-a"), name="Recovery café", description="A café run by people in recovery."
    )


def public_url(service):
    return reverse("directory:service", args=[service.pk])


def test_an_edit_shows_on_the_public_page_straight_away(client, service_manager):
    service = make_service()
    assert b"A caf" in client.get(public_url(service)).content
    sign_in(client, service_manager)
    client.post(
        reverse("directory_manage:edit", args=[service.pk]),
        {"name": "Recovery café", "description": "Now open on Saturdays too.", "modes": ["offers_in_person"]},
    )
    client.logout()
    assert b"Now open on Saturdays too." in client.get(public_url(service)).content


def test_closing_a_service_shows_on_the_public_page_straight_away(client, service_manager):
    service = make_service()
    assert b"temporarily closed" not in client.get(public_url(service)).content
    sign_in(client, service_manager)
    client.post(
        reverse("directory_manage:status", args=[service.pk]), {"note": "Closed for refurbishment until 5 January"}
    )
    client.logout()
    page = client.get(public_url(service)).content
    assert b"This service is temporarily closed." in page
    assert b"Closed for refurbishment until 5 January" in page


def test_new_capacity_shows_on_the_public_page_straight_away(client, service_manager):
    service = make_service()
    sign_in(client, service_manager)
    client.post(
        reverse("directory_manage:capacity", args=[service.pk]),
        {"places_maximum": "12", "places_available": "4", "wait_weeks_available": ""},
    )
    client.logout()
    assert b"Places free: 4 of 12" in client.get(public_url(service)).content
