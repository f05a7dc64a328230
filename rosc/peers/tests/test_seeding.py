"""The peer mentoring demo: built on the core and record demos, illustrative, and loaded only once."""

from io import StringIO

import pytest
from django.core.management import call_command

from rosc.core.management.commands.seed_demo import demo_email
from rosc.core.models import User
from rosc.peers import seeding, selectors
from rosc.peers.models import MentorProfile, MentorRequest, PeerSession

pytestmark = pytest.mark.django_db


def load_all() -> str:
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    from rosc.record import seeding as record_seeding

    record_seeding.seed_demo(StringIO())
    out = StringIO()
    seeding.seed_demo(out)
    return out.getvalue()


def test_it_loads_mentors_a_waiting_list_and_sessions_once():
    first = load_all()
    assert "11 illustrative mentors" in first
    assert MentorProfile.objects.filter(is_illustrative=True).count() == 11
    assert MentorRequest.objects.filter(status="open").count() == 3
    assert PeerSession.objects.filter(person__full_name="Sam Taylor").count() == 2
    coordinator = User.objects.get(email=demo_email("peer.coordinator"))
    rows = selectors.mentor_rows(coordinator)
    assert sum(1 for row in rows if row.status.expired) == 1
    assert all(entry.shareable for entry in selectors.waiting_list(coordinator))
    proposal = selectors.proposal(coordinator)
    assert sum(1 for pair in proposal if pair.match) == 3
    assert "already loaded" in load_all()
    assert MentorProfile.objects.count() == 11
