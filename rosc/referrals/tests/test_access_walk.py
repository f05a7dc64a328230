"""Walk every referral URL: who gets 403, who gets 404, who gets in."""

import pytest
from django.urls import URLPattern, reverse

from rosc.core.testing import sign_in
from rosc.referrals import urls
from rosc.referrals.tests.helpers import person_in_team, send, service_in, worker

pytestmark = pytest.mark.django_db

PERSON_PAGES = {"mine", "mine_detail"}
IG_PAGES = {"exceptions", "exception_review"}
STAFF_WITHOUT_REFERRALS = ["peer_mentor", "commissioner", "community_researcher"]
PUBLIC = ["outsider", "family_member", "community_member"]


@pytest.fixture
def world(keyworker_a):
    person = person_in_team("org-a", consent_to=["org-b"])
    service = service_in("org-b")
    referral = send(keyworker_a, person=person, service=service)
    return {"referral_id": referral.pk, "person_id": person.uuid, "service_id": service.pk}


def all_urls(world):
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: world[name] for name in pattern.pattern.converters}
        yield pattern.name, reverse(f"referrals:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_refused_or_sent_to_sign_in(client, world, method):
    for name, url in all_urls(world):
        response = getattr(client, method)(url)
        if name in PERSON_PAGES:
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("account_login"))
        else:
            assert response.status_code in (403, 405), f"{url} answered {response.status_code}"


@pytest.mark.parametrize("persona_name", STAFF_WITHOUT_REFERRALS + PUBLIC)
def test_people_without_a_referral_capability_reach_no_staff_page(client, persona, world, persona_name):
    sign_in(client, persona(persona_name), with_mfa=persona_name not in PUBLIC)
    for name, url in all_urls(world):
        response = client.get(url)
        if name == "mine":
            assert response.status_code == 200
        elif name == "mine_detail":
            assert response.status_code == 404
        else:
            assert response.status_code in (403, 405), f"{persona_name} reached {url}"


def test_workers_of_an_unrelated_organisation_get_not_found_for_the_referral(client, world):
    sign_in(client, worker("elsewhere@example.com", "community"))
    for name in ("detail", "accept", "decline", "wait_list", "start", "complete", "withdraw", "reroute", "fhir"):
        assert client.get(reverse(f"referrals:{name}", args=[world["referral_id"]])).status_code == 404, name
    assert client.post(reverse("referrals:comment", args=[world["referral_id"]]), {"text": "x"}).status_code == 404
    assert client.get(reverse("referrals:send_service", args=[world["person_id"]])).status_code == 404
    assert client.get(reverse("referrals:exceptions")).status_code == 403


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, keyworker_b, world):
    sign_in(client, keyworker_b, with_mfa=False)
    for name, url in all_urls(world):
        if name in PERSON_PAGES:
            continue
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("core:mfa_required")
