"""Invariants of the allocation rules on many generated elections (hypothesis).

The engine groups voters into budget classes and proves ranges of shares at once; here it is
checked against a deliberately plain reference (one budget per voter, the completion rule tried one
share at a time), written from the method's description.
"""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rosc.fund.allocation import Election, Project, equal_shares, greedy
from rosc.fund.allocation.mes import natural_key

SETTINGS = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(draw, vote_type=None):
    vote_type = vote_type or draw(st.sampled_from(["approval", "cumulative"]))
    m = draw(st.integers(1, 6))
    ids = [f"p{n}" for n in range(m)]
    # Few distinct costs, so that exact ties happen often.
    costs = draw(st.lists(st.sampled_from([10, 20, 30, 45, 60, 90, 120]), min_size=m, max_size=m))
    voters = draw(st.integers(0, 12))
    ballots = []
    for _ in range(voters):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=m))
        if vote_type == "approval":
            ballots.append(dict.fromkeys(chosen, 1))
        else:
            ballots.append({project_id: draw(st.integers(1, 3)) for project_id in chosen})
    budget = draw(st.integers(0, 300))
    lot = tuple(draw(st.permutations(ids))) if draw(st.booleans()) else ()
    projects = tuple(Project(project_id, cost) for project_id, cost in zip(ids, costs, strict=True))
    return Election(budget, projects, tuple(ballots), vote_type=vote_type, lot=lot)


def tie_order(election):
    votes = {p.id: 0 for p in election.projects}
    for ballot in election.ballots:
        for project_id, points in ballot.items():
            votes[project_id] += 1 if election.vote_type == "approval" else points
    lot = {project_id: n for n, project_id in enumerate(election.lot)}
    natural = sorted((p.id for p in election.projects), key=natural_key)
    return {
        p.id: (p.cost, -votes[p.id], lot.get(p.id, len(lot) + natural.index(p.id))) for p in election.projects
    }, votes


def reference_equal_shares(election, share):
    """The Method of Equal Shares voter by voter, in fractions, straight from its description."""
    order, _ = tie_order(election)
    cost = {p.id: p.cost for p in election.projects}
    budgets = [Fraction(share)] * len(election.ballots)
    candidates = {project_id for ballot in election.ballots for project_id, points in ballot.items() if points}
    selected = []
    while True:
        best = None
        for project_id in candidates:
            # utility per voter: the cost (approval, cost utilities) or the points (cumulative)
            supporters = [
                (budgets[i], cost[project_id] if election.vote_type == "approval" else ballot[project_id])
                for i, ballot in enumerate(election.ballots)
                if ballot.get(project_id)
            ]
            if sum(b for b, _ in supporters) < cost[project_id]:
                continue
            # smallest rho with sum(min(b, rho * u)) == cost, trying each voter's b/u as the breakpoint
            supporters.sort(key=lambda entry: entry[0] / entry[1])
            paid_in_full = Fraction(0)
            utility_left = sum(u for _, u in supporters)
            rho = None
            for b, u in supporters:
                candidate = (cost[project_id] - paid_in_full) / utility_left
                if candidate * u <= b:
                    rho = candidate
                    break
                paid_in_full += b
                utility_left -= u
            key = (rho, order[project_id])
            if best is None or key < best[0]:
                best = (key, project_id)
        if best is None:
            return selected
        (rho, _), chosen = best
        for i, ballot in enumerate(election.ballots):
            if ballot.get(chosen):
                u = cost[chosen] if election.vote_type == "approval" else ballot[chosen]
                budgets[i] -= min(budgets[i], rho * u)
        selected.append(chosen)
        candidates.discard(chosen)


def reference_completion(election):
    """The completion rule tried one whole share at a time."""
    n = len(election.ballots)
    cost = {p.id: p.cost for p in election.projects}
    supported = {project_id for ballot in election.ballots for project_id, points in ballot.items() if points}
    share = election.budget // n
    result = (share, reference_equal_shares(election, share))
    while set(result[1]) != supported:
        share += 1
        attempt = reference_equal_shares(election, share)
        if sum(cost[p] for p in attempt) > election.budget:
            break
        result = (share, attempt)
    return result


RULES = (
    lambda election: equal_shares(election),
    lambda election: equal_shares(election, completion=False),
    greedy,
)


@SETTINGS
@given(elections())
def test_the_selection_never_costs_more_than_the_budget(election):
    for rule in RULES:
        result = rule(election)
        assert result.total_cost <= election.budget
        assert result.total_cost == sum(p.cost for p in election.projects if p.id in result.selected)


@SETTINGS
@given(elections())
def test_no_voter_pays_more_than_their_share_and_every_chosen_project_is_paid_in_full(election):
    for completion in (True, False):
        result = equal_shares(election, completion=completion)
        paid = dict.fromkeys(result.selected, Fraction(0))
        for group in result.spent_by_ballot:
            assert group.share == result.voter_share
            assert group.left >= 0
            assert group.spent <= group.share
            assert group.share - group.spent == group.left
            for project_id, amount in group.paid:
                assert project_id in group.project_ids
                assert amount > 0
                paid[project_id] += amount * group.voters
        assert paid == {
            project_id: next(p.cost for p in election.projects if p.id == project_id) for project_id in paid
        }
        assert sum(group.voters for group in result.spent_by_ballot) == len(election.ballots)


@SETTINGS
@given(elections())
def test_results_are_identical_across_runs(election):
    assert equal_shares(election) == equal_shares(election)
    assert equal_shares(election, completion=False) == equal_shares(election, completion=False)
    assert greedy(election) == greedy(election)


@SETTINGS
@given(elections(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_projects_or_ballots(election, random):
    projects = list(election.projects)
    ballots = list(election.ballots)
    random.shuffle(projects)
    random.shuffle(ballots)
    shuffled = Election(
        election.budget, tuple(projects), tuple(ballots), vote_type=election.vote_type, lot=election.lot
    )
    for rule in RULES:
        first, second = rule(election), rule(shuffled)
        assert first.selected == second.selected
        assert first.voter_share == second.voter_share
        assert sorted(first.spent_by_ballot, key=repr) == sorted(second.spent_by_ballot, key=repr)


@SETTINGS
@given(elections())
def test_it_agrees_with_a_plain_voter_by_voter_count(election):
    if not election.ballots:
        return
    share = Fraction(election.budget, len(election.ballots))
    assert list(equal_shares(election, completion=False).selected) == reference_equal_shares(election, share)


@SETTINGS
@given(elections())
def test_the_completion_rule_agrees_with_trying_every_share_in_turn(election):
    if not election.ballots:
        return
    share, selected = reference_completion(election)
    result = equal_shares(election)
    assert list(result.selected) == selected
    assert result.voter_share == share


@SETTINGS
@given(elections())
def test_greedy_takes_projects_by_votes_and_skips_those_that_do_not_fit(election):
    order, votes = tie_order(election)
    left = election.budget
    expected = []
    for project in sorted(election.projects, key=lambda p: (-votes[p.id], order[p.id])):
        if votes[project.id] and project.cost <= left:
            expected.append(project.id)
            left -= project.cost
    assert list(greedy(election).selected) == expected


def test_skipping_ranges_of_shares_gives_the_same_result_as_counting_every_share():
    import random

    from rosc.fund.allocation.mes import prepare, run

    rng = random.Random(7)
    skipped = 0
    for _ in range(12):
        m = rng.randint(3, 12)
        costs = [rng.randint(5, 400) * 25 for _ in range(m)]
        popularity = [rng.random() for _ in range(m)]
        ballots = tuple(
            {str(p): 1 for p in range(m) if rng.random() < popularity[p] * 0.6} for _ in range(rng.randint(20, 200))
        )
        election = Election(
            rng.randint(sum(costs) // 4, sum(costs) // 2),
            tuple(Project(str(p), c) for p, c in enumerate(costs)),
            ballots,
        )
        prepared = prepare(election)
        supported = {p for p in range(m) if prepared.supporters[p]}
        share = election.budget // len(ballots)
        last = run(prepared, Fraction(share))
        tried = 1
        while set(last.selected) != supported:
            attempt = run(prepared, Fraction(share + 1))
            tried += 1
            if attempt.total_cost > election.budget:
                break
            share, last = share + 1, attempt
        result = equal_shares(election)
        assert result.voter_share == share
        assert list(result.selected) == [prepared.ids[p] for p in last.selected]
        skipped += tried - len(result.steps)
    assert skipped > 0  # the ranges proved really do save counts
