"""The Method of Equal Shares (Peters, Pierczyński and Skowron) with the add-one completion rule.

Approval ballots use cost utilities: a voter values a project at its cost, so the cost of a chosen
project is split as equally as possible among its supporters who still have money. Cumulative
ballots use the points as utilities: supporters pay in proportion to the points they gave.

Everything is exact. Money is held as integers over one common denominator, which grows only when a
payment does not divide evenly, so no rounding ever happens.

Speed comes from a few observations:

* Voters who have paid for the same projects so far hold exactly the same money, so the count keeps
  "budget classes" of voters (a class is a set of distinct ballots) instead of single voters, and
  everyone with nothing left shares one class that is no longer counted.
* A project's supporters are counted per class only when the project is weighed (a lazy priority
  queue weighs few projects per step), and costs are split with list operations that run in C.
* In the completion loop every quantity of a count (each class's money, each payment, each
  comparison) is an affine function of the per-voter share. One run at a share therefore also proves
  the range of shares over which every decision of the count comes out the same, and the loop skips
  past that range. The result is exactly that of trying every share in turn. Small elections skip
  many shares at once; in large ones some decision changes at almost every share, and every share is
  counted.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain, compress, repeat
from math import gcd
from operator import eq, gt, itemgetter, lt, mul, not_, sub

from rosc.core.memory import cycle_collector_paused
from rosc.fund.allocation.explain import money, ordinal, people
from rosc.fund.allocation.model import (
    Allocation,
    BallotGroup,
    Comparison,
    CompletionStep,
    Election,
    ProjectResult,
    Tie,
)

COMPLETION_RULE = (
    "Every voter starts with an equal share of the budget in whole currency units: the budget divided "
    "by the number of voters, rounded down. The count is then repeated with every share one unit "
    "larger, for as long as the projects it chooses still fit within the real budget. The result is "
    "the last choice that fitted. (If every project that received a vote is already chosen, there is "
    "nothing left to add and the count stops there.)"
)
TIE_RULE = (
    "When two projects are exactly level, the cheaper one goes first, then the one with more votes, "
    "then the one drawn first in the lot published before counting."
)
NO_COMPLETION = (
    "Every voter has an equal share of the budget (the budget divided by the number of voters). "
    "No completion rule is applied, so part of the budget may be left unspent."
)


def natural_key(text: str) -> tuple:
    """Order ids as people expect: "2" before "10", "c9" before "c10"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


# --- Preparation shared by every run of one election -----------------------------------------------


@dataclass
class Prepared:
    """The election turned into indexed arrays, computed once and shared by all runs."""

    election: Election
    ids: list[str]
    costs: list[int]
    votes: list[int]  # supporters (approval) or points (cumulative)
    supporters: list[int]  # voters with at least one point for the project
    weights_total: list[int]  # sum of weights of supporters (approval: supporters)
    scale: list[int]  # cost (approval, cost utilities) or 1 (cumulative, utilities = points)
    rank: list[int]  # tie-break position: lower cost, then more votes, then the lot
    groups_mult: list[int]  # voters per distinct ballot
    groups_items: list[tuple[tuple[int, int], ...]]  # (project index, weight) per distinct ballot
    project_groups: list[list[tuple[int, int]]]  # per project: (group index, weight)
    groups_projects: list[tuple[int, ...]]  # project indexes per distinct ballot
    election_order: list[int]  # project numbers in the order the election lists the projects
    project_group_ids: list[list[int]]  # per project: the groups supporting it
    project_single: list[list[int]]  # approval: per project, its supporting groups of one voter each
    project_multi: list[list[tuple[int, int]]]  # approval: per project, (group, voters) for larger groups
    project_voters: list[list[int]]  # cumulative: per project, the group of each supporter (one per voter)
    project_voter_weights: list[list[int]]  # cumulative: per project, the points each supporter gave
    voters: int
    approval: bool
    lot_used: bool  # whether a published lot was given


def _refuse_unknown(named: set[str], index: dict[str, int]) -> None:
    unknown = named - index.keys()
    if unknown:
        raise ValueError(f"A ballot names project {sorted(unknown)[0]!r}, which is not in the election.")


def prepare(election: Election) -> Prepared:
    # Projects are numbered in the natural order of their ids (so ballots list them that way);
    # election_order maps back to the order the election gave them in.
    if len({project.id for project in election.projects}) != len(election.projects):
        raise ValueError("Project ids must be unique.")
    listed = sorted(election.projects, key=lambda project: (natural_key(project.id), project.id))
    ids = [project.id for project in listed]
    index = {project_id: position for position, project_id in enumerate(ids)}
    costs = [project.cost for project in listed]
    if any(not isinstance(cost, int) or cost <= 0 for cost in costs):
        raise ValueError("Every project must cost a whole number of currency units above zero.")
    if election.budget < 0:
        raise ValueError("The budget cannot be negative.")
    if election.vote_type not in ("approval", "cumulative"):
        raise ValueError(f"Unsupported vote type {election.vote_type!r}: use approval or cumulative.")
    approval = election.vote_type == "approval"
    m = len(ids)
    points_given = set(chain.from_iterable(map(dict.values, map(dict, election.ballots))))
    if any(not isinstance(points, int) or isinstance(points, bool) or points < 0 for points in points_given):
        raise ValueError("Points on a ballot must be whole numbers, zero or more.")
    counted: dict[tuple[tuple[int, int], ...], int] = {}
    if approval:
        chosen: Counter[frozenset[str]]
        if 0 in points_given:
            chosen = Counter(frozenset(key for key, points in ballot.items() if points) for ballot in election.ballots)
        else:
            chosen = Counter(map(frozenset, election.ballots))
        _refuse_unknown(set().union(*chosen), index)
        for approved, times in chosen.items():
            counted[tuple((number, 1) for number in sorted(map(index.__getitem__, approved)))] = times
    else:
        scored = Counter(
            frozenset((key, points) for key, points in ballot.items() if points) for ballot in election.ballots
        )
        _refuse_unknown({key for ballot in scored for key, _ in ballot}, index)
        for given, times in scored.items():
            counted[tuple(sorted((index[project_id], points) for project_id, points in given))] = times
    groups_items = list(counted)
    groups_mult = [counted[key] for key in groups_items]
    project_groups: list[list[tuple[int, int]]] = [[] for _ in range(m)]
    supporters = [0] * m
    weights_total = [0] * m
    for group, items in enumerate(groups_items):
        mult = groups_mult[group]
        for project, weight in items:
            project_groups[project].append((group, weight))
            supporters[project] += mult
            weights_total[project] += mult * weight
    votes = list(supporters) if approval else list(weights_total)
    lot_position = {project_id: position for position, project_id in enumerate(election.lot)}
    if len(lot_position) != len(election.lot) or not lot_position.keys() <= index.keys():
        raise ValueError("The lot must list projects of the election, each once.")
    fallback = sorted(ids, key=natural_key)
    fallback_position = {project_id: len(lot_position) + position for position, project_id in enumerate(fallback)}
    order = sorted(
        range(m),
        key=lambda p: (costs[p], -votes[p], lot_position.get(ids[p], fallback_position[ids[p]])),
    )
    rank = [0] * m
    for position, project in enumerate(order):
        rank[project] = position
    return Prepared(
        election=election,
        ids=ids,
        costs=costs,
        votes=votes,
        supporters=supporters,
        weights_total=weights_total,
        scale=list(costs) if approval else [1] * m,
        rank=rank,
        groups_mult=groups_mult,
        groups_items=groups_items,
        project_groups=project_groups,
        groups_projects=[tuple(p for p, _ in items) for items in groups_items],
        election_order=[index[project.id] for project in election.projects],
        project_group_ids=[[group for group, _ in project_groups[p]] for p in range(m)],
        project_single=[[group for group, _ in project_groups[p] if groups_mult[group] == 1] for p in range(m)],
        project_multi=[
            [(group, groups_mult[group]) for group, _ in project_groups[p] if groups_mult[group] > 1] for p in range(m)
        ],
        project_voters=(
            []
            if approval
            else [[group for group, _ in project_groups[p] for _ in range(groups_mult[group])] for p in range(m)]
        ),
        project_voter_weights=(
            []
            if approval
            else [[weight for group, weight in project_groups[p] for _ in range(groups_mult[group])] for p in range(m)]
        ),
        voters=len(election.ballots),
        approval=approval,
        lot_used=bool(election.lot),
    )


# --- One run of the method at a fixed share ---------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One selection: who paid what."""

    project: int
    per_weight: Fraction  # what each supporter with enough money paid (per point for cumulative ballots)
    capped_voters: int  # supporters who had less than that and paid all they had left
    capped_paid: Fraction  # what those supporters paid between them
    paying_voters: int  # supporters who still had money when it was chosen


@dataclass
class Run:
    """What one run of the method decided, and (when tracked) for how far up the share it holds."""

    share: Fraction
    selected: list[int]
    total_cost: int
    steps_valid: int | None  # largest t >= 0 such that shares share..share+t give the same count; None = no limit
    # Filled only when explain=True:
    payments: list[Step]  # one per selection, in order
    class_of_group: list[int]  # per group: its class
    class_money: list[int]  # money left per voter, over `denominator`
    denominator: int
    class_payments: list[list[tuple[int, int, Fraction]]]  # per class: (step, project, amount per voter)
    class_parent: list[tuple[int, int] | None]  # per class: (parent class, step of the split)
    ties: list[tuple[int, int]]  # (chosen, passed over) with exactly the same ratio, decided by the tie-break order
    unaffordable_at_start: set[int]


class _Bound:
    """The largest whole t >= 0 up the share for which every recorded inequality still holds."""

    __slots__ = ("done", "most")

    def __init__(self) -> None:
        self.most: int | None = None  # None: no limit
        self.done = False  # True once nothing recorded later can matter (the limit is already 0)

    def at_most(self, value: Fraction | int, slope: Fraction | int, *, strict: bool) -> None:
        """Record the condition value + slope * t <= 0 (or < 0), which holds at t = 0."""
        if slope <= 0:
            return
        most = -(value // slope) - 1 if strict else (-value) // slope
        if self.most is None or most < self.most:
            self.most = most
            self.done = most <= 0

    def nothing(self) -> None:
        self.most = 0
        self.done = True

    def steps(self) -> int | None:
        return None if self.most is None else max(self.most, 0)


def consume(iterator) -> None:
    """Run an iterator (of calls made for their effect) to the end, in C."""
    deque(iterator, maxlen=0)


SPENT = 1  # the class of voters with nothing left (outside explained runs)


def run(prep: Prepared, share: Fraction, *, track: bool = False, explain: bool = False) -> Run:
    """Run the Method of Equal Shares once with every voter holding `share`.

    With track=True it also proves the largest t such that every share from `share` to `share + t`
    (in whole units) gives exactly the same count, by following each quantity's slope in the share.
    """
    m = len(prep.ids)
    approval = prep.approval
    costs, scale, rank = prep.costs, prep.scale, prep.rank
    groups_items, project_groups = prep.groups_items, prep.project_groups
    bound = _Bound()

    # Money is held as integers over a common denominator. When a payment needs a larger
    # denominator, the classes are not all rewritten: each class remembers the epoch in which it
    # was last written, and lift[epoch] turns its figures into today's denominator.
    denominator = share.denominator
    lift = [1]
    # Class 0 holds everyone at the start; class 1 (SPENT) collects voters with nothing left.
    value = [share.numerator, 0]  # per class: money per voter, over the class's epoch denominator
    slope = [share.denominator, 0]  # per class: how that money moves per unit of share
    epoch = [0, 0]
    size = [prep.voters, 0]  # voters per class (not kept for SPENT)
    value_of, epoch_of = value.__getitem__, epoch.__getitem__
    class_of_group = [0] * len(groups_items)
    set_class = class_of_group.__setitem__
    class_at = class_of_group.__getitem__
    class_payments: list[list[tuple[int, int, Fraction]]] = [[], []]
    class_parent: list[tuple[int, int] | None] = [None, None]
    project_voters, project_voter_weights = prep.project_voters, prep.project_voter_weights
    # Supporters still worth counting: groups whose money has run out are dropped as the count goes on.
    singles, multis = list(prep.project_single), list(prep.project_multi)

    def forget_spent(project: int) -> None:
        alive = list(map(value_of, map(class_at, singles[project])))
        singles[project] = list(compress(singles[project], alive))
        multis[project] = [entry for entry in multis[project] if value[class_of_group[entry[0]]]]

    def counts(project: int) -> dict:
        """Voters supporting the project in each class (keys (class, points) for cumulative ballots)."""
        if approval:
            found = Counter(map(class_at, singles[project]))
            for group, voters in multis[project]:
                c = class_of_group[group]
                found[c] = found.get(c, 0) + voters
            return found
        return Counter(zip(map(class_at, project_voters[project]), project_voter_weights[project], strict=False))

    def evaluate(project: int):
        """The project's cost split as equally as possible, or None if its supporters cannot pay.

        Returns (remaining, weight_left, parts): supporters who cannot pay an equal part pay all they
        have; the others pay remaining / weight_left per unit of weight (over today's denominator).
        `parts` is turned into the list of payers by `payers()`.
        """
        bucket = counts(project)
        need = costs[project] * denominator
        if not approval:
            found = [(value[c] * lift[epoch[c]], n, w, c) for (c, w), n in bucket.items() if value[c]]
            total = sum(v * n for v, n, _, _ in found)
            if total < need:
                if track and not bound.done:
                    bound.at_most(total - need, sum(slope[c] * lift[epoch[c]] * n for _, n, _, c in found), strict=True)
                return None
            found.sort(key=lambda entry: Fraction(entry[0], entry[2]))
            remaining, weight_left = need, sum(n * w for _, n, w, _ in found)
            capped = 0
            for v, n, w, _ in found:
                if remaining * w <= v * weight_left:
                    break
                remaining -= v * n
                weight_left -= n * w
                capped += 1
            return remaining, weight_left, (found, capped)
        classes = list(bucket)
        voters = list(bucket.values())
        money = list(map(mul, map(value_of, classes), map(lift.__getitem__, map(epoch_of, classes))))
        everyone = sum(voters)
        if 0 in money:
            classes = list(compress(classes, money))
            voters = list(compress(voters, money))
            money = list(filter(None, money))
            counted = sum(voters)
            if 3 * counted < 2 * everyone:
                forget_spent(project)  # over a third of its supporters have nothing left
            everyone = counted
        # Supporters with less than an equal part pay all they have, which raises the part the
        # others pay; repeat until nobody else falls short (the set of those paying all only grows).
        # (An integer v is below remaining / weight_left exactly when it is below its ceiling.)
        # If everyone ends up paying all they have and it is still not enough, the project is out.
        remaining, weight_left = need, everyone
        short: list[bool] | None = None
        while True:
            if not weight_left:
                if track and not bound.done:
                    total = sum(map(mul, money, voters))
                    moves = [slope[c] * lift[epoch[c]] for c in classes]
                    bound.at_most(total - need, sum(map(mul, moves, voters)), strict=True)
                return None
            below = list(map(lt, money, repeat(-(-remaining // weight_left))))
            if not any(below) or below == short:
                break
            short = below
            remaining = need - sum(map(mul, compress(money, below), compress(voters, below)))
            weight_left = everyone - sum(compress(voters, below))
        return remaining, weight_left, (classes, voters, money, short)

    def payers(evaluation) -> tuple[list[tuple[int, int, int, int]], int]:
        """(money, voters, weight, class) for every supporter class with money, those paying all first."""
        parts = evaluation[2]
        if not approval:
            return parts
        classes, voters, money, short = parts
        if short is None:
            return list(zip(money, voters, repeat(1), classes)), 0
        keep = list(map(not_, short))
        all_in = list(zip(compress(money, short), compress(voters, short), repeat(1), compress(classes, short)))
        rest = zip(compress(money, keep), compress(voters, keep), repeat(1), compress(classes, keep))
        return all_in + list(rest), len(all_in)

    def ratio_of(project: int, evaluation) -> tuple[Fraction, Fraction]:
        """The project's price per unit of utility, and how it moves with the share."""
        remaining, weight_left = evaluation[0], evaluation[1]
        unit = weight_left * denominator * scale[project]
        if not track or bound.done:
            return Fraction(remaining, unit), Fraction(0)  # the slope is needed only while proving a range
        found, capped = payers(evaluation)
        remaining_slope = -sum(slope[c] * lift[epoch[c]] * n for _, n, _, c in found[:capped])
        return Fraction(remaining, unit), Fraction(remaining_slope, unit)

    # Start: everyone holds the same share, so a project's first ratio is exact, or it is out.
    unaffordable_at_start: set[int] = set()
    heap: list[tuple[Fraction, int, int]] = []
    lower: dict[int, tuple[Fraction, Fraction]] = {}  # project -> (ratio, slope) last computed
    for project in range(m):
        supporters = prep.supporters[project]
        if supporters == 0:
            continue
        if supporters * share < costs[project]:
            unaffordable_at_start.add(project)
            if track and not bound.done:
                # supporters * (share + t) < cost must stay true
                bound.at_most(supporters * share - costs[project], supporters, strict=True)
            continue
        ratio = Fraction(costs[project], prep.weights_total[project] * scale[project])
        lower[project] = (ratio, Fraction(0))
        heap.append((ratio, rank[project], project))
    heapq.heapify(heap)

    selected: list[int] = []
    payments: list[Step] = []
    ties: list[tuple[int, int]] = []
    fresh: dict[int, tuple] = {}  # project -> evaluation made since the last selection
    while heap:
        ratio, _, project = heapq.heappop(heap)
        if project not in fresh:
            evaluation = evaluate(project)
            if evaluation is None:
                del lower[project]
                continue
            lower[project] = ratio_of(project, evaluation)
            fresh[project] = evaluation
            heapq.heappush(heap, (lower[project][0], rank[project], project))
            continue
        # The project on top was evaluated since the last selection: it is the next one chosen.
        evaluation = fresh.pop(project)
        remaining, weight_left = evaluation[0], evaluation[1]
        found, capped = payers(evaluation)
        chosen_ratio = lower.pop(project)
        if explain:
            for other_lower, _, other in heap:
                if other_lower == ratio:
                    other_evaluation = evaluate(other)
                    if other_evaluation is not None and ratio_of(other, other_evaluation)[0] == ratio:
                        ties.append((project, other))
        moving = [slope[c] * lift[epoch[c]] for _, _, _, c in found] if track and not bound.done else []
        remaining_slope = -sum(moving[i] * found[i][1] for i in range(capped)) if moving else 0
        if moving:
            for _, _, other in heap:
                other_ratio = lower[other]
                # The chosen project must stay ahead: chosen - other <= 0 (< 0 if the other wins ties).
                bound.at_most(
                    chosen_ratio[0] - other_ratio[0],
                    chosen_ratio[1] - other_ratio[1],
                    strict=rank[other] < rank[project],
                )
            for position, (v, _, w, _) in enumerate(found):
                if bound.done:
                    break
                # Classes paying all they have stay below the equal part (strictly); the others at or above it.
                if position < capped:
                    bound.at_most(
                        v * weight_left - remaining * w,
                        moving[position] * weight_left - remaining_slope * w,
                        strict=True,
                    )
                else:
                    bound.at_most(
                        remaining * w - v * weight_left,
                        remaining_slope * w - moving[position] * weight_left,
                        strict=False,
                    )
        # Bring this payment onto a denominator that makes it whole.
        factor = weight_left // gcd(gcd(remaining, remaining_slope), weight_left)
        fast = approval and not explain and not moving
        if factor > 1:
            denominator *= factor
            lift = list(map(mul, lift, repeat(factor)))
            lift.append(1)
            if not fast:
                found = [(v * factor, n, w, c) for v, n, w, c in found]
        now = len(lift) - 1
        per_weight = remaining * factor // weight_left
        per_weight_slope = remaining_slope * factor // weight_left
        step = len(selected)
        selected.append(project)
        if explain:
            payments.append(
                Step(
                    project=project,
                    per_weight=Fraction(per_weight, denominator),
                    capped_voters=sum(n for _, n, _, _ in found[:capped]),
                    capped_paid=Fraction(sum(v * n for v, n, _, _ in found[:capped]), denominator),
                    paying_voters=sum(n for _, n, _, _ in found),
                )
            )
        splits: dict = {}
        if fast:
            # The same as the loop below, without slopes or histories, in bulk.
            classes = list(map(itemgetter(3), found))
            voters = list(map(itemgetter(1), found))
            paying = map(mul, map(itemgetter(0), found[capped:]), repeat(factor))
            left = [0] * capped + list(map(sub, paying, repeat(per_weight)))
            whole = list(map(eq, voters, map(size.__getitem__, classes)))
            in_place = list(compress(classes, whole))
            consume(map(value.__setitem__, in_place, compress(left, whole)))
            consume(map(epoch.__setitem__, in_place, repeat(now)))
            part = list(map(not_, whole))
            parted = list(compress(classes, part))
            parted_voters = list(compress(voters, part))
            parted_left = list(compress(left, part))
            consume(map(size.__setitem__, parted, map(sub, map(size.__getitem__, parted), parted_voters)))
            kept = list(compress(parted, parted_left))
            start = len(value)
            value.extend(filter(None, parted_left))
            added = len(value) - start
            epoch.extend(repeat(now, added))
            slope.extend(repeat(0, added))
            size.extend(compress(parted_voters, parted_left))
            splits = dict.fromkeys(parted, SPENT)  # those with nothing left share one class
            splits.update(zip(kept, range(start, start + added), strict=False))
            found = []
        equal_part = Fraction(per_weight, denominator) if explain else Fraction(0)
        for position, (v, n, w, c) in enumerate(found):
            if position < capped:
                new_value, new_slope, paid = 0, 0, v
            else:
                paid = per_weight * w
                new_value = v - paid
                new_slope = (moving[position] * factor - per_weight_slope * w) if moving else 0
                if new_value == 0 and new_slope != 0:
                    # Exactly nothing left here, but not at nearby shares: prove nothing beyond this share.
                    bound.nothing()
                    new_slope = 0
            if n == size[c]:
                target = c
                value[c], slope[c], epoch[c] = new_value, new_slope, now
            elif new_value == 0 and not explain:
                # Everyone with nothing left can share one class (their histories are not needed).
                target = SPENT
                size[c] -= n
                splits[c if approval else (c, w)] = target
            else:
                target = len(value)
                value.append(new_value)
                slope.append(new_slope)
                epoch.append(now)
                size.append(n)
                size[c] -= n
                if explain:
                    class_payments.append([])
                    class_parent.append((c, step))
                splits[c if approval else (c, w)] = target
            if explain:
                amount = equal_part * w if position >= capped else Fraction(paid, denominator)
                class_payments[target].append((step, project, amount))
        if splits and approval:
            members = prep.project_group_ids[project]
            old_classes = list(map(class_at, members))
            moving_now = list(map(splits.__contains__, old_classes))
            consume(
                map(
                    set_class, compress(members, moving_now), map(splits.__getitem__, compress(old_classes, moving_now))
                )
            )
        elif splits:
            for group, weight in project_groups[project]:
                new = splits.get((class_of_group[group], weight))
                if new is not None:
                    class_of_group[group] = new
        fresh.clear()

    return Run(
        share=share,
        selected=selected,
        total_cost=sum(costs[p] for p in selected),
        steps_valid=bound.steps() if track else 0,
        payments=payments,
        class_of_group=class_of_group,
        class_money=[v * lift[e] for v, e in zip(value, epoch, strict=True)] if explain else [],
        denominator=denominator,
        class_payments=class_payments,
        class_parent=class_parent,
        ties=ties,
        unaffordable_at_start=unaffordable_at_start,
    )


# --- The rule, with or without completion, and its explanation --------------------------------------


def equal_shares(
    election: Election,
    *,
    completion: bool = True,
    progress: Callable[[CompletionStep], None] | None = None,
) -> Allocation:
    """Allocate the budget by the Method of Equal Shares.

    completion=True applies the add-one completion rule stated in COMPLETION_RULE
    ("equal-shares-add1"); completion=False divides the budget exactly between the voters and stops
    ("equal-shares"). `progress` is called after each range of shares is settled.
    """
    # The count makes millions of short-lived tuples and lists but no reference cycles: pausing the
    # cycle collector meanwhile saves its repeated scans of them.
    with cycle_collector_paused():
        return _equal_shares(election, completion=completion, progress=progress)


def _equal_shares(
    election: Election, *, completion: bool, progress: Callable[[CompletionStep], None] | None
) -> Allocation:
    prep = prepare(election)
    budget = election.budget
    steps: list[CompletionStep] = []
    if prep.voters == 0:
        final = run(prep, Fraction(0), explain=True)
        share = Fraction(0)
    elif not completion:
        share = Fraction(budget, prep.voters)
        final = run(prep, share, explain=True)
    else:
        everything = sum(1 for p in range(len(prep.ids)) if prep.supporters[p])
        current = budget // prep.voters
        last_fitting = current
        while True:
            attempt = run(prep, Fraction(current), track=True)
            fits = attempt.total_cost <= budget
            upper = None if attempt.steps_valid is None else current + attempt.steps_valid
            step = CompletionStep(
                share_from=current,
                share_to=upper if fits else current,
                selected=len(attempt.selected),
                total_cost=attempt.total_cost,
                fits=fits,
            )
            steps.append(step)
            if progress is not None:
                progress(step)
            if not fits:
                break
            last_fitting = current if upper is None else upper
            if upper is None or len(attempt.selected) == everything:
                # Nothing more can change, or nothing is left to add.
                last_fitting = current
                steps[-1] = CompletionStep(current, current, step.selected, step.total_cost, True)
                break
            current = upper + 1
        share = Fraction(last_fitting)
        final = run(prep, share, explain=True)
    return _allocation(prep, final, share, completion=completion, steps=steps)


def _allocation(
    prep: Prepared, final: Run, share: Fraction, *, completion: bool, steps: list[CompletionStep]
) -> Allocation:
    from rosc.fund.allocation.greedy import greedy_selection

    election = prep.election
    currency = election.currency
    ids, costs = prep.ids, prep.costs
    approval = prep.approval
    m = len(ids)

    # What each class of voters paid: what its parent class had paid before the split, then its own.
    # A class is always created after its parent, so one pass in order settles them all.
    chains: list[list[tuple[int, int, Fraction]]] = []
    for c, own in enumerate(final.class_payments):
        parent = final.class_parent[c]
        if parent is None:
            chains.append(own)
        else:
            inherited = chains[parent[0]]
            chains.append(inherited[: bisect_left(inherited, (parent[1],))] + own)

    paid_memo: dict[int, tuple[tuple[str, Fraction], ...]] = {}
    left_memo: dict[int, Fraction] = {}
    as_fraction: dict[int, Fraction] = {0: Fraction(0)}  # many classes hold the same amount (often none)
    ballots: list[tuple[int, tuple[tuple[int, int], ...], BallotGroup]] = []
    for group, items in enumerate(prep.groups_items):
        c = final.class_of_group[group]
        paid = paid_memo.get(c)
        if paid is None:
            paid = paid_memo[c] = tuple((ids[project], amount) for _, project, amount in chains[c])
            held = final.class_money[c]
            if held not in as_fraction:
                as_fraction[held] = Fraction(held, final.denominator)
            left_memo[c] = as_fraction[held]
        voters = prep.groups_mult[group]
        ballot = tuple(zip(map(ids.__getitem__, prep.groups_projects[group]), map(itemgetter(1), items), strict=False))
        ballots.append((-voters, items, BallotGroup(ballot, voters, share, paid, left_memo[c])))
    ballots.sort(key=itemgetter(0, 1))  # most voters first, then ballots in the order of project ids
    groups = list(map(itemgetter(2), ballots))

    # Money left at the end with each project's supporters.
    money_by_group = list(map(final.class_money.__getitem__, final.class_of_group))
    money_left = [
        Fraction(
            sum(
                map(
                    mul,
                    map(money_by_group.__getitem__, prep.project_group_ids[p]),
                    map(prep.groups_mult.__getitem__, prep.project_group_ids[p]),
                )
            ),
            final.denominator,
        )
        for p in range(m)
    ]

    round_of = {step.project: (number, step) for number, step in enumerate(final.payments, start=1)}
    greedy_chosen = greedy_selection(prep)
    greedy_set = set(greedy_chosen)
    results = []
    for project in range(m):
        cost = costs[project]
        supporters = prep.supporters[project]
        if project in round_of:
            number, step = round_of[project]
            reason = _selected_reason(number, step, supporters, approval, currency)
            results.append(
                ProjectResult(
                    project_id=ids[project],
                    selected=True,
                    votes=prep.votes[project],
                    cost=cost,
                    paid_per_supporter=step.per_weight if approval else None,
                    reason=reason,
                    supporters=supporters,
                    paid_per_point=None if approval else step.per_weight,
                    round=number,
                    greedy_selected=project in greedy_set,
                )
            )
            continue
        if supporters == 0:
            reason = "Nobody voted for it."
        elif project in final.unaffordable_at_start:
            if supporters == 1:
                had = f"Its only supporter had a share of {money(share, currency)}"
            else:
                had = (
                    f"Its {people(supporters)} had {money(share * supporters, currency)} between them "
                    f"({money(share, currency)} each)"
                )
            reason = f"{had}, even before anything was paid for; it needed {money(cost, currency)}."
        else:
            who = "Its only supporter" if supporters == 1 else f"Its {people(supporters)}"
            between = "" if supporters == 1 else " between them"
            reason = (
                f"{who} had {money(money_left[project], currency)} left{between} after paying towards "
                f"the projects chosen before; it needed {money(cost, currency)}."
            )
        results.append(
            ProjectResult(
                project_id=ids[project],
                selected=False,
                votes=prep.votes[project],
                cost=cost,
                paid_per_supporter=None,
                reason=reason,
                supporters=supporters,
                supporters_money_left=money_left[project] if supporters else None,
                greedy_selected=project in greedy_set,
            )
        )

    chosen = set(final.selected)
    # A voter prefers the outcome that funds more of what they voted for: more of their projects
    # (approval), or projects carrying more of their points (cumulative), as in the comparison
    # step published with Equal Shares results.
    if approval:
        here_flags = [int(p in chosen) for p in range(m)]
        there_flags = [int(p in greedy_set) for p in range(m)]
        here = list(map(sum, map(map, repeat(here_flags.__getitem__), prep.groups_projects)))
        there = list(map(sum, map(map, repeat(there_flags.__getitem__), prep.groups_projects)))
    else:
        here = [sum(points for p, points in items if p in chosen) for items in prep.groups_items]
        there = [sum(points for p, points in items if p in greedy_set) for items in prep.groups_items]
    difference = list(map(sub, here, there))
    prefer_this = sum(compress(prep.groups_mult, map(gt, difference, repeat(0))))
    prefer_greedy = sum(compress(prep.groups_mult, map(lt, difference, repeat(0))))
    indifferent = prep.voters - prefer_this - prefer_greedy
    comparison = Comparison(
        greedy_selected=tuple(ids[p] for p in greedy_chosen),
        greedy_total_cost=sum(costs[p] for p in greedy_chosen),
        only_here=tuple(ids[p] for p in final.selected if p not in greedy_set),
        only_greedy=tuple(ids[p] for p in greedy_chosen if p not in chosen),
        prefer_this=prefer_this,
        prefer_greedy=prefer_greedy,
        indifferent=indifferent,
    )
    ties = []
    for winner, other in final.ties:
        if costs[winner] != costs[other]:
            decided = "lower cost"
        elif prep.votes[winner] != prep.votes[other]:
            decided = "more votes"
        else:
            decided = "lot"
        ties.append(Tie(ids[winner], ids[other], decided))
    return Allocation(
        rule="equal-shares-add1" if completion else "equal-shares",
        selected=tuple(ids[p] for p in final.selected),
        total_cost=final.total_cost,
        voter_share=share,
        projects=tuple(results[p] for p in prep.election_order),
        spent_by_ballot=tuple(groups),
        budget=election.budget,
        voters=prep.voters,
        currency=currency,
        rule_statement=(COMPLETION_RULE if completion else NO_COMPLETION) + " " + TIE_RULE,
        steps=tuple(steps),
        ties=tuple(ties),
        lot_used=prep.lot_used,
        comparison=comparison,
    )


def _selected_reason(number: int, step: Step, supporters: int, approval: bool, currency: str) -> str:
    per = money(step.per_weight, currency)
    text = f"Chosen {ordinal(number)}. "
    unit = "each" if approval else "per point they gave it"
    if step.capped_voters:
        rest = step.paying_voters - step.capped_voters
        text += (
            f"{people(step.capped_voters, 'supporter', 'supporters')} with less money left paid all they had "
            f"({money(step.capped_paid, currency)} between them) and the other {rest:,} paid {per} {unit}."
        )
    elif approval:
        text += f"Its {people(step.paying_voters)} shared the cost equally: {per} each."
    else:
        text += f"Its {people(step.paying_voters)} paid {per} {unit}."
    if step.paying_voters < supporters:
        text += f" ({people(supporters - step.paying_voters, 'supporter', 'supporters')} had no money left by then.)"
    return text
