"""The staff home points service managers to listings that need checking."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conftest import organisation
from rosc.core.testing import sign_in
from rosc.directory.models import Service

HOME = reverse("core:dashboard")


def make_service(slug="org-a", **fields):
    return Service.objects.create(organisation=organisation(slug), name="Drop-in", description="Drop-in.", **fields)


def test_it_tells_a_service_manager_how_many_listings_need_checking(client, service_manager):
    make_service()
    make_service(last_verified_at=timezone.now() - timedelta(days=365))
    make_service(last_verified_at=timezone.now())
    make_service("org-b")
    sign_in(client, service_manager)
    response = client.get(HOME)
    assert b"2 listings need checking" in response.content
    assert b'href="/staff/services/?needs_checking=on"' in response.content


def test_it_links_a_service_manager_to_their_listings_when_all_are_fresh(client, service_manager):
    make_service(last_verified_at=timezone.now())
    sign_in(client, service_manager)
    response = client.get(HOME)
    assert b'href="/staff/services/"' in response.content
    assert b"need checking" not in response.content
    assert b"needs checking" not in response.content


def test_it_says_nothing_about_listings_to_staff_who_do_not_look_after_them(client, keyworker_a):
    make_service()
    sign_in(client, keyworker_a)
    response = client.get(HOME)
    assert response.status_code == 200
    assert b"/staff/services/" not in response.content
