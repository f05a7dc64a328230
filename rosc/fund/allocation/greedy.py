"""Greedy by votes: most votes first, skipping projects that no longer fit the budget."""

from __future__ import annotations

from rosc.fund.allocation.explain import money, ordinal
from rosc.fund.allocation.mes import Prepared, prepare
from rosc.fund.allocation.model import Allocation, Election, ProjectResult, Tie

GREEDY_RULE = (
    "Projects are taken in order of votes, most first (a tie goes to the cheaper project, then to the "
    "published lot). Each is funded if it still fits within what is left of the budget; a project "
    "that no longer fits is skipped and the next one is tried."
)


def greedy_order(prep: Prepared) -> list[int]:
    """Most votes first; ties: lower cost, then the published lot (then project id)."""
    return sorted(
        (p for p in range(len(prep.ids)) if prep.votes[p] > 0),
        key=lambda p: (-prep.votes[p], prep.rank[p]),
    )


def greedy_selection(prep: Prepared) -> list[int]:
    left = prep.election.budget
    chosen = []
    for project in greedy_order(prep):
        if prep.costs[project] <= left:
            chosen.append(project)
            left -= prep.costs[project]
    return chosen


def greedy(election: Election) -> Allocation:
    prep = prepare(election)
    return greedy_allocation(prep)


def greedy_allocation(prep: Prepared) -> Allocation:
    election = prep.election
    currency = election.currency
    approval = prep.approval
    vote_word = "votes" if approval else "points"
    order = greedy_order(prep)
    left = election.budget
    results: dict[int, ProjectResult] = {}
    selected: list[int] = []
    ties: list[Tie] = []
    for position, project in enumerate(order):
        cost = prep.costs[project]
        if position + 1 < len(order):
            following = order[position + 1]
            if prep.votes[following] == prep.votes[project]:
                decided = "lower cost" if prep.costs[following] != cost else "lot"
                ties.append(Tie(prep.ids[project], prep.ids[following], decided))
        place = f"It had the {ordinal(position + 1)} most {vote_word} ({prep.votes[project]:,})"
        if cost <= left:
            reason = (
                f"{place}; {money(left, currency)} of the budget was left when its turn came, "
                f"enough for its cost of {money(cost, currency)}."
            )
            left -= cost
            selected.append(project)
            chosen = True
        else:
            reason = (
                f"{place}, but only {money(left, currency)} of the budget was left when its turn came; "
                f"it needed {money(cost, currency)}."
            )
            chosen = False
        results[project] = ProjectResult(
            project_id=prep.ids[project],
            selected=chosen,
            votes=prep.votes[project],
            cost=cost,
            paid_per_supporter=None,
            reason=reason,
            supporters=prep.supporters[project],
            round=len(selected) if chosen else None,
        )
    for project in range(len(prep.ids)):
        if project not in results:
            results[project] = ProjectResult(
                project_id=prep.ids[project],
                selected=False,
                votes=0,
                cost=prep.costs[project],
                paid_per_supporter=None,
                reason="Nobody voted for it.",
            )
    return Allocation(
        rule="greedy",
        selected=tuple(prep.ids[p] for p in selected),
        total_cost=sum(prep.costs[p] for p in selected),
        voter_share=None,
        projects=tuple(results[p] for p in prep.election_order),
        spent_by_ballot=(),
        budget=election.budget,
        voters=prep.voters,
        currency=currency,
        rule_statement=GREEDY_RULE,
        ties=tuple(ties),
        lot_used=prep.lot_used,
    )


__all__ = ["GREEDY_RULE", "greedy", "greedy_allocation", "greedy_order", "greedy_selection"]
