"""Walk every outcomes URL: nobody outside the care team, the person, or the service's managers and
commissioners reaches anything, on GET or POST."""

import pytest
from django.urls import URLPattern, reverse

from rosc.core.testing import sign_in
from rosc.outcomes import urls
from rosc.outcomes.tests.helpers import BARC_47, add_measurement, person_in_care_of

pytestmark = pytest.mark.django_db

OWN = {"mine", "mine_record"}


@pytest.fixture
def world(org_a):
    person = person_in_care_of(org_a)
    add_measurement(person, "barc10", BARC_47)
    return {"person_id": person.uuid, "organisation_id": org_a.uuid, "code": "barc10"}


def all_urls(world):
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: world[name] for name in pattern.pattern.converters}
        yield pattern.name, reverse(f"outcomes:{pattern.name}", kwargs=kwargs)


def test_anonymous_visitors_reach_nothing(client, world):
    for name, url in all_urls(world):
        for response in (client.get(url), client.post(url)):
            if name in OWN:
                assert response.status_code == 302, url
                assert "login" in response["Location"]
            else:
                assert response.status_code in (403, 405), url


@pytest.mark.parametrize("who", ["outsider", "family_member", "community_member", "keyworker_b", "peer_mentor"])
def test_people_outside_the_team_reach_no_staff_page(client, persona, world, who):
    sign_in(client, persona(who), with_mfa=who in ("keyworker_b", "peer_mentor"))
    for name, url in all_urls(world):
        if name in OWN:
            continue
        assert client.get(url).status_code in (403, 404), f"{who} reached {url}"
        assert client.post(url).status_code in (403, 404, 405), f"{who} posted to {url}"
