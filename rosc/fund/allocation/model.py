"""Plain data for an election and its allocation (no Django, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

RULES = ("equal-shares-add1", "equal-shares", "greedy")
DEFAULT_RULE = "equal-shares-add1"


@dataclass(frozen=True)
class Project:
    id: str
    cost: int  # whole currency units, > 0
    name: str = ""


@dataclass(frozen=True)
class Election:
    budget: int
    projects: tuple[Project, ...]
    ballots: tuple[Mapping[str, int], ...]  # one per voter: project id -> points (approval: 1 each)
    vote_type: str = "approval"  # "approval" | "cumulative"
    lot: tuple[str, ...] = ()  # published tie-break order of project ids, drawn before counting
    currency: str = "GBP"  # ISO 4217 code, used only to write amounts in the explanations


@dataclass(frozen=True)
class ProjectResult:
    project_id: str
    selected: bool
    votes: int  # supporters (approval) / total points (cumulative)
    cost: int
    paid_per_supporter: Fraction | None  # MES, approval: what each supporter paid; None if not selected
    reason: str  # plain English: why it was selected or why it lost, with numbers
    supporters: int = 0  # voters who gave it at least one point
    paid_per_point: Fraction | None = None  # MES, cumulative ballots: what supporters paid per point given
    supporters_money_left: Fraction | None = None  # MES, not selected: what its supporters had left at the end
    round: int | None = None  # selected: 1 for the first project chosen, 2 for the next...
    greedy_selected: bool | None = None  # would greedy-by-votes have funded it (None: not compared)


@dataclass(frozen=True)
class BallotGroup:
    """Voters who cast exactly the same ballot, and what their shares paid for.

    `share` is each voter's share of the budget, `paid` what each single voter of the group paid
    towards each selected project they supported, `left` what each voter had left at the end.
    """

    ballot: tuple[tuple[str, int], ...]  # (project id, points), sorted by project id
    voters: int
    share: Fraction
    paid: tuple[tuple[str, Fraction], ...]  # (project id, paid per voter), in order of selection
    left: Fraction

    @property
    def project_ids(self) -> tuple[str, ...]:
        return tuple(project_id for project_id, _ in self.ballot)

    @property
    def spent(self) -> Fraction:
        return sum((amount for _, amount in self.paid), Fraction(0))


@dataclass(frozen=True)
class CompletionStep:
    """Shares from `share_from` to `share_to` (whole units) all choose the same projects."""

    share_from: int
    share_to: int | None  # None: every larger share too
    selected: int  # how many projects
    total_cost: int
    fits: bool


@dataclass(frozen=True)
class Tie:
    chosen: str
    passed_over: str
    decided_by: str  # "lower cost" | "more votes" | "lot"


@dataclass(frozen=True)
class Comparison:
    """Equal Shares against greedy by votes, for the results page."""

    greedy_selected: tuple[str, ...]
    greedy_total_cost: int
    only_here: tuple[str, ...]  # chosen by this rule but not by greedy
    only_greedy: tuple[str, ...]  # chosen by greedy but not by this rule
    prefer_this: int  # voters who get more of the projects they voted for (cumulative: more of their points)
    prefer_greedy: int  # voters who get more of them under greedy
    indifferent: int


@dataclass(frozen=True)
class Allocation:
    rule: str  # "equal-shares" | "equal-shares-add1" | "greedy"
    selected: tuple[str, ...]  # in order of selection
    total_cost: int
    voter_share: Fraction | None  # the per-voter share the final selection used (MES); None for greedy
    projects: tuple[ProjectResult, ...]  # every project, selected or not, in the election's order
    spent_by_ballot: tuple[BallotGroup, ...]  # one entry per distinct ballot (empty for greedy)
    budget: int = 0
    voters: int = 0
    currency: str = "GBP"
    rule_statement: str = ""  # plain English: how the rule works, including the completion rule
    steps: tuple[CompletionStep, ...] = field(default=())  # shares tried by the completion rule
    ties: tuple[Tie, ...] = field(default=())  # projects exactly level at some point, and what decided
    lot_used: bool = False  # whether a published lot was given (otherwise project ids in order stand in)
    comparison: Comparison | None = None  # Equal Shares rules: the comparison with greedy by votes

    def project(self, project_id: str) -> ProjectResult:
        for result in self.projects:
            if result.project_id == project_id:
                return result
        raise KeyError(project_id)
