""" "These details are correct": confirming a listing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import organisation
from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.directory.models import Service

LIST_URL = reverse("directory_manage:list")


def make_service(slug="org-a"):
    return Service.objects.create(
        organisation=organisation(slug),
        name="Family support group",
        description="For families.",
        last_verified_at=timezone.now() - timedelta(days=200),
        last_modified=timezone.now() - timedelta(days=200),
    )


def verify_url(service):
    return reverse("directory_manage:verify", args=[service.pk])


def test_a_service_manager_confirms_a_listing_is_correct(client, service_manager):
    service = make_service()
    sign_in(client, service_manager)
    response = client.post(verify_url(service))
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    service.refresh_from_db()
    assert service.last_verified_by == service_manager
    assert timezone.now() - service.last_verified_at < timedelta(minutes=1)
    assert timezone.now() - service.last_modified < timedelta(minutes=1)
    event = AuditEvent.objects.get(action="service.verified")
    assert event.details["fields"] == ["last_verified_at", "last_verified_by"]
    assert b"Needs checking</strong>" not in client.get(LIST_URL).content


def test_it_goes_back_to_the_filtered_list(client, service_manager):
    service = make_service()
    sign_in(client, service_manager)
    response = client.post(verify_url(service), {"next": f"{LIST_URL}?needs_checking=on&page=1"})
    assert response["Location"] == f"{LIST_URL}?needs_checking=on&page=1"


@pytest.mark.parametrize("next_url", ["https://evil.example/staff/services/", "/accounts/logout/", "//evil.example"])
def test_it_never_goes_back_to_somewhere_else(client, service_manager, next_url):
    service = make_service()
    sign_in(client, service_manager)
    assert client.post(verify_url(service), {"next": next_url})["Location"] == LIST_URL


def test_it_only_accepts_a_form_post(client, service_manager):
    service = make_service()
    sign_in(client, service_manager)
    assert client.get(verify_url(service)).status_code == 405
    service.refresh_from_db()
    assert service.last_verified_by is None


def test_an_administrator_can_confirm_any_listing(client, administrator):
    service = make_service("org-b")
    sign_in(client, administrator)
    assert client.post(verify_url(service)).status_code == 302
    service.refresh_from_db()
    assert service.last_verified_by == administrator


@pytest.mark.parametrize(
    ("name", "with_mfa"),
    [("service_manager", True), ("keyworker_b", True), ("commissioner", True), ("person_in_recovery", False)],
)
def test_it_refuses_people_who_do_not_manage_the_service(client, persona, name, with_mfa):
    service = make_service("org-b")
    sign_in(client, persona(name), with_mfa=with_mfa)
    assert client.post(verify_url(service)).status_code == 403
    service.refresh_from_db()
    assert service.last_verified_by is None
    assert not AuditEvent.objects.filter(action="service.verified").exists()


def test_it_refuses_anonymous_visitors(client, db):
    service = make_service()
    assert client.post(verify_url(service)).status_code == 403


def test_an_unknown_listing_is_refused_and_nothing_is_recorded(client, service_manager):
    sign_in(client, service_manager)
    assert client.post("/staff/services/00000000-0000-0000-0000-000000000000/verify/").status_code == 403
    assert not AuditEvent.objects.filter(action="service.verified").exists()
