"""Counting a round from its stored ballots, and checking a published result.

The count is a pure function of what is stored: the round's budget, rule,
vote type and lot, its eligible projects and its ballots. Ballots are put in
a canonical order (sorted by their content) before counting, so nothing
about the order in which they were cast reaches the count, the published
result or a Pabulib file.

The result of the round's rule, greedy by votes as a comparison, and what
the voters of each area paid for are stored when the result is published
(``RoundResult``). :func:`recount_and_compare` counts again from the stored
ballots and says whether the result is the same.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from rosc.fund.allocation import Allocation, Election, Project, allocate
from rosc.fund.models import Ballot, Proposal, ProposalStatus, Round, RoundArea, RoundResult

# One ballot as counted: its area and its choices as sorted (code, points) pairs.
CountedBallot = tuple[int, tuple[tuple[str, int], ...]]


@dataclass(frozen=True)
class CountInput:
    election: Election
    ballots: tuple[CountedBallot, ...]
    set_aside: int  # ballots left with no choice once withdrawn projects were taken off
    areas: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Count:
    ballots_counted: int
    fingerprint: str
    allocation: dict[str, Any]
    comparison: dict[str, Any]
    by_area: list[dict[str, Any]]
    set_aside: int

    def stored(self) -> dict[str, Any]:
        """What a published result keeps, for comparison with a recount."""
        return {
            "ballots_counted": self.ballots_counted,
            "fingerprint": self.fingerprint,
            "allocation": self.allocation,
            "comparison": self.comparison,
            "by_area": self.by_area,
        }


@dataclass(frozen=True)
class Comparison:
    matches: bool
    differences: list[str] = field(default_factory=list)
    recount: Count | None = None


def eligible_projects(round: Round) -> list[Proposal]:
    return list(
        Proposal.objects.filter(round=round, status=ProposalStatus.ELIGIBLE).select_related("area").order_by("number")
    )


def _canonical(choices: dict[str, Any], codes: set[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((str(code), int(points)) for code, points in choices.items() if code in codes and points))


def counted_ballots(round: Round, codes: set[str]) -> tuple[list[CountedBallot], int]:
    """The round's ballots in canonical order, and how many were left empty."""
    ballots: list[CountedBallot] = []
    set_aside = 0
    for area_id, choices in Ballot.objects.filter(round=round).values_list("area_id", "choices").iterator():
        counted = _canonical(choices or {}, codes)
        if counted:
            ballots.append((area_id, counted))
        else:
            set_aside += 1
    ballots.sort(key=lambda ballot: (ballot[1], ballot[0]))
    return ballots, set_aside


def lot_for(round: Round, codes: Iterable[str]) -> tuple[str, ...]:
    wanted = set(codes)
    return tuple(code for code in (round.lot or []) if code in wanted)


def count_input(round: Round) -> CountInput:
    projects = eligible_projects(round)
    codes = {project.code for project in projects}
    ballots, set_aside = counted_ballots(round, codes)
    election = Election(
        budget=round.budget,
        projects=tuple(Project(id=p.code, cost=p.cost, name=p.title) for p in projects),
        ballots=tuple(dict(choices) for _, choices in ballots),
        vote_type=round.vote_type,
        lot=lot_for(round, codes),
        currency=round.currency,
    )
    areas = tuple(RoundArea.objects.filter(round=round).order_by("position", "name").values_list("pk", "name"))
    return CountInput(election=election, ballots=tuple(ballots), set_aside=set_aside, areas=areas)


def fingerprint(ballots: Iterable[CountedBallot]) -> str:
    """SHA-256 of the counted ballots (area and choices), in canonical order."""
    text = json.dumps([[area, [list(pair) for pair in choices]] for area, choices in ballots], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def plain(value: Any) -> Any:
    """An allocation (nested dataclasses) as plain JSON: fractions kept exact as "numerator/denominator"."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: plain(getattr(value, item.name)) for item in dataclasses.fields(value)}
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def serialise(allocation: Allocation) -> dict[str, Any]:
    return plain(allocation)


def by_area(allocation: dict[str, Any], ballots: Iterable[CountedBallot], areas: Iterable[tuple[int, str]]) -> list:
    """For each area: its voters, their shares of the budget, what they paid for and what was left.

    Every voter with the same ballot paid the same, so each ballot's payments
    come from its group in the allocation.
    """
    groups: dict[tuple[tuple[str, int], ...], dict[str, Any]] = {
        tuple(sorted((code, points) for code, points in group["ballot"])): group
        for group in allocation.get("spent_by_ballot", [])
    }
    totals: dict[int, dict[str, Any]] = {}
    for area_id, choices in ballots:
        entry = totals.setdefault(
            area_id, {"voters": 0, "share": Fraction(0), "paid": defaultdict(Fraction), "left": Fraction(0)}
        )
        entry["voters"] += 1
        found = groups.get(choices)
        if found is None:
            continue
        entry["share"] += Fraction(found["share"])
        entry["left"] += Fraction(found["left"])
        for code, amount in found["paid"]:
            entry["paid"][code] += Fraction(amount)
    rows = []
    for area_id, name in areas:
        total = totals.get(area_id)
        if total is None:
            rows.append({"area": area_id, "name": name, "voters": 0, "share": "0", "paid": [], "left": "0"})
            continue
        rows.append(
            {
                "area": area_id,
                "name": name,
                "voters": total["voters"],
                "share": str(total["share"]),
                "paid": [[code, str(amount)] for code, amount in sorted(total["paid"].items()) if amount],
                "left": str(total["left"]),
            }
        )
    return rows


def comparison_rule(rule: str) -> str:
    """Equal Shares rounds are compared with greedy by votes; greedy rounds with Equal Shares."""
    return "equal-shares-add1" if rule == "greedy" else "greedy"


def count(round: Round) -> Count:
    """Count the round's stored ballots with its rule, and with greedy by votes to compare."""
    data = count_input(round)
    allocation = serialise(allocate(data.election, round.rule))
    comparison = serialise(allocate(data.election, comparison_rule(round.rule)))
    return Count(
        ballots_counted=len(data.ballots),
        fingerprint=fingerprint(data.ballots),
        allocation=allocation,
        comparison=comparison,
        by_area=by_area(allocation, data.ballots, data.areas),
        set_aside=data.set_aside,
    )


def stored(result: RoundResult) -> dict[str, Any]:
    return {
        "ballots_counted": result.ballots_counted,
        "fingerprint": result.ballots_fingerprint,
        "allocation": result.allocation,
        "comparison": result.comparison,
        "by_area": result.by_area,
    }


LABELS = {
    "ballots_counted": "The number of ballots counted",
    "fingerprint": "The fingerprint of the ballots",
    "allocation": "The result of the round's rule",
    "comparison": "The comparison with the other counting rule",
    "by_area": "What each area's voters paid for",
}


def recount_and_compare(result: RoundResult) -> Comparison:
    """Count the round again from its stored ballots and compare with what was published."""
    recount = count(result.round)
    published = stored(result)
    again = recount.stored()
    differences = [LABELS[key] for key in LABELS if published[key] != again[key]]
    return Comparison(matches=not differences, differences=differences, recount=recount)
