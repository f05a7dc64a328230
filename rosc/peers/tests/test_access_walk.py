"""Walk every peer mentoring URL: who is refused, and that refusals change nothing."""

import pytest
from django.urls import URLPattern, reverse

from conftest import organisation
from rosc.core.testing import sign_in
from rosc.peers import urls
from rosc.peers.models import MentorRequest, PeerSession
from rosc.peers.tests.helpers import mentor, waiting_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    person, made = waiting_person()
    profile = mentor()
    return {
        "person_id": person.uuid,
        "request_id": made.uuid,
        "profile_id": profile.uuid,
        "organisation_id": organisation("peers").uuid,
    }


def all_urls(world):
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: world[name] for name in pattern.pattern.converters}
        yield pattern.name, reverse(f"peers:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_refused_or_sent_to_sign_in(client, world, method):
    for name, url in all_urls(world):
        response = getattr(client, method)(url)
        if name == "my_sessions":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        else:
            assert response.status_code in (403, 405), f"{url} answered {response.status_code}"
    assert MentorRequest.objects.filter(status="open").count() == 1
    assert not PeerSession.objects.exists()


@pytest.mark.parametrize("persona_name", ["outsider", "family_member", "person_in_recovery", "community_member"])
def test_public_accounts_reach_only_their_own_sessions(client, persona, world, persona_name):
    sign_in(client, persona(persona_name), with_mfa=False)
    for name, url in all_urls(world):
        expected = 200 if name == "my_sessions" else 403
        assert client.get(url).status_code == expected, url


def test_a_peer_mentor_who_is_not_the_mentor_gets_not_found_for_the_person(client, world):
    sign_in(client, mentor("someone.else@example.com").user)
    for name in ("sessions", "session_new"):
        assert client.get(reverse(f"peers:{name}", kwargs={"person_id": world["person_id"]})).status_code == 404
