"""The pathway engine: from someone's answers and the directory, a personal, stepped plan.

Pure Python: no Django, no database. Plain data in (``Answers`` and
``ServiceFacts``), plain data out (``Plan``). ``selectors.pathway_for`` gathers
the directory candidates with a fixed number of queries and calls this module
twice: ``shortlist`` picks the few services worth reading in full, then
``build`` makes the plan from those.

How a plan is made
------------------

1. **Safety first.** If anyone is in danger now, the plan opens with the crisis
   routes (999, NHS 111's mental health option, Samaritans, and the police on 101
   when someone is at risk of harm) and the nearest crisis services in the
   directory.
2. **One step for each need**, in this order: treatment and support for the
   drink or drugs; support for the family member themselves (when someone asks
   for a person they care about); staying safer (naloxone, harm reduction) when
   they use opioids or other drugs where an overdose or infection is a risk;
   each other thing they said is going on (mental health, housing, money and
   work, family and children, the law, physical health, pregnancy, having served
   in the armed forces); then peer support and the nearest recovery space, which
   every plan offers. Someone who wants to talk to people with lived experience
   gets peer support straight after treatment.
3. **Which services.** For each step a service must give one of the step's
   kinds of help, be open, be one the person can use (a place to visit within
   the search radius, which is ``RADIUS_KM`` or less where the directory is
   dense, see ``selectors.search_radius``; or a service that works from
   anywhere: online or by phone with no place to visit, or covering the whole
   area) and be for them: a service
   tagged with drink or drugs must share one with the answers; a service only
   for a group (women, men, pregnant people, veterans, young people, older
   adults, people in contact with the justice system) is offered only when the
   answers put the person in that group; and the age they gave must fall in the
   service's ages. Services are then scored (see ``_score``): the needs they help
   with, the kind of help that suits the substance best, nearness, the ways of
   getting help the person asked for, evenings and weekends, places free and
   short waits (more so when help is wanted soon), language, the worker they
   would prefer, and lived experience. The best three are shown (two recovery
   spaces), each with the reasons it was chosen. A service an earlier step has
   shown makes way for others in later steps, except in treatment and the
   nearest recovery space.
6. **Asking for support.** ``Match.can_ask`` marks the services a person can
   ask from the plan: not emergency lines, not self-run meetings.
4. **Nothing fits?** The step says so and offers the nearest alternatives: the
   same kind of help without the narrower needs (for a step only for a group,
   general treatment), near places first, then those from anywhere.
5. **What to do today.** Each step ends with things the person can do now,
   built from the best match (its phone number or opening times) and plain advice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import time

from rosc.directory import geo, search
from rosc.frontdoor.answers import AGE_RANGES, LANGUAGES, SUBSTANCE_WORDS, Answers

# A place to visit counts as near when it is within this distance (about 15 miles).
RADIUS_KM = 25.0
# How many services each step shows, and how many of each step the selector reads in full.
SHOWN = 3
SHOWN_SPACES = 2
SHORTLIST = 5
ALTERNATIVES = 3

SUBSTANCE_CODES = frozenset(SUBSTANCE_WORDS)
# Needs that say a service is only for a group of people.
GROUP_ONLY = frozenset(
    {
        "pregnancy",
        "women-only",
        "men-only",
        "veteran",
        "young-people",
        "older-adults",
        "criminal-justice-involvement",
    }
)
TREATMENT = frozenset({"clinical-treatment", "prescribing", "community-detox", "psychosocial-support"})
EVERY_KIND = frozenset(
    {
        "clinical-treatment",
        "community-detox",
        "prescribing",
        "inpatient-detox",
        "residential-rehab",
        "psychosocial-support",
        "peer-support",
        "mutual-aid",
        "recovery-community-space",
        "mental-health",
        "housing",
        "employment-training",
        "family-support",
        "criminal-justice",
        "harm-reduction",
        "online-telehealth",
    }
)
# Substances where an overdose, or an infection from injecting, is a real risk.
SAFER_USE = frozenset({"opiates", "crack-cocaine", "amphetamines", "chemsex", "benzodiazepines"})
# Steps that show their best services even when an earlier step showed them too.
KEEP_REPEATS = frozenset({"treatment", "space"})
NATIONAL_CRISIS_NUMBERS = frozenset({"999", "111", "116123"})
EVENING = time(18, 0)

# Plain words for why a kind of help suits, by taxonomy code.
KIND_WORDS = {
    "clinical-treatment": "Drug and alcohol treatment with a keyworker",
    "prescribing": "Can prescribe substitute medicines, such as methadone or buprenorphine",
    "community-detox": "Can help with a safe detox at home",
    "inpatient-detox": "A detox on a specialist ward, with doctors and nurses",
    "psychosocial-support": "Talking support and recovery groups",
    "peer-support": "Support from people with their own experience of recovery",
    "mutual-aid": "A free meeting where people in recovery support each other",
    "recovery-community-space": "A welcoming recovery space you can drop in to",
    "mental-health": "Mental health support",
    "housing": "Help with housing",
    "employment-training": "Help with work, training and volunteering",
    "family-support": "Support for families",
    "criminal-justice": "Drug and alcohol workers who work with the police, courts and probation",
    "harm-reduction": "Harm reduction: naloxone, clean equipment and health checks",
    "crisis": "Urgent help when someone is at risk",
}
NEED_WORDS = {
    "family-friend": "For family members and friends",
    "parent-carer": "For parents and carers",
    "young-people": "For young people under 18",
    "young-adults": "Shaped for young adults aged 18 to 25",
    "older-adults": "Shaped for people aged 50 and over",
    "student": "For students",
    "mental-health-need": "Helps with mental health too",
    "no-stable-housing": "For people with no stable home",
    "pregnancy": "For people who are pregnant or have a new baby",
    "veteran": "For people who served in the armed forces",
    "criminal-justice-involvement": "For people in contact with the police, courts or probation",
    "women-only": "A women-only service",
    "men-only": "A men-only service",
    "language": "Support in other languages",
}


# --- The directory, as the engine sees it ---------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    town: str = ""
    location_id: str = ""


@dataclass(frozen=True)
class Opening:
    days: str  # 'MO,WE' as in the directory
    opens: time | None = None
    closes: time | None = None
    note: str = ""

    @property
    def is_evening(self) -> bool:
        return bool(
            (self.closes is not None and self.closes > EVENING)
            or (self.opens is not None and self.opens >= time(17, 0))
            or (self.opens is not None and self.closes is not None and self.closes < self.opens)
        )

    @property
    def is_weekend(self) -> bool:
        return any(day.strip()[-2:] in ("SA", "SU") for day in self.days.split(","))

    def describe(self) -> str:
        text = search.describe_opening(self.days, self.opens, self.closes)
        if self.note and self.note.lower() not in text.lower():
            text = f"{text} ({self.note})" if text else self.note
        return text


@dataclass(frozen=True)
class ServiceFacts:
    """One directory service. The first group of fields is read for every
    candidate; the rest only for the shortlist (``selectors``)."""

    id: str
    name: str
    domains: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    in_person: bool = True
    online: bool = False
    phone: bool = False
    county_wide: bool = False
    has_capacity: bool | None = None
    wait_weeks: int | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    places: tuple[Place, ...] = ()
    # Read for the shortlist only.
    organisation: str = ""
    openings: tuple[Opening, ...] = ()
    languages: frozenset[str] = frozenset()  # ISO codes; "" stands for "interpreters can be booked"
    phones: tuple[str, ...] = ()
    what_to_expect: str = ""
    eligibility: str = ""
    url: str = ""
    is_illustrative: bool = False
    detailed: bool = False

    @property
    def substances(self) -> frozenset[str]:
        return self.needs & SUBSTANCE_CODES

    @property
    def public_id(self) -> str:
        """The id as the directory's addresses spell it (a UUID with dashes), when it is one."""
        try:
            return str(uuid.UUID(self.id))
        except ValueError:
            return self.id


# --- The plan ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A way to get urgent help that does not depend on the directory."""

    number: str
    title: str
    detail: str


@dataclass(frozen=True)
class Match:
    service: ServiceFacts
    reasons: tuple[str, ...]
    distance_km: float | None
    near: bool  # has a place to visit within the search radius
    town: str = ""
    expect: str = ""
    can_ask: bool = False  # the person can ask this service for support from the pathway

    @property
    def distance(self) -> str:
        return search.format_distance(self.distance_km) if self.distance_km is not None else ""


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    why: str
    matches: tuple[Match, ...] = ()
    no_match: str = ""
    alternatives: tuple[Match, ...] = ()
    today: tuple[str, ...] = ()
    for_asker: bool = False  # about the family member asking, not the person who uses

    @property
    def services(self) -> tuple[Match, ...]:
        return self.matches + self.alternatives


@dataclass(frozen=True)
class Crisis:
    reasons: tuple[str, ...]
    routes: tuple[Route, ...]
    advice: tuple[str, ...]
    services: tuple[Match, ...] = ()


@dataclass(frozen=True)
class Plan:
    answers: Answers
    crisis: Crisis | None
    steps: tuple[Step, ...]
    subject: str
    place: str = ""
    radius_km: float = RADIUS_KM

    @property
    def radius_miles(self) -> int:
        return max(1, round(geo.km_to_miles(self.radius_km)))

    def step(self, key: str) -> Step | None:
        return next((step for step in self.steps if step.key == key), None)


# --- Steps ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    key: str
    domains: frozenset[str]
    lift: frozenset[str] = frozenset()  # needs that make a service a better fit
    require: frozenset[str] = frozenset()  # needs a service must help with (one of)
    substance_fit: bool = False  # a service tagged with substances must share one with the answers
    preferred: frozenset[str] = frozenset()  # kinds of help that suit best
    allow: frozenset[str] = frozenset()  # group-only needs welcome in this step whatever the answers
    for_asker: bool = False  # the service is for the family member asking
    shown: int = SHOWN


def _circumstance_lifts(answers: Answers) -> set[str]:
    lifts: set[str] = set(answers.substances)
    age_lift = {"under-18": "young-people", "18-25": "young-adults", "50-plus": "older-adults"}.get(answers.age)
    if age_lift:
        lifts.add(age_lift)
    by_need = {
        "student": "student",
        "mental-health": "mental-health-need",
        "housing": "no-stable-housing",
        "family-children": "parent-carer",
        "pregnancy": "pregnancy",
        "veteran": "veteran",
        "legal": "criminal-justice-involvement",
    }
    lifts |= {code for need, code in by_need.items() if need in answers.other_needs}
    if answers.worker_gender == "woman":
        lifts.add("women-only")
    elif answers.worker_gender == "man":
        lifts.add("men-only")
    if answers.language:
        lifts.add("language")
    return lifts


def groups_open(answers: Answers, *, for_asker: bool) -> frozenset[str]:
    """The group-only needs the answers put the person in (the asker: only the worker they prefer)."""
    found: set[str] = set()
    if answers.worker_gender == "woman":
        found.add("women-only")
    elif answers.worker_gender == "man":
        found.add("men-only")
    if for_asker and answers.is_family:
        return frozenset(found)
    if answers.age == "under-18":
        found.add("young-people")
    if answers.age == "50-plus":
        found.add("older-adults")
    for need, code in (("pregnancy", "pregnancy"), ("veteran", "veteran"), ("legal", "criminal-justice-involvement")):
        if need in answers.other_needs:
            found.add(code)
    return frozenset(found)


def step_specs(answers: Answers) -> list[StepSpec]:
    """The steps of a plan for these answers, in order (crisis help is not a step)."""
    lifts = frozenset(_circumstance_lifts(answers))
    family = answers.is_family
    preferred: set[str] = set()
    if "opiates" in answers.substances:
        preferred.add("prescribing")
    if "alcohol" in answers.substances:
        preferred.add("community-detox")
    specs = [
        StepSpec("treatment", TREATMENT, lift=lifts, substance_fit=True, preferred=frozenset(preferred)),
    ]
    if family:
        for_you = {"family-friend"}
        if answers.relationship == "parent" or "family-children" in answers.other_needs:
            for_you.add("parent-carer")
        specs.append(StepSpec("family", frozenset({"family-support"}), lift=frozenset(for_you), for_asker=True))
    if set(answers.substances) & SAFER_USE:
        safer_lift = lifts | ({"family-friend"} if family else set())
        specs.append(StepSpec("safer", frozenset({"harm-reduction"}), lift=frozenset(safer_lift), substance_fit=True))
    other = answers.other_needs
    if "mental-health" in other:
        specs.append(StepSpec("mental-health", frozenset({"mental-health"}), lift=lifts))
    if "housing" in other:
        specs.append(StepSpec("housing", frozenset({"housing"}), lift=lifts))
    if "money-work" in other:
        specs.append(StepSpec("money-work", frozenset({"employment-training"}), lift=lifts))
    if "family-children" in other:
        specs.append(
            StepSpec(
                "family-children",
                frozenset({"family-support"}),
                lift=lifts | {"parent-carer", "young-people"},
                allow=frozenset({"young-people"}),
            )
        )
    if "legal" in other:
        specs.append(StepSpec("legal", frozenset({"criminal-justice"}), lift=lifts))
    if "physical-health" in other:
        specs.append(
            StepSpec(
                "physical-health", frozenset({"inpatient-detox", "harm-reduction"}), lift=lifts, substance_fit=True
            )
        )
    if "pregnancy" in other:
        specs.append(StepSpec("pregnancy", EVERY_KIND, lift=lifts, require=frozenset({"pregnancy"})))
    if "veteran" in other:
        specs.append(StepSpec("veteran", EVERY_KIND, lift=lifts, require=frozenset({"veteran"})))
    peer_lift = lifts | ({"family-friend", "family-support"} if family else set())
    peer = StepSpec("peer", frozenset({"peer-support", "mutual-aid"}), lift=frozenset(peer_lift), for_asker=family)
    space = StepSpec(
        "space",
        frozenset({"recovery-community-space"}),
        lift=frozenset(peer_lift),
        for_asker=family,
        shown=SHOWN_SPACES,
    )
    if answers.lived_experience:
        specs.insert(1, peer)
    else:
        specs.append(peer)
    specs.append(space)
    return specs


def kinds_wanted(answers: Answers) -> frozenset[str]:
    """Every kind of help (and required need) some step looks for: the selector reads only these services."""
    wanted: set[str] = set()
    for spec in step_specs(answers):
        wanted |= spec.domains | spec.require
    if answers.in_danger:
        wanted.add("crisis")
    return frozenset(wanted)


# --- Choosing services -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Located:
    service: ServiceFacts
    distance_km: float | None
    near: bool
    town: str
    radius_km: float = RADIUS_KM

    @property
    def from_anywhere(self) -> bool:
        s = self.service
        return s.county_wide or ((s.online or s.phone) and not s.places)


def _locate(service: ServiceFacts, answers: Answers, radius_km: float) -> _Located | None:
    """How far the service is, or None when the person cannot use it from where they are."""
    best: tuple[float, str] | None = None
    if answers.has_place:
        assert answers.latitude is not None
        assert answers.longitude is not None
        for place in service.places:
            km = geo.distance_km(answers.latitude, answers.longitude, place.latitude, place.longitude)
            if best is None or km < best[0]:
                best = (km, place.town)
    near = bool(best and best[0] <= radius_km)
    located = _Located(service, best[0] if best else None, near, best[1] if best else "", radius_km)
    if located.near or located.from_anywhere:
        return located
    return None


def _age_fits(service: ServiceFacts, answers: Answers, spec: StepSpec) -> bool:
    if spec.for_asker and answers.is_family:
        low, high = 18, 120  # the family member asking is an adult
    elif answers.age in AGE_RANGES:
        low, high = AGE_RANGES[answers.age]
    else:
        return True
    if service.minimum_age is not None and service.minimum_age > high:
        return False
    return not (service.maximum_age is not None and service.maximum_age < low)


def _fits(located: _Located, spec: StepSpec, answers: Answers, *, strict: bool = True) -> bool:
    service = located.service
    if not service.domains & spec.domains:
        return False
    if spec.require and not service.needs & spec.require:
        return False
    groups = service.needs & GROUP_ONLY
    if groups and not groups & (groups_open(answers, for_asker=spec.for_asker) | spec.allow | spec.require):
        return False
    if not _age_fits(service, answers, spec):
        return False
    if strict and spec.substance_fit and answers.substances and service.substances:
        return bool(service.substances & set(answers.substances))
    return True


def _score(located: _Located, spec: StepSpec, answers: Answers) -> float:
    """Higher is better. The weights say what matters most: helping with what the
    person named, then being near, then fitting how and when they can get help."""
    service = located.service
    score = 3.0 * len(service.needs & spec.lift)
    if service.domains & spec.preferred:
        score += 2.0
    if located.near and located.distance_km is not None:
        score += 2.0 + 4.0 * (1.0 - located.distance_km / located.radius_km)
    else:
        score += 2.0 if (answers.online_ok or {"online", "phone"} & set(answers.modes)) else 1.0
    if answers.modes:
        offered = {"in_person": service.in_person and located.near, "online": service.online, "phone": service.phone}
        score += 1.5 if any(offered[mode] for mode in answers.modes) else -4.0
    weight = 2.0 if answers.is_urgent else 1.0
    if service.has_capacity:
        score += weight
    if service.wait_weeks is not None:
        if service.wait_weeks <= 2:
            score += weight
        elif service.wait_weeks > search.SHORT_WAIT_WEEKS:
            score -= weight
    if answers.evenings_weekends and any(o.is_evening or o.is_weekend for o in service.openings):
        score += 1.5
    if answers.language and answers.language in service.languages:
        score += 3.0
    elif answers.language and "" in service.languages:
        score += 1.0
    if answers.lived_experience and service.domains & {"peer-support", "mutual-aid"}:
        score += 2.0
    return score


def _ranked(candidates: Sequence[_Located], spec: StepSpec, answers: Answers, *, strict: bool = True) -> list[_Located]:
    chosen = [located for located in candidates if _fits(located, spec, answers, strict=strict)]
    if spec.key == "space" and not answers.has_place:
        # With no place there is no nearest: list the spaces by name.
        return sorted(chosen, key=lambda c: (c.service.name.lower(), c.service.id))
    return sorted(
        chosen,
        key=lambda c: (
            -round(_score(c, spec, answers), 6),
            c.distance_km if c.distance_km is not None else float("inf"),
            c.service.name.lower(),
            c.service.id,
        ),
    )


def _alternatives(candidates: Sequence[_Located], spec: StepSpec, answers: Answers) -> list[_Located]:
    """When nothing fits: the same kind of help without the narrower needs, nearest first."""
    relaxed = replace(spec, require=frozenset(), allow=spec.allow | GROUP_ONLY)
    found = [c for c in candidates if _fits(c, relaxed, answers, strict=False)]
    if not found and spec.require:
        # Nothing for this group at all: general treatment is the nearest thing.
        general = replace(relaxed, domains=TREATMENT)
        found = [c for c in candidates if _fits(c, general, answers, strict=False)]
    return sorted(
        found,
        key=lambda c: (
            0 if c.near else 1,
            c.distance_km if c.distance_km is not None else float("inf"),
            c.service.name.lower(),
            c.service.id,
        ),
    )


def _crisis_ranked(candidates: Sequence[_Located], answers: Answers) -> list[_Located]:
    spec = StepSpec("crisis", frozenset({"crisis"}), lift=frozenset({"mental-health-need"}))
    chosen = [c for c in candidates if _fits(c, spec, answers)]
    return sorted(
        chosen,
        key=lambda c: (
            0 if c.near else 1,
            c.distance_km if c.distance_km is not None else float("inf"),
            c.service.name.lower(),
            c.service.id,
        ),
    )


def _located_all(candidates: Iterable[ServiceFacts], answers: Answers, radius_km: float) -> list[_Located]:
    found = []
    seen: set[str] = set()
    for service in candidates:
        if service.id in seen:
            continue
        seen.add(service.id)
        located = _locate(service, answers, radius_km)
        if located is not None:
            found.append(located)
    return found


def _demoted(ranked: list[_Located], spec: StepSpec, shown: set[str]) -> list[_Located]:
    """A step's services with those an earlier step already showed moved last (see ``build``)."""
    if spec.key in KEEP_REPEATS:
        return ranked
    return [c for c in ranked if c.service.id not in shown] + [c for c in ranked if c.service.id in shown]


def shortlist(
    answers: Answers, candidates: Iterable[ServiceFacts], *, size: int = SHORTLIST, radius_km: float = RADIUS_KM
) -> list[str]:
    """The ids of the services worth reading in full: the best few of every step (as ``build``
    will order them, and as they come before services shown earlier are moved last), the
    alternatives of steps where nothing fits, and the nearest crisis services."""
    located = _located_all(candidates, answers, radius_km)
    ids: list[str] = []

    def take(items: Sequence[_Located], limit: int) -> None:
        for item in items[:limit]:
            if item.service.id not in ids:
                ids.append(item.service.id)

    if answers.in_danger:
        # The national lines are left out of the crisis services shown (they are routes already).
        take(_crisis_ranked(located, answers), size + len(NATIONAL_CRISIS_NUMBERS))
    shown: set[str] = set()
    for spec in step_specs(answers):
        ranked = _ranked(located, spec, answers)
        demoted = _demoted(ranked, spec, shown)
        take(ranked, size)
        take(demoted, size)
        shown |= {item.service.id for item in demoted[: spec.shown]}
        if len(ranked) < spec.shown:
            take(_alternatives(located, spec, answers), ALTERNATIVES + spec.shown)
    return ids


# --- Explaining ---------------------------------------------------------------------------------------------------


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _modes_text(service: ServiceFacts, near: bool) -> list[str]:
    ways = []
    if service.in_person and (near or not service.places):
        ways.append("in person")
    if service.online:
        ways.append("online")
    if service.phone:
        ways.append("by phone")
    return ways


def reasons_for(located: _Located, spec: StepSpec, answers: Answers, *, alternative: bool = False) -> tuple[str, ...]:
    """Why a service was chosen: need, place, how, when, capacity and wait, who it is for."""
    service = located.service
    reasons: list[str] = []
    substances = sorted(service.substances & set(answers.substances), key=list(SUBSTANCE_WORDS).index)
    if substances:
        reasons.append("Helps with " + _join([SUBSTANCE_WORDS[code] for code in substances]))
    for code in sorted(service.needs & spec.lift - SUBSTANCE_CODES):
        if code in NEED_WORDS:
            reasons.append(NEED_WORDS[code])
    kinds = [KIND_WORDS[code] for code in sorted(service.domains & spec.domains) if code in KIND_WORDS]
    preferred = [KIND_WORDS[code] for code in sorted(service.domains & spec.preferred) if code in KIND_WORDS]
    for text in preferred or kinds[:1]:
        reasons.append(text)
    if located.near and located.distance_km is not None:
        where = search.format_distance(located.distance_km)
        reasons.append(f"{where}, in {located.town}" if located.town else where)
    elif alternative and located.distance_km is not None:
        reasons.append(f"The nearest we found: {search.format_distance(located.distance_km).lower()}")
    elif service.county_wide:
        reasons.append("Covers the whole area")
    ways = _modes_text(service, located.near)
    if ways:
        text = "You can get help " + _join(ways)
        asked = {"in_person": "in person", "online": "online", "phone": "by phone"}
        if any(asked[mode] in ways for mode in answers.modes):
            text += ", as you asked"
        reasons.append(text)
    openings = [o for o in service.openings if o.describe()]
    if answers.evenings_weekends:
        late = [o for o in openings if o.is_evening or o.is_weekend]
        if late:
            reasons.append("Open at evenings or weekends: " + "; ".join(o.describe() for o in late[:2]))
    elif openings:
        reasons.append("Open " + "; ".join(_lower_first(o.describe()) for o in openings[:2]))
    if service.has_capacity:
        reasons.append("Has places free")
    if service.wait_weeks is not None:
        if service.wait_weeks == 0:
            reasons.append("No waiting list")
        elif service.wait_weeks <= search.SHORT_WAIT_WEEKS:
            reasons.append(f"Short wait: about {search.describe_wait(service.wait_weeks)}")
        else:
            reasons.append(f"Waiting time: about {search.describe_wait(service.wait_weeks)}")
    ages = search.describe_ages(service.minimum_age, service.maximum_age)
    if ages:
        fits = answers.age in AGE_RANGES and not (spec.for_asker and answers.is_family)
        reasons.append(ages + (", which fits the age you gave" if fits else ""))
    if answers.language and answers.language in service.languages:
        reasons.append(f"Some staff speak {LANGUAGES[answers.language]}")
    elif answers.language and "" in service.languages:
        reasons.append("Can book a free interpreter for you")
    if answers.lived_experience and service.domains & {"peer-support", "mutual-aid"}:
        reasons.append("Run by people with lived experience of recovery")
    return tuple(reasons)


def _lower_first(text: str) -> str:
    """'Every day, 9am to 5pm' -> 'every day, 9am to 5pm'; day names keep their capital."""
    if text.startswith(("Every ", "The ")):
        return text[:1].lower() + text[1:]
    return text


def _can_ask(service: ServiceFacts) -> bool:
    """Whether the person can ask this service for support: not an emergency line, not a self-run meeting."""
    if service.domains & {"crisis", "mutual-aid"}:
        return False
    return bool(service.domains - {"online-telehealth"})


def _match(located: _Located, spec: StepSpec, answers: Answers, *, alternative: bool = False) -> Match:
    service = located.service
    return Match(
        service=service,
        reasons=reasons_for(located, spec, answers, alternative=alternative),
        distance_km=located.distance_km,
        near=located.near,
        town=located.town,
        expect=service.what_to_expect or DEFAULT_EXPECT.get(spec.key, ""),
        can_ask=_can_ask(service),
    )


# --- Words of the plan --------------------------------------------------------------------------------------------


DEFAULT_EXPECT = {
    "treatment": "Someone will talk with you about what is happening and what help would fit. You can bring "
    "someone with you.",
    "family": "A family support worker will listen and talk about what would help you.",
    "peer": "Someone with their own experience of recovery will welcome you. You do not have to talk until "
    "you are ready.",
    "space": "Drop in when it is open. Someone will say hello and show you what is on.",
}


def _substance_text(answers: Answers) -> str:
    if not answers.substances:
        return "drink or drugs"
    return _join([SUBSTANCE_WORDS[code] for code in answers.substances])


def _titles(spec: StepSpec, answers: Answers) -> tuple[str, str]:
    """(title, why) of a step, in the words of the person's situation."""
    subject = answers.subject
    for_them = subject != "you"
    substances = _substance_text(answers)
    if spec.key == "treatment":
        if for_them:
            return (
                f"Treatment and support for {subject}",
                f"Help with {substances} for {subject}. They can ask for this themselves, and you can help them "
                "take the first step.",
            )
        return (
            f"Treatment and support with {substances}",
            "A drug and alcohol service can talk with you about what is happening and agree a plan with you.",
        )
    texts = {
        "family": (
            "Support for you",
            f"Caring about someone who drinks or uses drugs is hard. Support for you helps you cope, look after "
            f"your own wellbeing and learn ways to help {subject}, whether or not they are ready for help.",
        ),
        "safer": (
            "Staying safer",
            "Naloxone can reverse an opioid overdose, and clean equipment and health checks prevent infections.",
        ),
        "mental-health": ("Mental health", "Mental health and drinking or drug use often affect each other."),
        "housing": ("Somewhere safe to live", "A settled home makes recovery easier."),
        "money-work": ("Money, work and training", "Work, training and volunteering build a life in recovery."),
        "family-children": (
            "Family and children",
            "Support that fits around being a parent or carer, and help for children affected.",
        ),
        "legal": (
            "The police, courts or probation",
            "Drug and alcohol workers can help alongside the police, courts and probation.",
        ),
        "physical-health": (
            "Physical health",
            "Drink and drugs can affect your body. Your GP is a good place to start, and some services look after "
            "physical health alongside drink or drugs.",
        ),
        "pregnancy": (
            "Pregnancy and a new baby",
            "Specialist support helps you and your baby stay well. Asking for help will not mean your baby is "
            "taken away.",
        ),
        "veteran": ("Support for veterans", "Workers and mentors who understand life in the armed forces."),
        "peer": (
            "Peer support",
            "People who have been through it themselves"
            + (" (and other families)" if answers.is_family else "")
            + " can support you. Recovery is easier with people who understand.",
        ),
        "space": (
            "Your nearest recovery space" if answers.has_place else "Recovery spaces",
            "A welcoming place to meet people in recovery and their families, join activities and find out what "
            "help there is. You do not need an appointment.",
        ),
    }
    return texts.get(spec.key, (spec.key, ""))


def _no_match_text(spec: StepSpec, answers: Answers, title: str) -> str:
    if not answers.has_place and spec.key in ("space", "peer"):
        return "Tell us a town or postcode and we can show the ones nearest to you."
    where = f" near {answers.place}" if answers.place else ""
    return f"We could not find a service for “{title.lower()}”{where} that fits your answers."


def _today(spec: StepSpec, answers: Answers, matches: Sequence[Match]) -> tuple[str, ...]:
    """Things the person can do today, most useful first."""
    items: list[str] = []
    top = matches[0].service if matches else None
    subject = answers.subject
    they = "you" if subject == "you" else "they"
    if top is not None and spec.key not in ("space", "peer"):
        if top.phones:
            items.append(f"Call {top.name} on {top.phones[0]}.")
        elif top.openings and top.in_person:
            items.append(f"Go to {top.name}: {_lower_first(top.openings[0].describe())}.")
        elif top.url:
            items.append(f"Visit the {top.name} website to get in touch.")
        else:
            items.append(f"Ask {top.name} for support from this plan, or see its page for how to get in touch.")
    if spec.key == "treatment":
        if "alcohol" in answers.substances:
            items.append(
                f"If {they} drink every day, {they} should not stop suddenly: it can be dangerous. Talk to the "
                "service or a GP first."
            )
        if answers.is_family:
            items.append(f"{subject[0].upper()}{subject[1:]} can ask for help themselves, or you can ask with them.")
    elif spec.key == "family":
        items += [
            f"You do not need {subject}'s permission to get support for yourself.",
            "Pick a calm moment, when they are sober, to say you care and that help is there. Try not to argue "
            "when they have been drinking or using.",
            "Do one thing for yourself today: rest, eat something, or talk to someone you trust.",
        ]
    elif spec.key == "safer" and "opiates" in answers.substances:
        items.append("Ask for a free naloxone kit and learn how to use it. It can save a life while you wait for 999.")
    elif spec.key == "mental-health":
        items.append("If things get worse, call NHS 111 and choose the mental health option, day or night.")
    elif spec.key == "housing":
        items.append("If you might lose your home in the next eight weeks, tell your council's housing team now.")
    elif spec.key == "money-work":
        items.append("Asking about work or training does not affect your benefits.")
    elif spec.key == "legal":
        items.append("If you have a probation officer, you can ask them to put you in touch.")
    elif spec.key == "physical-health":
        items.append("Book an appointment with a GP and tell them about the drinking or drug use.")
    elif spec.key == "pregnancy":
        items.append("Tell your midwife or GP. They are there to help you and your baby stay well.")
    elif spec.key == "peer" and top is not None and top.openings:
        items.append(f"Go along to {top.name}: {_lower_first(top.openings[0].describe())}. You do not have to speak.")
    elif spec.key == "space":
        if top is not None and top.openings:
            items.append(f"Drop in to {top.name}: {_lower_first(top.openings[0].describe())}.")
        items.append("You do not need an appointment or a referral.")
    if not matches:
        items.append("A GP can also help you find support.")
    return tuple(dict.fromkeys(items))


CRISIS_ROUTES = (
    Route(
        "999",
        "Call 999",
        "If someone's life is in danger now: they have taken too much and are hard to wake, are not breathing "
        "normally, or have hurt themselves badly.",
    ),
    Route(
        "111", "Call NHS 111 and choose the mental health option", "For urgent help with mental health, day or night."
    ),
    Route("116 123", "Call Samaritans on 116 123", "Free, day or night, if you or someone else is struggling to cope."),
)
HARM_ROUTE = Route(
    "101",
    "Call the police on 101",
    "If someone is at risk of harm but it is not an emergency. In an emergency, call 999.",
)
CRISIS_REASONS = {
    "overdose": "You said someone has taken too much or is hard to wake.",
    "suicide": "You said someone is thinking about ending their life or hurting themselves.",
    "harm": "You said someone is at risk of being hurt by another person.",
}
CRISIS_ADVICE = {
    "overdose": (
        "Call 999 now. Stay with them and tell the call handler what they have taken, if you know.",
        "If they are breathing but hard to wake, lie them on their side in the recovery position.",
        "If you have naloxone and think they have taken opioids, such as heroin, give it now.",
    ),
    "suicide": (
        "If they might act on it now, call 999 or go to A&E. Stay with them if it is safe.",
        "Ask them directly how they are feeling. Talking about it does not make it more likely to happen.",
    ),
    "harm": ("If a child or an adult is in danger now, call 999.",),
}


def _normalise_number(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def crisis_help(answers: Answers, candidates: Iterable[ServiceFacts], *, radius_km: float = RADIUS_KM) -> Crisis | None:
    """Crisis routes for these answers, or None when nobody is in danger."""
    if not answers.in_danger:
        return None
    located = _located_all(candidates, answers, radius_km)
    spec = StepSpec("crisis", frozenset({"crisis"}))
    services = []
    for item in _crisis_ranked(located, answers):
        numbers = {_normalise_number(number) for number in item.service.phones}
        if numbers & NATIONAL_CRISIS_NUMBERS:
            continue  # already one of the routes everyone gets
        services.append(_match(item, spec, answers))
        if len(services) == SHOWN:
            break
    routes = CRISIS_ROUTES + ((HARM_ROUTE,) if "harm" in answers.danger else ())
    advice = tuple(line for code in answers.danger for line in CRISIS_ADVICE[code])
    return Crisis(
        reasons=tuple(CRISIS_REASONS[code] for code in answers.danger),
        routes=routes,
        advice=advice,
        services=tuple(services),
    )


def build(answers: Answers, candidates: Iterable[ServiceFacts], *, radius_km: float = RADIUS_KM) -> Plan:
    """The plan for these answers from these directory services, counting places within ``radius_km`` as near."""
    candidates = list(candidates)
    located = _located_all(candidates, answers, radius_km)
    steps = []
    shown: set[str] = set()
    for spec in step_specs(answers):
        title, why = _titles(spec, answers)
        # A service already offered in an earlier step makes way for others, if there are any.
        ranked = _demoted(_ranked(located, spec, answers), spec, shown)
        matches = tuple(_match(item, spec, answers) for item in ranked[: spec.shown])
        shown |= {match.service.id for match in matches}
        no_match = ""
        alternatives: tuple[Match, ...] = ()
        if not matches:
            no_match = _no_match_text(spec, answers, title)
            alternatives = tuple(
                _match(item, spec, answers, alternative=True)
                for item in _alternatives(located, spec, answers)[:ALTERNATIVES]
            )
        steps.append(
            Step(
                key=spec.key,
                title=title,
                why=why,
                matches=matches,
                no_match=no_match,
                alternatives=alternatives,
                today=_today(spec, answers, matches or alternatives),
                for_asker=spec.for_asker,
            )
        )
    return Plan(
        answers=answers,
        crisis=crisis_help(answers, candidates, radius_km=radius_km),
        steps=tuple(steps),
        subject=answers.subject,
        place=answers.place,
        radius_km=radius_km,
    )


__all__ = [
    "RADIUS_KM",
    "Answers",
    "Crisis",
    "Match",
    "Opening",
    "Place",
    "Plan",
    "Route",
    "ServiceFacts",
    "Step",
    "StepSpec",
    "build",
    "crisis_help",
    "kinds_wanted",
    "shortlist",
    "step_specs",
]
