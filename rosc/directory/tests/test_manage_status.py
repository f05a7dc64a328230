"""Marking a service temporarily closed, and reopening it."""

import pytest
from django.urls import reverse

from conftest import organisation
from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.directory.models import Service, ServiceStatus

NOTE = "Closed for refurbishment until 5 January"


def make_service(slug="org-a", **fields):
    return Service.objects.create(organisation=organisation(slug), name="Recovery café", description="Café.", **fields)


def status_url(service):
    return reverse("directory_manage:status", args=[service.pk])


def test_a_service_manager_closes_a_service_for_a_while_with_a_note(client, service_manager):
    service = make_service()
    sign_in(client, service_manager)
    assert client.get(status_url(service)).status_code == 200
    response = client.post(status_url(service), {"note": NOTE})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.status == ServiceStatus.TEMPORARILY_CLOSED
    assert service.status_note == NOTE
    event = AuditEvent.objects.get(action="service.closed_temporarily")
    assert event.details["fields"] == ["status", "status_note"]
    assert "refurbishment" not in str(event.details)


def test_a_service_manager_reopens_a_closed_service(client, service_manager):
    service = make_service(status=ServiceStatus.TEMPORARILY_CLOSED, status_note=NOTE)
    sign_in(client, service_manager)
    page = client.get(status_url(service))
    assert b"Reopen the service" in page.content
    assert client.post(status_url(service), {"reopen": "1"}).status_code == 302
    service.refresh_from_db()
    assert service.status == ServiceStatus.ACTIVE
    assert service.status_note == ""
    assert AuditEvent.objects.filter(action="service.reopened", actor=service_manager).count() == 1


def test_it_changes_the_note_of_a_service_that_is_already_closed(client, service_manager):
    service = make_service(status=ServiceStatus.TEMPORARILY_CLOSED, status_note=NOTE)
    sign_in(client, service_manager)
    client.post(status_url(service), {"note": "Closed until 12 January"})
    service.refresh_from_db()
    assert service.status_note == "Closed until 12 January"
    assert AuditEvent.objects.get(action="service.closed_temporarily").details["fields"] == ["status_note"]


def test_it_refuses_a_service_manager_another_organisations_listing(client, service_manager):
    service = make_service("org-b")
    sign_in(client, service_manager)
    assert client.get(status_url(service)).status_code == 403
    assert client.post(status_url(service), {"note": NOTE}).status_code == 403
    service.refresh_from_db()
    assert service.status == ServiceStatus.ACTIVE


def test_an_administrator_can_close_any_listing(client, administrator):
    service = make_service("org-b")
    sign_in(client, administrator)
    assert client.post(status_url(service), {"note": NOTE}).status_code == 302


@pytest.mark.parametrize(("name", "with_mfa"), [("keyworker_a", True), ("keyworker_b", True), ("outsider", False)])
def test_it_refuses_people_who_do_not_manage_the_service(client, persona, name, with_mfa):
    service = make_service(status=ServiceStatus.TEMPORARILY_CLOSED, status_note=NOTE)
    sign_in(client, persona(name), with_mfa=with_mfa)
    assert client.post(status_url(service), {"reopen": "1"}).status_code == 403
    service.refresh_from_db()
    assert service.status == ServiceStatus.TEMPORARILY_CLOSED


def test_it_refuses_anonymous_visitors(client, db):
    service = make_service()
    assert client.post(status_url(service), {"note": NOTE}).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": ""}, b"Enter a note for the public"),
        ({"note": "   "}, b"Enter a note for the public"),
        ({"note": "x" * 301}, b"The note must be 300 characters or fewer"),
    ],
)
def test_bad_input_gives_a_clear_message_and_saves_nothing(client, service_manager, data, message):
    service = make_service()
    sign_in(client, service_manager)
    response = client.post(status_url(service), data)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert message in response.content
    service.refresh_from_db()
    assert service.status == ServiceStatus.ACTIVE
    assert not AuditEvent.objects.filter(action__startswith="service.").exists()


def test_reopening_a_service_that_is_open_is_refused_clearly(client, service_manager):
    service = make_service()
    sign_in(client, service_manager)
    response = client.post(status_url(service), {"reopen": "1"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"not temporarily closed" in response.content
    assert not AuditEvent.objects.filter(action__startswith="service.").exists()


def test_a_service_that_is_not_running_cannot_be_closed_here(client, service_manager):
    service = make_service(status=ServiceStatus.DEFUNCT)
    sign_in(client, service_manager)
    assert b"This service is not running" in client.get(status_url(service)).content
    response = client.post(status_url(service), {"note": NOTE})
    assert b"There is a problem" in response.content
    service.refresh_from_db()
    assert service.status == ServiceStatus.DEFUNCT
