"""The matching engine: optimal against brute force, capacities respected, ineligible pairs never used."""

from __future__ import annotations

import itertools
import random

import pytest

from rosc.peers.matching import BASE, MAX_SCORE, Mentor, Needs, assign, assign_matrix, score, score_matrix, suggest

SUBSTANCES = ["alcohol", "opioids", "cocaine", "cannabis"]
AREAS = ["chelmsford", "basildon", "harlow"]
SLOTS = ["mon_am", "mon_pm", "tue_eve", "sat_am", "sun_pm"]


def brute_force(scores, capacities):
    """The best total by trying every choice (a mentor or nobody) for every person."""
    rows = len(scores)
    best = 0
    options = [[None] + [c for c, v in enumerate(row) if v is not None] for row in scores]
    for choice in itertools.product(*options):
        used = [0] * len(capacities)
        total = 0
        for r in range(rows):
            c = choice[r]
            if c is None:
                continue
            used[c] += 1
            total += scores[r][c]
        if all(u <= cap for u, cap in zip(used, capacities, strict=True)):
            best = max(best, total)
    return best


def random_people_and_mentors(rng):
    people = [
        Needs(
            key=f"p{n}",
            substances=frozenset(rng.sample(SUBSTANCES, rng.randint(0, 2))),
            languages=frozenset(rng.sample(["english", "polish"], rng.randint(0, 1))),
            gender_preference=rng.choice(["", "", "woman", "man"]),
            area=rng.choice(AREAS),
            in_person_ok=rng.random() < 0.8,
            online_ok=rng.random() < 0.6,
            availability=frozenset(rng.sample(SLOTS, rng.randint(0, 4))),
        )
        for n in range(rng.randint(1, 6))
    ]
    mentors = []
    for n in range(rng.randint(1, 4)):
        capacity = rng.randint(0, 3)
        mentors.append(
            Mentor(
                key=f"m{n}",
                substances=frozenset(rng.sample(SUBSTANCES, rng.randint(0, 3))),
                languages=frozenset(rng.sample(["english", "polish"], rng.randint(1, 2))),
                gender=rng.choice(["woman", "man", "non_binary"]),
                areas=frozenset(rng.sample(AREAS, rng.randint(0, 2))),
                in_person=rng.random() < 0.8,
                online=rng.random() < 0.6,
                availability=frozenset(rng.sample(SLOTS, rng.randint(0, 4))),
                capacity=capacity,
                mentees=rng.randint(0, 1) if capacity else 0,
                checks_ok=rng.random() < 0.8,
            )
        )
    return people, mentors


@pytest.mark.parametrize("seed", range(200))
def test_the_assignment_equals_a_brute_force_optimum_on_a_random_matrix(seed):
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 6), rng.randint(1, 4)
    scores = [[rng.randint(1, 60) if rng.random() < 0.7 else None for _ in range(cols)] for _ in range(rows)]
    capacities = [rng.randint(0, 2) for _ in range(cols)]
    chosen = assign_matrix(scores, capacities)
    total = sum(scores[r][c] for r, c in enumerate(chosen) if c is not None)
    assert total == brute_force(scores, capacities)
    for c, cap in enumerate(capacities):
        assert sum(1 for x in chosen if x == c) <= cap
    assert all(scores[r][c] is not None for r, c in enumerate(chosen) if c is not None)


@pytest.mark.parametrize("seed", range(200))
def test_the_assignment_of_people_to_mentors_is_optimal_and_never_overfills(seed):
    rng = random.Random(10_000 + seed)
    people, mentors = random_people_and_mentors(rng)
    scores = [[(m.score if (m := score(n, x)) else None) for x in mentors] for n in people]
    outcome = assign(people, mentors)
    assert outcome.total == brute_force(scores, [m.spare for m in mentors])
    by_key = {m.key: m for m in mentors}
    used: dict[str, int] = {}
    for person, match in outcome.pairs.items():
        used[match.mentor] = used.get(match.mentor, 0) + 1
        assert by_key[match.mentor].checks_ok, "a mentor whose checks are not in date was assigned"
        needs = next(n for n in people if n.key == person)
        assert score(needs, by_key[match.mentor]) == match
    assert all(count <= by_key[key].spare for key, count in used.items())
    assert set(outcome.pairs) | set(outcome.unmatched) == {n.key for n in people}


@pytest.mark.parametrize("seed", range(50))
def test_the_score_matrix_gives_the_same_numbers_as_score(seed):
    people, mentors = random_people_and_mentors(random.Random(20_000 + seed))
    matrix = score_matrix(people, mentors)
    for r, needs in enumerate(people):
        for c, mentor in enumerate(mentors):
            match = score(needs, mentor)
            assert matrix[r, c] == (match.score if match else 0)
            if match:
                assert BASE <= match.score <= MAX_SCORE


def test_a_mentor_with_an_expired_check_is_never_suggested_or_assigned():
    needs = Needs(key="p", substances=frozenset({"alcohol"}), area="chelmsford")
    perfect_but_expired = Mentor(
        key="expired", substances=frozenset({"alcohol"}), areas=frozenset({"chelmsford"}), capacity=5, checks_ok=False
    )
    weaker = Mentor(key="ok", areas=frozenset({"basildon"}), online=True, capacity=1)
    assert [m.mentor for m in suggest(needs, [perfect_but_expired, weaker])] == ["ok"]
    assert assign([needs], [perfect_but_expired]).unmatched == ["p"]
    assert assign([needs], [perfect_but_expired, weaker]).pairs["p"].mentor == "ok"


def test_suggestions_come_ranked_with_their_reasons():
    needs = Needs(
        key="p",
        substances=frozenset({"alcohol"}),
        languages=frozenset({"polish"}),
        gender_preference="woman",
        area="colchester",
        availability=frozenset({"mon_am"}),
    )
    close = Mentor(
        key="a",
        substances=frozenset({"alcohol"}),
        languages=frozenset({"polish", "english"}),
        gender="woman",
        areas=frozenset({"colchester"}),
        availability=frozenset({"mon_am"}),
        capacity=2,
    )
    online_only = Mentor(key="b", gender="woman", in_person=False, online=True, capacity=2)
    wrong_gender = Mentor(key="c", gender="man", areas=frozenset({"colchester"}), capacity=2)
    ranked = suggest(needs, [online_only, close, wrong_gender])
    assert [m.mentor for m in ranked] == ["a", "b"]
    codes = {r.code for r in ranked[0].reasons}
    assert codes == {"shared_experience", "language", "gender", "area", "availability", "capacity"}
    assert {r.code for r in ranked[1].reasons} == {"gender", "online", "capacity"}


def test_people_stay_unmatched_when_no_mentor_has_a_place():
    people = [Needs(key=f"p{n}", area="harlow") for n in range(3)]
    mentors = [Mentor(key="m", areas=frozenset({"harlow"}), capacity=2, mentees=1)]
    outcome = assign(people, mentors)
    assert len(outcome.pairs) == 1
    assert len(outcome.unmatched) == 2
