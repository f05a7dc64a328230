"""Cross-check against pabutools, the reference implementation from the research community.

pabutools is GPL-licensed: it is imported here, in tests, and in the benchmark only, never by the
product. Its own completion ("stop at the first exhaustive outcome") differs from ours, so like is
compared with like: the method without completion, and the method at the share our completion
rule settled on.
"""

import random

import pytest

pytest.importorskip("pabutools")

from pabutools.election import (
    Additive_Cardinal_Sat,
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
)
from pabutools.election import Project as PabuProject
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from rosc.fund.allocation import Election, Project, equal_shares, greedy
from rosc.fund.allocation.mes import prepare


def pabutools_equal_shares(election: Election, total: int) -> list[str]:
    """pabutools' Method of Equal Shares with every voter holding total / voters, our tie-break order."""
    instance = Instance(budget_limit=total)
    projects = {p.id: PabuProject(p.id, p.cost) for p in election.projects}
    instance.update(projects.values())
    prepared = prepare(election)
    rank = dict(zip(prepared.ids, prepared.rank, strict=True))
    tie_breaking = TieBreakingRule(lambda _instance, _profile, project: rank[project.name])
    if election.vote_type == "approval":
        profile = ApprovalProfile([ApprovalBallot([projects[i] for i in ballot]) for ballot in election.ballots])
        outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, tie_breaking=tie_breaking)
    else:
        profile = CumulativeProfile(
            [CumulativeBallot({projects[i]: points for i, points in ballot.items()}) for ballot in election.ballots]
        )
        outcome = method_of_equal_shares(instance, profile, sat_class=Additive_Cardinal_Sat, tie_breaking=tie_breaking)
    return sorted(project.name for project in outcome)


def random_election(rng: random.Random, cumulative: bool) -> Election:
    m = rng.randint(1, 14)
    n = rng.randint(1, 120)
    costs = [rng.choice([rng.randint(1, 20) * 50, rng.randint(10, 2000)]) for _ in range(m)]
    popularity = [rng.random() for _ in range(m)]
    ballots = []
    for _ in range(n):
        chosen = [str(p) for p in range(m) if rng.random() < popularity[p]]
        ballots.append({p: rng.randint(1, 5) if cumulative else 1 for p in chosen})
    return Election(
        budget=rng.randint(0, sum(costs)),
        projects=tuple(Project(str(i), cost) for i, cost in enumerate(costs)),
        ballots=tuple(ballots),
        vote_type="cumulative" if cumulative else "approval",
    )


@pytest.mark.parametrize("seed", range(8))
def test_equal_shares_without_completion_matches_pabutools(seed):
    rng = random.Random(seed)
    for number in range(15):
        election = random_election(rng, cumulative=number % 4 == 3)
        ours = sorted(equal_shares(election, completion=False).selected)
        assert ours == pabutools_equal_shares(election, election.budget), (seed, number)


@pytest.mark.parametrize("seed", range(8, 12))
def test_our_completed_result_is_what_pabutools_gives_at_the_final_share(seed):
    rng = random.Random(seed)
    for number in range(10):
        election = random_election(rng, cumulative=number % 4 == 3)
        result = equal_shares(election)
        voters = len(election.ballots)
        share = int(result.voter_share)
        assert sorted(result.selected) == pabutools_equal_shares(election, share * voters), (seed, number)
        over = pabutools_equal_shares(election, (share + 1) * voters)
        supported = {project_id for ballot in election.ballots for project_id in ballot}
        if set(result.selected) != supported:
            # One unit more per voter and the choice no longer fits the real budget.
            assert sum(p.cost for p in election.projects if p.id in over) > election.budget, (seed, number)


def test_a_larger_election_matches_pabutools():
    rng = random.Random(99)
    costs = [rng.randint(20, 400) * 100 for _ in range(40)]
    popularity = [rng.random() ** 3 for _ in range(40)]
    ballots = tuple(
        {str(p): 1 for p in rng.sample(range(40), rng.randint(1, 6)) if rng.random() < 0.3 + popularity[p]}
        for _ in range(3000)
    )
    election = Election(sum(costs) // 3, tuple(Project(str(i), c) for i, c in enumerate(costs)), ballots)

    result = equal_shares(election, completion=False)

    assert sorted(result.selected) == pabutools_equal_shares(election, election.budget)


def test_greedy_matches_pabutools_greedy_by_votes():
    rng = random.Random(5)
    for _ in range(20):
        election = random_election(rng, cumulative=False)
        instance = Instance(budget_limit=election.budget)
        projects = {p.id: PabuProject(p.id, p.cost) for p in election.projects}
        instance.update(projects.values())
        profile = ApprovalProfile([ApprovalBallot([projects[i] for i in ballot]) for ballot in election.ballots])
        prepared = prepare(election)
        rank = dict(zip(prepared.ids, prepared.rank, strict=True))
        theirs = greedy_utilitarian_welfare(
            instance,
            profile,
            sat_class=Cost_Sat,  # welfare per unit of cost = votes: greedy by votes
            tie_breaking=TieBreakingRule(lambda _i, _p, project, rank=rank: rank[project.name]),
        )
        # pabutools also funds projects nobody voted for if money is left; ours never does.
        voted = {project_id for ballot in election.ballots for project_id in ballot}
        assert sorted(greedy(election).selected) == sorted(p.name for p in theirs if p.name in voted)
