"""Peer sessions (kept apart, shared within consent), supervision, and check reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import make_persona, organisation
from rosc.core.models import Notification
from rosc.core.testing import sign_in
from rosc.peers import actions
from rosc.peers.models import MentorCheck, PeerSession, SupervisionSession
from rosc.peers.tests.helpers import coordinator, mentor, waiting_person
from rosc.record.models import CareTeamMember, TeamRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched():
    person, made = waiting_person()
    profile = mentor()
    actions.match_confirm(actor=coordinator(), pairs=[(str(made.uuid), str(profile.uuid))])
    return person, profile


def session_data(**extra):
    data = {
        "held_on": timezone.localdate().isoformat(),
        "mode": "phone",
        "minutes": "45",
        "topics": ["cravings"],
        "next_steps": "Try the Tuesday group.",
    }
    data.update(extra)
    return data


def test_the_mentor_logs_a_session_and_the_keyworker_sees_it_within_consent(client, matched, keyworker_a):
    person, profile = matched
    sign_in(client, profile.user)
    response = client.post(reverse("peers:session_new", kwargs={"person_id": person.uuid}), session_data())
    assert response.status_code == 302
    assert PeerSession.objects.get(person=person).next_steps == "Try the Tuesday group."
    sign_in(client, keyworker_a)
    body = client.get(reverse("peers:sessions", kwargs={"person_id": person.uuid})).content.decode()
    assert "Try the Tuesday group." in body
    assert "Log a session" not in body


def test_a_keyworker_without_consent_for_the_plan_gets_not_found(client, matched, keyworker_b):
    person, _ = matched
    CareTeamMember.objects.create(
        person=person, organisation=organisation("org-b"), role=TeamRole.SERVICE, started=timezone.localdate()
    )
    sign_in(client, keyworker_b)
    assert client.get(reverse("peers:sessions", kwargs={"person_id": person.uuid})).status_code == 404


def test_a_mentor_cannot_log_for_someone_they_do_not_mentor(client, matched):
    person, _ = matched
    other = mentor("other@example.com")
    sign_in(client, other.user)
    assert (
        client.post(reverse("peers:session_new", kwargs={"person_id": person.uuid}), session_data()).status_code == 404
    )
    assert not PeerSession.objects.exists()


def test_bad_session_input_is_explained_and_nothing_saved(client, matched):
    person, profile = matched
    sign_in(client, profile.user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("peers:session_new", kwargs={"person_id": person.uuid}),
        session_data(held_on=tomorrow, topics=[], minutes="abc"),
    )
    body = response.content.decode()
    assert "Enter a whole number of minutes" in body
    assert "Choose at least one topic" in body
    assert not PeerSession.objects.exists()


def test_the_person_sees_their_own_sessions(client, matched, person_in_recovery):
    person, profile = matched
    person.account = person_in_recovery
    person.save(update_fields=["account"])
    actions.session_log(
        actor=profile.user,
        person=person,
        held_on=timezone.localdate(),
        mode="video",
        minutes=30,
        topics=["work"],
        next_steps="Look at the volunteering list.",
    )
    sign_in(client, person_in_recovery, with_mfa=False)
    body = client.get(reverse("peers:my_sessions")).content.decode()
    assert "Look at the volunteering list." in body


def test_the_supervisor_logs_supervision_and_others_cannot(client):
    profile = mentor()
    boss = coordinator()
    actions.profile_set_supervisor(actor=boss, profile=profile, supervisor=boss)
    sign_in(client, boss)
    url = reverse("peers:supervision_new", kwargs={"profile_id": profile.uuid})
    response = client.post(url, {"held_on": timezone.localdate().isoformat(), "minutes": "60"})
    assert response.status_code == 302
    assert SupervisionSession.objects.filter(profile=profile, supervisor=boss).count() == 1
    sign_in(client, make_persona("keyworker_a"))
    assert client.get(url).status_code == 403


def test_the_mentor_writes_their_profile_and_bad_input_is_refused(client):
    profile = mentor()
    sign_in(client, profile.user)
    url = reverse("peers:profile", kwargs={"organisation_id": organisation("peers").uuid})
    bad = client.post(url, {"languages": "", "gender": "man", "capacity": "99", "ways": ["in_person"]})
    assert "There is a problem" in bad.content.decode()
    good = client.post(
        url,
        {
            "languages": "English, Polish",
            "gender": "man",
            "capacity": "3",
            "ways": ["online"],
            "availability": ["mon_am"],
        },
    )
    assert good.status_code == 302
    profile.refresh_from_db()
    assert profile.capacity == 3
    assert profile.languages == "English, Polish"
    assert not profile.in_person


def test_check_reminders_go_to_mentor_and_supervisor_once(capsys):
    profile = mentor()
    boss = coordinator()
    actions.profile_set_supervisor(actor=boss, profile=profile, supervisor=boss)
    dbs = MentorCheck.objects.get(profile=profile, kind="dbs")
    dbs.expires_on = timezone.localdate() + timedelta(days=10)
    dbs.save()
    call_command("remind_mentor_checks")
    sent = Notification.objects.filter(reason="peers.check_expiring")
    assert sorted(n.to for n in sent) == sorted([profile.user.email, boss.email])
    assert all("alcohol" not in n.body for n in sent)
    call_command("remind_mentor_checks")
    assert Notification.objects.filter(reason="peers.check_expiring").count() == 2
    assert "1 check(s)" in capsys.readouterr().out


@pytest.mark.parametrize("persona_name", ["outsider", "family_member", "community_member", "commissioner"])
def test_people_without_a_peer_capability_reach_no_staff_page(client, persona, persona_name):
    _, made = waiting_person()
    profile = mentor()
    sign_in(client, persona(persona_name), with_mfa=persona_name == "commissioner")
    for url in [
        reverse("peers:home"),
        reverse("peers:mentors"),
        reverse("peers:waiting_list"),
        reverse("peers:proposal"),
        reverse("peers:request", kwargs={"request_id": made.uuid}),
        reverse("peers:mentor", kwargs={"profile_id": profile.uuid}),
        reverse("peers:supervision"),
    ]:
        assert client.get(url).status_code == 403, url
