"""Counting stored ballots, publishing the result, and checking it by counting again."""

from fractions import Fraction

import pytest

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent
from rosc.fund import actions, counting
from rosc.fund.allocation import read_pb
from rosc.fund.models import Ballot, Phase, Proposal, Round, RoundChange, RoundResult
from rosc.fund.tests.helpers import close, fund_admin, publish, vote, voter, voting_round

pytestmark = pytest.mark.django_db


def voted_round(**overrides):
    """Twelve voters in three areas; the café is popular everywhere, the rest locally."""
    round, projects = voting_round(**overrides)
    for _ in range(5):
        vote(round, voter(), "CM1", "Recovery café", "Walking group")
    for _ in range(3):
        vote(round, voter(), "SS14", "Family art days", "Allotment")
    for _ in range(2):
        vote(round, voter(), "CO1", "Allotment")
    for _ in range(2):
        vote(round, voter(), "CO2", "Recovery café")
    return close(round), projects


def test_publishing_stores_the_count_and_marks_the_funded_projects():
    round, projects = voted_round()

    result = publish(round)

    round.refresh_from_db()
    assert round.phase == Phase.RESULTS
    assert result.ballots_counted == 12
    selected = result.allocation["selected"]
    assert selected
    assert sum(projects[t].cost for t in projects if projects[t].code in selected) == result.allocation["total_cost"]
    assert result.allocation["total_cost"] <= round.budget
    assert set(Proposal.objects.filter(round=round, is_funded=True).values_list("code", flat=True)) == set(selected)
    assert result.comparison["rule"] == "greedy"
    assert RoundChange.objects.get(round=round, action="fund.result_published").after_voting_opened
    assert AuditEvent.objects.filter(action="fund.result_published", actor=fund_admin()).count() == 1


def test_each_areas_voters_paid_exactly_for_the_funded_projects():
    round, _ = voted_round()
    result = publish(round)

    share = Fraction(result.allocation["voter_share"])
    assert sum(row["voters"] for row in result.by_area) == 12
    assert sum(Fraction(row["share"]) for row in result.by_area) == 12 * share
    paid: dict[str, Fraction] = {}
    for row in result.by_area:
        spent = sum((Fraction(amount) for _, amount in row["paid"]), Fraction(0))
        assert spent + Fraction(row["left"]) == Fraction(row["share"])
        for code, amount in row["paid"]:
            paid[code] = paid.get(code, Fraction(0)) + Fraction(amount)
    costs = {p.code: p.cost for p in round.proposals.all()}
    assert paid == {code: Fraction(costs[code]) for code in result.allocation["selected"]}


def test_a_recount_of_the_stored_ballots_matches_the_published_result():
    round, _ = voted_round()
    result = publish(round)

    comparison = counting.recount_and_compare(RoundResult.objects.get(pk=result.pk))

    assert comparison.matches
    assert comparison.differences == []


def test_a_recount_finds_a_ballot_changed_after_publication():
    round, _ = voted_round()
    result = publish(round)
    cafe = Proposal.objects.get(round=round, title="Recovery café").code
    allotment = Proposal.objects.get(round=round, title="Allotment").code
    tampered = Ballot.objects.filter(round=round, choices={cafe: 1}).first()
    tampered.choices = {allotment: 1}
    tampered.save(update_fields=["choices"])

    comparison = counting.recount_and_compare(RoundResult.objects.get(pk=result.pk))

    assert not comparison.matches
    assert "The fingerprint of the ballots" in comparison.differences


def test_a_recount_finds_an_extra_ballot():
    round, _ = voted_round()
    result = publish(round)
    first = Ballot.objects.filter(round=round).first()
    Ballot.objects.create(round=round, area=first.area, choices=first.choices)

    comparison = counting.recount_and_compare(RoundResult.objects.get(pk=result.pk))

    assert not comparison.matches
    assert "The number of ballots counted" in comparison.differences


def test_the_count_does_not_depend_on_the_order_ballots_are_stored_in():
    round, _ = voted_round()
    first = counting.count(round)
    actions.shake_ballot_box(round)
    assert counting.count(round).stored() == first.stored()


def test_votes_for_a_project_taken_off_the_ballot_do_not_count():
    round, projects = voting_round()
    vote(round, voter(), "CM1", "Walking group")
    vote(round, voter(), "CM1", "Walking group", "Recovery café")
    actions.proposal_review(
        actor=fund_admin(), proposal=projects["Walking group"], eligible=False, reason="The lead has withdrawn it."
    )
    round = close(Round.objects.get(pk=round.pk))

    result = publish(round)

    assert result.ballots_counted == 1
    assert result.set_aside == 1
    codes = {row["project_id"] for row in result.allocation["projects"]}
    assert projects["Walking group"].code not in codes


def test_results_can_be_published_only_once_and_only_after_the_close():
    round, _ = voting_round()
    with pytest.raises(ActionRefused, match="once voting has closed"):
        publish(round)
    round = close(round)
    publish(round)
    with pytest.raises(ActionRefused):
        publish(Round.objects.get(pk=round.pk))
    assert RoundResult.objects.count() == 1


def test_a_greedy_round_is_compared_with_equal_shares():
    round, _ = voted_round(rule="greedy")
    result = publish(round)
    assert result.allocation["rule"] == "greedy"
    assert result.comparison["rule"] == "equal-shares-add1"


def test_points_rounds_are_counted_with_the_points():
    round, _ = voting_round(vote_type="cumulative", points_per_voter=10)
    for _ in range(4):
        vote(round, voter(), "CM1", points={"Recovery café": 7, "Walking group": 3})
    vote(round, voter(), "SS14", points={"Allotment": 10})
    result = publish(close(round))
    votes = {row["project_id"]: row["votes"] for row in result.allocation["projects"]}
    cafe = Proposal.objects.get(round=round, title="Recovery café").code
    assert votes[cafe] == 28
    assert counting.recount_and_compare(result).matches


def test_an_exported_round_imported_again_gives_the_same_result(client):
    from django.urls import reverse

    round, _ = voted_round()
    result = publish(round)

    exported = client.get(reverse("fund:results_pb", args=[round.slug]))
    assert exported.status_code == 200
    assert exported["Content-Disposition"] == f'attachment; filename="{round.slug}.pb"'
    parsed = read_pb(exported.content)
    assert parsed.official_selected is not None
    assert set(parsed.official_selected) == set(result.allocation["selected"])
    assert len(parsed.election.ballots) == 12

    copy = actions.round_import_pb(actor=fund_admin(), content=exported.content, filename=f"{round.slug}.pb")
    assert copy.lot == round.lot
    again = publish(copy)

    assert again.allocation["selected"] == result.allocation["selected"]
    assert again.allocation["projects"] == result.allocation["projects"]
    assert copy.imported_selected == result.allocation["selected"]
