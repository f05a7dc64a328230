"""The person's timeline hook, and what happens to referrals when a record is erased."""

import pytest

from rosc.record.actions import person_erased
from rosc.record.models import Person
from rosc.referrals import actions
from rosc.referrals.models import Referral, ReferralEvent, State
from rosc.referrals.selectors import timeline_entries_for
from rosc.referrals.signals import ERASED_TEXT
from rosc.referrals.tests.helpers import person_in_team, send, service_in, worker

pytestmark = pytest.mark.django_db


def test_the_sender_receiver_and_person_see_the_referral_events(keyworker_a, keyworker_b, person_in_recovery):
    person = person_in_team("org-a", consent_to=["org-b"], account=person_in_recovery)
    referral = send(keyworker_a, person=person)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    actions.referral_comment(actor=keyworker_b, referral_id=referral.pk, text="Call on Monday.")

    for viewer in (keyworker_a, keyworker_b, person_in_recovery):
        entries = timeline_entries_for(person, viewer)
        assert [e.kind for e in entries] == ["sent", "receive", "comment"], viewer
        assert entries[0].title == "Referral to Housing advice sent"
        assert "Call on Monday." in entries[2].text
    assert timeline_entries_for(person, person_in_recovery)[0].url.startswith("/referrals/mine/")
    assert timeline_entries_for(person, keyworker_a)[0].url == f"/referrals/{referral.pk}/"


def test_a_receiver_sees_only_the_referrals_to_their_organisation(keyworker_a, keyworker_b):
    person = person_in_team("org-a", consent_to=["org-b", "peers"])
    send(keyworker_a, person=person)
    send(keyworker_a, person=person, service=service_in("peers", "Peer group"))
    peers_worker = worker("peers.worker@example.com", "peers")
    titles = [e.title for e in timeline_entries_for(person, peers_worker)]
    assert titles == ["Referral to Peer group sent"]
    assert len(timeline_entries_for(person, keyworker_a)) == 2


def test_strangers_see_nothing(keyworker_a, outsider, peer_mentor):
    person = person_in_team("org-a", consent_to=["org-b"])
    send(keyworker_a, person=person)
    assert timeline_entries_for(person, outsider) == []
    assert timeline_entries_for(person, peer_mentor) == []


def test_erasing_a_record_closes_its_referrals_and_removes_their_words(keyworker_a, keyworker_b, administrator):
    person = person_in_team("org-a", consent_to=["org-b"])
    referral = send(keyworker_a, person=person)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    actions.referral_comment(actor=keyworker_b, referral_id=referral.pk, text="Lives at 4 Privet Drive.")

    person_erased.send(sender=Person, person=person, actor=administrator)

    erased = Referral.objects.get(pk=referral.pk)
    assert erased.state == State.WITHDRAWN
    assert erased.need == ERASED_TEXT
    assert not ReferralEvent.objects.filter(referral=referral, text__contains="Privet").exists()
    assert erased.events.last().text == "Closed because the person's record was erased."


def test_the_export_of_everything_held_lists_each_referral_and_its_history(keyworker_a, keyworker_b):
    import json

    from rosc.referrals.models import Basis
    from rosc.referrals.selectors import export_for

    person = person_in_team("org-a", consent_to=["org-b"])
    referral = send(keyworker_a, person=person)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    send(
        keyworker_a,
        person=person,
        service=service_in("peers", "Peer group"),
        basis=Basis.SAFEGUARDING,
        exception_reason="Confidential safeguarding concern about a partner.",
    )

    exported = export_for(person)

    json.dumps(exported)  # plain data
    assert [item["service"] for item in exported] == ["Housing advice", "Peer group"]
    assert exported[0]["status"] == "Received"
    assert [event["what"] for event in exported[0]["history"]] == ["Sent", "Received"]
    assert exported[1]["shared_with"] == "Safeguarding exception"
    assert "partner" not in json.dumps(exported)
