"""The pure part of search: ranking, places and plain-English explanations."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rosc.directory import geo, search

ORIGIN = (51.5749, 0.469984)  # SS14, Basildon

points = st.builds(
    search.Point,
    location_id=st.uuids().map(str),
    latitude=st.floats(min_value=51.0, max_value=52.2),
    longitude=st.floats(min_value=-0.5, max_value=1.5),
)
candidates = st.builds(
    search.Candidate,
    service_id=st.sampled_from([f"s{n}" for n in range(30)]),
    name=st.text(min_size=1, max_size=12),
    online=st.booleans(),
    phone=st.booleans(),
    county_wide=st.booleans(),
    temporarily_closed=st.booleans(),
    points=st.lists(points, max_size=3).map(tuple),
    text_score=st.integers(min_value=0, max_value=3),
)


@given(st.lists(candidates, max_size=40), st.sampled_from([8.0, 16.0, 40.0, 80.0]))
def test_it_lists_local_services_nearest_first_within_the_distance(items, radius):
    ranked = search.rank(items, latitude=ORIGIN[0], longitude=ORIGIN[1], radius_km=radius)
    local = [r for r in ranked if r.group == search.Group.LOCAL]
    for closed in (False, True):
        distances = [r.distance_km for r in local if r.temporarily_closed is closed]
        assert distances == sorted(distances)
    assert all(r.distance_km is not None and r.distance_km <= radius for r in local)
    groups = [r.group for r in ranked]
    assert groups == sorted(groups, key=lambda g: g != search.Group.LOCAL), "local services come first"


@given(st.lists(candidates, max_size=40, unique_by=lambda c: c.service_id), st.sampled_from([8.0, 16.0, 40.0]))
def test_it_never_drops_online_phone_or_county_wide_services_for_lack_of_a_place(items, radius):
    ranked = search.rank(items, latitude=ORIGIN[0], longitude=ORIGIN[1], radius_km=radius)
    listed = {r.service_id for r in ranked}
    for item in items:
        if item.county_wide or ((item.online or item.phone) and not item.points):
            assert item.service_id in listed
    assert len(listed) == len(ranked), "each service is listed once"


@given(st.lists(candidates, max_size=30))
def test_it_lists_every_candidate_once_when_no_place_is_given(items):
    ranked = search.rank(items)
    assert sorted(r.service_id for r in ranked) == sorted({c.service_id for c in items})
    assert all(r.group == search.Group.ALL for r in ranked)


def test_it_measures_to_the_nearest_of_a_services_places():
    far = search.Point("far", 51.8891, 0.90422)
    near = search.Point("near", 51.5749, 0.507569)
    [ranked] = search.rank(
        [search.Candidate("s1", "Clinic", points=(far, near))], latitude=ORIGIN[0], longitude=ORIGIN[1], radius_km=40
    )
    assert ranked.location_id == "near"
    assert ranked.distance_km == pytest.approx(2.6, abs=0.1)


def test_it_drops_an_in_person_service_that_is_too_far_away():
    far = search.Point("far", 51.8891, 0.90422)
    ranked = search.rank(
        [search.Candidate("s1", "Clinic", points=(far,))], latitude=ORIGIN[0], longitude=ORIGIN[1], radius_km=16
    )
    assert ranked == []


def test_it_puts_temporarily_closed_services_after_open_ones_in_their_group():
    near = search.Point("a", 51.5749, 0.48)
    further = search.Point("b", 51.5749, 0.52)
    items = [
        search.Candidate("closed", "Closed", temporarily_closed=True, points=(near,)),
        search.Candidate("open", "Open", points=(further,)),
    ]
    ranked = search.rank(items, latitude=ORIGIN[0], longitude=ORIGIN[1], radius_km=16)
    assert [r.service_id for r in ranked] == ["open", "closed"]


def test_it_finds_a_postcode_a_district_and_a_town():
    assert search.find_place("ss14 1ab").outcodes == ("SS14",)
    assert search.find_place("SS14").label == "SS14"
    town = search.find_place("basildon")
    assert town.label == "Basildon"
    assert set(town.outcodes) == {"SS13", "SS14"}
    assert geo.distance_km(town.latitude, town.longitude, *ORIGIN) < 3


def test_it_finds_a_council_area_when_no_town_has_that_name():
    place = search.find_place("Thurrock")
    assert "RM17" in place.outcodes


def test_it_refuses_unknown_places_and_names_shared_by_far_apart_towns():
    with pytest.raises(search.PlaceNotFound):
        search.find_place("Atlantis")
    with pytest.raises(search.PlaceNotFound):
        search.find_place("ZZ99 9ZZ")
    shared = [name for name, places in search._index("town").items() if len({p.region for p in places}) > 1]
    far_apart = [
        name
        for name in shared
        if max(
            geo.distance_km(a.latitude, a.longitude, b.latitude, b.longitude)
            for a in search._index("town")[name]
            for b in search._index("town")[name]
        )
        > 100
    ]
    assert far_apart, "the bundled data has towns with the same name in different parts of the country"
    with pytest.raises(search.PlaceAmbiguous):
        search.find_place(far_apart[0])


@pytest.mark.parametrize(
    ("byday", "opens", "closes", "expected"),
    [
        ("MO,WE", time(9), time(17), "Mondays and Wednesdays, 9am to 5pm"),
        ("MO,TU,WE,TH,FR", time(9, 30), time(12), "Monday to Friday, 9:30am to midday"),
        ("SA,SU,MO,TU,WE,TH,FR", None, None, "Every day"),
        ("TH", time(18), None, "Thursdays, from 6pm"),
        ("1MO", time(19), time(21), "The first Monday of the month, 7pm to 9pm"),
        ("-1FR", time(10), time(12), "The last Friday of the month, 10am to midday"),
    ],
)
def test_it_describes_opening_times_in_plain_english(byday, opens, closes, expected):
    assert search.describe_opening(byday, opens, closes) == expected


@pytest.mark.parametrize(
    ("km", "expected"),
    [(3.7, "2.3 miles away"), (1.609344, "1 mile away"), (30, "19 miles away"), (0.05, "Less than 0.1 miles away")],
)
def test_it_gives_distances_in_miles(km, expected):
    assert search.format_distance(km) == expected


def test_it_explains_why_a_service_matches():
    terms = (
        search.TermInfo("opiates", "Opiates", "need"),
        search.TermInfo("prescribing", "Prescribing", "domain"),
        search.TermInfo("housing", "Housing support", "domain"),
    )
    facts = search.Facts(
        terms=terms,
        distance_km=3.7,
        group=search.Group.LOCAL,
        online=True,
        county_wide=True,
        open_days=frozenset({"MO"}),
        has_capacity=True,
        wait_weeks=2,
        minimum_age=18,
    )
    asked = search.Asked(
        text_codes=frozenset({"opiates", "prescribing"}), day="MO", age=30, has_place=True, area_name="Essex"
    )
    assert search.explain(facts, asked) == [
        "Helps with: opiates",
        "Prescribing",
        "2.3 miles away",
        "Online",
        "Covers all of Essex",
        "Open on Mondays",
        "Has places free",
        "Short wait: 2 weeks",
        "For ages 18 and over",
    ]


def test_it_does_not_give_a_distance_for_services_used_from_anywhere():
    facts = search.Facts(distance_km=50, group=search.Group.ANYWHERE, phone=True)
    assert search.explain(facts, search.Asked()) == ["By phone"]


@pytest.mark.parametrize(
    "text", ["I think he has taken an overdose", "I want to kill myself", "feeling suicidal", "she OD'd last night"]
)
def test_it_notices_words_that_suggest_danger(text):
    assert search.suggests_danger(text)


@pytest.mark.parametrize("text", ["alcohol detox", "help for my family", "overdue appointment", "good food"])
def test_it_does_not_raise_the_alarm_for_everyday_words(text):
    assert not search.suggests_danger(text)


def test_it_reads_term_synonyms_and_leaves_other_words():
    terms = [search.TermInfo("mutual-aid", "Mutual aid", "domain", ("aa", "alcoholics anonymous"))]
    understood = search.understand_with_terms("Alcoholics Anonymous meetings in Wickford", terms)
    assert understood.codes == ["mutual-aid"]
    assert understood.leftovers == ["meetings", "wickford"]


def test_it_widens_a_kind_of_help_to_the_kinds_filed_under_it():
    terms = [
        search.TermInfo("clinical-treatment", "Treatment", "domain"),
        search.TermInfo("community-detox", "Community detox", "domain", parent="clinical-treatment"),
        search.TermInfo("housing", "Housing", "domain"),
    ]
    assert search.with_narrower(["clinical-treatment"], terms) == ["clinical-treatment", "community-detox"]
