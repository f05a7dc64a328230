import pytest
from django.db import transaction
from django.urls import reverse

from rosc.core.audit import audit_write
from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in

URL = reverse("core:audit_log")


@pytest.mark.parametrize("name", ["administrator", "ig_lead"])
def test_administrators_and_ig_leads_can_search_the_audit_log(client, persona, name):
    user = persona(name)
    with transaction.atomic():
        audit_write(actor=user, action="membership.added", object_type="core.membership", object_id="7")
        audit_write(actor=user, action="auth.signed_in")
    sign_in(client, user)
    response = client.get(URL, {"action": "membership."})
    assert response.status_code == 200
    assert b"membership.added" in response.content
    assert b'<td class="govuk-table__cell">auth.signed_in' not in response.content


def test_every_search_is_itself_audited(client, ig_lead):
    sign_in(client, ig_lead)
    client.get(URL, {"actor": "someone"})
    event = AuditEvent.objects.get(action="audit.searched")
    assert event.actor == ig_lead
    assert event.purpose == "information governance"
    assert event.details == {"filters": ["actor"]}


@pytest.mark.parametrize(
    "name", ["keyworker_a", "service_manager", "peer_mentor", "commissioner", "community_researcher"]
)
def test_other_staff_cannot_see_the_audit_log(client, persona, name):
    sign_in(client, persona(name))
    assert client.get(URL).status_code == 403


def test_the_public_cannot_see_the_audit_log(client, person_in_recovery):
    sign_in(client, person_in_recovery, with_mfa=False)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 403


def test_bad_dates_give_a_clear_message(client, administrator):
    sign_in(client, administrator)
    response = client.get(URL, {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"must be the same as or after" in response.content
    response = client.get(URL, {"date_from": "yesterday"})
    assert b"Enter a valid date" in response.content
    assert not AuditEvent.objects.filter(action="audit.searched").exists()


def test_the_audit_log_pages_through_many_events_with_a_fixed_number_of_queries(
    client, administrator, django_assert_max_num_queries
):
    with transaction.atomic():
        for number in range(120):
            audit_write(actor=administrator, action="test.bulk", object_id=str(number))
    sign_in(client, administrator)
    with django_assert_max_num_queries(20):
        response = client.get(URL, {"action": "test.", "page": "2"})
    assert b"Page 2 of 3" in response.content
