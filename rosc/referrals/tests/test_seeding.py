"""The demo referrals: loaded after the record's demo, in several states, and only once."""

from io import StringIO

import pytest
from django.core.management import call_command

from rosc.core.management.commands.seed_demo import demo_email
from rosc.core.models import User
from rosc.referrals import seeding, states
from rosc.referrals.models import Basis, Referral
from rosc.referrals.selectors import timeline_entries_for

pytestmark = pytest.mark.django_db


def load_all():
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    call_command("seed_directory", stdout=StringIO())
    from rosc.record import seeding as record_seeding

    record_seeding.seed_demo(StringIO())
    out = StringIO()
    seeding.seed_demo(out)
    return out.getvalue()


def test_it_loads_illustrative_referrals_in_several_states_once():
    first = load_all()
    assert "7 illustrative referrals" in first
    found = {referral.state for referral in Referral.objects.all()}
    assert {"sent", "in_progress", "completed", "waiting_list", "rerouted"} <= found
    assert Referral.objects.filter(basis=Basis.VITAL_INTERESTS, ig_review_needed=True).count() == 1
    assert all(referral.person.is_illustrative for referral in Referral.objects.select_related("person"))
    # Every history follows the state machine: each change is allowed from the state before it.
    for referral in Referral.objects.all():
        changes = list(referral.events.exclude(version=None).order_by("version"))
        assert [e.version for e in changes] == list(range(1, len(changes) + 1))
        assert changes[-1].to_state == referral.state
        for event in changes[1:]:
            assert states.State(event.to_state) in states.reachable_from(event.from_state)

    again = StringIO()
    seeding.seed_demo(again)
    assert "already loaded" in again.getvalue()
    assert Referral.objects.count() == 7


def test_the_demo_person_sees_their_referrals():
    load_all()
    sam = User.objects.get(email=demo_email("person"))
    person = sam.recovery_record
    assert Referral.objects.filter(person=person).count() == 3
    assert timeline_entries_for(person, sam)


def test_it_skips_politely_without_the_other_demo_data():
    out = StringIO()
    seeding.seed_demo(out)
    assert "skipped" in out.getvalue()
    assert not Referral.objects.exists()
