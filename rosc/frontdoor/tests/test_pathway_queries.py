"""Building a pathway reads the directory with a fixed number of queries, whatever its size."""

from __future__ import annotations

import random
from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rosc.directory.models import Service
from rosc.directory.tests.search_helpers import BASILDON_SS14, COLCHESTER_CO1, make_service
from rosc.frontdoor import pathway, selectors
from rosc.frontdoor.answers import Answers
from rosc.frontdoor.tests.conftest import make_pathway

pytestmark = pytest.mark.django_db

KINDS = [
    ["clinical-treatment", "opiates"],
    ["prescribing", "clinical-treatment", "alcohol"],
    ["family-support", "family-friend"],
    ["peer-support"],
    ["mutual-aid", "alcohol"],
    ["recovery-community-space", "peer-support"],
    ["harm-reduction", "opiates"],
    ["mental-health", "mental-health-need"],
    ["crisis", "mental-health"],
]


def grow_directory(count: int) -> None:
    rng = random.Random(count)
    for number in range(count):
        near = rng.random() < 0.8
        base = BASILDON_SS14 if near else COLCHESTER_CO1
        point = (base[0] + rng.uniform(-0.05, 0.05), base[1] + rng.uniform(-0.08, 0.08))
        make_service(
            f"Service {number}",
            codes=rng.choice(KINDS),
            at=[point] * rng.choice((1, 1, 2)),
            phone=rng.random() < 0.5,
            online=rng.random() < 0.2,
            county_wide=rng.random() < 0.05,
            opening=[("MO,WE", time(9), time(17))],
        )


def queries_for(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_plan_page_runs_the_same_queries_for_a_small_and_a_bigger_directory(client, directory):
    token = make_pathway(client, what_else={"other_needs": ["mental-health", "housing"]}, danger={"danger": ["harm"]})
    small = queries_for(client, f"/get-help/pathway/{token}/")

    grow_directory(80)
    bigger = queries_for(client, f"/get-help/pathway/{token}/")

    assert Service.objects.count() > 80
    assert small == bigger, (small, bigger)
    assert bigger <= 13


def test_building_a_plan_runs_a_fixed_number_of_queries_with_or_without_a_place(directory):
    grow_directory(30)
    with_place = Answers(who="me", substances=("opiates",), place="SS14", latitude=51.5749, longitude=0.469984)

    with CaptureQueriesContext(connection) as near:
        selectors.pathway_for(with_place)
    with CaptureQueriesContext(connection) as anywhere:
        selectors.pathway_for(Answers(who="me", online_ok=True))

    assert len(near) == 11
    assert len(anywhere) <= 8, "an empty list of candidates needs no further reads"


def test_the_shortlist_gives_the_same_plan_as_reading_every_candidate_in_full(directory):
    grow_directory(60)
    answers = Answers(
        who="someone",
        relationship="parent",
        substances=("opiates", "alcohol"),
        danger=("suicide",),
        other_needs=("mental-health",),
        evenings_weekends=True,
        place="SS14",
        latitude=51.5749,
        longitude=0.469984,
    )
    candidates = selectors.pathway_candidates(answers)
    everything = selectors._with_details({c.id: c for c in candidates}, [c.id for c in candidates])

    quick = selectors.pathway_for(answers)
    full = pathway.build(answers, everything)

    assert [[m.service.id for m in s.matches] for s in quick.steps] == [
        [m.service.id for m in s.matches] for s in full.steps
    ]
    assert [m.service.id for m in quick.crisis.services] == [m.service.id for m in full.crisis.services]


def test_a_place_known_only_by_its_postcode_district_counts_from_the_district_centre(directory):
    make_service("District-only recovery space", codes=["recovery-community-space"], outcode_only="SS13")
    answers = Answers(who="me", place="SS14", latitude=51.5749, longitude=0.469984)

    space = selectors.pathway_for(answers).step("space")

    names = [match.service.name for match in space.matches]
    assert "District-only recovery space" in names
    match = next(m for m in space.matches if m.service.name == "District-only recovery space")
    assert match.near
    assert 2.0 < match.distance_km < 3.5, "SS13's centre is about 2.6 km from SS14's"
