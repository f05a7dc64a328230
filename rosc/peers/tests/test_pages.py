"""The mentor's home, the coordinator's mentors page (chart and table), and recording checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rosc.core.testing import sign_in
from rosc.peers import actions
from rosc.peers.models import MentorCheck, MentorProfile
from rosc.peers.tests.helpers import coordinator, mentor, waiting_person

pytestmark = pytest.mark.django_db


def test_the_mentor_home_lists_mentees_and_checks(client):
    person, made = waiting_person()
    profile = mentor()
    actions.match_confirm(actor=coordinator(), pairs=[(str(made.uuid), str(profile.uuid))])
    sign_in(client, profile.user)
    body = client.get(reverse("peers:home")).content.decode()
    assert person.display_name in body
    assert "Enhanced DBS check" in body
    assert "Cleared" in body
    assert "Your mentees, sessions, profile and checks" in client.get("/home/").content.decode()


def test_a_mentor_without_a_profile_is_asked_to_write_one(client):
    profile = mentor()
    user = profile.user
    profile.delete()
    sign_in(client, user)
    assert "Write your mentor profile" in client.get(reverse("peers:home")).content.decode()
    assert not MentorProfile.objects.exists()


def test_the_mentors_page_flags_expired_checks_and_charts_the_places(client):
    mentor("ok@example.com", display_name="Okay Mentor", capacity=3)
    mentor("lapsed@example.com", display_name="Lapsed Mentor", capacity=2, expired_dbs=True)
    sign_in(client, coordinator())
    response = client.get(reverse("peers:mentors"))
    body = response.content.decode()
    assert "Expired" in body
    assert "Lapsed Mentor" in body
    assert dict(response.context["places"]) == {
        "Mentees now": 0,
        "Free places, checks in date": 3,
        "Free places held back: checks not in date": 2,
    }
    assert [bar.value for bar in response.context["chart"].bars] == [0, 3, 2]
    assert "<svg" in body


def test_a_service_manager_elsewhere_gets_no_coordinator_links(client, service_manager):
    sign_in(client, service_manager)
    body = client.get("/home/").content.decode()
    assert "Waiting list for a peer mentor" not in body


def test_recording_a_check_with_a_bad_expiry_is_explained_and_saves_nothing(client):
    profile = mentor()
    before = MentorCheck.objects.count()
    sign_in(client, coordinator())
    url = reverse("peers:mentor", kwargs={"profile_id": profile.uuid})
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "form": "check",
            "kind": "dbs",
            "completed_on": today.isoformat(),
            "expires_on": (today - timedelta(days=3)).isoformat(),
        },
    )
    assert "The expiry date must be after the date it was done." in response.content.decode()
    assert MentorCheck.objects.count() == before
    good = client.post(
        url,
        {
            "form": "check",
            "kind": "naloxone",
            "completed_on": today.isoformat(),
            "expires_on": (today + timedelta(days=700)).isoformat(),
        },
    )
    assert good.status_code == 302
    assert MentorCheck.objects.filter(profile=profile, kind="naloxone").exists()


def test_the_coordinator_names_a_supervisor_who_must_work_there(client, keyworker_a):
    profile = mentor()
    boss = coordinator()
    sign_in(client, boss)
    url = reverse("peers:mentor", kwargs={"profile_id": profile.uuid})
    assert client.post(url, {"form": "supervisor", "supervisor": str(boss.pk)}).status_code == 302
    profile.refresh_from_db()
    assert profile.supervisor == boss
    refused = client.post(url, {"form": "supervisor", "supervisor": str(keyworker_a.pk)})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
