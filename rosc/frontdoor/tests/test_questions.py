"""The question pages: one thing a page, every one skippable, answers kept in the session only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rosc.frontdoor.forms import QUESTIONS
from rosc.frontdoor.models import Pathway
from rosc.frontdoor.tests.conftest import answer_all, make_pathway

pytestmark = pytest.mark.django_db


def session_answers(client):
    return client.session["frontdoor"]["answers"]


def test_the_start_page_says_what_happens_to_the_answers_and_offers_a_way_out(client):
    response = client.get("/get-help/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "What happens to your answers" in text
    assert "You do not need an account" in text
    assert 'href="https://www.bbc.co.uk/weather"' in text, "Exit this page works as a plain link"
    assert 'href="/get-help/questions/danger/"' in text


def test_the_home_page_has_a_get_help_now_button(client):
    response = client.get("/")

    assert f'href="{reverse("frontdoor:start")}"' in response.content.decode()
    assert "Get help now" in response.content.decode()


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.slug)
def test_every_question_page_opens_without_answers_and_can_be_skipped(client, directory, question):
    url = f"/get-help/questions/{question.slug}/"
    if question.slug == "relationship":
        client.post("/get-help/questions/who/", {"who": "someone"})

    page = client.get(url)
    skipped = client.post(url, {"skip": "1"})

    assert page.status_code == 200
    assert 'class="govuk-back-link"' in page.content.decode()
    assert "Skip this question" in page.content.decode()
    assert skipped.status_code == 302
    assert question.slug in client.session["frontdoor"]["seen"]


def test_it_goes_through_the_questions_in_order_and_asks_the_relationship_only_of_family(client, directory):
    first = client.post("/get-help/questions/who/", {"who": "me"})
    client.post("/get-help/questions/who/", {"who": "someone"})
    second = client.post("/get-help/questions/who/", {"who": "someone"})

    assert first["Location"] == "/get-help/questions/age/"
    assert second["Location"] == "/get-help/questions/relationship/"
    client.post("/get-help/questions/who/", {"who": "me"})
    assert client.get("/get-help/questions/relationship/")["Location"] == "/get-help/questions/age/"


def test_saying_someone_is_in_danger_shows_crisis_routes_at_once_without_ending_the_journey(client, directory):
    response = client.post("/get-help/questions/danger/", {"danger": ["overdose"]})
    page = client.get(response["Location"])

    text = page.content.decode()
    assert response["Location"] == "/get-help/help-now/"
    assert text.index("Call 999") < text.index("Call NHS 111") < text.index("Samaritans on 116 123")
    assert "You said someone has taken too much or is hard to wake." in text
    assert 'href="/get-help/questions/who/"' in text, "Continue goes on to the next question"
    assert session_answers(client)["danger"] == ["overdose"]


def test_local_crisis_help_appears_once_a_place_is_given_on_the_help_page(client, directory):
    client.post("/get-help/questions/danger/", {"danger": ["suicide"]})

    response = client.post("/get-help/help-now/", {"where": "SS14 1AB"}, follow=True)

    assert "Evening crisis café" in response.content.decode()
    assert session_answers(client)["place"] == "SS14"


def test_it_refuses_none_and_danger_together_and_an_empty_answer_and_saves_nothing(client, directory):
    both = client.post("/get-help/questions/danger/", {"danger": ["none", "harm"]})
    empty = client.post("/get-help/questions/danger/", {})

    assert both.status_code == 200
    assert "not both" in both.content.decode()
    assert "Select if anyone is in danger right now" in empty.content.decode()
    assert "frontdoor" not in client.session


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("Nowhereville", "We could not find that place. Enter a postcode, like SS14 1AB"),
        ("ZZ99 9ZZ", "We could not find that place"),
        ("<script>alert(1)</script>", "We could not find that place"),
        ("x" * 61, "Enter 60 characters or fewer"),
        ("", "Enter a postcode or town, or tick"),
    ],
)
def test_it_explains_a_place_it_cannot_use(client, directory, where, message):
    response = client.post("/get-help/questions/where/", {"where": where})

    text = response.content.decode()
    assert response.status_code == 200
    assert message in text
    assert "<script>alert" not in text
    assert "frontdoor" not in client.session


def test_it_keeps_only_the_district_of_a_full_postcode(client, directory):
    client.post("/get-help/questions/where/", {"where": "ss14 1ab", "online_ok": "on"})

    answers = session_answers(client)
    assert answers["place"] == "SS14"
    assert "1AB" not in str(client.session["frontdoor"]).upper()
    assert answers["online_ok"] is True


def test_it_takes_odd_characters_and_very_long_input_without_a_server_error(client, directory):
    odd = client.post("/get-help/questions/who/", {"who": "me\x00💥" * 500})
    many = client.post("/get-help/questions/substances/", {"substances": ["opiates", "glue", "opiates"]})

    assert odd.status_code == 200
    assert "Select a valid choice" in odd.content.decode() or "Select who needs help" in odd.content.decode()
    assert many.status_code == 200


def test_changing_an_answer_returns_to_the_check_page_unless_a_new_question_opens(client, directory):
    answer_all(client, who={"who": "me"})

    same = client.post("/get-help/questions/how-soon/?change=1", {"urgency": "today"})
    opened = client.post("/get-help/questions/who/?change=1", {"who": "someone"})
    then = client.post("/get-help/questions/relationship/?change=1", {"relationship": "partner"})

    assert same["Location"] == "/get-help/check-your-answers/"
    assert opened["Location"] == "/get-help/questions/relationship/?change=1"
    assert then["Location"] == "/get-help/check-your-answers/"


def test_the_check_page_lists_every_answer_with_a_change_link(client, directory):
    answer_all(client)

    text = client.get("/get-help/check-your-answers/").content.decode()

    for slug in ("danger", "who", "relationship", "age", "substances", "how-soon", "what-else", "where"):
        assert f'href="/get-help/questions/{slug}/?change=1"' in text
    assert "Heroin or other opioids" in text
    assert "I am their parent" in text
    assert "Not answered" in text  # the age was skipped


def test_showing_the_plan_keeps_the_answers_under_a_hashed_token_and_no_answer_reaches_an_address(client, directory):
    answer_all(client)
    response = client.post("/get-help/check-your-answers/")

    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    pathway = Pathway.objects.get()
    assert response["Location"] == f"/get-help/pathway/{token}/"
    assert len(token) >= 43
    assert pathway.token_hash != token
    assert token not in str(pathway.answers)
    assert pathway.answers["substances"] == ["opiates"]
    assert pathway.answers["place"] == "Basildon"
    assert "?" not in response["Location"]


def test_starting_again_forgets_the_answers(client, directory):
    answer_all(client)

    response = client.post("/get-help/start-again/")

    assert response["Location"] == "/get-help/"
    assert "frontdoor" not in client.session
    assert client.get("/get-help/start-again/").status_code == 405


def test_an_unknown_question_is_not_found(client):
    assert client.get("/get-help/questions/favourite-colour/").status_code == 404


def test_it_stops_a_script_from_keeping_thousands_of_pathways(client, directory, settings):
    settings.ROSC_FRONTDOOR_PATHWAY_LIMIT = "2/h"
    make_pathway(client)
    make_pathway(client)

    refused = client.post("/get-help/check-your-answers/")

    assert refused.status_code == 429
    assert "Please wait a while" in refused.content.decode()
    assert Pathway.objects.count() == 2
