"""Answering a survey on the web: consent, checking answers, one response per person."""

import pytest
from django.test import Client
from django.urls import reverse

from rosc.core.errors import ActionRefused
from rosc.core.testing import sign_in
from rosc.research import actions, respondents
from rosc.research.models import Answer, Response, SurveyState
from rosc.research.tests.helpers import answers_for, make_survey, questions_of


def start_url(survey):
    return reverse("research:survey", args=[survey.uuid])


def answer_url(survey):
    return reverse("research:answer", args=[survey.uuid])


def good_post(survey, **extra):
    first, second, third, fourth = questions_of(survey)
    data = {
        f"q{first.pk}": "0",
        f"q{second.pk}": ["0", "2"],
        f"q{third.pk}": "4",
        f"q{fourth.pk}": "Buses on Sundays",
        "consent": "on",
    }
    data.update(extra)
    return data


@pytest.fixture
def open_survey(community_researcher):
    return make_survey(community_researcher, state=SurveyState.OPEN)


def test_the_start_page_shows_why_and_what_taking_part_means(client, open_survey):
    response = client.get(start_url(open_survey))
    assert response.status_code == 200
    assert b"We want to know what stops people coming." in response.content
    assert b"Taking part is up to you." in response.content
    assert answer_url(open_survey).encode() in response.content


def test_a_draft_survey_is_not_public(client, community_researcher):
    survey = make_survey(community_researcher)
    assert client.get(start_url(survey)).status_code == 404
    assert client.get(answer_url(survey)).status_code == 404


def test_the_answer_page_shows_the_consent_text_before_the_questions(client, open_survey):
    content = client.get(answer_url(open_survey)).content.decode()
    assert content.index("Taking part is up to you.") < content.index("Have you been to a recovery café?")
    assert 'name="consent"' in content
    assert "could identify you or someone else" in content


def test_answers_are_checked_before_they_are_sent(client, open_survey):
    response = client.post(answer_url(open_survey), good_post(open_survey))
    assert response.status_code == 200
    assert b"Check your answers" in response.content
    assert b"Buses on Sundays" in response.content
    assert b"4 \xe2\x80\x93 Very hard" not in response.content
    assert not Response.objects.exists()


def test_sending_saves_one_anonymous_response_and_thanks_the_person(client, open_survey):
    response = client.post(answer_url(open_survey), {**good_post(open_survey), "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("research:thanks", args=[open_survey.uuid])
    saved = Response.objects.get()
    assert saved.mode == "web"
    assert saved.respondent_key
    assert Answer.objects.filter(response=saved).count() == 5
    assert b"Your answers have been sent" in client.get(response["Location"]).content


def test_change_shows_the_form_again_with_the_answers_filled_in(client, open_survey):
    response = client.post(answer_url(open_survey), {**good_post(open_survey), "change": "1"})
    assert response.status_code == 200
    assert b"Buses on Sundays</textarea>" in response.content
    assert b"There is a problem" not in response.content
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("remove", "message"),
    [
        ("consent", b"Tick the box to say you agree to take part."),
        ("first", b"Select an answer to question 1."),
        ("third", b"Select an answer to question 3."),
    ],
)
def test_missing_answers_or_consent_give_a_clear_message_and_save_nothing(client, open_survey, remove, message):
    data = good_post(open_survey, confirm="1")
    first, _second, third, _fourth = questions_of(open_survey)
    key = {"consent": "consent", "first": f"q{first.pk}", "third": f"q{third.pk}"}[remove]
    del data[key]
    response = client.post(answer_url(open_survey), data)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert message in response.content
    assert not Response.objects.exists()


def test_an_answer_that_is_not_an_option_is_refused(client, open_survey):
    first = questions_of(open_survey)[0]
    response = client.post(answer_url(open_survey), good_post(open_survey, confirm="1", **{f"q{first.pk}": "9"}))
    assert b"Choose from the answers given to question 1." in response.content
    assert not Response.objects.exists()


def test_a_person_without_an_account_answers_once_per_browser_session(client, open_survey):
    client.post(answer_url(open_survey), {**good_post(open_survey), "confirm": "1"})

    again = client.get(answer_url(open_survey))
    assert again.status_code == 302
    assert again["Location"] == start_url(open_survey)
    assert b"You have already answered" in client.get(start_url(open_survey)).content
    client.post(answer_url(open_survey), {**good_post(open_survey), "confirm": "1"})
    assert Response.objects.count() == 1

    Client().post(answer_url(open_survey), {**good_post(open_survey), "confirm": "1"})
    assert Response.objects.count() == 2, "Another browser is another person, as far as the survey can tell."


def test_a_signed_in_person_answers_once_per_account_in_any_browser(open_survey, community_member):
    first, second = Client(), Client()
    sign_in(first, community_member, with_mfa=False)
    sign_in(second, community_member, with_mfa=False)
    first.post(answer_url(open_survey), {**good_post(open_survey), "confirm": "1"})
    assert second.get(answer_url(open_survey)).status_code == 302
    second.post(answer_url(open_survey), {**good_post(open_survey), "confirm": "1"})
    assert Response.objects.count() == 1
    assert Response.objects.get().respondent_key == respondents.key_for_account(open_survey, community_member)


def test_a_survey_that_needs_sign_in_sends_visitors_to_sign_in(client, community_researcher, family_member):
    survey = make_survey(community_researcher, state=SurveyState.OPEN, who_can_answer="signed_in")
    assert b"Sign in to answer" in client.get(start_url(survey)).content
    response = client.get(answer_url(survey))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.post(answer_url(survey), {**good_post(survey), "confirm": "1"})
    assert not Response.objects.exists()

    sign_in(client, family_member, with_mfa=False)
    client.post(answer_url(survey), {**good_post(survey), "confirm": "1"})
    assert Response.objects.count() == 1


def test_the_action_refuses_a_sign_in_survey_without_an_account(community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN, who_can_answer="signed_in")
    with pytest.raises(ActionRefused, match="Sign in"):
        actions.response_submit(
            survey=survey,
            respondent=None,
            respondent_key=respondents.key_for_token(survey, "t"),
            answers=answers_for(survey),
        )


def test_the_database_refuses_a_second_response_with_the_same_key(open_survey):
    key = respondents.key_for_token(open_survey, "same browser")
    actions.response_submit(survey=open_survey, respondent=None, respondent_key=key, answers=answers_for(open_survey))
    with pytest.raises(ActionRefused, match="already answered"):
        actions.response_submit(
            survey=open_survey, respondent=None, respondent_key=key, answers=answers_for(open_survey)
        )
    assert Response.objects.count() == 1


def test_keys_differ_between_surveys_and_people(community_researcher):
    one = make_survey(community_researcher)
    two = make_survey(community_researcher)
    assert respondents.key_for_token(one, "a") != respondents.key_for_token(two, "a")
    assert respondents.key_for_token(one, "a") != respondents.key_for_token(one, "b")
    token = "browser-token-XYZ"
    assert token not in respondents.key_for_token(one, token)
    assert len(respondents.key_for_token(one, token)) == 64


def test_a_closed_survey_takes_no_more_answers(client, community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.CLOSED)
    assert b"This survey has closed" in client.get(start_url(survey)).content
    response = client.post(answer_url(survey), {**good_post(survey), "confirm": "1"})
    assert response.status_code == 302
    assert not Response.objects.exists()


def test_the_database_itself_refuses_two_responses_with_one_key(open_survey):
    from django.db import IntegrityError, transaction

    Response.objects.create(survey=open_survey, respondent_key="k" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=open_survey, respondent_key="k" * 64)
    Response.objects.create(survey=open_survey, respondent_key="")
    Response.objects.create(survey=open_survey, respondent_key="")
    assert Response.objects.filter(respondent_key="").count() == 2, "Face-to-face responses have no key."
