"""The actions behind the listing pages: permission, one transaction, audit, reindex."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conftest import organisation
from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent
from rosc.directory import actions_manage
from rosc.directory.actions_manage import CapacityFigures
from rosc.directory.models import CapacityUnit, Service, ServiceCapacity, ServiceStatus

LONG_AGO = timezone.now() - timedelta(days=400)


def make_service(slug="org-a", **fields):
    fields.setdefault("name", "Alcohol drop-in")
    fields.setdefault("description", "A friendly drop-in.")
    fields.setdefault("last_modified", LONG_AGO)
    return Service.objects.create(organisation=organisation(slug), **fields)


def service_events():
    return AuditEvent.objects.filter(action__startswith="service.")


ALL_ACTIONS = [
    lambda actor, service: actions_manage.service_update(actor=actor, service=service, changes={"name": "New"}),
    lambda actor, service: actions_manage.service_capacity_update(
        actor=actor, service=service, capacity={CapacityUnit.BEDS: CapacityFigures(available=1, maximum=2)}
    ),
    lambda actor, service: actions_manage.service_close_temporarily(actor=actor, service=service, note="Closed"),
    lambda actor, service: actions_manage.service_reopen(actor=actor, service=service),
    lambda actor, service: actions_manage.service_verify(actor=actor, service=service),
]


@pytest.mark.parametrize("action", ALL_ACTIONS)
@pytest.mark.parametrize("persona_name", ["keyworker_a", "commissioner", "outsider"])
def test_every_action_refuses_people_who_do_not_manage_the_service(persona, action, persona_name):
    service = make_service(status=ServiceStatus.TEMPORARILY_CLOSED, status_note="Closed")
    with pytest.raises(PermissionDenied):
        action(persona(persona_name), service)
    assert not service_events().exists()


@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_every_action_refuses_a_manager_of_another_organisation(service_manager, action):
    service = make_service("org-b", status=ServiceStatus.TEMPORARILY_CLOSED, status_note="Closed")
    with pytest.raises(PermissionDenied):
        action(service_manager, service)


@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_every_action_bumps_last_modified_and_writes_one_audit_row(service_manager, action):
    service = make_service(status=ServiceStatus.TEMPORARILY_CLOSED, status_note="Closed")
    action(service_manager, service)
    service.refresh_from_db()
    assert service.last_modified > LONG_AGO
    assert service_events().count() == 1
    event = service_events().get()
    assert event.actor == service_manager
    assert event.object_type == "directory.service"
    assert event.object_id == str(service.pk)
    assert event.purpose == "directory listing"
    assert isinstance(event.details["fields"], list)


def test_editing_details_audits_field_names_never_values(service_manager):
    service = make_service()
    actions_manage.service_update(
        actor=service_manager,
        service=service,
        changes={"description": "Secret-looking new words", "eligibility": "Over 18s", "name": "Alcohol drop-in"},
    )
    event = service_events().get()
    assert event.details["fields"] == ["description", "eligibility"]
    assert "Secret" not in str(event.details)
    assert "Over 18s" not in str(event.details)


def test_editing_details_refreshes_the_words_search_looks_for(service_manager):
    service = make_service()
    actions_manage.service_update(actor=service_manager, service=service, changes={"description": "Acupuncture"})
    assert "acupuncture" in Service.objects.get(pk=service.pk).search_text


def test_editing_details_counts_as_checking_even_without_changes(service_manager):
    service = make_service()
    actions_manage.service_update(actor=service_manager, service=service, changes={"name": "Alcohol drop-in"})
    service.refresh_from_db()
    assert service.last_verified_by == service_manager
    assert service_events().get().details == {
        "organisation_id": service.organisation_id,
        "fields": [],
        "verified": True,
    }


def test_capacity_changes_refresh_the_denormalised_search_fields(service_manager):
    service = make_service()
    actions_manage.service_capacity_update(
        actor=service_manager,
        service=service,
        capacity={
            CapacityUnit.PLACES: CapacityFigures(available=0, maximum=10),
            CapacityUnit.WAIT_WEEKS: CapacityFigures(available=6),
        },
    )
    service.refresh_from_db()
    assert (service.has_capacity, service.wait_weeks) == (False, 6)
    actions_manage.service_capacity_update(
        actor=service_manager, service=service, capacity={CapacityUnit.WAIT_WEEKS: CapacityFigures(available=None)}
    )
    service.refresh_from_db()
    assert service.wait_weeks is None
    assert not ServiceCapacity.objects.filter(service=service, unit=CapacityUnit.WAIT_WEEKS).exists()


@pytest.mark.parametrize(
    ("capacity", "message"),
    [
        ({CapacityUnit.BEDS: CapacityFigures(available=5, maximum=4)}, "cannot be more than"),
        ({CapacityUnit.PLACES: CapacityFigures(available=-1)}, "cannot be less than 0"),
        ({CapacityUnit.WAIT_WEEKS: CapacityFigures(available=-3)}, "cannot be less than 0"),
    ],
)
def test_the_capacity_action_checks_the_figures_itself(service_manager, capacity, message):
    service = make_service()
    with pytest.raises(ActionRefused, match=message):
        actions_manage.service_capacity_update(actor=service_manager, service=service, capacity=capacity)
    assert not ServiceCapacity.objects.exists()
    assert not service_events().exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"minimum_age": 40, "maximum_age": 30}, "maximum_age"),
        ({"maximum_age": 10}, "maximum_age"),
        ({"name": "  "}, "name"),
        ({"offers_in_person": False}, "modes"),
    ],
)
def test_the_update_action_checks_the_details_itself(service_manager, changes, field):
    service = make_service(minimum_age=18)
    with pytest.raises(ActionRefused) as refused:
        actions_manage.service_update(actor=service_manager, service=service, changes=changes)
    assert refused.value.field == field
    assert Service.objects.get(pk=service.pk).last_modified == LONG_AGO
    assert not service_events().exists()


def test_the_update_action_only_changes_plain_english_details(service_manager):
    service = make_service()
    with pytest.raises(ValueError, match="cannot be edited"):
        actions_manage.service_update(actor=service_manager, service=service, changes={"organisation_id": 99})


def test_a_closed_service_is_closed_on_the_public_record_at_once(service_manager):
    service = make_service()
    actions_manage.service_close_temporarily(
        actor=service_manager, service=service, note="Closed for refurbishment until 5 January"
    )
    fresh = Service.objects.get(pk=service.pk)
    assert fresh.status == ServiceStatus.TEMPORARILY_CLOSED
    assert fresh.get_status_display() == "Temporarily closed"
    assert fresh.status_note == "Closed for refurbishment until 5 January"


def test_reopening_an_open_service_is_refused(service_manager):
    with pytest.raises(ActionRefused, match="not temporarily closed"):
        actions_manage.service_reopen(actor=service_manager, service=make_service())


def test_a_failed_audit_write_rolls_the_change_back(service_manager, monkeypatch):
    service = make_service()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(actions_manage, "audit_write", broken_audit)
    with pytest.raises(RuntimeError):
        actions_manage.service_update(actor=service_manager, service=service, changes={"name": "Changed"})
    fresh = Service.objects.get(pk=service.pk)
    assert fresh.name == "Alcohol drop-in"
    assert fresh.last_verified_at is None
