"""The recovery plan and notes: pages and actions, allowed, refused and bad input."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from conftest import organisation
from rosc.core.errors import ActionRefused
from rosc.core.testing import sign_in
from rosc.record import actions
from rosc.record.categories import Category
from rosc.record.models import CareTeamMember, Goal, GoalAction, GoalUpdate, Note, TeamRole
from rosc.record.tests.helpers import give_consent, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(org_a, keyworker_a):
    person = make_person(org_a)
    CareTeamMember.objects.filter(person=person).update(worker=keyworker_a)
    give_consent(person, organisations=[org_a])
    return person


def goal_for(person, org, **extra):
    values = {
        "domain": "housing",
        "in_own_words": "A place of my own",
        "owner_organisation": org,
        "review_on": timezone.localdate() + timedelta(days=20),
    }
    values.update(extra)
    return Goal.objects.create(person=person, **values)


def test_a_worker_adds_a_goal_in_the_persons_words(client, keyworker_a, org_a, shared):
    sign_in(client, keyworker_a)
    url = reverse("record:goal_new", kwargs={"person_id": shared.uuid})
    review_on = timezone.localdate() + timedelta(days=90)
    response = client.post(
        url,
        {
            "domain": "money_and_work",
            "in_own_words": "Back to work by spring",
            "owner": f"org-{org_a.pk}",
            "review_on": review_on.isoformat(),
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(person=shared)
    assert (goal.domain, goal.in_own_words, goal.owner_organisation, goal.review_on) == (
        "money_and_work",
        "Back to work by spring",
        org_a,
        review_on,
    )
    plan = client.get(reverse("record:plan", kwargs={"person_id": shared.uuid})).content.decode()
    assert "Back to work by spring" in plan
    assert "Money and work" in plan


def test_a_goal_without_words_owner_or_date_is_refused_clearly(client, keyworker_a, shared):
    sign_in(client, keyworker_a)
    response = client.post(reverse("record:goal_new", kwargs={"person_id": shared.uuid}), {"domain": "housing"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in ("Enter the goal in their own words.", "Choose who owns this goal.", "Enter the review date."):
        assert message in page
    assert not Goal.objects.exists()


def test_the_owner_must_be_in_the_care_team(keyworker_a, shared, org_b):
    with pytest.raises(ActionRefused, match="in the care team"):
        actions.create_goal(
            actor=keyworker_a,
            person=shared,
            domain="legal",
            in_own_words="x",
            owner=actions.GoalOwner(organisation=org_b),
            review_on=timezone.localdate(),
        )


def test_changing_status_leaves_a_progress_entry(keyworker_a, org_a, shared):
    goal = goal_for(shared, org_a)
    actions.update_goal(
        actor=keyworker_a,
        goal=goal,
        domain="housing",
        in_own_words=goal.in_own_words,
        owner=actions.GoalOwner(organisation=org_a),
        review_on=goal.review_on,
        status="achieved",
    )
    update = GoalUpdate.objects.get(goal=goal)
    assert update.status == "achieved"
    assert update.organisation == org_a


def test_a_peer_mentor_adds_progress_but_cannot_change_goals(client, peer_mentor, org_a, shared):
    peers = organisation("peers")
    CareTeamMember.objects.create(person=shared, organisation=peers, worker=peer_mentor, role=TeamRole.PEER_MENTOR)
    give_consent(shared, organisations=[peers], categories=[Category.PLAN])
    goal = goal_for(shared, org_a)
    sign_in(client, peer_mentor)
    response = client.post(
        reverse("record:goal_progress", kwargs={"person_id": shared.uuid, "goal_id": goal.pk}),
        {"text": "We went to the recovery space together.", "status": ""},
    )
    assert response.status_code == 302
    assert GoalUpdate.objects.get(goal=goal).organisation == peers
    assert (
        client.get(reverse("record:goal_edit", kwargs={"person_id": shared.uuid, "goal_id": goal.pk})).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        actions.add_goal_action(actor=peer_mentor, goal=goal, description="x")


def test_steps_are_added_and_marked_done_once(client, keyworker_a, org_a, shared):
    goal = goal_for(shared, org_a)
    sign_in(client, keyworker_a)
    client.post(
        reverse("record:goal_action_new", kwargs={"person_id": shared.uuid, "goal_id": goal.pk}),
        {"description": "Fill in the housing form", "who": "Robin", "due_on": ""},
    )
    step = GoalAction.objects.get(goal=goal)
    done_url = reverse(
        "record:goal_action_done", kwargs={"person_id": shared.uuid, "goal_id": goal.pk, "action_id": step.pk}
    )
    client.post(done_url)
    client.post(done_url)
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    assert GoalUpdate.objects.filter(goal=goal, text__startswith="Done:").count() == 1


def test_an_empty_step_is_refused(client, keyworker_a, org_a, shared):
    goal = goal_for(shared, org_a)
    sign_in(client, keyworker_a)
    response = client.post(
        reverse("record:goal_action_new", kwargs={"person_id": shared.uuid, "goal_id": goal.pk}), {"description": ""}
    )
    assert "Enter what will be done." in response.content.decode()
    assert not GoalAction.objects.exists()


def test_goals_of_another_person_answer_404(client, keyworker_a, org_a, shared):
    other = make_person(org_a)
    give_consent(other, organisations=[org_a])
    goal = goal_for(other, org_a)
    sign_in(client, keyworker_a)
    url = reverse("record:goal_edit", kwargs={"person_id": shared.uuid, "goal_id": goal.pk})
    assert client.get(url).status_code == 404


def test_notes_are_written_and_counselling_notes_stay_with_their_organisation(
    client, keyworker_a, keyworker_b, org_a, org_b, shared
):
    CareTeamMember.objects.create(person=shared, organisation=org_b, role=TeamRole.SERVICE)
    give_consent(shared, organisations=[org_b])
    sign_in(client, keyworker_a)
    url = reverse("record:notes", kwargs={"person_id": shared.uuid})
    client.post(
        url, {"kind": "counselling", "happened_on": timezone.localdate().isoformat(), "text": "Private session"}
    )
    client.post(url, {"kind": "keyworker", "happened_on": timezone.localdate().isoformat(), "text": "Shared note"})
    assert Note.objects.filter(person=shared, organisation=org_a).count() == 2
    client.force_login(keyworker_b)
    sign_in(client, keyworker_b)
    page = client.get(url).content.decode()
    assert "Shared note" in page
    assert "Private session" not in page


def test_a_note_in_the_future_or_empty_is_refused(client, keyworker_a, shared):
    sign_in(client, keyworker_a)
    url = reverse("record:notes", kwargs={"person_id": shared.uuid})
    response = client.post(url, {"kind": "contact", "happened_on": "2999-01-01", "text": ""})
    page = response.content.decode()
    assert "cannot be in the future" in page
    assert "Enter the note." in page
    assert not Note.objects.exists()


def test_notes_need_consent_for_notes(client, keyworker_a, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a], categories=[Category.PLAN])
    sign_in(client, keyworker_a)
    assert client.get(reverse("record:notes", kwargs={"person_id": person.uuid})).status_code == 404
    with pytest.raises(PermissionDenied):
        actions.add_note(actor=keyworker_a, person=person, kind="contact", text="x")


def test_the_timeline_shows_only_what_consent_covers(client, keyworker_a, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a], categories=[Category.PLAN])
    goal_for(person, org_a)
    Note.objects.create(person=person, organisation=org_a, kind="keyworker", text="Secret note text")
    sign_in(client, keyworker_a)
    page = client.get(reverse("record:timeline", kwargs={"person_id": person.uuid})).content.decode()
    assert "Goal added: Housing" in page
    assert "Secret note text" not in page
