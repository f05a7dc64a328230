"""The search index for "near a place" (SearchPlace): what it holds, how it keeps
in step with the tags and places it copies, and that searching through it finds
exactly what reading the places themselves finds."""

from __future__ import annotations

import importlib
import io
import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command

from rosc.directory import geo, search, search_index, selectors
from rosc.directory.actions import build_search_text, service_reindex
from rosc.directory.models import (
    Attribute,
    Location,
    LocationType,
    SearchPlace,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from rosc.directory.seeding import delete_synthetic, seed_synthetic
from rosc.directory.tests.oruk_helpers import build_directory
from rosc.directory.tests.search_helpers import (
    BASILDON_SS13,
    BASILDON_SS14,
    CHELMSFORD_CM2,
    COLCHESTER_CO1,
    LAINDON_SS15,
    make_service,
    make_taxonomy,
)

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def index_rows() -> list[tuple]:
    """The index as plain, comparable rows."""
    rows = SearchPlace.objects.values_list(
        "attribute_id",
        "service_at_location_id",
        "term_id",
        "service_id",
        "location_id",
        "geocell",
        "latitude",
        "longitude",
        "always_listed",
    )
    return sorted(tuple(str(value) for value in row) for row in rows)


def rebuilt_from_scratch() -> list[tuple]:
    search_index.rebuild()
    return index_rows()


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


@pytest.fixture
def terms():
    make_taxonomy()
    return selectors.directory_terms()


def test_each_tag_has_a_row_at_each_place(terms):
    clinic = make_service("Clinic", codes=["opiates", "prescribing"], at=[BASILDON_SS14, LAINDON_SS15])
    hall = make_service("Hall meeting", codes=["alcohol"], outcode_only="SS14")
    online = Location.objects.create(name="Website", location_type=LocationType.VIRTUAL, latitude=51.5, longitude=0.4)
    ServiceAtLocation.objects.create(service=clinic, location=online)
    service_reindex(clinic)

    rows = SearchPlace.objects.filter(service=clinic)
    assert rows.count() == 4  # two tags at two places; none for the website
    assert {(row.term_id, row.location.latitude) for row in rows} == {
        (term(code).id, lat) for code in ("opiates", "prescribing") for lat in (BASILDON_SS14[0], LAINDON_SS15[0])
    }
    assert all(row.geocell == row.location.geocell and not row.always_listed for row in rows)
    # A place known only by its postcode district is at the district's centre.
    hall_row = SearchPlace.objects.get(service=hall)
    assert (hall_row.latitude, hall_row.longitude) == BASILDON_SS14
    assert hall_row.geocell == geo.cell_of(*BASILDON_SS14)


def test_services_listed_anywhere_have_rows_without_a_place_or_with_theirs(terms):
    helpline = make_service("Helpline", codes=["opiates", "crisis"], phone=True, in_person=False)
    county = make_service("County team", codes=["opiates"], county_wide=True, at=[CHELMSFORD_CM2])
    local = make_service("Local team", codes=["opiates"], phone=True, at=[BASILDON_SS13])

    assert sorted(
        (row.term_id, row.location_id, row.always_listed) for row in SearchPlace.objects.filter(service=helpline)
    ) == sorted([(term("opiates").id, None, True), (term("crisis").id, None, True)])
    county_row = SearchPlace.objects.get(service=county)
    assert county_row.always_listed
    assert county_row.latitude == CHELMSFORD_CM2[0]
    # Takes calls but has a place to visit: found through its place, like any local service.
    assert SearchPlace.objects.get(service=local).always_listed is False


def test_removing_a_tag_or_a_place_removes_its_rows_at_once(terms):
    clinic = make_service("Clinic", codes=["opiates", "prescribing"], at=[BASILDON_SS14, LAINDON_SS15])
    Attribute.objects.filter(service=clinic, taxonomy_term__code="prescribing").delete()
    assert set(SearchPlace.objects.filter(service=clinic).values_list("term_id", flat=True)) == {term("opiates").id}
    ServiceAtLocation.objects.filter(service=clinic, location__latitude=LAINDON_SS15[0]).delete()
    assert SearchPlace.objects.filter(service=clinic).count() == 1
    Service.objects.filter(pk=clinic.pk).delete()
    assert not SearchPlace.objects.exists()


def test_a_place_that_moves_is_found_where_it_is_now(terms):
    clinic = make_service("Moving clinic", codes=["opiates"], at=[COLCHESTER_CO1])
    request = selectors.SearchRequest(text="opiates", origin=search.find_place("SS14 1AB"), radius_km=16.09344)
    assert selectors.service_search(request, terms=terms, now=NOON).total == 0

    place = clinic.service_at_locations.get().location
    place.latitude, place.longitude = BASILDON_SS13
    place.save()
    service_reindex(clinic)

    outcome = selectors.service_search(request, terms=terms, now=NOON)
    assert [row.service.name for row in outcome.local_rows] == ["Moving clinic"]
    assert index_rows() == rebuilt_from_scratch()


def test_a_place_written_without_its_grid_cell_is_still_found(terms):
    clinic = make_service("Clinic", codes=["opiates"], at=[COLCHESTER_CO1])
    Location.objects.filter(service_at_locations__service=clinic).update(
        latitude=BASILDON_SS13[0], longitude=BASILDON_SS13[1], geocell=None
    )
    service_reindex(clinic)
    request = selectors.SearchRequest(text="opiates", origin=search.find_place("SS14 1AB"), radius_km=16.09344)
    assert [row.service.name for row in selectors.service_search(request, terms=terms, now=NOON).local_rows] == [
        "Clinic"
    ]
    assert SearchPlace.objects.get(service=clinic).geocell == geo.cell_of(*BASILDON_SS13)


def test_changing_how_a_service_is_offered_moves_it_between_groups(terms):
    service = make_service("Phone support", codes=["opiates"], phone=True, at=[COLCHESTER_CO1])
    request = selectors.SearchRequest(text="opiates", origin=search.find_place("SS14 1AB"), radius_km=16.09344)
    assert selectors.service_search(request, terms=terms, now=NOON).total == 0
    service.service_at_locations.all().delete()
    service_reindex(service)  # no place to visit now, and it takes calls: listed anywhere
    outcome = selectors.service_search(request, terms=terms, now=NOON)
    assert [row.service.name for row in outcome.anywhere_rows] == ["Phone support"]


def _random_directory(rng: random.Random) -> None:
    codes = [item.code for item in TaxonomyTerm.objects.filter(kind__in=["domain", "need"])]
    places = [BASILDON_SS14, BASILDON_SS13, LAINDON_SS15, CHELMSFORD_CM2, COLCHESTER_CO1, (51.45, 0.2), (52.2, 0.12)]
    for number in range(70):
        at = [
            (lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.08, 0.08))
            for lat, lon in rng.sample(places, rng.choice((0, 1, 1, 1, 2, 3)))
        ]
        make_service(
            f"Service {number:02d}",
            codes=rng.sample(codes, rng.randint(1, 4)),
            at=at,
            outcode_only=rng.choice(("", "", "", "", "SS14", "CO1")),
            online=rng.random() < 0.25,
            phone=rng.random() < 0.25,
            county_wide=rng.random() < 0.1,
            status=rng.choice([ServiceStatus.ACTIVE] * 6 + [ServiceStatus.TEMPORARILY_CLOSED, ServiceStatus.INACTIVE]),
            minimum_age=rng.choice((None, None, 18)),
            description=rng.choice(("", "A friendly weekly group.", "Family support and advice.")),
        )


def test_searching_through_the_index_finds_exactly_what_reading_the_places_finds(terms):
    rng = random.Random(4021)
    _random_directory(rng)
    domains = [t.code for t in terms if t.kind == "domain"]
    needs = [t.code for t in terms if t.kind == "need"]
    texts = ["", "opiate treatment", "detox", "alcohol family", "aa meetings", "my son drinks", "friendly", "crack"]
    compared = 0
    for _ in range(120):
        request = selectors.SearchRequest(
            text=rng.choice(texts),
            domains=tuple(rng.sample(domains, rng.choice((0, 0, 1, 2)))),
            needs=tuple(rng.sample(needs, rng.choice((0, 0, 1, 2)))),
            origin=search.find_place(rng.choice(("SS14 1AB", "CM2", "Colchester", "SS15"))),
            radius_km=rng.choice((8.0, 16.09344, 40.2336)),
            modes=tuple(rng.sample(selectors.MODES, rng.choice((0, 0, 1)))),
            age=rng.choice((None, None, 16, 30)),
        )
        understood = selectors.understand(request.text, terms)
        wanted = selectors._Wanted.read(understood, terms)
        arguments = (request, understood, wanted, request.origin, request.radius_km, NOON)
        through_index = selectors._ranked_with_place(*arguments)
        from_places = selectors._ranked_with_place(*arguments, use_index=False)
        assert through_index == from_places, request
        compared += bool(through_index) and bool(selectors._indexed_group(request, understood, wanted))
    assert compared > 25  # many requests used the index and found something


def test_the_migration_fills_the_index_as_rebuild_does(terms):
    build_directory()
    make_service("Helpline", codes=["opiates"], phone=True, in_person=False)
    expected = rebuilt_from_scratch()
    assert expected
    SearchPlace.objects.all().delete()
    migration = importlib.import_module("rosc.directory.migrations.0007_search_place")
    migration.fill_search_places(apps, None)
    assert index_rows() == expected


def test_an_import_and_synthetic_seeding_leave_the_index_complete(tmp_path, terms):
    build_directory()
    package = tmp_path / "package"
    call_command("export_oruk", str(package), stdout=io.StringIO(), stderr=io.StringIO())
    Service.objects.all().delete()
    Location.objects.all().delete()
    call_command("import_oruk", str(package), stdout=io.StringIO(), stderr=io.StringIO())
    assert Service.objects.exists()
    # The import works the search text out from plain values, as service_reindex would.
    for service in Service.objects.select_related("organisation"):
        assert service.search_text == build_search_text(service)
    seed_synthetic(40, io.StringIO(), batch_size=15)
    imported = index_rows()
    assert len(imported) > 40
    assert imported == rebuilt_from_scratch()
    delete_synthetic(io.StringIO())
    assert index_rows() == rebuilt_from_scratch()
