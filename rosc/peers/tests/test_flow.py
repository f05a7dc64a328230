"""Asking for a mentor, the waiting list, suggestions, the proposal and confirming matches."""

from __future__ import annotations

import pytest
from django.core import mail  # noqa: F401
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import organisation
from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.peers import actions
from rosc.peers.models import MentorRequest, RequestStatus
from rosc.peers.tests.helpers import coordinator, mentor, waiting_person
from rosc.record.categories import Category
from rosc.record.models import CareTeamMember, Disclosure, TeamRole
from rosc.referrals.tests.helpers import consent_for, person_in_team

pytestmark = pytest.mark.django_db


def test_a_keyworker_puts_a_person_on_the_waiting_list_with_consent(client, keyworker_a):
    person = person_in_team("org-a", area="Chelmsford")
    consent_for(person, [organisation("org-a")], categories=list(Category))
    consent_for(person, [organisation("peers")], categories=[Category.PLAN])
    sign_in(client, keyworker_a)
    url = reverse("peers:request_new", kwargs={"person_id": person.uuid})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "organisation": str(organisation("peers").uuid),
            "ways": ["in_person", "online"],
            "area": "Chelmsford",
            "substances": ["alcohol"],
            "gender_preference": "",
        },
    )
    assert response.status_code == 302
    made = MentorRequest.objects.get(person=person)
    assert made.status == RequestStatus.OPEN
    assert made.substances == ["alcohol"]


def test_asking_without_consent_for_the_peer_organisation_is_refused_and_saves_nothing(client, keyworker_a):
    person = person_in_team("org-a", area="Chelmsford")
    consent_for(person, [organisation("org-a")], categories=list(Category))
    sign_in(client, keyworker_a)
    response = client.post(
        reverse("peers:request_new", kwargs={"person_id": person.uuid}),
        {"organisation": str(organisation("peers").uuid), "ways": ["online"]},
    )
    assert response.status_code == 200
    assert "Record their consent first" in response.content.decode()
    assert not MentorRequest.objects.exists()


def test_bad_input_on_the_request_form_gets_a_clear_message(client, keyworker_a):
    person = person_in_team("org-a")
    consent_for(person, [organisation("org-a")], categories=list(Category))
    sign_in(client, keyworker_a)
    response = client.post(reverse("peers:request_new", kwargs={"person_id": person.uuid}), {})
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Choose the peer-support organisation." in body
    assert not MentorRequest.objects.exists()


def test_a_worker_outside_the_care_team_cannot_ask(client, keyworker_b):
    person = person_in_team("org-a")
    sign_in(client, keyworker_b)
    assert client.get(reverse("peers:request_new", kwargs={"person_id": person.uuid})).status_code == 404


def test_the_coordinator_sees_the_waiting_list_and_it_is_in_the_disclosure_log(client):
    person, _ = waiting_person()
    boss = coordinator()
    sign_in(client, boss)
    response = client.get(reverse("peers:waiting_list"))
    assert "Robin Example" in response.content.decode()
    assert Disclosure.objects.filter(person=person, viewer=boss, category=Category.PLAN).count() == 1
    client.get(reverse("peers:waiting_list"))
    assert Disclosure.objects.filter(person=person, viewer=boss, category=Category.PLAN).count() == 1


def test_a_withdrawn_consent_hides_the_name_on_the_waiting_list(client):
    person, made = waiting_person()
    from django.utils import timezone

    person.consents.filter(recipient_organisations=organisation("peers")).update(withdrawn_at=timezone.now())
    sign_in(client, coordinator())
    body = client.get(reverse("peers:waiting_list")).content.decode()
    assert "Robin Example" not in body
    assert "consent no longer covers" in body
    assert client.get(reverse("peers:request", kwargs={"request_id": made.uuid})).status_code == 404


def test_a_service_manager_of_another_organisation_sees_no_waiting_list(client, service_manager):
    waiting_person()
    sign_in(client, service_manager)
    assert client.get(reverse("peers:waiting_list")).status_code == 403


def test_suggestions_rank_mentors_with_reasons_and_leave_out_an_expired_check(client):
    _, made = waiting_person()
    mentor("good@example.com", display_name="Good Mentor")
    mentor("lapsed@example.com", display_name="Lapsed Mentor", expired_dbs=True)
    sign_in(client, coordinator())
    body = client.get(reverse("peers:request", kwargs={"request_id": made.uuid})).content.decode()
    suggestions, _, cannot = body.partition("Mentors who cannot be offered")
    assert "Good Mentor" in suggestions
    assert "Shared lived experience" in suggestions
    assert "Lapsed Mentor" not in suggestions
    assert "Lapsed Mentor" in cannot


def test_the_coordinator_confirms_the_proposal_and_mentors_join_the_care_teams(client):
    first, _ = waiting_person("First Person")
    second, _ = waiting_person("Second Person")
    profile = mentor("good@example.com", display_name="Good Mentor", capacity=2)
    sign_in(client, coordinator())
    page = client.get(reverse("peers:proposal"))
    assert page.status_code == 200
    pairs = page.context["matched"]
    assert len(pairs) == 2
    response = client.post(reverse("peers:proposal"), {"pair": [f"{p.request.uuid}:{p.profile.uuid}" for p in pairs]})
    assert response.status_code == 302
    for person in (first, second):
        assert (
            CareTeamMember.objects.active()
            .filter(person=person, role=TeamRole.PEER_MENTOR, worker=profile.user)
            .exists()
        )
    assert MentorRequest.objects.filter(status=RequestStatus.MATCHED).count() == 2
    assert AuditEvent.objects.filter(action="peers.match_confirmed").count() == 2


def test_a_stale_proposal_cannot_overfill_a_mentor(client):
    _, one = waiting_person("First Person")
    _, two = waiting_person("Second Person")
    profile = mentor(capacity=1)
    boss = coordinator()
    actions.match_confirm(actor=boss, pairs=[(str(one.uuid), str(profile.uuid))])
    with pytest.raises(ActionRefused, match="no free places"):
        actions.match_confirm(actor=boss, pairs=[(str(two.uuid), str(profile.uuid))])
    assert CareTeamMember.objects.filter(role=TeamRole.PEER_MENTOR, worker=profile.user).count() == 1


def test_two_pairs_for_a_mentor_with_one_place_confirm_nothing():
    _, one = waiting_person("First Person")
    _, two = waiting_person("Second Person")
    profile = mentor(capacity=1)
    with pytest.raises(ActionRefused, match="Nothing was confirmed"):
        actions.match_confirm(
            actor=coordinator(), pairs=[(str(one.uuid), str(profile.uuid)), (str(two.uuid), str(profile.uuid))]
        )
    assert not CareTeamMember.objects.filter(role=TeamRole.PEER_MENTOR).exists()
    assert MentorRequest.objects.filter(status=RequestStatus.OPEN).count() == 2


def test_a_mentor_whose_dbs_has_expired_cannot_be_confirmed():
    _, made = waiting_person()
    profile = mentor(expired_dbs=True)
    with pytest.raises(ActionRefused, match="DBS"):
        actions.match_confirm(actor=coordinator(), pairs=[(str(made.uuid), str(profile.uuid))])
    assert not CareTeamMember.objects.filter(role=TeamRole.PEER_MENTOR).exists()


def test_only_a_coordinator_of_the_peer_organisation_can_confirm(service_manager):
    _, made = waiting_person()
    profile = mentor()
    with pytest.raises(PermissionDenied):
        actions.match_confirm(actor=service_manager, pairs=[(str(made.uuid), str(profile.uuid))])


def test_confirming_nothing_shows_an_error(client):
    waiting_person()
    mentor()
    sign_in(client, coordinator())
    response = client.post(reverse("peers:proposal"), {})
    assert response.status_code == 400
    assert "Choose at least one match to confirm." in response.content.decode()
