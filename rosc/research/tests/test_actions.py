"""Survey actions: who may use them, the draft → open → closed rules and the checks on what is entered."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conftest import organisation
from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent, Membership, Role, User
from rosc.research import actions
from rosc.research.models import Answer, Question, QuestionKind, Response, Survey, SurveyState
from rosc.research.tests.helpers import QUESTIONS, answers_for, make_survey, questions_of, respond


def second_researcher():
    user = User.objects.create_user("second.researcher@example.com", "a long enough password")
    Membership.objects.create(user=user, organisation=organisation("community"), role=Role.COMMUNITY_RESEARCHER)
    return user


DETAILS = actions.SurveyDetails(title="Cafés", purpose="Why", consent_text="Consent", who_can_answer="anyone")


@pytest.mark.parametrize(
    "persona_name", ["commissioner", "keyworker_a", "service_manager", "ig_lead", "community_member", "outsider"]
)
def test_only_researchers_and_administrators_create_surveys(persona, persona_name):
    with pytest.raises(PermissionDenied):
        actions.survey_create(actor=persona(persona_name), details=DETAILS)
    assert not Survey.objects.exists()


def test_a_researcher_creates_a_draft_survey_and_it_is_audited(community_researcher):
    survey = actions.survey_create(actor=community_researcher, details=DETAILS)
    assert survey.state == SurveyState.DRAFT
    assert survey.created_by == community_researcher
    event = AuditEvent.objects.get(action="research.survey_created")
    assert event.object_id == str(survey.pk)
    assert event.actor == community_researcher


def test_another_researcher_cannot_change_someone_elses_survey(community_researcher):
    survey = make_survey(community_researcher)
    second = second_researcher()
    with pytest.raises(PermissionDenied):
        actions.survey_open(actor=second, survey=survey)
    with pytest.raises(PermissionDenied):
        actions.question_add(actor=second, survey=survey, details=QUESTIONS[0])
    survey.refresh_from_db()
    assert survey.state == SurveyState.DRAFT


def test_an_administrator_can_take_over_any_survey(community_researcher, administrator):
    survey = make_survey(community_researcher)
    actions.survey_open(actor=administrator, survey=survey)
    survey.refresh_from_db()
    assert survey.state == SurveyState.OPEN


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (DETAILS.__class__(title=" ", purpose="Why", consent_text="C", who_can_answer="anyone"), "title"),
        (DETAILS.__class__(title="T", purpose="", consent_text="C", who_can_answer="anyone"), "purpose"),
        (DETAILS.__class__(title="T", purpose="Why", consent_text="", who_can_answer="anyone"), "consent_text"),
        (DETAILS.__class__(title="T", purpose="Why", consent_text="C", who_can_answer="everyone"), "who_can_answer"),
        (DETAILS.__class__(title="T" * 121, purpose="Why", consent_text="C", who_can_answer="anyone"), "title"),
    ],
)
def test_survey_details_are_checked(community_researcher, details, field):
    with pytest.raises(ActionRefused) as refused:
        actions.survey_create(actor=community_researcher, details=details)
    assert refused.value.field == field
    assert not Survey.objects.exists()


def test_a_survey_without_questions_cannot_open(community_researcher):
    survey = actions.survey_create(actor=community_researcher, details=DETAILS)
    with pytest.raises(ActionRefused, match="at least one question"):
        actions.survey_open(actor=community_researcher, survey=survey)
    survey.refresh_from_db()
    assert survey.state == SurveyState.DRAFT


def test_a_survey_goes_from_draft_to_open_to_closed_and_never_back(community_researcher):
    survey = make_survey(community_researcher)
    actions.survey_open(actor=community_researcher, survey=survey)
    with pytest.raises(ActionRefused):
        actions.survey_open(actor=community_researcher, survey=survey)
    actions.survey_close(actor=community_researcher, survey=survey)
    survey.refresh_from_db()
    assert survey.state == SurveyState.CLOSED
    assert survey.opened_at <= survey.closed_at
    with pytest.raises(ActionRefused):
        actions.survey_open(actor=community_researcher, survey=survey)
    with pytest.raises(ActionRefused):
        actions.survey_close(actor=community_researcher, survey=survey)


def test_a_draft_cannot_be_closed(community_researcher):
    survey = make_survey(community_researcher)
    with pytest.raises(ActionRefused, match="Only an open survey"):
        actions.survey_close(actor=community_researcher, survey=survey)


@pytest.mark.parametrize("state", [SurveyState.OPEN, SurveyState.CLOSED])
def test_questions_and_details_change_only_in_a_draft(community_researcher, state):
    survey = make_survey(community_researcher, state=state)
    question = questions_of(survey)[0]
    with pytest.raises(ActionRefused):
        actions.question_add(actor=community_researcher, survey=survey, details=QUESTIONS[0])
    with pytest.raises(ActionRefused):
        actions.question_update(actor=community_researcher, question=question, details=QUESTIONS[0])
    with pytest.raises(ActionRefused):
        actions.question_delete(actor=community_researcher, question=question)
    with pytest.raises(ActionRefused):
        actions.question_move(actor=community_researcher, question=question, up=False)
    with pytest.raises(ActionRefused):
        actions.survey_update(actor=community_researcher, survey=survey, details=DETAILS)
    assert survey.questions.count() == 4
    survey.refresh_from_db()
    assert survey.title != "Cafés"


def test_questions_can_be_changed_moved_and_removed_in_a_draft(community_researcher):
    survey = make_survey(community_researcher)
    first, second, *_ = questions_of(survey)
    actions.question_move(actor=community_researcher, question=second, up=True)
    assert questions_of(survey)[0] == second
    changed = actions.QuestionDetails(kind=QuestionKind.SINGLE_CHOICE, text="Been to a café?", options=("Yes", "No"))
    actions.question_update(actor=community_researcher, question=first, details=changed)
    first.refresh_from_db()
    assert first.text == "Been to a café?"
    actions.question_delete(actor=community_researcher, question=first)
    assert survey.questions.count() == 3
    assert AuditEvent.objects.filter(action="research.question_removed", object_id=str(first.pk)).exists()


def test_the_type_of_a_question_cannot_change(community_researcher):
    survey = make_survey(community_researcher)
    first = questions_of(survey)[0]
    with pytest.raises(ActionRefused, match="type"):
        actions.question_update(actor=community_researcher, question=first, details=QUESTIONS[3])


def scale(low=1, high=5, low_label="a", high_label="b"):
    return actions.QuestionDetails(
        kind=QuestionKind.SCALE,
        text="Q",
        scale_min=low,
        scale_max=high,
        scale_min_label=low_label,
        scale_max_label=high_label,
    )


def choice(*options, kind=QuestionKind.SINGLE_CHOICE):
    return actions.QuestionDetails(kind=kind, text="Q", options=options)


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (actions.QuestionDetails(kind="essay", text="Q"), "kind"),
        (actions.QuestionDetails(kind=QuestionKind.FREE_TEXT, text="  "), "text"),
        (choice("Only one"), "options"),
        (choice("A", "a", kind=QuestionKind.MULTIPLE_CHOICE), "options"),
        (choice("A", "B" * 121), "options"),
        (choice(*"ABCDEFGHIJKLMNOPQRSTU"), "options"),
        (scale(low=2), "scale_min"),
        (scale(high=2), "scale_max"),
        (scale(high=11), "scale_max"),
        (scale(low_label=""), "scale_min_label"),
    ],
)
def test_question_details_are_checked(community_researcher, details, field):
    survey = make_survey(community_researcher)
    with pytest.raises(ActionRefused) as refused:
        actions.question_add(actor=community_researcher, survey=survey, details=details)
    assert refused.value.field == field
    assert survey.questions.count() == 4


def test_blank_option_lines_are_ignored(community_researcher):
    survey = make_survey(community_researcher)
    details = actions.QuestionDetails(kind=QuestionKind.SINGLE_CHOICE, text="Q", options=("A", "  ", "B", ""))
    question = actions.question_add(actor=community_researcher, survey=survey, details=details)
    assert question.options == ["A", "B"]
    assert question.position == 4


# --- Answers --------------------------------------------------------------------------------


def test_a_web_response_is_stored_without_the_person_and_audited_without_them(community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    response = respond(survey, single=1, multiple=(0, 2), scale=4, text="Cheaper buses")
    assert response.mode == "web"
    assert response.recorded_by is None
    assert response.gathered_on == timezone.localdate()
    assert sorted(Answer.objects.filter(response=response).values_list("choice", flat=True), key=str) == sorted(
        [1, 0, 2, 4, None], key=str
    )
    assert Answer.objects.get(response=response, choice__isnull=True).text == "Cheaper buses"
    event = AuditEvent.objects.get(action="research.response_received")
    assert event.actor is None
    assert event.ip_address is None
    assert event.object_id == str(survey.pk)
    assert str(response.pk) not in str(event.details)


@pytest.mark.parametrize("state", [SurveyState.DRAFT, SurveyState.CLOSED])
def test_answers_are_taken_only_while_a_survey_is_open(community_researcher, state):
    survey = make_survey(community_researcher, state=state)
    with pytest.raises(ActionRefused):
        respond(survey)
    with pytest.raises(ActionRefused):
        actions.response_record_face_to_face(
            actor=community_researcher, survey=survey, gathered_on=timezone.localdate(), answers=answers_for(survey)
        )
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"single": None}, "Select an answer"),
        ({"single": 7}, "Choose from the answers given"),
        ({"multiple": (0, 9)}, "Choose from the answers given"),
        ({"scale": 6}, "Choose from the answers given"),
        ({"scale": "lots"}, "Choose from the answers given"),
        ({"text": "x" * 2001}, "2000 characters or fewer"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(community_researcher, change, message):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    with pytest.raises(ActionRefused, match=message) as refused:
        respond(survey, **change)
    assert refused.value.field.startswith("q")
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_optional_questions_can_be_left_out(community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    response = respond(survey, multiple=(), text="  ")
    questions = questions_of(survey)
    assert not Answer.objects.filter(response=response, question__in=[questions[1], questions[3]]).exists()


def test_a_single_choice_question_takes_only_one_answer(community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    first = questions_of(survey)[0]
    with pytest.raises(ActionRefused, match="Choose one"):
        actions.clean_answers([first], {first.pk: [0, 1]})


def test_a_researcher_records_a_face_to_face_response_with_its_date(community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    today = timezone.localdate()
    response = actions.response_record_face_to_face(
        actor=community_researcher, survey=survey, gathered_on=today, answers=answers_for(survey, text="On paper")
    )
    assert response.mode == "face_to_face"
    assert response.gathered_on == today
    assert response.recorded_by == community_researcher
    assert response.respondent_key == ""
    assert AuditEvent.objects.get(action="research.response_recorded").actor == community_researcher


@pytest.mark.parametrize("days", [1, -30])
def test_a_face_to_face_date_in_the_future_or_before_the_survey_opened_is_refused(community_researcher, days):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    with pytest.raises(ActionRefused) as refused:
        actions.response_record_face_to_face(
            actor=community_researcher,
            survey=survey,
            gathered_on=timezone.localdate() + timedelta(days=days),
            answers=answers_for(survey),
        )
    assert refused.value.field == "gathered_on"
    assert not Response.objects.exists()


def test_only_the_surveys_researcher_records_face_to_face_answers(community_researcher, commissioner):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    with pytest.raises(PermissionDenied):
        actions.response_record_face_to_face(
            actor=commissioner, survey=survey, gathered_on=timezone.localdate(), answers=answers_for(survey)
        )


# --- Themes -----------------------------------------------------------------------------------


def free_text_question(survey) -> Question:
    return questions_of(survey)[3]


def test_themes_need_an_open_survey_and_a_free_text_question(community_researcher):
    draft = make_survey(community_researcher)
    with pytest.raises(ActionRefused, match="open"):
        actions.theme_add(actor=community_researcher, question=free_text_question(draft), name="Buses")
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    with pytest.raises(ActionRefused, match="free-text"):
        actions.theme_add(actor=community_researcher, question=questions_of(survey)[0], name="Buses")


def test_theme_names_are_unique_whatever_the_case(community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    question = free_text_question(survey)
    actions.theme_add(actor=community_researcher, question=question, name="Bus fares")
    with pytest.raises(ActionRefused, match="already"):
        actions.theme_add(actor=community_researcher, question=question, name="bus FARES")
    assert question.themes.count() == 1


def test_tagging_sets_the_themes_of_each_answer(community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    question = free_text_question(survey)
    respond(survey, text="Cheaper buses")
    respond(survey, text="Open on Sundays")
    first, second = question.answers.order_by("id")
    fares = actions.theme_add(actor=community_researcher, question=question, name="Bus fares")
    hours = actions.theme_add(actor=community_researcher, question=question, name="Opening hours")
    changed = actions.answers_tag(
        actor=community_researcher, question=question, tags={first.pk: [fares.pk], second.pk: [hours.pk, fares.pk]}
    )
    assert changed == 2
    assert set(second.themes.all()) == {fares, hours}
    changed = actions.answers_tag(
        actor=community_researcher, question=question, tags={first.pk: [fares.pk], second.pk: [hours.pk]}
    )
    assert changed == 1
    assert list(second.themes.all()) == [hours]
    actions.theme_delete(actor=community_researcher, theme=hours)
    assert not second.themes.exists()


def test_tagging_refuses_themes_or_answers_of_another_question(community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    other = make_survey(community_researcher, state=SurveyState.OPEN)
    respond(survey, text="Cheaper buses")
    respond(other, text="Sundays")
    question = free_text_question(survey)
    answer = question.answers.get()
    foreign_theme = actions.theme_add(actor=community_researcher, question=free_text_question(other), name="X")
    foreign_answer = free_text_question(other).answers.get()
    with pytest.raises(ActionRefused):
        actions.answers_tag(actor=community_researcher, question=question, tags={answer.pk: [foreign_theme.pk]})
    with pytest.raises(ActionRefused):
        actions.answers_tag(actor=community_researcher, question=question, tags={foreign_answer.pk: []})
    assert not answer.themes.exists()
