"""Building surveys and answers for the research tests."""

from __future__ import annotations

import itertools
from typing import Any

from rosc.research import actions, respondents
from rosc.research.models import Question, QuestionKind, Survey, SurveyState

_people = itertools.count(1)


def make_survey(owner, *, state: str = SurveyState.DRAFT, who_can_answer: str = "anyone", **details: Any) -> Survey:
    """A survey with four questions: one of each kind."""
    survey = actions.survey_create(
        actor=owner,
        details=actions.SurveyDetails(
            title=details.get("title", "What would make recovery cafés easier to reach?"),
            purpose=details.get("purpose", "We want to know what stops people coming."),
            consent_text=details.get("consent_text", "Taking part is up to you."),
            who_can_answer=who_can_answer,
        ),
    )
    for question in QUESTIONS:
        actions.question_add(actor=owner, survey=survey, details=question)
    if state in (SurveyState.OPEN, SurveyState.CLOSED):
        actions.survey_open(actor=owner, survey=survey)
    if state == SurveyState.CLOSED:
        actions.survey_close(actor=owner, survey=survey)
    survey.refresh_from_db()
    return survey


QUESTIONS = [
    actions.QuestionDetails(
        kind=QuestionKind.SINGLE_CHOICE, text="Have you been to a recovery café?", options=("Yes", "No")
    ),
    actions.QuestionDetails(
        kind=QuestionKind.MULTIPLE_CHOICE,
        text="What makes it hard to get there?",
        options=("Bus fares", "Opening times", "Not knowing where it is"),
        required=False,
    ),
    actions.QuestionDetails(
        kind=QuestionKind.SCALE,
        text="How easy is it to get there?",
        scale_min=1,
        scale_max=5,
        scale_min_label="Very hard",
        scale_max_label="Very easy",
    ),
    actions.QuestionDetails(kind=QuestionKind.FREE_TEXT, text="What one thing would help?", required=False),
]


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "id"))


def answers_for(survey: Survey, single: int = 0, multiple=(0,), scale: int = 3, text: str = "") -> dict[int, Any]:
    first, second, third, fourth = questions_of(survey)[:4]
    return {first.pk: single, second.pk: list(multiple), third.pk: scale, fourth.pk: text}


def respond(survey: Survey, **answers: Any):
    """A web response from a new person without an account."""
    key = respondents.key_for_token(survey, f"person-{next(_people)}")
    return actions.response_submit(
        survey=survey, respondent=None, respondent_key=key, answers=answers_for(survey, **answers)
    )
