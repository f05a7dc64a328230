"""Walk every Community Voice URL: forum pages refuse everyone who does not run the forum."""

import pytest
from django.urls import URLPattern, reverse

from rosc.core.testing import sign_in
from rosc.voice import urls
from rosc.voice.tests.helpers import meeting, raised

PUBLIC = {"index", "log", "research_reviewed", "meetings", "meeting"}
SIGNED_IN = {"join", "membership", "leave", "items", "raise"}
RUNNER_ONLY = {pattern.name for pattern in urls.urlpatterns} - PUBLIC - SIGNED_IN
STAFF_WITHOUT_THE_CAPABILITY = ["keyworker_a", "service_manager", "peer_mentor", "community_researcher", "ig_lead"]
PUBLIC_PERSONAS = ["outsider", "family_member", "person_in_recovery", "community_member"]


@pytest.fixture
def objects(commissioner, person_in_recovery):
    from rosc.voice import actions

    held = meeting(commissioner)
    item = raised(person_in_recovery)
    entry = actions.agenda_add(actor=commissioner, meeting=held, item=item)
    paper = actions.paper_add(actor=commissioner, meeting=held, title="Paper", link="https://example.org")
    return {"meeting_id": held.pk, "item_id": item.pk, "entry_id": entry.pk, "paper_id": paper.pk}


def runner_urls(objects):
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in RUNNER_ONLY:
            kwargs = {name: objects[name] for name in pattern.pattern.converters}
            yield reverse(f"voice:{pattern.name}", kwargs=kwargs)


def test_the_walk_covers_every_forum_page():
    assert len(RUNNER_ONLY) == 15


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_refused_every_forum_page(client, objects, method):
    for url in runner_urls(objects):
        assert getattr(client, method)(url).status_code in (403, 405), url


@pytest.mark.parametrize("name", STAFF_WITHOUT_THE_CAPABILITY + PUBLIC_PERSONAS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_people_who_do_not_run_the_forum_are_refused_every_forum_page(client, persona, objects, name, method):
    sign_in(client, persona(name), with_mfa=name not in PUBLIC_PERSONAS)
    for url in runner_urls(objects):
        assert getattr(client, method)(url).status_code in (403, 405), f"{name} reached {url}"


@pytest.mark.parametrize("name", ["commissioner", "administrator"])
def test_forum_runners_open_every_forum_page(client, persona, objects, name):
    sign_in(client, persona(name))
    for url in runner_urls(objects):
        assert client.get(url).status_code in (200, 302, 405), url


def test_forum_pages_ask_for_the_capability_not_just_a_staff_role(client, objects, keyworker_a):
    sign_in(client, keyworker_a)
    assert client.get(reverse("voice:run")).status_code == 403
