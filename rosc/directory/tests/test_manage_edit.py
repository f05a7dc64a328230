"""Editing a listing's plain-English details."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import organisation
from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.directory.models import Service


def make_service(slug="org-a", name="Alcohol drop-in", **fields):
    fields.setdefault("description", "A friendly drop-in for anyone worried about drinking.")
    return Service.objects.create(organisation=organisation(slug), name=name, **fields)


def edit_url(service):
    return reverse("directory_manage:edit", args=[service.pk])


def good_answers(**overrides):
    answers = {
        "name": "Alcohol drop-in",
        "description": "A friendly drop-in for anyone worried about drinking.",
        "what_to_expect": "Just turn up. A recovery worker will talk with you.",
        "eligibility": "Adults in Essex.",
        "fees": "",
        "url": "https://example.org/drop-in",
        "email": "dropin@example.org",
        "minimum_age": "18",
        "maximum_age": "",
        "modes": ["offers_in_person", "offers_phone"],
        "is_county_wide": "on",
    }
    answers.update(overrides)
    return {key: value for key, value in answers.items() if value is not None}


def test_it_shows_a_service_manager_the_listing_to_edit(client, service_manager):
    service = make_service(what_to_expect="We call you back.")
    sign_in(client, service_manager)
    response = client.get(edit_url(service))
    assert response.status_code == 200
    assert b"We call you back." in response.content
    assert b'name="modes"' in response.content


def test_a_service_manager_saves_changes_and_they_are_audited_without_values(client, service_manager):
    service = make_service(last_modified=timezone.now() - timedelta(days=3))
    before = service.last_modified
    sign_in(client, service_manager)
    response = client.post(edit_url(service), good_answers())
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.what_to_expect == "Just turn up. A recovery worker will talk with you."
    assert service.minimum_age == 18
    assert (service.offers_in_person, service.offers_online, service.offers_phone) == (True, False, True)
    assert service.is_county_wide is True
    assert service.last_modified > before
    event = AuditEvent.objects.get(action="service.updated")
    assert event.actor == service_manager
    assert event.object_id == str(service.pk)
    assert sorted(event.details["fields"]) == sorted(
        ["what_to_expect", "eligibility", "url", "email", "minimum_age", "offers_phone", "is_county_wide"]
    )
    assert "Just turn up" not in str(event.details)


def test_saving_the_details_counts_as_checking_the_listing(client, service_manager):
    service = make_service()
    sign_in(client, service_manager)
    client.post(edit_url(service), good_answers())
    service.refresh_from_db()
    assert service.last_verified_by == service_manager
    assert timezone.now() - service.last_verified_at < timedelta(minutes=1)


def test_an_administrator_can_edit_any_listing(client, administrator):
    service = make_service("org-b")
    sign_in(client, administrator)
    assert client.get(edit_url(service)).status_code == 200
    assert client.post(edit_url(service), good_answers(name="Housing advice")).status_code == 302
    service.refresh_from_db()
    assert service.name == "Housing advice"


def test_it_refuses_a_service_manager_another_organisations_listing(client, service_manager):
    service = make_service("org-b", name="Housing advice")
    sign_in(client, service_manager)
    assert client.get(edit_url(service)).status_code == 403
    assert client.post(edit_url(service), good_answers(name="Hijacked")).status_code == 403
    service.refresh_from_db()
    assert service.name == "Housing advice"
    assert not AuditEvent.objects.filter(action="service.updated").exists()


@pytest.mark.parametrize("name", ["keyworker_a", "peer_mentor", "commissioner"])
def test_it_refuses_staff_who_do_not_manage_the_service(client, persona, name):
    service = make_service()
    sign_in(client, persona(name))
    assert client.get(edit_url(service)).status_code == 403
    assert client.post(edit_url(service), good_answers(name="Changed")).status_code == 403
    service.refresh_from_db()
    assert service.name == "Alcohol drop-in"


@pytest.mark.parametrize("name", ["outsider", "person_in_recovery"])
def test_it_refuses_members_of_the_public(client, persona, name):
    service = make_service()
    sign_in(client, persona(name), with_mfa=False)
    assert client.get(edit_url(service)).status_code == 403


def test_it_refuses_anonymous_visitors(client, db):
    service = make_service()
    assert client.get(edit_url(service)).status_code == 403
    assert client.post(edit_url(service), good_answers(name="Changed")).status_code == 403


def test_an_unknown_listing_looks_the_same_as_a_forbidden_one(client, service_manager):
    sign_in(client, service_manager)
    assert client.get("/staff/services/00000000-0000-0000-0000-000000000000/edit/").status_code == 403


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"minimum_age": "30", "maximum_age": "25"}, b"Maximum age must be the same as or more than the minimum age"),
        ({"name": ""}, b"Enter the name of the service"),
        ({"description": "   "}, b"Enter a description of the service"),
        ({"email": "not an email"}, b"Enter an email address in the right format"),
        ({"url": "not a website"}, b"Enter a website address in the right format"),
        ({"minimum_age": "eighteen"}, b"Enter the age as a whole number of years"),
        ({"minimum_age": "-1"}, b"Age cannot be less than 0"),
        ({"maximum_age": "200"}, b"Age must be 120 or less"),
        ({"modes": []}, b"Select at least one way people can use the service"),
    ],
)
def test_bad_input_gives_a_clear_message_and_saves_nothing(client, service_manager, overrides, message):
    service = make_service()
    before = Service.objects.values().get(pk=service.pk)
    sign_in(client, service_manager)
    response = client.post(edit_url(service), good_answers(**overrides))
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert message in response.content
    assert Service.objects.values().get(pk=service.pk) == before
    assert not AuditEvent.objects.filter(action="service.updated").exists()
