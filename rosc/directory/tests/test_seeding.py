"""Loading the directory: the taxonomy, the Essex demo directory and synthetic data."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from rosc.core.models import Organisation
from rosc.directory import geo, seeding, taxonomy
from rosc.directory.actions import build_search_text
from rosc.directory.models import (
    Address,
    Attribute,
    Language,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
)

ESSEX_AREAS = [
    "Basildon",
    "Braintree",
    "Brentwood",
    "Castle Point",
    "Chelmsford",
    "Colchester",
    "Epping Forest",
    "Harlow",
    "Maldon",
    "Rochford",
    "Tendring",
    "Uttlesford",
    "Southend-on-Sea",
    "Thurrock",
]

NAMED_IN_THE_BRIEF = {
    "Chelmsford Recovery Space",
    "Basildon Recovery Space",
    "Colchester Recovery Space",
    "Harlow Recovery Space",
    "Rayleigh Recovery Space",
    "Thurrock Recovery Space",
    "The Crystal Centre: inpatient drug and alcohol detox",
    "SHARP: Self Help Addiction Recovery Programme",
    "Peer mentors in Jobcentres",
    "Peer mentors in Jobcentres: Southend and Thurrock",
    "Hybrid outpatient programme (south Essex)",
    "Hybrid outpatient programme (mid Essex)",
    "Emergency services: call 999",
    "NHS 111: mental health option",
    "Samaritans",
}


@pytest.fixture(scope="module")
def essex(django_db_setup, django_db_blocker):
    """The Essex directory, loaded once for this module and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = seeding.seed_essex_directory(io.StringIO())
        yield summary
        transaction.set_rollback(True)


def synthetic():
    return Service.objects.filter(organisation__slug__startswith="synthetic-")


def snapshot() -> dict[str, list[tuple]]:
    return {
        model.__name__: sorted(map(tuple, model.objects.values_list()), key=repr)
        for model in (Service, Location, Address, ServiceAtLocation, Schedule, Attribute, Language, ServiceCapacity)
    }


# --- Taxonomy --------------------------------------------------------------------------------------------------


def test_it_writes_the_taxonomy_with_fixed_ids(db):
    seeding.ensure_taxonomy()
    tax = Taxonomy.objects.get(name=taxonomy.TAXONOMY_NAME)
    assert tax.id == taxonomy.TAXONOMY_ID
    rehab = TaxonomyTerm.objects.get(code="residential-rehab")
    assert rehab.id == taxonomy.term_id("residential-rehab")
    assert "rehab" in rehab.synonym_list
    assert TaxonomyTerm.objects.get(code="community-detox").parent.code == "clinical-treatment"


def test_it_updates_the_taxonomy_in_place_when_run_again(db):
    seeding.ensure_taxonomy()
    TaxonomyTerm.objects.filter(code="housing").update(name="Old name")
    seeding.ensure_taxonomy()
    assert Taxonomy.objects.count() == 1
    assert TaxonomyTerm.objects.count() == len(taxonomy.TERMS)
    assert TaxonomyTerm.objects.get(code="housing").name == taxonomy.term("housing").name


def test_it_adopts_a_taxonomy_made_earlier_under_the_same_name(db):
    earlier = Taxonomy.objects.create(name=taxonomy.TAXONOMY_NAME, description="Made by hand")
    assert seeding.ensure_taxonomy().id == earlier.id
    assert Taxonomy.objects.count() == 1


# --- Essex demo directory ----------------------------------------------------------------------------------------


def test_it_loads_at_least_85_essex_services(essex, db):
    assert essex.services >= 85
    assert Service.objects.count() == essex.services


def test_it_uses_every_domain_term(essex, db):
    used = set(Attribute.objects.values_list("taxonomy_term__code", flat=True))
    assert set(taxonomy.DOMAIN_CODES) <= used


def test_it_puts_a_service_with_a_place_in_every_essex_area(essex, db):
    outcodes = set(ServiceAtLocation.objects.values_list("location__outcode", flat=True))
    areas = {geo.place_for(outcode).region for outcode in outcodes}
    assert set(ESSEX_AREAS) <= areas


def test_it_places_every_location_in_the_right_area(essex, db):
    for location in Location.objects.prefetch_related("addresses"):
        place = geo.place_for(location.outcode)
        assert abs(location.latitude - place.latitude) < 0.02
        assert abs(location.longitude - place.longitude) < 0.02
        district = seeding.DISTRICT_OF_OUTCODE[location.outcode]
        assert place.region == district or location.outcode == "SS3"
        assert location.addresses.get().postal_code.startswith(location.outcode)


def test_it_spreads_places_in_one_district_apart(essex, db):
    points = list(Location.objects.filter(outcode="CM2").values_list("latitude", "longitude"))
    assert len(points) >= 2
    assert len(set(points)) == len(points)


def test_it_marks_only_the_services_named_in_the_brief_as_real(essex, db):
    real = set(Service.objects.filter(is_illustrative=False).values_list("name", flat=True))
    assert real == NAMED_IN_THE_BRIEF
    illustrative = Service.objects.filter(is_illustrative=True)
    assert illustrative.count() == essex.services - len(NAMED_IN_THE_BRIEF)
    for service in illustrative:
        text = f"{service.name} {service.description}".lower()
        assert "real" not in text.split()


def test_it_gives_illustrative_services_numbers_that_ring_nobody(essex, db):
    for service in Service.objects.filter(is_illustrative=True).prefetch_related("phones"):
        for phone in service.phones.all():
            assert phone.number.startswith(("01632 960", "0808 157 0")), phone.number


def test_it_lists_the_real_crisis_lines(essex, db):
    numbers = {
        phone.number
        for service in Service.objects.filter(attributes__taxonomy_term__code="crisis", is_illustrative=False)
        for phone in service.phones.all()
    }
    assert {"999", "111", "116 123"} <= numbers
    assert Service.objects.get(name="Samaritans").is_county_wide


def test_it_gives_the_crystal_centre_beds_and_treatment_a_wait(essex, db):
    crystal = Service.objects.get(name__startswith="The Crystal Centre")
    assert crystal.organisation.slug == "the-crystal-centre"
    assert crystal.capacities.get().unit == "beds"
    assert crystal.has_capacity is True
    sharp = Service.objects.get(name__startswith="SHARP")
    assert "nine-week" in sharp.description
    assert sharp.wait_weeks == 3


def test_it_fills_what_to_expect_opening_times_and_search_text(essex, db):
    for service in Service.objects.prefetch_related("schedules", "cost_options", "languages"):
        assert service.what_to_expect
        assert service.eligibility
        assert service.schedules.all(), service.name
        assert service.cost_options.all(), service.name
        assert service.languages.all(), service.name
        assert service.search_text == build_search_text(service)


def test_it_attaches_services_to_the_seed_demo_organisations(essex, db):
    mid = Organisation.objects.get(slug="mid-essex-drug-and-alcohol-service")
    assert mid.services.exists()
    assert Organisation.objects.get(slug="samaritans").is_illustrative is False
    assert Organisation.objects.get(slug="essex-harm-reduction-network").is_illustrative is True


def test_it_changes_nothing_when_run_twice(essex, db):
    before = snapshot()
    again = seeding.seed_essex_directory(io.StringIO())
    assert again.created == 0
    assert snapshot() == before


def test_it_works_after_seed_demo_has_run(db):
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())
    seeding.seed_essex_directory()
    assert Service.objects.filter(organisation__slug="basildon-recovery-space").exists()


# --- Synthetic data --------------------------------------------------------------------------------------------


def test_it_makes_synthetic_services_in_england_with_places_and_tags(db):
    seeding.seed_synthetic(300, io.StringIO(), seed=7)
    services = synthetic()
    assert services.count() == 300
    assert not services.filter(is_illustrative=False).exists()
    england = {place.outcode for place in seeding.english_districts()}
    for service in services.prefetch_related("service_at_locations__location", "attributes", "schedules"):
        outcodes = [sal.location.outcode for sal in service.service_at_locations.all()]
        assert outcodes
        assert set(outcodes) <= england
        assert 1 <= len(service.attributes.all()) <= 4
        assert 1 <= len(service.schedules.all()) <= 3
    locations = ServiceAtLocation.objects.filter(service__in=services).count()
    assert 1.3 <= locations / 300 <= 1.9


def test_it_fills_synthetic_search_text_and_capacity_like_a_reindex(db):
    seeding.seed_synthetic(120, io.StringIO(), seed=3)
    for service in synthetic():
        assert service.search_text == build_search_text(service)
        capacities = list(service.capacities.all())
        waits = [c.available for c in capacities if c.unit == "wait_weeks"]
        assert service.wait_weeks == (min(waits) if waits else None)


def test_it_makes_the_same_synthetic_services_from_the_same_seed(db):
    locations_before = Location.objects.count()
    seeding.seed_synthetic(50, io.StringIO(), seed=11)
    first = sorted(synthetic().values_list("id", "name", "search_text"))
    assert seeding.delete_synthetic() == 50
    assert not synthetic().exists()
    assert Location.objects.count() == locations_before
    seeding.seed_synthetic(50, io.StringIO(), seed=11)
    assert sorted(synthetic().values_list("id", "name", "search_text")) == first


def test_it_prints_progress_every_tenth_when_not_on_a_terminal(db):
    out = io.StringIO()
    seeding.seed_synthetic(40, out, seed=1, batch_size=4)
    lines = out.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[-1].startswith("Synthetic services: 40 of 40 (100%)")


def test_the_command_loads_the_essex_directory(db):
    out = io.StringIO()
    call_command("seed_directory", stdout=out)
    assert "Essex directory ready" in out.getvalue()
    assert Service.objects.filter(is_illustrative=False).count() == len(NAMED_IN_THE_BRIEF)


def test_the_command_refuses_to_add_synthetic_data_twice(db):
    call_command("seed_directory", "--synthetic", "20", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--replace-synthetic"):
        call_command("seed_directory", "--synthetic", "20", stdout=io.StringIO())
    assert synthetic().count() == 20


def test_the_command_replaces_synthetic_data_when_asked(db):
    call_command("seed_directory", "--synthetic", "20", "--seed", "1", stdout=io.StringIO())
    call_command("seed_directory", "--synthetic", "30", "--replace-synthetic", stdout=io.StringIO())
    assert synthetic().count() == 30
    places = ServiceAtLocation.objects.filter(service__in=synthetic())
    assert Location.objects.filter(service_at_locations__in=places).count() == places.count()
