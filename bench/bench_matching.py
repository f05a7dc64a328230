"""Peer mentor matching benchmark: the optimal assignment of a whole waiting list.

    python bench/bench_matching.py                       # 1,000 people, 300 mentors, 5 rounds
    python bench/bench_matching.py --people 2000 --mentors 600 --rounds 3

Each round builds a seeded, realistic instance (mentors with 1-5 places, some already in use, about 5% with
an expired DBS check; people with one or two substances, an area, sometimes a language or gender preference,
mostly happy to meet online) and times ``rosc.peers.matching.assign``: scoring every pair with its reasons
and solving the assignment with scipy. Target: at most 2 s for 1,000 people and 300 mentors.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rosc.peers.matching import Mentor, Needs, assign  # noqa: E402

SUBSTANCES = ["alcohol", "opioids", "cocaine", "cannabis", "benzodiazepines", "stimulants", "gambling"]
AREAS = ["Basildon", "Braintree", "Brentwood", "Castle Point", "Chelmsford", "Colchester", "Epping Forest", "Harlow"]
LANGUAGES = ["english", "polish", "romanian", "urdu", "bengali", "portuguese"]
GENDERS = ["woman", "man", "non_binary"]
SLOTS = [f"{day}_{time}" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") for time in ("am", "pm", "eve")]
TARGET_SECONDS = 2.0


def instance(people: int, mentors: int, seed: int) -> tuple[list[Needs], list[Mentor]]:
    rng = random.Random(seed)
    mentor_rows = []
    for n in range(mentors):
        capacity = rng.randint(1, 5)
        mentor_rows.append(
            Mentor(
                key=f"m{n}",
                substances=frozenset(rng.sample(SUBSTANCES, rng.randint(1, 3))),
                languages=frozenset({"english"} | ({rng.choice(LANGUAGES)} if rng.random() < 0.3 else set())),
                gender=rng.choice(GENDERS[:2]) if rng.random() < 0.95 else "non_binary",
                areas=frozenset(rng.sample(AREAS, rng.randint(1, 3))),
                in_person=rng.random() < 0.9,
                online=rng.random() < 0.7,
                availability=frozenset(rng.sample(SLOTS, rng.randint(3, 10))),
                capacity=capacity,
                mentees=rng.randint(0, capacity - 1),
                checks_ok=rng.random() >= 0.05,
            )
        )
    need_rows = []
    for n in range(people):
        need_rows.append(
            Needs(
                key=f"p{n}",
                substances=frozenset(rng.sample(SUBSTANCES, rng.randint(1, 2))),
                languages=frozenset({rng.choice(LANGUAGES)}) if rng.random() < 0.2 else frozenset(),
                gender_preference=rng.choice(GENDERS[:2]) if rng.random() < 0.3 else "",
                area=rng.choice(AREAS),
                in_person_ok=rng.random() < 0.9,
                online_ok=rng.random() < 0.6,
                availability=frozenset(rng.sample(SLOTS, rng.randint(2, 8))),
            )
        )
    return need_rows, mentor_rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--mentors", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    timings, matched, totals, places = [], [], [], []
    for round_number in range(args.rounds):
        people, mentors = instance(args.people, args.mentors, seed=2026 + round_number)
        started = time.perf_counter()
        outcome = assign(people, mentors)
        timings.append(time.perf_counter() - started)
        matched.append(len(outcome.pairs))
        totals.append(outcome.total)
        places.append(sum(m.spare for m in mentors if m.checks_ok))
        per_mentor: dict[str, int] = {}
        for match in outcome.pairs.values():
            per_mentor[match.mentor] = per_mentor.get(match.mentor, 0) + 1
        spare = {m.key: m.spare for m in mentors}
        assert all(count <= spare[key] for key, count in per_mentor.items()), "a mentor was over-filled"
        assert all(m.checks_ok for m in mentors if m.key in per_mentor), "a mentor with expired checks was assigned"
    p50, worst = statistics.median(timings), max(timings)
    print(f"Peer mentor matching: {args.people:,} people, {args.mentors:,} mentors, {args.rounds} rounds")
    print()
    print("| Round | Free places (checks in date) | People matched | Total score | Seconds |")
    print("|---|---|---|---|---|")
    for n in range(args.rounds):
        print(f"| {n + 1} | {places[n]:,} | {matched[n]:,} | {totals[n]:,} | {timings[n]:.3f} |")
    print()
    verdict = "met" if worst <= TARGET_SECONDS else "MISSED"
    print(f"p50 {p50:.3f} s, max {worst:.3f} s (target {TARGET_SECONDS:.1f} s): {verdict}")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
