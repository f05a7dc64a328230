"""Recovery Fund allocation benchmark: the Method of Equal Shares against pabutools.

    python bench/bench_allocation.py                      # 10,000 / 30,000 / 100,000 voters, 150 projects
    python bench/bench_allocation.py --voters 100000 --projects 150 --sizes 100000

Each instance is a seeded, realistic random election: project costs spread like real participatory
budgets (a few large, many small), popularity heavily skewed, voters leaning to one theme, and about
45% of voters choosing a single project (in Wieliczka 2023 it was half). The budget covers about 30% of the
total cost of the projects.

Every measurement runs in its own process (so peak memory is that run's alone):

* "Equal Shares, no completion": ours against pabutools' method_of_equal_shares with Cost_Sat.
  Both must choose the same projects.
* "Equal Shares + completion": ours with the add-one completion rule (the whole rule: every share
  from floor(budget / voters) up to the first that no longer fits). pabutools' own completion stops
  at the first exhaustive outcome, which is a different rule, so it is compared like with like: one
  pabutools run at the per-voter share our completion settled on. Both must choose the same projects.
  The speed-up in that row compares our whole completion with that one pabutools run.

pabutools is GPL-licensed and is used here only to check and time; the product never imports it.
A pabutools run that takes longer than --pabutools-limit seconds is stopped and reported as such.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate(voters: int, projects: int, seed: int = 2026):
    """(budget, costs, ballots as lists of project indexes): a seeded, realistic election."""
    rng = random.Random(seed)
    costs = [max(100, int(round(rng.lognormvariate(10.8, 0.8), -2))) for _ in range(projects)]
    budget = int(sum(costs) * 0.3)
    popularity = [rng.paretovariate(1.2) for _ in range(projects)]
    themes = [rng.randrange(6) for _ in range(projects)]
    by_theme = {
        theme: [p for p in range(projects) if themes[p] == theme] or list(range(projects)) for theme in range(6)
    }
    weights = {theme: [popularity[p] for p in members] for theme, members in by_theme.items()}
    everyone, all_weights = list(range(projects)), popularity
    ballots = []
    for _ in range(voters):
        draw = rng.random()
        length = 1 if draw < 0.45 else rng.randint(2, 4) if draw < 0.8 else rng.randint(5, 10)
        theme = rng.randrange(6)
        chosen: set[int] = set()
        while len(chosen) < min(length, projects):
            if rng.random() < 0.6:
                chosen.add(rng.choices(by_theme[theme], weights=weights[theme])[0])
            else:
                chosen.add(rng.choices(everyone, weights=all_weights)[0])
        ballots.append(sorted(chosen))
    return budget, costs, ballots


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(tool: str, mode: str, voters: int, projects: int, share: int | None) -> dict:
    budget, costs, ballots = generate(voters, projects)
    if tool == "ours":
        from fractions import Fraction

        from rosc.fund.allocation import Election, Project, equal_shares

        election = Election(
            budget,
            tuple(Project(str(p), cost) for p, cost in enumerate(costs)),
            tuple(dict.fromkeys(map(str, ballot), 1) for ballot in ballots),
        )
        before = peak_mb()
        started, wall = time.process_time(), time.perf_counter()
        result = equal_shares(election, completion=mode == "completion")
        seconds, wall = time.process_time() - started, time.perf_counter() - wall
        final = result.voter_share
        return {
            "seconds": seconds,
            "wall": wall,
            "selected": sorted(result.selected),
            "share": str(final) if isinstance(final, Fraction) else None,
            "runs": len(result.steps),
            "start": result.steps[0].share_from if result.steps else None,
            "peak_mb": peak_mb(),
            "data_mb": before,
        }
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance
    from pabutools.election import Project as PabuProject
    from pabutools.rules import method_of_equal_shares

    total = budget if share is None else share * voters
    instance = Instance(budget_limit=total)
    items = [PabuProject(str(p), cost) for p, cost in enumerate(costs)]
    instance.update(items)
    profile = ApprovalProfile([ApprovalBallot([items[p] for p in ballot]) for ballot in ballots])
    before = peak_mb()
    started, wall = time.process_time(), time.perf_counter()
    outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    seconds, wall = time.process_time() - started, time.perf_counter() - wall
    return {
        "seconds": seconds,
        "wall": wall,
        "selected": sorted(p.name for p in outcome),
        "peak_mb": peak_mb(),
        "data_mb": before,
    }


def measure(tool: str, mode: str, voters: int, projects: int, share: int | None = None, limit: float | None = None):
    command = [sys.executable, __file__, "--child", tool, "--mode", mode, "--voters", str(voters)]
    command += ["--projects", str(projects)] + (["--share", str(share)] if share is not None else [])
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(finished.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,30000,100000", help="voter counts for the no-completion rows")
    parser.add_argument("--voters", type=int, default=100000, help="voters for the completion row")
    parser.add_argument("--projects", type=int, default=150)
    parser.add_argument("--pabutools-limit", type=float, default=60.0)
    parser.add_argument("--child", choices=["ours", "pabutools"], help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["plain", "completion"], default="plain", help=argparse.SUPPRESS)
    parser.add_argument("--share", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.mode, args.voters, args.projects, args.share)))
        return

    rows = []
    failures = []
    sizes = [int(size) for size in args.sizes.split(",") if size]
    for voters in sizes:
        print(f"Equal Shares without completion, {voters:,} voters...", flush=True)
        ours = measure("ours", "plain", voters, args.projects)
        theirs = measure("pabutools", "plain", voters, args.projects, limit=args.pabutools_limit)
        rows.append(("Equal Shares, no completion", voters, ours, theirs))
        if theirs and theirs["selected"] != ours["selected"]:
            failures.append(f"different selection without completion at {voters} voters")

    print(f"Equal Shares with completion, {args.voters:,} voters...", flush=True)
    ours = measure("ours", "completion", args.voters, args.projects)
    share = int(ours["share"])
    theirs = measure("pabutools", "plain", args.voters, args.projects, share=share, limit=args.pabutools_limit)
    rows.append(("Equal Shares + completion (*)", args.voters, ours, theirs))
    if theirs and theirs["selected"] != ours["selected"]:
        failures.append("pabutools at our final share chose differently")

    print()
    header = (
        f"{'rule':<31} {'voters':>8} {'projects':>8} {'ours s':>7} {'(wall)':>7} {'pabutools s':>12} "
        f"{'(wall)':>7} {'speed-up':>9} {'ours peak MB':>13} {'pabutools peak MB':>18} {'same result':>12}"
    )
    print(header)
    print("-" * len(header))
    for label, voters, mine, other in rows:
        if other is None:
            their_time, their_wall, speed = f"> {args.pabutools_limit:.0f}", "-", "-"
            their_peak, same = "-", "not run"
        else:
            their_time, their_wall = f"{other['seconds']:.2f}", f"{other['wall']:.2f}"
            speed = f"{other['seconds'] / mine['seconds']:.1f}x"
            their_peak = f"{other['peak_mb']:.0f}"
            same = "yes" if other["selected"] == mine["selected"] else "NO"
        print(
            f"{label:<31} {voters:>8,} {args.projects:>8} {mine['seconds']:>7.2f} {mine['wall']:>7.2f} "
            f"{their_time:>12} {their_wall:>7} {speed:>9} {mine['peak_mb']:>13.0f} {their_peak:>18} {same:>12}"
        )
    print()
    print(
        f"(*) ours: the whole completion rule, shares {ours['start']} to {share} (the last that fitted) settled in "
        f"{ours['runs']} runs of the method; {len(ours['selected'])} projects chosen. pabutools: one run of its "
        f"method_of_equal_shares (Cost_Sat) at a share of {share} per voter, since its own completion "
        "(stop at the first exhaustive outcome) is a different rule."
    )
    plain_at_size = next((other for label, voters, _, other in rows[:-1] if voters == args.voters), None)
    if theirs and plain_at_size:
        shares = share - ours["start"] + 2  # every share tried, up to the first that does not fit
        estimate = shares * (plain_at_size["seconds"] + theirs["seconds"]) / 2
        print(
            f"pabutools counting our completion rule share by share would need {shares} runs: about "
            f"{estimate / 60:.0f} minutes of CPU (estimated from its runs at the first and last share), "
            f"{estimate / ours['seconds']:.0f} times our {ours['seconds']:.1f} s."
        )
    print(
        "Times are CPU seconds of the count alone (wall-clock in brackets: it also counts waiting for the "
        "processor on a shared machine); the speed-up compares CPU seconds. Peak memory is each run's "
        "whole process, including the generated election."
    )
    target = 10.0
    verdict = "within" if ours["seconds"] <= target else "OVER"
    print(
        f"Target: Equal Shares with completion at {args.voters:,} voters in {target:.0f} s: "
        f"{verdict} ({ours['seconds']:.2f} s CPU, {ours['wall']:.2f} s wall-clock)."
    )
    if failures:
        print("FAILED: " + "; ".join(failures))
        sys.exit(1)
    if not math.isfinite(ours["seconds"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
