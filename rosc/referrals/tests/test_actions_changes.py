"""Changing a referral's status: the loop, refusals, stale pages, re-routing, crashes."""

import pytest
from django.http import Http404

from conftest import organisation
from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent, Notification
from rosc.referrals import actions
from rosc.referrals.models import Basis, EventKind, Referral, ReferralEvent, State
from rosc.referrals.tests.helpers import consent_for, person_in_team, send, service_in, worker

pytestmark = pytest.mark.django_db


def received(referral, actor):
    return actions.referral_receive(actor=actor, referral_id=referral.pk)


def test_the_whole_loop_from_sent_to_completed(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    v = Referral.objects.get(pk=referral.pk).version
    actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=v, note="We can help.")
    actions.referral_wait_list(actor=keyworker_b, referral_id=referral.pk, seen_version=v + 1)
    actions.referral_start(actor=keyworker_b, referral_id=referral.pk, seen_version=v + 2)
    done = actions.referral_complete(
        actor=keyworker_b, referral_id=referral.pk, seen_version=v + 3, outcome="got_help", note="Housed."
    )

    done.refresh_from_db()
    assert done.state == State.COMPLETED
    assert done.outcome == "got_help"
    assert done.receiver == keyworker_b
    assert done.received_at is not None
    assert done.responded_at is not None
    assert done.closed_at is not None
    kinds = list(done.events.values_list("kind", flat=True))
    assert kinds == ["sent", "receive", "accept", "wait_list", "start", "complete"]
    assert list(done.events.values_list("version", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert done.events.get(kind="complete").text == "Outcome: Got help. Housed."
    actions_logged = set(AuditEvent.objects.filter(object_id=str(done.pk)).values_list("action", flat=True))
    assert {"referral.accept", "referral.wait_list", "referral.start", "referral.complete"} <= actions_logged


def test_receiving_twice_changes_nothing(keyworker_b, keyworker_a):
    referral = send(keyworker_a)
    assert received(referral, keyworker_b) is not None
    assert received(referral, keyworker_b) is None
    assert ReferralEvent.objects.filter(referral=referral, kind=EventKind.RECEIVED).count() == 1


def test_the_sender_opening_it_does_not_receive_it(keyworker_a):
    referral = send(keyworker_a)
    assert received(referral, keyworker_a) is None
    assert Referral.objects.get(pk=referral.pk).state == State.SENT


def test_a_second_accept_from_a_stale_page_is_told_who_accepted_first(keyworker_a, keyworker_b):
    colleague = worker("colleague.b@example.com", "org-b", display_name="Casey")
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    seen = Referral.objects.get(pk=referral.pk).version
    actions.referral_accept(actor=colleague, referral_id=referral.pk, seen_version=seen)

    with pytest.raises(ActionRefused) as refused:
        actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=seen)

    assert refused.value.message.startswith("This referral was already accepted by Casey, Organisation B Housing at ")
    assert Referral.objects.get(pk=referral.pk).receiver == colleague
    assert ReferralEvent.objects.filter(referral=referral, kind="accept").count() == 1


def test_a_stale_decline_after_an_accept_says_what_happened(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    seen = Referral.objects.get(pk=referral.pk).version
    actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=seen)
    with pytest.raises(ActionRefused, match="has changed since you opened it: it was accepted by"):
        actions.referral_decline(
            actor=keyworker_b, referral_id=referral.pk, seen_version=seen, reason="no_capacity", explanation="Full."
        )


def test_an_illegal_change_is_refused_with_the_state_machines_message(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    with pytest.raises(ActionRefused, match="must be accepted before it can be completed"):
        actions.referral_complete(actor=keyworker_b, referral_id=referral.pk, seen_version=None, outcome="got_help")
    with pytest.raises(ActionRefused, match="Only the receiving service can accept a referral"):
        actions.referral_accept(actor=keyworker_a, referral_id=referral.pk, seen_version=None)
    with pytest.raises(ActionRefused, match="Only the service that sent it can withdraw"):
        actions.referral_withdraw(actor=keyworker_b, referral_id=referral.pk, seen_version=None, reason="No.")
    assert Referral.objects.get(pk=referral.pk).state == State.RECEIVED


@pytest.mark.parametrize("persona_name", ["service_manager", "peer_mentor", "commissioner", "outsider"])
def test_people_outside_both_organisations_get_not_found(persona, keyworker_a, persona_name):
    referral = send(keyworker_a)
    actor = persona(persona_name)
    if persona_name == "service_manager":
        # A manager at the *sending* organisation is a party: use an unrelated organisation instead.
        actor = worker("elsewhere@example.com", "community", role="service_manager")
    with pytest.raises(Http404):
        actions.referral_accept(actor=actor, referral_id=referral.pk, seen_version=None)


def test_a_decline_needs_a_listed_reason_and_an_explanation(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    with pytest.raises(ActionRefused, match="Select why"):
        actions.referral_decline(
            actor=keyworker_b, referral_id=referral.pk, seen_version=None, reason="", explanation="x"
        )
    with pytest.raises(ActionRefused, match="Enter an explanation"):
        actions.referral_decline(
            actor=keyworker_b, referral_id=referral.pk, seen_version=None, reason="no_capacity", explanation=" "
        )
    declined = actions.referral_decline(
        actor=keyworker_b, referral_id=referral.pk, seen_version=None, reason="no_capacity", explanation="Full now."
    )
    assert declined.state == State.DECLINED
    assert declined.decline_reason == "no_capacity"
    assert declined.events.get(kind="decline").text == "No capacity. Full now."


def test_completing_needs_an_outcome_and_other_needs_words(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=None)
    with pytest.raises(ActionRefused, match="Select the outcome"):
        actions.referral_complete(actor=keyworker_b, referral_id=referral.pk, seen_version=None, outcome="cured")
    with pytest.raises(ActionRefused, match="Enter what happened"):
        actions.referral_complete(actor=keyworker_b, referral_id=referral.pk, seen_version=None, outcome="other")


def test_the_sender_withdraws_with_a_reason_and_the_receiver_is_told(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=None)
    Notification.objects.all().delete()
    withdrawn = actions.referral_withdraw(
        actor=keyworker_a, referral_id=referral.pk, seen_version=None, reason="They moved away."
    )
    assert withdrawn.state == State.WITHDRAWN
    assert list(Notification.objects.values_list("to", flat=True)) == [keyworker_b.email]


def test_each_change_tells_the_other_side_and_the_person_but_not_the_actor(keyworker_a, keyworker_b):
    person = person_in_team("org-a", consent_to=["org-b"], email="robin@example.com")
    referral = send(keyworker_a, person=person, tell_person_by_email=True)
    Notification.objects.all().delete()
    received(referral, keyworker_b)
    assert list(Notification.objects.values_list("to", flat=True)) == [keyworker_a.email]
    Notification.objects.all().delete()
    actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=None)
    assert sorted(Notification.objects.values_list("to", flat=True)) == sorted([keyworker_a.email, "robin@example.com"])


def test_a_declined_referral_is_rerouted_to_another_service_keeping_the_sender(keyworker_a, keyworker_b):
    person = person_in_team("org-a", consent_to=["org-b", "peers"])
    referral = send(keyworker_a, person=person)
    received(referral, keyworker_b)
    actions.referral_decline(
        actor=keyworker_b, referral_id=referral.pk, seen_version=None, reason="better_elsewhere", explanation="Peers."
    )
    other = service_in("peers", "Peer support group")

    new = actions.referral_reroute(
        actor=keyworker_b, referral_id=referral.pk, seen_version=None, service=other, note="They run a group."
    )

    old = Referral.objects.get(pk=referral.pk)
    assert old.state == State.REROUTED
    assert new.state == State.SENT
    assert new.rerouted_from == old
    assert new.sender == keyworker_a
    assert new.sender_organisation == organisation("org-a")
    assert new.need == old.need
    assert new.receiving_organisation == organisation("peers")
    first = new.events.get()
    assert first.actor == keyworker_b
    assert "Passed on from" in first.text
    assert AuditEvent.objects.get(action="referral.sent", object_id=str(new.pk)).actor == keyworker_b


def test_rerouting_to_an_organisation_without_consent_needs_an_exception(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    other = service_in("peers", "Peer support group")
    with pytest.raises(ActionRefused, match="has not agreed"):
        actions.referral_reroute(
            actor=keyworker_b, referral_id=referral.pk, seen_version=None, service=other, note="Try peers."
        )
    # Nothing half-done: the old referral is still received and no new one exists.
    assert Referral.objects.get(pk=referral.pk).state == State.RECEIVED
    assert Referral.objects.count() == 1
    new = actions.referral_reroute(
        actor=keyworker_b,
        referral_id=referral.pk,
        seen_version=None,
        service=other,
        note="Try peers.",
        basis=Basis.SAFEGUARDING,
        exception_reason="They are at risk tonight and cannot be reached.",
    )
    assert new.ig_review_needed


def test_rerouting_to_the_same_service_is_refused(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    with pytest.raises(ActionRefused, match="different service"):
        actions.referral_reroute(
            actor=keyworker_b, referral_id=referral.pk, seen_version=None, service=referral.service, note="Again."
        )


def test_a_crash_part_way_leaves_nothing_half_written(keyworker_a, keyworker_b, monkeypatch):
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    before = (Referral.objects.get(pk=referral.pk).version, ReferralEvent.objects.count(), Notification.objects.count())

    def boom(*args, **kwargs):
        raise RuntimeError("the notification store fell over")

    monkeypatch.setattr("rosc.referrals.notify.referral_changed", boom)
    with pytest.raises(RuntimeError):
        actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=None)

    after = Referral.objects.get(pk=referral.pk)
    assert after.state == State.RECEIVED
    assert (after.version, ReferralEvent.objects.count(), Notification.objects.count()) == before
    assert not AuditEvent.objects.filter(action="referral.accept").exists()


def test_notifications_are_handed_to_the_worker_only_after_commit(
    keyworker_a, keyworker_b, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    referral = send(keyworker_a)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
        assert default_task_backend.results == []
    assert callbacks
    queued = Notification.objects.get(reason="referral_receive")
    assert [result.args for result in default_task_backend.results] == [[queued.pk]]


def test_nothing_is_lost_when_the_email_provider_is_down(keyworker_a, keyworker_b, monkeypatch):
    from rosc.core import notifications
    from rosc.core.models import NotificationStatus
    from rosc.core.tasks import deliver_notification

    referral = send(keyworker_a)
    monkeypatch.setattr(notifications, "_send", lambda n: (_ for _ in ()).throw(ConnectionRefusedError()))
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    message = Notification.objects.get(reason="referral_receive")
    assert deliver_notification.call(message.pk) == NotificationStatus.RETRYING
    # The change itself stands, and the message waits for the next attempt.
    assert Referral.objects.get(pk=referral.pk).state == State.RECEIVED
    monkeypatch.setattr(notifications, "_send", lambda n: None)
    assert deliver_notification.call(message.pk) == NotificationStatus.SENT


def test_a_comment_is_seen_by_both_sides_and_tells_the_other(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    received(referral, keyworker_b)
    Notification.objects.all().delete()
    event = actions.referral_comment(actor=keyworker_b, referral_id=referral.pk, text="Can they do Tuesdays?")
    assert event.kind == EventKind.COMMENT
    assert event.organisation == organisation("org-b")
    assert list(Notification.objects.values_list("to", flat=True)) == [keyworker_a.email]
    with pytest.raises(ActionRefused, match="Enter your comment"):
        actions.referral_comment(actor=keyworker_a, referral_id=referral.pk, text="  ")


def test_a_care_team_reader_cannot_comment_or_act(keyworker_a):
    reader = worker("reader@example.com", "peers")
    person = person_in_team("org-a", "peers", consent_to=["org-b"])
    referral = send(keyworker_a, person=person)
    with pytest.raises(Http404):
        actions.referral_comment(actor=reader, referral_id=referral.pk, text="Hello")


def test_the_person_can_change_how_they_hear(keyworker_a):
    person = person_in_team("org-a", consent_to=["org-b"], email="robin@example.com")
    referral = send(keyworker_a, person=person)
    actions.referral_set_person_updates(actor=None, referral=referral, by_email=True, by_sms=False)
    assert Referral.objects.get(pk=referral.pk).tell_person_by_email
    with pytest.raises(ActionRefused, match="no phone number"):
        actions.referral_set_person_updates(actor=None, referral=referral, by_email=False, by_sms=True)


def test_the_ig_lead_records_a_review_once(keyworker_a, ig_lead):
    person = person_in_team("org-a")
    referral = send(
        keyworker_a, person=person, basis=Basis.VITAL_INTERESTS, exception_reason="Overdose risk, unconscious."
    )
    actions.referral_exception_review(actor=ig_lead, referral_id=referral.pk, note="Justified.")
    with pytest.raises(ActionRefused, match="already reviewed"):
        actions.referral_exception_review(actor=ig_lead, referral_id=referral.pk, note="Again.")
    assert consent_for  # the helper stays importable for other modules


def test_accepting_with_consent_adds_the_receiving_organisation_to_the_care_team(keyworker_a, keyworker_b):
    from rosc.record.access import can_access
    from rosc.record.models import CareTeamMember

    referral = send(keyworker_a)
    assert not can_access(keyworker_b, referral.person, "referrals")
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=None)
    member = CareTeamMember.objects.get(person=referral.person, organisation=organisation("org-b"))
    assert member.worker == keyworker_b
    assert member.role == "service"
    assert can_access(keyworker_b, referral.person, "referrals")


def test_accepting_a_referral_sent_under_an_exception_does_not_join_the_team(keyworker_a, keyworker_b):
    from rosc.record.models import CareTeamMember

    person = person_in_team("org-a")
    referral = send(
        keyworker_a, person=person, basis=Basis.SAFEGUARDING, exception_reason="Risk of harm, could not ask first."
    )
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    accepted = actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=None)
    assert accepted.state == State.ACCEPTED
    assert not CareTeamMember.objects.filter(person=person, organisation=organisation("org-b")).exists()
