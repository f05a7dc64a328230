"""The outcome pages: allowed, refused, bad input, audited reads, and query counts that do not grow."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.outcomes.models import Measurement, Via
from rosc.outcomes.tests.helpers import BARC_35, BARC_47, ONS, add_measurement, person_in_care_of
from rosc.record.models import Disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(org_a, person_in_recovery):
    return person_in_care_of(org_a, account=person_in_recovery, full_name="Robin Example")


def person_url(person, name="person", **kwargs):
    return reverse(f"outcomes:{name}", kwargs={"person_id": person.uuid, **kwargs})


def ons_post(**overrides):
    return {"taken_on": "2026-01-05", **{k: str(v) for k, v in {**ONS, **overrides}.items()}}


# --- The care team's page ---------------------------------------------------------------


def test_the_keyworker_sees_charts_with_tables_and_the_instrument_notes(client, keyworker_a, person):
    add_measurement(person, "barc10", BARC_35, days_ago=90)
    add_measurement(person, "barc10", BARC_47, days_ago=10)
    add_measurement(person, "ons4", ONS, days_ago=10)
    sign_in(client, keyworker_a)
    response = client.get(person_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    assert 'data-value="47"' in html
    assert 'data-value="35"' in html
    assert "47 out of 60 (47 or more: associated with sustained remission)" in html
    assert "35 out of 60" in html
    assert "Vilsaint" in html
    assert "PhenX" in html
    assert "Open Government Licence" in html
    assert "6 (medium)" in html
    assert "4 (medium)" in html
    assert not re.search(r"\b(low|medium|high) recovery capital", html)


def test_reading_the_page_is_audited_and_logged_in_the_disclosure_log(client, keyworker_a, person):
    sign_in(client, keyworker_a)
    client.get(person_url(person))
    event = AuditEvent.objects.filter(action="record.read", object_id=str(person.pk)).latest("pk")
    assert event.purpose == "outcome measures"
    assert event.details["categories"] == ["outcomes"]
    assert Disclosure.objects.filter(person=person, viewer=keyworker_a, category="outcomes").exists()


@pytest.mark.parametrize("who", ["keyworker_b", "peer_mentor", "commissioner"])
def test_staff_outside_the_team_or_consent_get_no_page(client, persona, person, who):
    sign_in(client, persona(who))
    assert client.get(person_url(person)).status_code in (403, 404)
    assert client.get(person_url(person, "person_record", code="ons4")).status_code in (403, 404)


def test_members_of_the_public_are_refused_the_staff_page(client, family_member, person):
    sign_in(client, family_member, with_mfa=False)
    assert client.get(person_url(person)).status_code == 403


def test_the_keyworker_records_an_ons4_and_returns_to_the_charts(client, keyworker_a, person, org_a):
    sign_in(client, keyworker_a)
    response = client.post(person_url(person, "person_record", code="ons4"), ons_post())
    assert response.status_code == 302
    measurement = Measurement.objects.get(person=person)
    assert measurement.via == Via.PRACTITIONER
    assert measurement.organisation == org_a
    assert measurement.taken_at.date().isoformat() == "2026-01-05"


def test_bad_answers_reshow_the_form_with_a_clear_message_and_save_nothing(client, keyworker_a, person):
    sign_in(client, keyworker_a)
    response = client.post(
        person_url(person, "person_record", code="top"), {"taken_on": "2026-01-05", "alcohol_days": "30"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Days used alcohol: enter a number of days from 0 to 28." in html
    assert "Choose whether this is the start of treatment, a review or exit." in html
    response = client.post(person_url(person, "person_record", code="ons4"), {"taken_on": "2026-01-05"})
    assert "Answer at least one question." in response.content.decode()
    response = client.post(person_url(person, "person_record", code="ons4"), ons_post(taken_on="2999-01-01"))
    assert "must be today or in the past" in response.content.decode()
    assert not Measurement.objects.exists()


def test_an_unknown_instrument_is_not_found(client, keyworker_a, person):
    sign_in(client, keyworker_a)
    assert client.get(person_url(person, "person_record", code="phq9")).status_code == 404


def test_the_top_form_shows_every_section_and_saves_a_review(client, keyworker_a, person):
    sign_in(client, keyworker_a)
    page = client.get(person_url(person, "person_record", code="top")).content.decode()
    for section in ("Substance use", "Injecting", "Crime", "Health and social functioning"):
        assert section in page
    response = client.post(
        person_url(person, "person_record", code="top"),
        {
            "taken_on": "2026-01-05",
            "stage": "review",
            "alcohol_days": "3",
            "risk_of_eviction": "1",
            "quality_of_life": "14",
        },
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get(person=person, instrument="top")
    assert measurement.stage == "review"
    assert measurement.answers == {
        "stage": "review",
        "alcohol_days": 3,
        "risk_of_eviction": True,
        "quality_of_life": 14,
    }
    page = client.get(person_url(person)).content.decode()
    assert "Review, 5 Jan 2026" in page


def test_the_person_page_query_count_does_not_grow_with_measurements(client, keyworker_a, person):
    sign_in(client, keyworker_a)
    add_measurement(person, "barc10", BARC_35, days_ago=60)
    add_measurement(person, "ons4", ONS, days_ago=60)
    add_measurement(person, "top", {"stage": "start", "alcohol_days": 5}, days_ago=60)
    client.get(person_url(person))
    with CaptureQueriesContext(connection) as few:
        assert client.get(person_url(person)).status_code == 200
    for day in range(40):
        add_measurement(person, "barc10", BARC_47, days_ago=day)
        add_measurement(person, "ons4", ONS, days_ago=day)
        add_measurement(person, "top", {"stage": "review", "alcohol_days": 1}, days_ago=day)
    with CaptureQueriesContext(connection) as many:
        assert client.get(person_url(person)).status_code == 200
    assert len(many) == len(few)


# --- The person's own pages ---------------------------------------------------------------


def test_the_person_sees_their_own_progress_and_fills_in_ons4(client, person_in_recovery, person):
    add_measurement(person, "barc10", BARC_47, days_ago=20)
    sign_in(client, person_in_recovery, with_mfa=False)
    page = client.get(reverse("outcomes:mine"))
    assert page.status_code == 200
    assert 'data-value="47"' in page.content.decode()
    assert "Exit this page" in page.content.decode()
    response = client.post(
        reverse("outcomes:mine_record", kwargs={"code": "ons4"}), {k: str(v) for k, v in ONS.items()}
    )
    assert response.status_code == 302
    assert Measurement.objects.get(person=person, instrument="ons4").via == Via.SELF


def test_the_person_gets_a_clear_message_for_bad_or_empty_answers(client, person_in_recovery, person):
    sign_in(client, person_in_recovery, with_mfa=False)
    response = client.post(reverse("outcomes:mine_record", kwargs={"code": "barc10"}), {"q1": "9"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "There are more important things to me in life than using substances: choose a value from 1 to 6." in html
    assert "Select a valid choice" not in html
    response = client.post(reverse("outcomes:mine_record", kwargs={"code": "barc10"}), {})
    assert "Answer at least one question." in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_person_cannot_fill_in_a_top_themselves(client, person_in_recovery, person):
    sign_in(client, person_in_recovery, with_mfa=False)
    assert client.get(reverse("outcomes:mine_record", kwargs={"code": "top"})).status_code == 404


def test_an_account_without_a_record_is_told_so(client, community_member):
    sign_in(client, community_member, with_mfa=False)
    response = client.get(reverse("outcomes:mine"))
    assert response.status_code == 200
    assert b"not linked to a recovery record" in response.content


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("outcomes:mine"))
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- Service figures ------------------------------------------------------------------------


def people_with_scores(organisation, count, *, offset=0):
    from datetime import timedelta

    from django.utils import timezone

    from rosc.outcomes.instruments import score
    from rosc.record.tests.helpers import make_person

    now = timezone.now()
    for i in range(count):
        someone = make_person(organisation, full_name=f"Person {offset + i}")
        for days, answers in ((200, BARC_35), (5, BARC_47)):
            Measurement.objects.create(
                instrument="barc10",
                version="2017",
                person=someone,
                answers=answers,
                scores=score("barc10", answers),
                taken_at=now - timedelta(days=days),
                via=Via.SELF,
            )


def test_the_service_manager_sees_their_service_suppressed_below_the_threshold(client, service_manager, org_a):
    people_with_scores(org_a, 4)
    sign_in(client, service_manager)
    response = client.get(reverse("outcomes:services"))
    assert response.status_code == 302  # one service: straight to it
    page = client.get(response["Location"]).content.decode()
    assert "Organisation A Treatment" in page
    assert "fewer than 5" in page
    assert "data-value=" not in page
    people_with_scores(org_a, 1, offset=10)
    page = client.get(response["Location"]).content.decode()
    assert 'data-series="Median first score"' in page
    assert 'data-value="35"' in page
    assert 'data-value="47"' in page
    assert AuditEvent.objects.filter(action="outcomes.service_read", object_id=str(org_a.pk)).exists()


def test_the_threshold_comes_from_the_research_setting(client, service_manager, org_a, settings):
    settings.ROSC_RESEARCH_SUPPRESS_BELOW = 3
    people_with_scores(org_a, 3)
    sign_in(client, service_manager)
    page = client.get(reverse("outcomes:service", kwargs={"organisation_id": org_a.uuid})).content.decode()
    assert 'data-value="47"' in page
    assert "fewer than 3" in page


def test_a_service_manager_cannot_see_another_organisations_figures(client, service_manager, org_b):
    sign_in(client, service_manager)
    assert client.get(reverse("outcomes:service", kwargs={"organisation_id": org_b.uuid})).status_code == 403


def test_a_commissioner_sees_every_service(client, commissioner, org_a, org_b):
    sign_in(client, commissioner)
    page = client.get(reverse("outcomes:services")).content.decode()
    assert "Organisation A Treatment" in page
    assert "Organisation B Housing" in page
    assert client.get(reverse("outcomes:service", kwargs={"organisation_id": org_b.uuid})).status_code == 200


@pytest.mark.parametrize("who", ["keyworker_a", "peer_mentor", "ig_lead"])
def test_other_staff_are_refused_service_figures(client, persona, org_a, who):
    sign_in(client, persona(who))
    assert client.get(reverse("outcomes:services")).status_code == 403
    assert client.get(reverse("outcomes:service", kwargs={"organisation_id": org_a.uuid})).status_code == 403


def test_the_service_page_query_count_does_not_grow_with_people(client, service_manager, org_a):
    people_with_scores(org_a, 5)
    sign_in(client, service_manager)
    url = reverse("outcomes:service", kwargs={"organisation_id": org_a.uuid})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    people_with_scores(org_a, 40, offset=100)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
