"""Walk every continuing-care URL: the check-in pages are public (and useless without a real link);
nobody outside the care team or the service's managers reaches any staff page, on GET or POST."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from conftest import organisation
from rosc.continuing import actions, urls
from rosc.continuing.tests.helpers import CALM, at, person_in_care, start_plan, token_from_outbox
from rosc.core.testing import sign_in

pytestmark = pytest.mark.django_db

PUBLIC = {"help_now", "check_in", "check_in_done", "check_in_help", "check_in_new_link", "check_in_stop"}
OWN = {"mine"}


@pytest.fixture
def world():
    person = person_in_care()
    start_plan(person, started_on=timezone.localdate() - timedelta(days=7))
    actions.run_continuing_care(now=at(timezone.localdate()))
    alert = actions.check_in_answer(token=token_from_outbox(), answers={**CALM, "wants_contact": "yes"}).alerts[0]
    organisation("org-a")
    return {
        "token": "not-a-real-link",
        "person_id": person.uuid,
        "alert_id": alert.uuid,
        "change": "pause",
        "slug": "org-a",
    }


def all_urls(world):
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: world[name] for name in pattern.pattern.converters}
        yield pattern.name, reverse(f"continuing:{pattern.name}", kwargs=kwargs)


def test_anonymous_visitors_reach_only_the_check_in_pages(client, world):
    for name, url in all_urls(world):
        for response in (client.get(url), client.post(url)):
            if name in PUBLIC:
                assert response.status_code in (200, 404, 405, 410), url
            elif name in OWN:
                assert response.status_code == 302, url
                assert "login" in response["Location"]
            else:
                assert response.status_code in (403, 405), url


@pytest.mark.parametrize("who", ["outsider", "family_member", "community_member", "keyworker_b", "commissioner"])
def test_people_outside_the_team_reach_no_staff_page(client, persona, world, who):
    sign_in(client, persona(who), with_mfa=who in ("keyworker_b", "commissioner"))
    for name, url in all_urls(world):
        if name in PUBLIC | OWN:
            continue
        response = client.get(url)
        if name == "alerts" and who == "keyworker_b":
            # Their own (empty) inbox: nothing of this person.
            assert response.status_code == 200
            assert "Robin" not in response.content.decode()
            continue
        assert response.status_code in (403, 404, 405), f"{who} reached {url}"
        assert client.post(url).status_code in (403, 404, 405), f"{who} posted to {url}"


def test_the_peer_mentor_reaches_the_alert_but_not_the_record_refer_or_settings(client, persona, world):
    sign_in(client, persona("peer_mentor"))
    allowed = {"alerts", "alert", "alert_acknowledge", "alert_contact", "alert_outcome"}
    for name, url in all_urls(world):
        if name in PUBLIC | OWN:
            continue
        if name in allowed:
            assert client.get(url).status_code in (200, 405), url
        else:
            assert client.get(url).status_code in (403, 404, 405), f"the peer mentor reached {url}"
            assert client.post(url).status_code in (403, 404, 405), f"the peer mentor posted to {url}"
