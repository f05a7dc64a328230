"""Counting a survey's answers and suppressing them, for pages, findings and CSV."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rosc.research import actions
from rosc.research.config import suppress_below
from rosc.research.models import SurveyState
from rosc.research.results import SurveyResults, results_csv, survey_results
from rosc.research.tests.helpers import make_survey, questions_of, respond


@pytest.fixture
def survey(community_researcher):
    return make_survey(community_researcher, state=SurveyState.OPEN)


def rows(result, number):
    question = result.questions[number - 1]
    return {row.label: row.display for row in question.rows}


def test_the_threshold_is_five_unless_set(settings):
    del settings.ROSC_RESEARCH_SUPPRESS_BELOW
    assert suppress_below() == 5
    settings.ROSC_RESEARCH_SUPPRESS_BELOW = 10
    assert suppress_below() == 10


def test_results_are_not_shown_at_all_below_the_threshold(survey):
    for _ in range(4):
        respond(survey)
    result = survey_results(survey, threshold=5)
    assert result.withheld
    assert result.responses is None
    assert result.questions == []


def test_small_numbers_are_hidden_and_the_total_cannot_give_them_away(survey, community_researcher):
    # Ten people: nine said yes, one said no.
    for index in range(10):
        respond(
            survey,
            single=1 if index == 0 else 0,
            multiple=(0,) if index < 6 else (0, 1),
            scale=5 if index < 5 else 2,
            text="Cheaper buses" if index < 5 else "Later opening",
        )
    question = questions_of(survey)[3]
    fares = actions.theme_add(actor=community_researcher, question=question, name="Bus fares")
    hours = actions.theme_add(actor=community_researcher, question=question, name="Opening hours")
    answers = list(question.answers.order_by("id"))
    actions.answers_tag(
        actor=community_researcher,
        question=question,
        tags={answer.pk: [fares.pk] if answer.text == "Cheaper buses" else [hours.pk] for answer in answers},
    )

    result = survey_results(survey, threshold=5)

    assert result.responses == 10
    assert {row.label: row.display for row in result.modes} == {
        "On the web": "not shown",
        "Face to face": "fewer than 5",
    }
    # Yes 9, No 1: "No" is small, so "Yes" is hidden too or 10 - 9 would give it away.
    assert rows(result, 1) == {"Yes": "not shown", "No": "fewer than 5"}
    # Everyone chose bus fares (complement 0 < 5), four chose opening times.
    assert rows(result, 2) == {
        "Bus fares": "not shown",
        "Opening times": "fewer than 5",
        "Not knowing where it is": "fewer than 5",
    }
    # Scale: five said 5, five said 2, nobody else. Hiding the empty points is not enough (two hidden cells
    # of at least 5 adding up to 10 must both be 5, so the rest must be 0), so the question is withheld.
    assert result.questions[2].withheld
    assert result.questions[2].answered == 10
    assert result.questions[2].rows == []
    assert rows(result, 4) == {"Bus fares": "5", "Opening hours": "5"}
    assert result.questions[3].answered == 10
    assert [row.percent for row in result.questions[3].rows] == [50, 50]


def test_a_theme_almost_everyone_shares_is_not_shown(survey, community_researcher):
    for index in range(9):
        respond(survey, text="Cheaper buses" if index < 5 else "Later opening")
    question = questions_of(survey)[3]
    fares = actions.theme_add(actor=community_researcher, question=question, name="Bus fares")
    actions.answers_tag(
        actor=community_researcher,
        question=question,
        tags={answer.pk: [fares.pk] for answer in question.answers.filter(text="Cheaper buses")},
    )
    # 5 of 9 have the theme, so 4 do not: showing 5 would give the 4 away.
    assert rows(survey_results(survey, threshold=5), 4) == {"Bus fares": "not shown"}


def test_a_question_answered_by_too_few_is_withheld(survey):
    for index in range(6):
        respond(survey, multiple=(2,) if index < 2 else (), text="")
    result = survey_results(survey, threshold=5)
    assert not result.withheld
    multiple, free_text = result.questions[1], result.questions[3]
    assert multiple.withheld
    assert multiple.answered is None
    assert multiple.rows == []
    assert free_text.withheld


def test_free_text_never_reaches_the_results(survey):
    for _ in range(6):
        respond(survey, text="My neighbour Jo at 12 High Street")
    result = survey_results(survey, threshold=5)
    assert "High Street" not in str(result.to_dict())
    assert "High Street" not in results_csv(result)


def test_a_lower_threshold_shows_more(survey):
    for index in range(6):
        respond(survey, single=1 if index < 3 else 0)
    assert rows(survey_results(survey, threshold=3), 1) == {"Yes": "3", "No": "3"}
    assert rows(survey_results(survey, threshold=5), 1) == {"Yes": "fewer than 5", "No": "fewer than 5"}


def test_results_are_counted_in_a_few_queries_whatever_the_size(survey):
    for index in range(30):
        respond(survey, single=index % 2, multiple=(index % 3,), scale=1 + index % 5, text=f"answer {index}")
    with CaptureQueriesContext(connection) as queries:
        survey_results(survey, threshold=5)
    assert len(queries) <= 5


def test_results_survive_being_stored_and_read_back(survey):
    for index in range(12):
        respond(survey, single=index % 2, scale=1 + index % 5)
    result = survey_results(survey, threshold=5)
    assert SurveyResults.from_dict(result.to_dict()) == result


def test_the_csv_has_one_row_per_answer_with_small_numbers_hidden(survey):
    for index in range(9):
        respond(survey, single=1 if index == 0 else 0)
    table = list(csv.reader(io.StringIO(results_csv(survey_results(survey, threshold=5)))))
    assert table[0] == [
        "Survey",
        "Question number",
        "Question",
        "Answer or theme",
        "Number of people",
        "Percentage",
        "Note",
    ]
    assert table[1][3:5] == ["All responses", "9"]
    by_answer = {(row[1], row[3]): row[4] for row in table[1:]}
    assert by_answer[("1", "Yes")] == "not shown"
    assert by_answer[("1", "No")] == "fewer than 5"
    assert by_answer[("1", "People who answered")] == "9"


def test_the_csv_says_when_everything_is_withheld(survey):
    respond(survey)
    table = list(csv.reader(io.StringIO(results_csv(survey_results(survey, threshold=5)))))
    assert table[1][4] == "fewer than 5"
    assert len(table) == 2


def test_the_csv_stops_spreadsheets_running_text_as_a_formula(community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN, title="=HYPERLINK(1)")
    for _ in range(5):
        respond(survey)
    table = list(csv.reader(io.StringIO(results_csv(survey_results(survey, threshold=5)))))
    assert all(row[0] == "'=HYPERLINK(1)" for row in table[1:])


def test_a_threshold_below_two_stops_the_site_from_starting(settings):
    from rosc.research.apps import check_suppression_threshold

    settings.ROSC_RESEARCH_SUPPRESS_BELOW = 1
    assert [error.id for error in check_suppression_threshold()] == ["research.E001"]
    settings.ROSC_RESEARCH_SUPPRESS_BELOW = "five"
    assert [error.id for error in check_suppression_threshold()] == ["research.E001"]
    settings.ROSC_RESEARCH_SUPPRESS_BELOW = 5
    assert check_suppression_threshold() == []
