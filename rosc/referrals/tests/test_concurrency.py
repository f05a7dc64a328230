"""Two workers accepting one referral at the same moment, on two database connections:
exactly one succeeds and the other is told who got there first."""

import threading
import time

import pytest
from django.db import connection, connections

from conftest import make_persona
from rosc.core.errors import ActionRefused
from rosc.referrals import actions
from rosc.referrals.models import Referral, ReferralEvent, State
from rosc.referrals.tests.helpers import send, worker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets only one writer in at a time, so two writers can never overlap there; "
        "the row lock and compare-and-set are exercised on PostgreSQL (set DATABASE_URL).",
    ),
]


def test_two_accepts_at_once_let_exactly_one_through(monkeypatch):
    keyworker_a, keyworker_b = make_persona("keyworker_a"), make_persona("keyworker_b")
    colleague = worker("colleague.b@example.com", "org-b", display_name="Casey")
    referral = send(keyworker_a)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    seen = Referral.objects.get(pk=referral.pk).version

    # Hold each transaction open a little after its checks, so the two overlap for sure.
    real_audit_write = actions.audit_write

    def slow_audit_write(**kwargs):
        time.sleep(0.3)
        return real_audit_write(**kwargs)

    monkeypatch.setattr(actions, "audit_write", slow_audit_write)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def accept(name, actor):
        try:
            barrier.wait(timeout=10)
            actions.referral_accept(actor=actor, referral_id=referral.pk, seen_version=seen)
            results[name] = "accepted"
        except ActionRefused as refused:
            results[name] = refused.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=("b", keyworker_b)),
        threading.Thread(target=accept, args=("casey", colleague)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["b", "casey"]
    winners = [name for name, result in results.items() if result == "accepted"]
    assert len(winners) == 1, results
    loser = "casey" if winners == ["b"] else "b"
    winner_name = "keyworker_b" if winners == ["b"] else "Casey"
    assert str(results[loser]).startswith(
        f"This referral was already accepted by {winner_name}, Organisation B Housing"
    )
    final = Referral.objects.get(pk=referral.pk)
    assert final.state == State.ACCEPTED
    assert final.version == seen + 1
    assert ReferralEvent.objects.filter(referral=referral, kind="accept").count() == 1
