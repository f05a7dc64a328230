"""Matching people to peer mentors. Pure Python and scipy: no Django, no database.

Two questions are answered here:

* :func:`suggest` - for one person, the eligible mentors ranked by score, each with the reasons;
* :func:`assign` - for a waiting list, the assignment that maximises the total score while no mentor gets
  more new mentees than they have free places, leaving a person unmatched when no eligible mentor is left.

A pair is *eligible* only when the mentor's checks are in date (DBS and required training), the mentor has a
free place, they can meet (in person in the person's area, or online when both are happy with that), the
person's gender preference (if any) is met, and the mentor is not excluded for this person. Ineligible pairs
are never suggested or assigned. Every weight lives in :data:`WEIGHTS` (documented in ADR 0021).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

# Points for each reason. An eligible pair always scores at least BASE, so it beats "unmatched" (0).
WEIGHTS: dict[str, int] = {
    "shared_experience": 30,  # at least one substance in common (full points when they all match)
    "language": 20,  # they share a language the person asked for
    "gender": 10,  # the person's gender preference is met (a stated preference is also a requirement)
    "area": 15,  # the mentor meets people in person in the person's area
    "online": 8,  # no shared area, but both are happy to meet online
    "availability": 12,  # overlap of the times each can meet (full points at 3 or more shared times)
    "capacity": 5,  # share of the mentor's places still free (spreads the load)
}
BASE = 1
AVAILABILITY_FULL_AT = 3
MAX_SCORE = BASE + sum(WEIGHTS.values()) - WEIGHTS["online"]  # area and online never both count


@dataclass(frozen=True)
class Needs:
    """What one person on the waiting list asked for."""

    key: str
    substances: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    gender_preference: str = ""  # "" for no preference
    area: str = ""
    in_person_ok: bool = True
    online_ok: bool = True
    availability: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()  # mentor keys never to suggest (for example their current mentor)


@dataclass(frozen=True)
class Mentor:
    """What the matching needs to know about one mentor."""

    key: str
    substances: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    gender: str = ""
    areas: frozenset[str] = frozenset()
    in_person: bool = True
    online: bool = True
    availability: frozenset[str] = frozenset()
    capacity: int = 0
    mentees: int = 0
    checks_ok: bool = True  # DBS in date and required training done

    @property
    def spare(self) -> int:
        return max(0, self.capacity - self.mentees)


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    points: int


@dataclass(frozen=True)
class Match:
    mentor: str
    score: int
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Refusal:
    """Why a pair is not eligible (shown to coordinators; never a match)."""

    mentor: str
    reason: str


@dataclass
class Assignment:
    pairs: dict[str, Match] = field(default_factory=dict)  # person key -> match
    unmatched: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(match.score for match in self.pairs.values())


def normalise(values: Iterable[str]) -> frozenset[str]:
    """Words compared case-blind: callers pass languages and areas through this."""
    return frozenset(v.strip().lower() for v in values if v and v.strip())


def ineligibility(needs: Needs, mentor: Mentor) -> str:
    """Why this pair may not be matched, or "" when it may."""
    if not mentor.checks_ok:
        return "Their DBS check or required training is not in date"
    if mentor.spare <= 0:
        return "No free places"
    if mentor.key in needs.exclude:
        return "Already their mentor, or excluded"
    if needs.gender_preference and mentor.gender != needs.gender_preference:
        return "Does not meet the gender preference"
    in_area = bool(needs.area) and needs.area in mentor.areas
    meets_in_person = needs.in_person_ok and mentor.in_person and in_area
    meets_online = needs.online_ok and mentor.online
    if not (meets_in_person or meets_online):
        return "Cannot meet: not in their area in person, and not both online"
    return ""


def score(needs: Needs, mentor: Mentor) -> Match | None:
    """The pair's score with its reasons, or None when the pair is not eligible."""
    if ineligibility(needs, mentor):
        return None
    reasons: list[Reason] = []
    shared = needs.substances & mentor.substances
    if shared:
        points = round(WEIGHTS["shared_experience"] * len(shared) / len(needs.substances))
        reasons.append(Reason("shared_experience", f"Shared lived experience ({len(shared)} in common)", points))
    if needs.languages & mentor.languages:
        reasons.append(Reason("language", "Speaks a language they asked for", WEIGHTS["language"]))
    if needs.gender_preference:
        reasons.append(Reason("gender", "Meets their gender preference", WEIGHTS["gender"]))
    in_area = bool(needs.area) and needs.area in mentor.areas
    if needs.in_person_ok and mentor.in_person and in_area:
        reasons.append(Reason("area", "Meets in person in their area", WEIGHTS["area"]))
    elif needs.online_ok and mentor.online:
        reasons.append(Reason("online", "Both happy to meet online", WEIGHTS["online"]))
    overlap = len(needs.availability & mentor.availability)
    if overlap:
        points = round(WEIGHTS["availability"] * min(overlap, AVAILABILITY_FULL_AT) / AVAILABILITY_FULL_AT)
        reasons.append(Reason("availability", f"Free at the same times ({overlap} in common)", points))
    points = round(WEIGHTS["capacity"] * mentor.spare / max(mentor.capacity, 1))
    if points:
        reasons.append(Reason("capacity", f"{mentor.spare} of {mentor.capacity} places free", points))
    return Match(mentor=mentor.key, score=BASE + sum(r.points for r in reasons), reasons=tuple(reasons))


def suggest(needs: Needs, mentors: Iterable[Mentor], *, limit: int = 10) -> list[Match]:
    """Eligible mentors for one person, best first (ties by mentor key, so the order is stable)."""
    found = [m for m in (score(needs, mentor) for mentor in mentors) if m is not None]
    found.sort(key=lambda m: (-m.score, m.mentor))
    return found[:limit]


def assign_matrix(scores: Sequence[Sequence[int | None]], capacities: Sequence[int]) -> list[int | None]:
    """The optimal assignment for a score matrix (rows people, columns mentors; None = not eligible).

    Returns, for each row, the column it is assigned to or None. Maximises the total score; no column
    gets more rows than its capacity; an ineligible cell is never used. Each mentor is repeated once for
    each free place and the rectangular assignment problem is solved with scipy's
    ``linear_sum_assignment`` (a modified Jonker-Volgenant algorithm). Ineligible cells score 0, and an
    eligible pair scores at least 1, so dropping 0-score pairs afterwards leaves an optimum in which
    people with no eligible mentor left stay unmatched.
    """
    rows = len(scores)
    result: list[int | None] = [None] * rows
    columns = [c for c, cap in enumerate(capacities) for _ in range(max(0, cap))]
    if not rows or not columns:
        return result
    matrix = np.zeros((rows, len(capacities)), dtype=np.int64)
    for r, row in enumerate(scores):
        for c, value in enumerate(row):
            if value is not None:
                if value < 1:
                    raise ValueError("An eligible pair must score at least 1.")
                matrix[r, c] = value
    expanded = matrix[:, np.asarray(columns, dtype=np.intp)]
    row_ind, col_ind = linear_sum_assignment(expanded, maximize=True)
    for r, c in zip(row_ind.tolist(), col_ind.tolist(), strict=True):
        mentor = columns[c]
        if scores[r][mentor] is not None:
            result[r] = mentor
    return result


def _one_hot(rows: Sequence[frozenset[str]], index: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(rows), max(len(index), 1)), dtype=np.int32)
    for r, values in enumerate(rows):
        for value in values:
            matrix[r, index[value]] = 1
    return matrix


def _vocabulary(*groups: Iterable[frozenset[str]]) -> dict[str, int]:
    words: set[str] = set()
    for group in groups:
        for values in group:
            words |= values
    return {word: n for n, word in enumerate(sorted(words))}


def score_matrix(people: Sequence[Needs], mentors: Sequence[Mentor]) -> np.ndarray:
    """Every pair's score at once (rows people, columns mentors; 0 = not eligible).

    The same numbers as :func:`score`, computed with whole-array operations so that a waiting list of
    thousands is scored in a fraction of a second; a test holds the two to each other.
    """
    shape = (len(people), len(mentors))
    if not people or not mentors:
        return np.zeros(shape, dtype=np.int64)

    def overlap(p_sets: list[frozenset[str]], m_sets: list[frozenset[str]]) -> np.ndarray:
        index = _vocabulary(p_sets, m_sets)
        return _one_hot(p_sets, index) @ _one_hot(m_sets, index).T

    shared = overlap([n.substances for n in people], [m.substances for m in mentors])
    wanted = np.array([len(n.substances) for n in people], dtype=np.float64)[:, None]
    shared_points = np.where(
        shared > 0, np.rint(WEIGHTS["shared_experience"] * shared / np.maximum(wanted, 1)), 0
    ).astype(np.int64)
    language = overlap([n.languages for n in people], [m.languages for m in mentors]) > 0
    in_area = overlap([frozenset({n.area}) if n.area else frozenset() for n in people], [m.areas for m in mentors]) > 0
    times = overlap([n.availability for n in people], [m.availability for m in mentors])
    full = AVAILABILITY_FULL_AT
    time_points = np.where(times > 0, np.rint(WEIGHTS["availability"] * np.minimum(times, full) / full), 0)

    genders = {g: n for n, g in enumerate(sorted({m.gender for m in mentors} | {n.gender_preference for n in people}))}
    preference = np.array([genders[n.gender_preference] if n.gender_preference else -1 for n in people])[:, None]
    mentor_gender = np.array([genders[m.gender] for m in mentors])[None, :]
    gender_ok = (preference == -1) | (preference == mentor_gender)

    def column(values: list[bool]) -> np.ndarray:
        return np.array(values, dtype=bool)[:, None]

    def row(values: list[bool]) -> np.ndarray:
        return np.array(values, dtype=bool)[None, :]

    in_person = column([n.in_person_ok for n in people]) & row([m.in_person for m in mentors]) & in_area
    online = column([n.online_ok for n in people]) & row([m.online for m in mentors])
    eligible = row([m.checks_ok and m.spare > 0 for m in mentors]) & gender_ok & (in_person | online)
    positions = {m.key: c for c, m in enumerate(mentors)}
    for r, needs in enumerate(people):
        for key in needs.exclude:
            if key in positions:
                eligible[r, positions[key]] = False
    capacity_points = np.array(
        [round(WEIGHTS["capacity"] * m.spare / max(m.capacity, 1)) for m in mentors], dtype=np.int64
    )[None, :]
    total = (
        BASE
        + shared_points
        + np.where(language, WEIGHTS["language"], 0)
        + np.where(preference != -1, WEIGHTS["gender"], 0)
        + np.where(in_person, WEIGHTS["area"], np.where(online, WEIGHTS["online"], 0))
        + time_points.astype(np.int64)
        + capacity_points
    )
    return np.where(eligible, total, 0).astype(np.int64)


def assign(people: Sequence[Needs], mentors: Sequence[Mentor]) -> Assignment:
    """The best assignment for a whole waiting list, explainable pair by pair."""
    outcome = Assignment()
    matrix = score_matrix(people, mentors)
    columns = np.repeat(np.arange(len(mentors), dtype=np.intp), [m.spare for m in mentors])
    if len(people) and len(columns):
        row_ind, col_ind = linear_sum_assignment(matrix[:, columns], maximize=True)
        chosen = {r: int(columns[c]) for r, c in zip(row_ind.tolist(), col_ind.tolist(), strict=True)}
    else:
        chosen = {}
    for r, needs in enumerate(people):
        column = chosen.get(r)
        match = score(needs, mentors[column]) if column is not None and matrix[r, column] > 0 else None
        if match is None:
            outcome.unmatched.append(needs.key)
        else:
            outcome.pairs[needs.key] = match
    return outcome
