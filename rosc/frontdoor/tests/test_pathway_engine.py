"""The pathway engine, tested as plain data: no database, no Django."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rosc.frontdoor import answers as choices
from rosc.frontdoor.answers import Answers
from rosc.frontdoor.pathway import (
    GROUP_ONLY,
    RADIUS_KM,
    Opening,
    Place,
    ServiceFacts,
    build,
    crisis_help,
    kinds_wanted,
    shortlist,
    step_specs,
)

BASILDON = (51.5749, 0.469984)  # SS14
LAINDON = (51.5769, 0.429114)  # SS15, about 2 miles away
CHELMSFORD = (51.7237, 0.484916)  # CM2, about 10 miles away
COLCHESTER = (51.8891, 0.90422)  # CO1, about 28 miles away


def at(point: tuple[float, float], town: str = "") -> tuple[Place, ...]:
    return (Place(point[0], point[1], town=town),)


def service(
    sid: str,
    *,
    domains: tuple[str, ...],
    needs: tuple[str, ...] = (),
    where: tuple[Place, ...] = (),
    **extra: object,
) -> ServiceFacts:
    return ServiceFacts(
        id=sid,
        name=extra.pop("name", sid.replace("-", " ").capitalize()),  # type: ignore[arg-type]
        domains=frozenset(domains),
        needs=frozenset(needs),
        places=where,
        detailed=True,
        **extra,  # type: ignore[arg-type]
    )


def in_basildon(**extra: object) -> Answers:
    return Answers(place="Basildon", latitude=BASILDON[0], longitude=BASILDON[1], **extra)  # type: ignore[arg-type]


def ids(step) -> list[str]:  # type: ignore[no-untyped-def]
    return [match.service.id for match in step.matches]


def alternative_ids(step) -> list[str]:  # type: ignore[no-untyped-def]
    return [match.service.id for match in step.alternatives]


# A small directory around Basildon with something for every step.
DIRECTORY = [
    service(
        "opiate-clinic",
        domains=("prescribing", "clinical-treatment"),
        needs=("opiates",),
        where=at(BASILDON, "Basildon"),
        phones=("01632 960001",),
        wait_weeks=1,
        minimum_age=18,
        what_to_expect="A worker calls you back.",
    ),
    service(
        "alcohol-clinic",
        domains=("clinical-treatment", "community-detox"),
        needs=("alcohol",),
        where=at(LAINDON, "Laindon"),
        openings=(Opening("TH", time(17), time(20), "Late opening"),),
    ),
    service("general-treatment", domains=("clinical-treatment",), where=at(CHELMSFORD, "Chelmsford")),
    service("far-treatment", domains=("clinical-treatment",), needs=("opiates",), where=at(COLCHESTER, "Colchester")),
    service(
        "pregnancy-team",
        domains=("clinical-treatment",),
        needs=("pregnancy", "opiates", "alcohol"),
        where=at(BASILDON, "Basildon"),
    ),
    service(
        "young-peoples",
        domains=("clinical-treatment",),
        needs=("young-people", "cannabis"),
        where=at(BASILDON, "Basildon"),
        minimum_age=10,
        maximum_age=17,
    ),
    service(
        "recovery-space",
        name="Basildon Recovery Space",
        domains=("recovery-community-space", "family-support", "peer-support"),
        needs=("family-friend", "parent-carer"),
        where=at(BASILDON, "Basildon"),
        openings=(Opening("MO,TU,WE,TH,FR", time(10), time(16), "Drop in"),),
    ),
    service(
        "family-group",
        domains=("family-support",),
        needs=("family-friend",),
        where=at(LAINDON, "Laindon"),
        openings=(Opening("TU", time(18, 30), time(20, 30)),),
    ),
    service(
        "children-affected",
        domains=("family-support",),
        needs=("young-people", "parent-carer"),
        where=at(BASILDON, "Basildon"),
        minimum_age=7,
        maximum_age=17,
    ),
    service(
        "naloxone",
        domains=("harm-reduction",),
        needs=("opiates", "family-friend"),
        where=at(BASILDON, "Basildon"),
        has_capacity=True,
    ),
    service("talking-therapies", domains=("mental-health",), needs=("mental-health-need",), where=at(LAINDON)),
    service("housing-advice", domains=("housing",), needs=("no-stable-housing",), where=at(BASILDON)),
    service("work-coach", domains=("employment-training",), where=at(CHELMSFORD), languages=frozenset({"pl"})),
    service("court-team", domains=("criminal-justice",), needs=("criminal-justice-involvement",), where=at(BASILDON)),
    service("detox-ward", domains=("inpatient-detox",), needs=("alcohol", "opiates"), where=at(CHELMSFORD)),
    service("veterans", domains=("peer-support",), needs=("veteran",), where=at(CHELMSFORD)),
    service("peer-mentors", domains=("peer-support",), where=at(LAINDON), county_wide=True),
    service("womens-group", domains=("peer-support",), needs=("women-only",), where=at(BASILDON)),
    service("meeting", domains=("mutual-aid",), needs=("opiates",), where=at(BASILDON)),
    service("advice-line", domains=("clinical-treatment",), phone=True, in_person=False, county_wide=True),
    service(
        "crisis-cafe", domains=("crisis", "mental-health"), where=at(BASILDON, "Basildon"), phones=("01632 960999",)
    ),
    service("emergency", domains=("crisis",), phone=True, in_person=False, county_wide=True, phones=("999",)),
]


# --- The shape of a plan --------------------------------------------------------------------------------------


def test_it_gives_a_family_member_treatment_for_their_relative_support_for_themselves_peers_and_a_space():
    answers = in_basildon(who="someone", relationship="parent", substances=("opiates",))

    plan = build(answers, DIRECTORY)

    assert [step.key for step in plan.steps] == ["treatment", "family", "safer", "peer", "space"]
    assert plan.subject == "your son or daughter"
    assert plan.step("treatment").title == "Treatment and support for your son or daughter"
    assert ids(plan.step("treatment"))[0] == "opiate-clinic"
    family = plan.step("family")
    assert family.title == "Support for you"
    assert family.for_asker
    assert ids(family)[0] == "recovery-space"
    assert "children-affected" not in ids(family), "a children's service is not support for an adult parent"
    assert ids(plan.step("space")) == ["recovery-space"]
    assert ids(plan.step("safer")) == ["naloxone"]
    assert plan.crisis is None


def test_it_offers_peer_support_and_the_nearest_recovery_space_in_every_plan():
    plan = build(in_basildon(who="me"), DIRECTORY)

    assert [step.key for step in plan.steps][-2:] == ["peer", "space"]
    assert ids(plan.step("space")) == ["recovery-space"]
    assert ids(plan.step("peer"))


def test_it_puts_peer_support_straight_after_treatment_for_someone_who_wants_lived_experience():
    plan = build(in_basildon(who="me", lived_experience=True), DIRECTORY)

    assert [step.key for step in plan.steps][:2] == ["treatment", "peer"]
    assert "Run by people with lived experience of recovery" in plan.step("peer").matches[0].reasons


@pytest.mark.parametrize(
    ("need", "step_key", "expected"),
    [
        ("mental-health", "mental-health", "talking-therapies"),
        ("housing", "housing", "housing-advice"),
        ("money-work", "money-work", "work-coach"),
        ("family-children", "family-children", "children-affected"),
        ("legal", "legal", "court-team"),
        ("physical-health", "physical-health", "detox-ward"),
        ("pregnancy", "pregnancy", "pregnancy-team"),
        ("veteran", "veteran", "veterans"),
    ],
)
def test_it_adds_a_step_for_each_other_need_with_the_right_kind_of_help(need, step_key, expected):
    plan = build(in_basildon(who="me", substances=("opiates",), other_needs=(need,)), DIRECTORY)

    step = plan.step(step_key)
    assert step is not None, [s.key for s in plan.steps]
    assert expected in ids(step)
    assert step.today, "every step says what can be done today"


def test_it_adds_staying_safer_for_drugs_where_overdose_is_a_risk_but_not_for_alcohol_alone():
    assert build(in_basildon(substances=("opiates",)), DIRECTORY).step("safer") is not None
    assert build(in_basildon(substances=("alcohol",)), DIRECTORY).step("safer") is None


def test_it_reads_only_the_kinds_of_help_its_steps_need():
    wanted = kinds_wanted(in_basildon(who="someone", substances=("alcohol",), danger=("suicide",)))

    assert {"clinical-treatment", "family-support", "peer-support", "recovery-community-space", "crisis"} <= wanted
    assert "housing" not in wanted


# --- Choosing services ----------------------------------------------------------------------------------------


def test_it_leaves_out_services_for_another_drug_but_keeps_general_ones():
    treatment = build(in_basildon(who="me", substances=("alcohol",)), DIRECTORY).step("treatment")

    assert "opiate-clinic" not in ids(treatment)
    assert ids(treatment)[0] == "alcohol-clinic"
    assert "general-treatment" in ids(treatment)


def test_it_offers_services_only_for_a_group_only_to_people_in_it():
    everyone = build(in_basildon(who="me", substances=("opiates",)), DIRECTORY)
    pregnant = build(in_basildon(who="me", substances=("opiates",), other_needs=("pregnancy",)), DIRECTORY)
    woman = build(in_basildon(who="me", worker_gender="woman"), DIRECTORY)

    assert "pregnancy-team" not in ids(everyone.step("treatment"))
    assert "pregnancy-team" in ids(pregnant.step("treatment"))
    assert "womens-group" not in ids(everyone.step("peer"))
    assert ids(woman.step("peer"))[0] == "womens-group"
    assert "A women-only service" in woman.step("peer").matches[0].reasons


def test_it_keeps_to_the_ages_services_are_for():
    adult = build(in_basildon(who="me", age="26-49", substances=("cannabis",)), DIRECTORY)
    young = build(in_basildon(who="me", age="under-18", substances=("cannabis",)), DIRECTORY)

    assert "young-peoples" not in ids(adult.step("treatment"))
    assert ids(young.step("treatment"))[0] == "young-peoples"
    assert "opiate-clinic" not in ids(young.step("treatment")), "an adults' service is not for a 15-year-old"


def test_it_shows_near_places_first_and_leaves_out_local_services_too_far_away():
    treatment = build(in_basildon(who="me", substances=("opiates",)), DIRECTORY).step("treatment")

    assert "far-treatment" not in ids(treatment)
    distances = [m.distance_km for m in treatment.matches if m.near]
    assert distances == sorted(distances)
    assert all(d <= RADIUS_KM for d in distances)


def test_it_offers_only_what_works_from_anywhere_when_no_place_is_given():
    plan = build(Answers(who="me", online_ok=True), DIRECTORY)

    assert ids(plan.step("treatment")) == ["advice-line"]
    space = plan.step("space")
    assert space.matches == ()
    assert space.no_match == "Tell us a town or postcode and we can show the ones nearest to you."


def test_it_does_not_repeat_a_service_in_a_later_step_when_there_is_another_to_offer():
    plan = build(in_basildon(who="someone", relationship="parent"), DIRECTORY)

    assert ids(plan.step("family"))[0] == "recovery-space"
    peer = ids(plan.step("peer"))
    assert peer[:2] == ["meeting", "peer-mentors"], "services not offered yet come first"
    assert peer[2:] == ["recovery-space"], "and a repeat only fills a place nothing else can"
    assert ids(plan.step("space")) == ["recovery-space"], "the nearest recovery space is always shown"


def test_it_prefers_places_free_and_short_waits_when_help_is_wanted_soon():
    slow = service("slow", domains=("clinical-treatment",), where=at(BASILDON), wait_weeks=12)
    quick = service("quick", domains=("clinical-treatment",), where=at(LAINDON), has_capacity=True, wait_weeks=0)

    treatment = build(in_basildon(who="me", urgency="today"), [slow, quick]).step("treatment")

    assert ids(treatment) == ["quick", "slow"]
    assert "No waiting list" in treatment.matches[0].reasons
    assert "Has places free" in treatment.matches[0].reasons
    assert "Waiting time: about 12 weeks" in treatment.matches[1].reasons


def test_it_never_offers_a_crisis_line_or_a_self_run_meeting_as_a_service_to_ask():
    plan = build(in_basildon(who="me", substances=("opiates",), other_needs=("mental-health",)), DIRECTORY)

    asked = {m.service.id: m.can_ask for step in plan.steps for m in step.services}
    assert asked.get("crisis-cafe") in (None, False)
    assert asked.get("meeting") in (None, False)
    assert asked["opiate-clinic"] is True


# --- When nothing fits ----------------------------------------------------------------------------------------


def test_it_says_when_nothing_fits_and_offers_the_nearest_alternatives():
    treatment_only = [s for s in DIRECTORY if s.id in ("general-treatment", "opiate-clinic", "advice-line")]

    plan = build(in_basildon(who="me", other_needs=("pregnancy",)), treatment_only)

    pregnancy = plan.step("pregnancy")
    assert pregnancy.matches == ()
    assert pregnancy.no_match.startswith("We could not find a service for “pregnancy and a new baby” near Basildon")
    assert alternative_ids(pregnancy) == ["opiate-clinic", "general-treatment", "advice-line"], "near first"
    assert "Less than 0.1 miles away, in Basildon" in pregnancy.alternatives[0].reasons
    assert "Covers the whole area" in pregnancy.alternatives[2].reasons


def test_it_says_so_and_points_to_a_gp_when_there_is_nothing_at_all():
    plan = build(in_basildon(who="me", other_needs=("legal",)), [])

    legal = plan.step("legal")
    assert legal.matches == ()
    assert legal.alternatives == ()
    assert legal.no_match
    assert "A GP can also help you find support." in legal.today


# --- Explanations ---------------------------------------------------------------------------------------------


def test_it_explains_each_choice_by_need_distance_mode_times_wait_and_eligibility():
    answers = in_basildon(who="me", age="26-49", substances=("opiates",), modes=("phone",))

    match = build(answers, DIRECTORY).step("treatment").matches[0]

    assert match.service.id == "opiate-clinic"
    assert match.reasons[0] == "Helps with heroin and other opioids"
    assert "Can prescribe substitute medicines, such as methadone or buprenorphine" in match.reasons
    assert "Less than 0.1 miles away, in Basildon" in match.reasons
    assert "Short wait: about 1 week" in match.reasons
    assert "For ages 18 and over, which fits the age you gave" in match.reasons
    assert match.expect == "A worker calls you back."


def test_it_explains_evening_opening_for_someone_who_asked_for_evenings():
    match = (
        build(in_basildon(who="me", substances=("alcohol",), evenings_weekends=True), DIRECTORY)
        .step("treatment")
        .matches[0]
    )

    assert match.service.id == "alcohol-clinic"
    assert "Open at evenings or weekends: Thursdays, 5pm to 8pm (Late opening)" in match.reasons


def test_it_explains_the_mode_asked_for_and_the_language():
    plan = build(in_basildon(who="me", other_needs=("money-work",), language="pl"), DIRECTORY)

    reasons = plan.step("money-work").matches[0].reasons
    assert "Some staff speak Polish" in reasons
    phone = build(in_basildon(who="me", modes=("phone",)), DIRECTORY).step("treatment")
    assert any(r.endswith(", as you asked") for m in phone.matches for r in m.reasons)


def test_it_says_what_to_do_today_from_the_best_match():
    plan = build(in_basildon(who="me", substances=("opiates", "alcohol")), DIRECTORY)

    today = plan.step("treatment").today
    assert today[0] == "Call Opiate clinic on 01632 960001."
    assert any("should not stop suddenly" in line for line in today)
    family = build(in_basildon(who="someone", relationship="partner"), DIRECTORY).step("family")
    assert "You do not need your partner's permission to get support for yourself." in family.today


# --- Crisis -----------------------------------------------------------------------------------------------------


def test_it_shows_crisis_routes_first_when_someone_is_in_danger():
    plan = build(in_basildon(who="someone", danger=("overdose",)), DIRECTORY)

    assert plan.crisis is not None
    assert [route.number for route in plan.crisis.routes] == ["999", "111", "116 123"]
    assert plan.crisis.advice[0].startswith("Call 999 now")
    assert [m.service.id for m in plan.crisis.services] == ["crisis-cafe"], "999 is a route already, not repeated"
    assert plan.steps, "the journey goes on after the crisis routes"


def test_it_adds_the_police_non_emergency_number_when_someone_is_at_risk_of_harm():
    crisis = crisis_help(in_basildon(danger=("harm",)), DIRECTORY)

    assert crisis is not None
    assert crisis.routes[-1].number == "101"
    assert crisis_help(in_basildon(), DIRECTORY) is None


# --- The shortlist ----------------------------------------------------------------------------------------------


def test_the_shortlist_holds_every_service_the_plan_shows():
    answers = in_basildon(who="someone", relationship="parent", substances=("opiates",), danger=("suicide",))
    light = [replace(s, openings=(), languages=frozenset(), phones=(), detailed=False) for s in DIRECTORY]

    picked = set(shortlist(answers, light))
    plan = build(answers, [s for s in DIRECTORY if s.id in picked])

    full = build(answers, DIRECTORY)
    assert [ids(step) for step in plan.steps] == [ids(step) for step in full.steps]
    assert {m.service.id for m in plan.crisis.services} == {m.service.id for m in full.crisis.services}


# --- Answers, and properties over any answers -------------------------------------------------------------------


def test_answers_keep_only_known_values():
    answers = Answers.from_dict(
        {
            "who": "me",
            "relationship": "parent",  # only with "someone"
            "substances": ["alcohol", "glue", 7, "alcohol"],
            "danger": "overdose",  # not a list
            "place": "SS14",
            "latitude": 51.5,
            "longitude": None,  # half a place is no place
            "online_ok": "yes",  # not True
            "language": "klingon",
        }
    )

    assert answers == Answers(who="me", substances=("alcohol",))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.sampled_from(list(Answers().to_dict())), json_values))
def test_reading_answers_never_fails_on_any_stored_data(data):
    answers = Answers.from_dict(data)

    assert Answers.from_dict(answers.to_dict()) == answers


answer_sets = st.builds(
    Answers,
    who=st.sampled_from(["", *choices.WHO]),
    relationship=st.sampled_from(["", *choices.RELATIONSHIPS]),
    age=st.sampled_from(["", *choices.AGES]),
    substances=st.lists(st.sampled_from(list(choices.SUBSTANCES)), unique=True).map(tuple),
    danger=st.lists(st.sampled_from(list(choices.DANGERS)), unique=True).map(tuple),
    urgency=st.sampled_from(["", *choices.URGENCY]),
    other_needs=st.lists(st.sampled_from(list(choices.OTHER_NEEDS)), unique=True).map(tuple),
    latitude=st.sampled_from([None, BASILDON[0], CHELMSFORD[0]]),
    longitude=st.sampled_from([None, BASILDON[1], CHELMSFORD[1]]),
    online_ok=st.booleans(),
    modes=st.lists(st.sampled_from(list(choices.MODES)), unique=True).map(tuple),
    evenings_weekends=st.booleans(),
    worker_gender=st.sampled_from(["", "woman", "man"]),
    language=st.sampled_from(["", *choices.LANGUAGES]),
    lived_experience=st.booleans(),
).map(lambda a: Answers.from_dict(a.to_dict()))


@settings(max_examples=150, deadline=None)
@given(answer_sets)
def test_every_plan_is_safe_and_complete_whatever_the_answers(answers):
    plan = build(answers, DIRECTORY)
    specs = {spec.key: spec for spec in step_specs(answers)}

    keys = [step.key for step in plan.steps]
    assert "peer" in keys
    assert keys[-1] == "space"
    assert (plan.crisis is not None) == answers.in_danger
    for step in plan.steps:
        assert len(step.matches) <= specs[step.key].shown
        assert bool(step.matches) != bool(step.no_match), step.key
        for match in step.matches:
            assert match.service.domains & specs[step.key].domains
            assert match.reasons
            assert "crisis" not in match.service.domains or step.key == "mental-health"
            locked = match.service.needs & GROUP_ONLY - specs[step.key].allow - specs[step.key].require
            assert (
                not locked
                or step.key in ("pregnancy", "veteran")
                or answers.worker_gender
                or answers.age
                or (answers.other_needs)
            ), (step.key, match.service.id)
