"""The Essex demo data: one finished round with results and updates, one open for voting."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from rosc.fund import counting, seeding
from rosc.fund.models import Ballot, DeliveryUpdate, Phase, Proposal, Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people(db):
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())


def test_it_seeds_a_finished_round_and_a_voting_round_labelled_illustrative(demo_people):
    out = io.StringIO()
    seeding.seed_demo(out)

    finished = Round.objects.get(slug=seeding.FINISHED_SLUG)
    voting = Round.objects.get(slug=seeding.VOTING_SLUG)
    assert finished.is_illustrative
    assert voting.is_illustrative
    assert finished.phase == Phase.DELIVERY
    assert voting.phase == Phase.VOTING
    assert voting.voting_is_open()
    assert counting.recount_and_compare(finished.result).matches
    assert finished.result.allocation["selected"] != finished.result.comparison["selected"]
    funded = Proposal.objects.filter(round=finished, is_funded=True)
    assert funded.exists()
    assert DeliveryUpdate.objects.filter(proposal__in=funded).count() == 2 * funded.count()
    assert Ballot.objects.filter(round=voting).exists()
    assert EmailAddress.objects.filter(email="person@demo.openrosc.example", verified=True).exists()
    assert "Recovery Fund demo data ready" in out.getvalue()


def test_running_it_again_changes_nothing(demo_people):
    seeding.seed_demo(io.StringIO())
    counts = (Round.objects.count(), Proposal.objects.count(), Ballot.objects.count(), DeliveryUpdate.objects.count())
    out = io.StringIO()
    seeding.seed_demo(out)
    assert (
        Round.objects.count(),
        Proposal.objects.count(),
        Ballot.objects.count(),
        DeliveryUpdate.objects.count(),
    ) == counts
    assert "nothing new" in out.getvalue()


def test_without_the_demo_people_it_adds_nothing(db):
    out = io.StringIO()
    seeding.seed_demo(out)
    assert not Round.objects.exists()
    assert "run seed_demo first" in out.getvalue()
