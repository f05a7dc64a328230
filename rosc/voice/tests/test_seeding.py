"""The Community Voice demo data."""

from io import StringIO

from django.core.management import call_command

from rosc.voice import seeding, selectors
from rosc.voice.models import Item, ItemStatus, Meeting, Member


def seed():
    out = StringIO()
    seeding.seed_demo(out)
    return out.getvalue()


def test_it_says_what_is_missing_without_the_demo_people(db):
    assert "run seed_demo first" in seed()
    assert not Meeting.objects.exists()


def test_it_loads_a_past_meeting_a_coming_one_and_items_at_every_stage(db):
    call_command("seed_demo", stdout=StringIO())

    output = seed()

    assert "Community Voice demo data ready" in output
    past, coming = Meeting.objects.order_by("starts_at")
    assert past.minutes_published
    assert past.decisions.count() == 5
    assert past.attendance.count() == 4
    assert not coming.has_started
    assert coming.agenda.count() == 3
    assert coming.papers.exists()
    assert all(m.is_illustrative for m in (past, coming))
    assert "Illustrative example" in past.minutes
    statuses = set(Item.objects.values_list("status", flat=True))
    assert {"raised", "under_consideration", "we_will", "we_did", "we_cannot", "reviewed"} <= statuses
    assert Item.objects.filter(is_illustrative=False).count() == 0
    assert Member.objects.filter(left_at__isnull=True).count() == 4
    assert all("@" not in m.display_name for m in Member.objects.all())
    assert list(selectors.research_reviewed().values_list("status", flat=True)) == [ItemStatus.REVIEWED]
    assert selectors.next_meeting() == coming


def test_running_it_again_changes_nothing(db):
    call_command("seed_demo", stdout=StringIO())
    seed()
    counts = (Meeting.objects.count(), Item.objects.count(), Member.objects.count())
    assert "already loaded" in seed()
    assert (Meeting.objects.count(), Item.objects.count(), Member.objects.count()) == counts
