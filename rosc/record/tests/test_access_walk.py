"""Walk every address of the shared record: nobody reaches a page they should not."""

import pytest
from django.urls import URLPattern, reverse

from rosc.core.testing import sign_in
from rosc.record import urls
from rosc.record.tests.helpers import give_consent, make_person

pytestmark = pytest.mark.django_db

OWN_VIEW = {"mine", "mine_link", "mine_withdraw", "mine_link_account", "mine_export"}


def all_patterns(person_uuid):
    samples = {
        "person_id": person_uuid,
        "goal_id": 1,
        "action_id": 1,
        "member_id": 1,
        "consent_id": 1,
        "emergency_id": 1,
        "request_id": 1,
        "kind": "care",
        "fmt": "json",
        "token": "not-a-token",
    }
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: samples[name] for name in pattern.pattern.converters}
        yield pattern.name, reverse(f"record:{pattern.name}", kwargs=kwargs)


def test_anonymous_visitors_reach_no_staff_page(client, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a])
    for name, url in all_patterns(person.uuid):
        response = client.get(url)
        if name in OWN_VIEW:
            assert response.status_code in (302, 404, 405), (name, response.status_code)
        else:
            assert response.status_code in (403, 405), (name, response.status_code)


@pytest.mark.parametrize(
    "persona_name", ["outsider", "family_member", "person_in_recovery", "commissioner", "community_researcher"]
)
def test_people_without_a_record_role_are_refused_every_staff_page(client, persona, org_a, persona_name):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a], kinds=["commissioner", "community"])
    sign_in(client, persona(persona_name), with_mfa=persona_name in ("commissioner", "community_researcher"))
    for name, url in all_patterns(person.uuid):
        if name in OWN_VIEW:
            continue
        assert client.get(url).status_code in (403, 405), (persona_name, name)
        assert client.post(url).status_code in (403, 405), (persona_name, name)


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, keyworker_a):
    sign_in(client, keyworker_a, with_mfa=False)
    response = client.get(reverse("record:caseload"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:mfa_required")
