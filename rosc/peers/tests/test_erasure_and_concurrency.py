"""Erasure removes peer data; two coordinators confirming at once never over-fill a mentor."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from rosc.core.errors import ActionRefused
from rosc.peers import actions
from rosc.peers.models import MentorRequest, PeerSession
from rosc.peers.tests.helpers import coordinator, mentor, waiting_person
from rosc.record.models import CareTeamMember, TeamRole
from rosc.record.rights import erase_person_data
from rosc.referrals.tests.helpers import worker


@pytest.mark.django_db
def test_erasing_a_person_deletes_their_requests_and_sessions():
    person, made = waiting_person()
    profile = mentor()
    actions.match_confirm(actor=coordinator(), pairs=[(str(made.uuid), str(profile.uuid))])
    actions.session_log(
        actor=profile.user, person=person, held_on=timezone.localdate(), mode="phone", minutes=20, topics=["money"]
    )
    with transaction.atomic():
        erase_person_data(person, actor=None, reason="test")
    assert not PeerSession.objects.exists()
    assert not MentorRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets only one writer in at a time, so two confirms can never overlap there; "
    "the row lock is exercised on PostgreSQL (set DATABASE_URL).",
)
def test_two_coordinators_confirming_at_once_fill_the_last_place_only_once(monkeypatch):
    _, one = waiting_person("First Person")
    _, two = waiting_person("Second Person")
    profile = mentor(capacity=1)
    first, second = coordinator(), worker("coordinator.two@example.com", "peers", "service_manager")
    real_audit_write = actions.audit_write

    def slow_audit_write(**kwargs):
        time.sleep(0.3)
        return real_audit_write(**kwargs)

    monkeypatch.setattr(actions, "audit_write", slow_audit_write)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def confirm(name, actor, request):
        try:
            barrier.wait(timeout=10)
            actions.match_confirm(actor=actor, pairs=[(str(request.uuid), str(profile.uuid))])
            results[name] = "confirmed"
        except ActionRefused as refused:
            results[name] = refused.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=confirm, args=("a", first, one)),
        threading.Thread(target=confirm, args=("b", second, two)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert list(results.values()).count("confirmed") == 1
    refused = [message for message in results.values() if message != "confirmed"]
    assert len(refused) == 1
    assert "no free places" in refused[0]
    assert CareTeamMember.objects.filter(role=TeamRole.PEER_MENTOR, worker=profile.user).count() == 1
