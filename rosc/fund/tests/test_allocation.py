"""The Method of Equal Shares and greedy by votes on small elections worked out by hand."""

from fractions import Fraction

import pytest

from rosc.fund.allocation import (
    COMPLETION_RULE,
    Election,
    Project,
    allocate,
    equal_shares,
    greedy,
)
from rosc.fund.allocation.explain import money

# equalshares.net, "Explanation of the Method of Equal Shares", Example 1: budget 1,100, eleven voters.
PROJECTS = (
    Project("bike", 700, "Bike path"),
    Project("gym", 400, "Outdoor gym"),
    Project("park", 250, "New park"),
    Project("playground", 200, "New playground"),
    Project("library", 100, "Library for kids"),
)
EXAMPLE_1 = (
    {"bike", "gym"},
    {"bike", "gym", "park"},
    {"bike", "gym"},
    {"bike", "gym", "park"},
    {"bike", "gym", "park"},
    {"bike", "gym"},
    {"park", "playground", "library"},
    {"playground"},
    {"playground", "library"},
    {"park", "playground", "library"},
    {"bike"},
)
# Example 2 on the same page: the right-most voter votes for the gym instead of the bike path.
EXAMPLE_2 = (*EXAMPLE_1[:10], {"gym"})


def approval(budget, projects, ballots, **extra):
    return Election(
        budget=budget,
        projects=tuple(projects),
        ballots=tuple(dict.fromkeys(ballot, 1) for ballot in ballots),
        **extra,
    )


def test_it_selects_bike_playground_and_library_in_the_worked_example():
    result = equal_shares(approval(1100, PROJECTS, EXAMPLE_1), completion=False)

    assert result.selected == ("bike", "playground", "library")
    assert result.total_cost == 1000
    assert result.voter_share == 100
    assert result.project("bike").paid_per_supporter == 100
    assert result.project("playground").paid_per_supporter == 50
    assert result.project("library").paid_per_supporter == Fraction(100, 3)


def test_greedy_by_votes_selects_bike_and_gym_in_the_worked_example():
    result = greedy(approval(1100, PROJECTS, EXAMPLE_1))

    assert result.selected == ("bike", "gym")
    assert result.total_cost == 1100
    assert result.project("park").reason == (
        "It had the 3rd most votes (5), but only £0 of the budget was left when its turn came; it needed £250."
    )


def test_it_splits_costs_as_equally_as_possible_in_the_second_worked_example():
    result = equal_shares(approval(1100, PROJECTS, EXAMPLE_2), completion=False)

    assert result.selected == ("gym", "park", "playground")
    gym_payment = Fraction(400, 7)
    assert result.project("gym").paid_per_supporter == gym_payment
    # Three park supporters have only 100 - 400/7 left and pay it all; the other two share the rest.
    assert result.project("park").paid_per_supporter == (250 - 3 * (100 - gym_payment)) / 2
    assert "3 supporters with less money left paid all they had (£128.57 between them)" in (
        result.project("park").reason
    )
    assert result.project("library").selected is False


def test_it_explains_what_each_group_of_voters_paid_and_what_they_had_left():
    result = equal_shares(approval(1100, PROJECTS, EXAMPLE_1), completion=False)
    groups = {group.project_ids: group for group in result.spent_by_ballot}

    assert sum(group.voters for group in result.spent_by_ballot) == 11
    assert groups[("bike", "gym")].voters == 3
    assert groups[("bike", "gym")].paid == (("bike", 100),)
    assert groups[("bike", "gym")].left == 0
    # Ballots list their projects in id order; payments are in the order the projects were chosen.
    assert groups[("library", "park", "playground")].paid == (("playground", 50), ("library", Fraction(100, 3)))
    assert groups[("library", "park", "playground")].left == Fraction(50, 3)
    assert groups[("playground",)].left == 50
    for group in result.spent_by_ballot:
        assert group.share == 100
        assert group.share - group.spent == group.left


def test_it_says_why_each_losing_project_lost():
    result = equal_shares(approval(1100, PROJECTS, EXAMPLE_1), completion=False)

    assert result.project("gym").reason == (
        "Its 6 supporters had £0 left between them after paying towards the projects chosen before; it needed £400."
    )
    assert result.project("park").reason == (
        "Its 5 supporters had £33.33 left between them after paying towards the projects chosen before; it needed £250."
    )
    # Three park supporters spent everything on the bike path; two have 50 - 100/3 each.
    assert result.project("park").supporters_money_left == Fraction(100, 3)
    assert result.project("library").reason == ("Chosen 3rd. Its 3 supporters shared the cost equally: £33.33 each.")


def test_it_compares_the_result_with_greedy_by_votes():
    result = equal_shares(approval(1100, PROJECTS, EXAMPLE_1), completion=False)
    comparison = result.comparison

    assert comparison.greedy_selected == ("bike", "gym")
    assert comparison.only_here == ("playground", "library")
    assert comparison.only_greedy == ("gym",)
    # Voters 7-10 gain the kids' projects; voters 1-6 lose the gym; voter 11 gets the bike either way.
    assert (comparison.prefer_this, comparison.prefer_greedy, comparison.indifferent) == (4, 6, 1)
    assert result.project("gym").greedy_selected is True
    assert result.project("library").greedy_selected is False


def test_the_completion_rule_raises_the_share_while_the_choice_still_fits():
    # The share starts at 100, where only A (cost 300, three supporters at 100 each) is affordable.
    # B needs 201 from its two supporters, so it comes in from a share of 101. C's supporters are the
    # third A supporter (share - 100 left) and two others: from a share of 167 they can pay its 400,
    # and it then goes before B, so A + C = 700 no longer fits.
    projects = (Project("A", 300), Project("B", 201), Project("C", 400))
    ballots = ({"A"}, {"A"}, {"A", "C"}, {"B", "C"}, {"B"}, {"C"})
    election = approval(600, projects, ballots)

    plain = equal_shares(election, completion=False)
    completed = equal_shares(election)

    assert plain.selected == ("A",)
    assert completed.selected == ("A", "B")
    assert completed.total_cost == 501
    assert completed.voter_share == 166
    assert completed.steps[0].share_from == 100
    assert completed.steps[-1].fits is False
    assert completed.steps[-1].share_from == 167
    assert completed.steps[-1].total_cost == 700
    assert completed.rule == "equal-shares-add1"
    assert completed.rule_statement.startswith(COMPLETION_RULE)


def test_the_completion_rule_stops_when_every_project_with_a_vote_is_chosen():
    election = approval(1000, (Project("A", 10), Project("B", 20), Project("C", 5000)), ({"A"}, {"B"}))

    result = equal_shares(election)

    assert result.selected == ("A", "B")
    assert result.voter_share == 500
    assert result.project("C").reason == "Nobody voted for it."


def test_an_exact_tie_goes_to_the_cheaper_project():
    # One voter with 90 supports both: either would take all of its cost from them (equal ratios).
    result = equal_shares(approval(90, (Project("X", 60), Project("Y", 40)), ({"X", "Y"},)), completion=False)

    assert result.selected == ("Y",)
    assert [(tie.chosen, tie.passed_over, tie.decided_by) for tie in result.ties] == [("Y", "X", "lower cost")]


def test_an_exact_tie_at_the_same_cost_goes_to_the_project_with_more_votes():
    # R (four voters at 100 each) goes first. Then P has two supporters with 100 each and Q has three,
    # one of whom spent everything on R: both would cost their paying supporters 50 each.
    projects = (Project("R", 400), Project("P", 100), Project("Q", 100))
    ballots = ({"P"}, {"P"}, {"Q"}, {"Q"}, {"Q", "R"}, {"R"}, {"R"}, {"R"})

    result = equal_shares(approval(800, projects, ballots), completion=False)

    assert result.selected == ("R", "Q", "P")
    assert ("Q", "P", "more votes") in [(tie.chosen, tie.passed_over, tie.decided_by) for tie in result.ties]


def test_a_tie_at_the_same_cost_and_votes_goes_to_the_project_drawn_first_in_the_lot():
    level = (Project("P", 50), Project("Q", 50))
    ballots = ({"P", "Q"},)

    first = equal_shares(approval(50, level, ballots, lot=("Q", "P")), completion=False)
    second = equal_shares(approval(50, level, ballots, lot=("P", "Q")), completion=False)

    assert first.selected == ("Q",)
    assert second.selected == ("P",)
    assert [(tie.chosen, tie.passed_over, tie.decided_by) for tie in first.ties] == [("Q", "P", "lot")]
    assert first.lot_used is True


def test_without_a_lot_level_projects_go_in_project_id_order():
    level = (Project("10", 50), Project("9", 50))

    result = equal_shares(approval(50, level, ({"10", "9"},)), completion=False)

    assert result.selected == ("9",)
    assert result.lot_used is False


def test_greedy_breaks_ties_in_votes_by_lower_cost_then_the_lot():
    projects = (Project("big", 80), Project("small", 30), Project("twin", 30))
    ballots = ({"big", "small", "twin"}, {"big", "small", "twin"})

    result = greedy(approval(100, projects, ballots, lot=("twin", "small", "big")))

    assert result.selected == ("twin", "small")
    assert [tie.decided_by for tie in result.ties] == ["lot", "lower cost"]


def test_cumulative_ballots_pay_in_proportion_to_points():
    # Budget 120, three voters with 40 each. A costs 60: voter 1 gave it 2 points, voter 2 gave 1.
    projects = (Project("A", 60), Project("B", 50))
    ballots = ({"A": 2}, {"A": 1, "B": 1}, {"B": 3})
    election = Election(120, projects, ballots, vote_type="cumulative")

    result = equal_shares(election, completion=False)

    # A: 60 per 3 points = 20 per point, voter 1 pays 40 (all), voter 2 pays 20.
    # B: ratio 50/4 points = 12.5 per point; voter 3 pays 37.5 and voter 2 pays 12.5 (of 20 left).
    assert result.selected == ("B", "A") or result.selected == ("A", "B")
    assert set(result.selected) == {"A", "B"}
    assert result.project("A").votes == 3
    assert result.project("A").supporters == 2
    assert result.project("A").paid_per_supporter is None
    for group in result.spent_by_ballot:
        assert group.left >= 0
        assert group.share - group.spent == group.left
    paid = {project: Fraction(0) for project in ("A", "B")}
    for group in result.spent_by_ballot:
        for project, amount in group.paid:
            paid[project] += amount * group.voters
    assert paid == {"A": 60, "B": 50}


def test_greedy_on_cumulative_ballots_orders_by_points():
    projects = (Project("A", 100), Project("B", 100))
    ballots = ({"A": 1, "B": 4}, {"A": 2})

    result = greedy(Election(100, projects, ballots, vote_type="cumulative"))

    assert result.selected == ("B",)
    assert result.project("B").votes == 4


def test_an_election_with_no_votes_selects_nothing():
    result = equal_shares(Election(1000, (Project("A", 10),), ()))

    assert result.selected == ()
    assert result.total_cost == 0
    assert result.project("A").reason == "Nobody voted for it."


def test_a_project_dearer_than_its_supporters_shares_says_so_with_numbers():
    election = approval(1000, (Project("A", 900), Project("B", 100)), ({"A"}, {"B"}, {"B"}, {"B"}))

    result = equal_shares(election, completion=False)

    assert result.selected == ("B",)
    assert result.project("A").reason == (
        "Its only supporter had a share of £250, even before anything was paid for; it needed £900."
    )


@pytest.mark.parametrize(
    ("election", "message"),
    [
        (Election(10, (Project("A", 1), Project("A", 2)), ()), "Project ids must be unique."),
        (Election(10, (Project("A", 0),), ()), "Every project must cost"),
        (Election(10, (Project("A", 1),), ({"Z": 1},)), "A ballot names project 'Z'"),
        (Election(10, (Project("A", 1),), ({"A": -1},)), "Points on a ballot"),
        (Election(10, (Project("A", 1),), (), vote_type="ordinal"), "Unsupported vote type"),
        (Election(-1, (Project("A", 1),), ()), "The budget cannot be negative."),
        (Election(10, (Project("A", 1),), (), lot=("A", "A")), "The lot must list projects"),
        (Election(10, (Project("A", 1),), (), lot=("B",)), "The lot must list projects"),
    ],
)
def test_it_refuses_an_election_it_cannot_count(election, message):
    with pytest.raises(ValueError, match=message):
        equal_shares(election)


def test_allocate_runs_the_named_rule_and_refuses_others():
    election = approval(1100, PROJECTS, EXAMPLE_1)

    assert allocate(election, "greedy").selected == ("bike", "gym")
    assert allocate(election, "equal-shares").selected == ("bike", "playground", "library")
    assert allocate(election).rule == "equal-shares-add1"
    with pytest.raises(ValueError, match="Unknown rule"):
        allocate(election, "borda")


def test_money_is_written_the_way_people_read_it():
    assert money(1230) == "£1,230"
    assert money(Fraction(400, 7)) == "£57.14"
    assert money(Fraction(1, 200)) == "£0.01"
    assert money(1000, "EUR") == "€1,000"
    assert money(995079, "PLN") == "995,079 PLN"


def test_projects_are_reported_in_the_order_the_election_lists_them():
    projects = (Project("b", 10), Project("10", 10), Project("a", 10), Project("9", 10))
    election = approval(40, projects, ({"b", "10", "a", "9"},))

    for result in (equal_shares(election), equal_shares(election, completion=False), greedy(election)):
        assert [row.project_id for row in result.projects] == ["b", "10", "a", "9"]
        # All level: cost, votes, then ids in natural order stand in for the lot.
        assert result.selected == ("9", "10", "a", "b")
