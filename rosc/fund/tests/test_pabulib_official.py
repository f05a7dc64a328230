"""Real city elections counted with the rule they used give their officially published outcome.

The `.pb` files carry the official outcome in their `selected` column. Which rule each city used:
Assen 2024, Świecie 2023 and Wieliczka 2023 (Green Million) used Equal Shares with add-one
completion; Warsaw 2017 (Plac Wojska Polskiego) used greedy by votes.
"""

from pathlib import Path

import pytest

from rosc.fund.allocation import equal_shares, greedy, read_pb
from rosc.fund.tests.test_pabulib import data_dir


def load(name: str):
    return read_pb(Path(data_dir()) / name)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("netherlands_assen_2024.pb", 9),
        ("poland_swiecie_2023.pb", 17),
        ("poland_wieliczka_2023_green-budget.pb", 30),
    ],
)
def test_equal_shares_with_completion_gives_the_official_outcome(name, count):
    file = load(name)

    result = equal_shares(file.election)

    assert set(result.selected) == set(file.official_selected)
    assert len(result.selected) == count
    assert result.total_cost == sum(p.cost for p in file.election.projects if p.id in file.official_selected)


def test_greedy_gives_the_official_outcome_in_warsaw():
    file = load("poland_warszawa_2017_plac-wojska-polskiego.pb")

    result = greedy(file.election)

    assert set(result.selected) == set(file.official_selected) == {"427", "915", "2567", "1623"}


def test_wieliczka_is_reproduced_by_our_completion_rule_not_by_stopping_at_the_first_exhaustive_outcome():
    file = load("poland_wieliczka_2023_green-budget.pb")

    result = equal_shares(file.election)

    # Stopping at the first exhaustive outcome (about 302 per voter) would fund 66 and 67 instead of 46.
    assert "46" in result.selected
    assert "66" not in result.selected
    assert "67" not in result.selected
    assert result.total_cost == 995_079
    assert result.voter_share == 315  # shares 306 to 315 all give this outcome
    assert result.steps[-1].share_from == 316
    assert result.steps[-1].fits is False
    assert result.steps[-1].total_cost > 1_000_000
    # The published comparison step: 1,615 voters prefer this outcome and 873 prefer greedy by votes.
    assert (result.comparison.prefer_this, result.comparison.prefer_greedy) == (1615, 873)


@pytest.mark.parametrize(
    ("name", "selected", "cost"),
    [
        ("netherlands_assen_2024.pb", {"2", "3", "9", "11", "12", "13", "14"}, 60_700),
        ("poland_swiecie_2023.pb", None, 647_787),
    ],
)
def test_equal_shares_without_completion_spends_less(name, selected, cost):
    file = load(name)

    result = equal_shares(file.election, completion=False)

    assert result.total_cost == cost
    if selected is not None:
        assert set(result.selected) == selected
    assert set(result.selected) < set(file.official_selected)


def test_greedy_on_cumulative_ballots_counts_points_in_gdansk():
    file = load("poland_gdansk_2020_rudniki.pb")

    result = greedy(file.election)

    # Project 1 has 498 points and costs the whole budget of 149,000; project 2 (86 points) no longer fits.
    assert result.selected == ("1",)
    assert result.project("2").votes == 86
