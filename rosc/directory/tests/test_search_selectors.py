"""Searching the directory in the database: each filter, and the Basildon example."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from rosc.directory import search, selectors
from rosc.directory.models import ServiceStatus
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
TEN_MILES_KM = 16.09344
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def terms():
    make_taxonomy()
    return selectors.directory_terms()


def find(terms, *, where="", miles=10, page=1, now=None, **options):
    origin = search.find_place(where) if where else None
    request = selectors.SearchRequest(origin=origin, radius_km=miles * 1.609344 if where else None, **options)
    return selectors.service_search(request, terms=terms, page_number=page, now=now)


def names(outcome):
    return [row.service.name for row in outcome.rows]


def test_it_lists_opiate_treatment_near_basildon_nearest_first_with_online_services_marked(terms):
    make_service("Laindon Recovery", codes=["opiates", "prescribing"], at=[LAINDON_SS15])
    make_service("Basildon Drug Service", codes=["opiates", "clinical-treatment"], at=[BASILDON_SS13])
    make_service("Chelmsford Clinic", codes=["opiates", "clinical-treatment"], at=[CHELMSFORD_CM2])
    make_service("Colchester Clinic", codes=["opiates", "clinical-treatment"], at=[COLCHESTER_CO1])
    make_service("Opiate Support Online", codes=["opiates", "online-telehealth"], online=True, in_person=False)
    make_service("Basildon Alcohol Team", codes=["alcohol", "clinical-treatment"], at=[BASILDON_SS14])

    outcome = find(terms, text="opiate treatment", where="SS14 1AB", miles=25)

    assert names(outcome) == [
        "Basildon Drug Service",
        "Laindon Recovery",
        "Chelmsford Clinic",
        "Opiate Support Online",
    ]
    online = outcome.rows[-1]
    assert online.is_anywhere
    assert "Online" in online.reasons
    assert outcome.rows[0].reasons[:3] == [
        "Helps with: opiates and opioids",
        "Drug and alcohol treatment",
        "1.6 miles away",
    ]
    assert outcome.local_count == 3
    assert outcome.anywhere_count == 1


def test_it_reads_synonyms_in_the_words_typed(terms):
    make_service("Script Clinic", codes=["prescribing", "opiates"], at=[BASILDON_SS13])
    make_service("Housing Advice", codes=["housing"], at=[BASILDON_SS13])
    make_service("Wickford AA", codes=["mutual-aid", "alcohol"], at=[BASILDON_SS13])

    assert names(find(terms, text="methadone")) == ["Script Clinic"]
    assert names(find(terms, text="AA meetings")) == ["Wickford AA"]
    assert names(find(terms, text="heroin")) == ["Script Clinic"]


def test_it_searches_service_text_for_words_it_does_not_recognise(terms):
    make_service("Sunrise Café", codes=["recovery-community-space"], description="A friendly place with a garden.")
    make_service("Other Place", codes=["recovery-community-space"])

    assert names(find(terms, text="garden")) == ["Sunrise Café"]
    assert names(find(terms, text="garden piano")) == []


def test_it_filters_by_kind_of_help_and_need_ticked(terms):
    make_service("Detox Ward", codes=["inpatient-detox", "alcohol"])
    make_service("Detox For Opiates", codes=["inpatient-detox", "opiates"])
    make_service("Housing", codes=["housing", "alcohol"])

    assert names(find(terms, domains=("inpatient-detox",))) == ["Detox For Opiates", "Detox Ward"]
    assert names(find(terms, domains=("inpatient-detox",), needs=("alcohol",))) == ["Detox Ward"]


def test_it_filters_by_how_people_can_get_help(terms):
    make_service("Face To Face", at=[BASILDON_SS13])
    make_service("Helpline", phone=True, in_person=False)
    make_service("Web Group", online=True, in_person=False)

    assert names(find(terms, modes=("phone",))) == ["Helpline"]
    assert names(find(terms, modes=("online", "phone"))) == ["Helpline", "Web Group"]
    assert names(find(terms, modes=("in_person",))) == ["Face To Face"]


def test_it_filters_by_age(terms):
    make_service("Young People", minimum_age=11, maximum_age=18)
    make_service("Adults", minimum_age=18)
    make_service("Everyone")

    assert names(find(terms, age=15)) == ["Everyone", "Young People"]
    assert names(find(terms, age=40)) == ["Adults", "Everyone"]
    assert "For ages 18 and over" in find(terms, age=40).rows[0].reasons


def test_it_filters_to_services_with_places_or_a_short_wait(terms):
    make_service("Has Beds", has_capacity=True)
    make_service("Short Wait", has_capacity=False, wait_weeks=3)
    make_service("Long Wait", has_capacity=False, wait_weeks=12)
    make_service("Unknown")

    outcome = find(terms, capacity_or_short_wait=True)

    assert names(outcome) == ["Has Beds", "Short Wait"]
    assert "Has places free" in outcome.rows[0].reasons
    assert "Short wait: 3 weeks" in outcome.rows[1].reasons


def test_it_filters_by_the_day_a_service_is_open(terms):
    make_service("Monday Group", opening=[("MO,WE", time(9), time(17))])
    make_service("Friday Group", opening=[("FR", time(18), time(20))])
    make_service("No Times Given")

    outcome = find(terms, day="WE")

    assert names(outcome) == ["Monday Group"]
    assert "Open on Wednesdays" in outcome.rows[0].reasons


def test_it_finds_services_open_now_in_uk_time(terms):
    make_service("Day Service", opening=[("MO,TU,WE,TH,FR", time(9), time(17))])
    make_service("Night Line", opening=[("MO,TU,WE,TH,FR,SA,SU", time(22), time(6))], phone=True)
    monday_10am = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
    monday_11pm = datetime(2026, 3, 2, 23, 0, tzinfo=LONDON)
    saturday_noon = datetime(2026, 3, 7, 12, 0, tzinfo=LONDON)

    assert names(find(terms, open_now=True, now=monday_10am)) == ["Day Service"]
    assert names(find(terms, open_now=True, now=monday_11pm)) == ["Night Line"]
    assert names(find(terms, open_now=True, now=saturday_noon)) == []
    assert "Open now" in find(terms, open_now=True, now=monday_10am).rows[0].reasons


def test_it_shows_temporarily_closed_services_with_a_flag_and_hides_closed_ones(terms):
    make_service("Paused", status=ServiceStatus.TEMPORARILY_CLOSED, status_note="Closed until May")
    make_service("Gone", status=ServiceStatus.DEFUNCT)
    make_service("Stopped", status=ServiceStatus.INACTIVE)
    make_service("Running")

    outcome = find(terms)

    assert names(outcome) == ["Running", "Paused"]
    assert outcome.rows[1].ranked.temporarily_closed


def test_it_keeps_county_wide_services_and_phone_lines_without_an_address(terms):
    make_service("Essex Wide Service", county_wide=True, codes=["alcohol"], at=[COLCHESTER_CO1])
    make_service("Helpline", phone=True, in_person=False, codes=["alcohol"])
    make_service("Colchester Clinic That Takes Calls", phone=True, codes=["alcohol"], at=[COLCHESTER_CO1])
    make_service("Far Clinic", codes=["alcohol"], at=[COLCHESTER_CO1])

    outcome = find(terms, text="alcohol", where="SS14", miles=5)

    assert names(outcome) == ["Essex Wide Service", "Helpline"]
    assert "Covers all of Essex" in outcome.rows[0].reasons
    assert "By phone" in outcome.rows[1].reasons
    assert all(row.is_anywhere for row in outcome.rows)


def test_it_uses_the_postcode_district_of_a_place_with_no_coordinates(terms):
    make_service("Church Hall Meeting", codes=["mutual-aid"], outcode_only="SS13")

    outcome = find(terms, text="AA", where="SS14", miles=5)

    assert names(outcome) == ["Church Hall Meeting"]
    assert outcome.rows[0].is_local


def test_it_explains_gambling_is_out_of_scope_and_where_to_go(terms):
    outcome = find(terms, text="gambling")

    [notice] = outcome.notices
    assert notice.topic == "Gambling"
    assert any("0808 8020 133" in signpost.detail for signpost in notice.signposts)


def test_it_notices_danger_in_the_words_typed(terms):
    assert find(terms, text="my son has taken an overdose").danger
    assert not find(terms, text="alcohol").danger


def test_it_pages_results_twenty_at_a_time_and_says_where_the_online_ones_start(terms):
    for n in range(25):
        make_service(f"Clinic {n:02d}", codes=["alcohol"], at=[BASILDON_SS13])
    make_service("Web Support", codes=["alcohol"], online=True, in_person=False)

    first = find(terms, text="alcohol", where="SS14", page=1)
    second = find(terms, text="alcohol", where="SS14", page=2)

    assert len(first.rows) == 20
    assert first.first_anywhere_page == 2
    assert first.anywhere_on_later_page
    assert names(second)[-1] == "Web Support"


def test_it_offers_online_services_when_nothing_matches(terms):
    make_service("Alcohol Web Group", codes=["alcohol"], online=True, in_person=False)

    outcome = find(terms, text="alcohol", modes=("in_person",))

    assert outcome.total == 0
    assert [row.service.name for row in outcome.fallback] == ["Alcohol Web Group"]


def test_the_database_keeps_always_listed_true_to_the_service_flags(terms):
    helpline = make_service("Helpline", phone=True, in_person=False, codes=["alcohol"])
    wide = make_service("Essex Wide Service", county_wide=True, codes=["alcohol"], at=[COLCHESTER_CO1])
    clinic = make_service("Clinic That Takes Calls", phone=True, codes=["alcohol"], at=[COLCHESTER_CO1])
    for service in (helpline, wide, clinic):
        service.refresh_from_db()
    assert (helpline.always_listed, wide.always_listed, clinic.always_listed) == (True, True, False)

    helpline.offers_phone = False
    helpline.save(update_fields=["offers_phone"])
    helpline.refresh_from_db()
    assert helpline.always_listed is False
    assert "Helpline" not in names(find(terms, text="alcohol", where="SS14", miles=5))
