"""The demo data: illustrative measurements for Sam and two others, loaded once."""

import io

import pytest
from django.core.management import call_command

from rosc.outcomes import seeding
from rosc.outcomes.models import Measurement
from rosc.record import seeding as record_seeding
from rosc.record.models import Person

pytestmark = pytest.mark.django_db


def test_it_gives_sam_a_line_of_barc10_and_ons4_and_runs_only_once():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    record_seeding.seed_demo(out)
    seeding.seed_demo(out)
    sam = Person.objects.get(full_name="Sam Taylor", is_illustrative=True)
    totals = [m.scores["total"] for m in Measurement.objects.filter(person=sam, instrument="barc10")]
    assert totals == [30, 38, 43, 49]
    assert Measurement.objects.filter(person=sam, instrument="ons4").count() == 4
    assert list(Measurement.objects.filter(person=sam, instrument="top").values_list("stage", flat=True)) == [
        "start",
        "review",
    ]
    count = Measurement.objects.count()
    seeding.seed_demo(out)
    assert Measurement.objects.count() == count
    assert "already loaded" in out.getvalue()


def test_it_skips_without_the_record_demo():
    out = io.StringIO()
    seeding.seed_demo(out)
    assert "skipped" in out.getvalue()
    assert not Measurement.objects.exists()
