"""The research pages: designing a survey, face-to-face answers, results, themes, findings and evidence."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.research import actions
from rosc.research.models import Finding, Question, Response, Survey, SurveyState, Theme
from rosc.research.tests.helpers import make_survey, questions_of, respond
from rosc.voice.models import Item


@pytest.fixture
def researcher_client(client, community_researcher):
    sign_in(client, community_researcher)
    return client


def survey_url(name, survey, **kwargs):
    return reverse(f"research:{name}", kwargs={"survey_id": survey.uuid, **kwargs})


# --- Designing ------------------------------------------------------------------------------


def test_the_new_survey_form_offers_consent_text_naming_the_threshold(researcher_client):
    response = researcher_client.get(reverse("research:survey_new"))
    assert response.status_code == 200
    assert b"any number smaller than 5 is hidden" in response.content
    assert b"Do not ask for names" in response.content


def test_a_survey_without_a_title_is_refused_with_a_clear_message(researcher_client):
    response = researcher_client.post(
        reverse("research:survey_new"),
        {"title": "", "purpose": "Why", "consent_text": "Consent", "who_can_answer": "anyone"},
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Enter a title." in response.content
    assert not Survey.objects.exists()


def test_a_researcher_creates_a_survey_and_lands_on_it(researcher_client, community_researcher):
    response = researcher_client.post(
        reverse("research:survey_new"),
        {"title": "Cafés", "purpose": "Why", "consent_text": "Consent", "who_can_answer": "signed_in"},
    )
    survey = Survey.objects.get()
    assert response["Location"] == survey_url("manage_survey", survey)
    assert survey.created_by == community_researcher
    assert survey.needs_sign_in
    page = researcher_client.get(response["Location"])
    assert b"Add a question" in page.content


def test_choosing_a_question_type_is_required(researcher_client, community_researcher):
    survey = make_survey(community_researcher)
    response = researcher_client.post(survey_url("question_kind", survey), {})
    assert b"Choose the type of question." in response.content
    response = researcher_client.post(survey_url("question_kind", survey), {"kind": "scale"})
    assert response["Location"] == survey_url("question_new", survey, kind="scale")


def test_an_unknown_question_type_is_not_found(researcher_client, community_researcher):
    survey = make_survey(community_researcher)
    assert researcher_client.get(survey_url("question_new", survey, kind="essay")).status_code == 404


def test_a_choice_question_needs_two_options(researcher_client, community_researcher):
    survey = make_survey(community_researcher)
    url = survey_url("question_new", survey, kind="single_choice")
    response = researcher_client.post(url, {"text": "Travel?", "required": "yes", "options": "Bus"})
    assert b"Enter at least 2 options, one on each line." in response.content
    assert survey.questions.count() == 4
    response = researcher_client.post(url, {"text": "Travel?", "required": "no", "options": "Bus\r\nWalk\r\n"})
    assert response.status_code == 302
    added = survey.questions.order_by("-position").first()
    assert added.options == ["Bus", "Walk"]
    assert added.required is False


@pytest.mark.parametrize(
    ("scale_max", "message"),
    [("lots", b"Enter the highest point as a whole number, like 5."), ("2", b"at least 2 more than the lowest")],
)
def test_a_scale_needs_a_sensible_highest_point(researcher_client, community_researcher, scale_max, message):
    survey = make_survey(community_researcher)
    response = researcher_client.post(
        survey_url("question_new", survey, kind="scale"),
        {
            "text": "How easy?",
            "required": "yes",
            "scale_min": "1",
            "scale_max": scale_max,
            "scale_min_label": "Hard",
            "scale_max_label": "Easy",
        },
    )
    assert response.status_code == 200
    assert message in response.content
    assert survey.questions.count() == 4


def test_questions_of_an_open_survey_cannot_be_edited_through_the_pages(researcher_client, community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    question = questions_of(survey)[0]
    url = survey_url("question_edit", survey, question_id=question.pk)
    response = researcher_client.post(url, {"text": "Changed", "required": "yes", "options": "A\nB"})
    assert response.status_code == 400
    assert b"can no longer change" in response.content
    question.refresh_from_db()
    assert question.text != "Changed"
    assert researcher_client.get(survey_url("question_kind", survey)).status_code == 400


def test_opening_asks_first_and_then_opens(researcher_client, community_researcher):
    survey = make_survey(community_researcher)
    page = researcher_client.get(survey_url("survey_open", survey))
    assert b"You cannot change the questions after opening it" in page.content
    survey.refresh_from_db()
    assert survey.state == SurveyState.DRAFT
    researcher_client.post(survey_url("survey_open", survey))
    survey.refresh_from_db()
    assert survey.state == SurveyState.OPEN


def test_moving_a_question_down(researcher_client, community_researcher):
    survey = make_survey(community_researcher)
    first = questions_of(survey)[0]
    researcher_client.post(survey_url("question_move", survey, question_id=first.pk), {"direction": "down"})
    assert questions_of(survey)[1] == first


def test_removing_a_question_asks_first(researcher_client, community_researcher):
    survey = make_survey(community_researcher)
    first = questions_of(survey)[0]
    url = survey_url("question_delete", survey, question_id=first.pk)
    assert b"Remove this question?" in researcher_client.get(url).content
    researcher_client.post(url)
    assert not Question.objects.filter(pk=first.pk).exists()


# --- Face to face -------------------------------------------------------------------------------


def face_to_face_post(survey, **extra):
    first, _second, third, fourth = questions_of(survey)
    data = {
        "gathered_on": timezone.localdate().isoformat(),
        f"q{first.pk}": "1",
        f"q{third.pk}": "2",
        f"q{fourth.pk}": "Said at the café",
        "consent": "on",
    }
    data.update(extra)
    return data


def test_a_face_to_face_response_is_checked_then_saved_with_its_date(researcher_client, community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    url = survey_url("face_to_face", survey)
    page = researcher_client.get(url)
    assert b"Date the answers were given" in page.content
    assert b"The person heard what taking part means" in page.content

    check = researcher_client.post(url, face_to_face_post(survey))
    assert b"Check the answers" in check.content
    assert not Response.objects.exists()

    saved = researcher_client.post(url, {**face_to_face_post(survey), "confirm": "1"})
    assert saved.status_code == 302
    response = Response.objects.get()
    assert response.mode == "face_to_face"
    assert response.recorded_by == community_researcher


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"gathered_on": ""}, b"Enter the date the answers were given."),
        ({"gathered_on": "not a date"}, b"as a real date"),
        ({"gathered_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, b"today or in the past"),
        ({"consent": ""}, b"Confirm that the person agreed to take part."),
    ],
)
def test_a_face_to_face_response_with_a_bad_date_or_no_consent_is_refused(
    researcher_client, community_researcher, change, message
):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    data = {**face_to_face_post(survey), **change, "confirm": "1"}
    data = {key: value for key, value in data.items() if value != ""}
    response = researcher_client.post(survey_url("face_to_face", survey), data)
    assert response.status_code == 200
    assert message in response.content
    assert not Response.objects.exists()


def test_face_to_face_answers_need_an_open_survey(researcher_client, community_researcher):
    survey = make_survey(community_researcher)
    assert researcher_client.get(survey_url("face_to_face", survey)).status_code == 400


# --- Results and themes -------------------------------------------------------------------------


def test_the_results_page_hides_small_numbers(researcher_client, community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    for index in range(12):
        respond(survey, single=0 if index < 7 else 1, multiple=(index % 2,), scale=1 if index == 0 else 3, text="Buses")
    page = researcher_client.get(survey_url("results", survey)).content.decode()
    assert "12</strong> people answered" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">7</td>' in page
    assert "fewer than 5" in page
    assert "not shown" in page
    assert "Buses" not in page.split("Answers</h2>")[1]
    assert "<svg" in page


def test_the_results_page_shows_nothing_below_the_threshold(researcher_client, community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    for _ in range(3):
        respond(survey)
    page = researcher_client.get(survey_url("results", survey)).content
    assert b"Fewer than 5 people have answered, so no results are shown." in page
    assert b"<table" not in page


def test_the_results_download_is_a_csv_file(researcher_client, community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    for _ in range(5):
        respond(survey)
    response = researcher_client.get(survey_url("results_csv", survey))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"Survey,Question number")
    assert AuditEvent.objects.filter(action="research.results_exported").exists()


def test_reading_free_text_to_tag_themes_is_audited(researcher_client, community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    respond(survey, text="Cheaper buses please")
    question = questions_of(survey)[3]
    page = researcher_client.get(survey_url("themes", survey, question_id=question.pk))
    assert b"Cheaper buses please" in page.content
    event = AuditEvent.objects.get(action="research.free_text_read")
    assert event.purpose == "tagging free-text themes"
    assert event.object_id == str(question.pk)
    assert "Cheaper" not in str(event.details)


def test_a_researcher_adds_themes_and_tags_answers_on_the_themes_page(researcher_client, community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    respond(survey, text="Cheaper buses please")
    respond(survey, text="Open at weekends")
    question = questions_of(survey)[3]
    url = survey_url("themes", survey, question_id=question.pk)

    blank = researcher_client.post(url, {"form": "theme", "name": " "})
    assert b"Enter a name for the theme." in blank.content
    researcher_client.post(url, {"form": "theme", "name": "Bus fares"})
    researcher_client.post(url, {"form": "theme", "name": "Opening hours"})
    fares, hours = Theme.objects.get(name="Bus fares"), Theme.objects.get(name="Opening hours")
    duplicate = researcher_client.post(url, {"form": "theme", "name": "bus fares"})
    assert b"There is already a theme with that name." in duplicate.content

    first, second = question.answers.order_by("id")
    response = researcher_client.post(
        url,
        {
            "form": "tags",
            "answer": [first.pk, second.pk],
            f"themes-{first.pk}": [fares.pk],
            f"themes-{second.pk}": [hours.pk, fares.pk],
        },
    )
    assert response.status_code == 302
    assert set(second.themes.all()) == {fares, hours}
    untagged = researcher_client.get(url + "?show=untagged").content
    assert b"Every answer has a theme." in untagged


def test_a_theme_of_another_question_is_refused_on_the_themes_page(researcher_client, community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    respond(survey, text="Cheaper buses please")
    question = questions_of(survey)[3]
    other = make_survey(community_researcher, state=SurveyState.OPEN)
    foreign = actions.theme_add(actor=community_researcher, question=questions_of(other)[3], name="Elsewhere")
    answer = question.answers.get()
    response = researcher_client.post(
        survey_url("themes", survey, question_id=question.pk),
        {"form": "tags", "answer": [answer.pk], f"themes-{answer.pk}": [foreign.pk]},
    )
    assert response.status_code == 200
    assert b"Choose from the themes listed." in response.content
    assert not answer.themes.exists()


def test_themes_are_only_for_free_text_questions(researcher_client, community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    question = questions_of(survey)[0]
    assert researcher_client.get(survey_url("themes", survey, question_id=question.pk)).status_code == 404


# --- Findings and evidence -----------------------------------------------------------------------


def closed_survey_with_answers(owner, people=6):
    survey = make_survey(owner, state=SurveyState.OPEN)
    for index in range(people):
        respond(survey, single=index % 2, text="Cheaper buses please")
    actions.survey_close(actor=owner, survey=survey)
    return survey


def test_a_researcher_writes_publishes_and_attaches_a_finding(researcher_client, community_researcher):
    survey = closed_survey_with_answers(community_researcher)
    bad = researcher_client.post(survey_url("finding_new", survey), {"title": "T", "summary": "", "body": "B"})
    assert b"Enter a short summary." in bad.content
    assert not Finding.objects.exists()

    created = researcher_client.post(
        survey_url("finding_new", survey), {"title": "Fares matter", "summary": "Fares.", "body": "We found."}
    )
    finding = Finding.objects.get()
    assert created["Location"] == reverse("research:manage_finding", args=[finding.uuid])
    publish_url = reverse("research:finding_publish", args=[finding.uuid])
    assert b"Publish and send to the Community Voice" in researcher_client.get(publish_url).content
    researcher_client.post(publish_url)
    finding.refresh_from_db()
    assert finding.is_published
    assert Item.objects.filter(title="Fares matter").exists()

    researcher_client.post(reverse("research:finding_evidence", args=[finding.uuid]), {"attach": "yes"})
    finding.refresh_from_db()
    assert finding.is_evidence
    edit = researcher_client.get(reverse("research:finding_edit", args=[finding.uuid]))
    assert edit.status_code == 400


def test_the_published_finding_page_shows_results_but_never_peoples_words(client, community_researcher):
    survey = closed_survey_with_answers(community_researcher)
    finding = actions.finding_create(
        actor=community_researcher, survey=survey, details=actions.FindingDetails("Fares", "Summary", "Body text")
    )
    assert client.get(reverse("research:finding", args=[finding.uuid])).status_code == 404
    actions.finding_publish(actor=community_researcher, finding=finding)
    page = client.get(reverse("research:finding", args=[finding.uuid])).content
    assert b"Body text" in page
    assert b"6</strong> people answered" in page
    assert b"Cheaper buses please" not in page
    assert b"Exit this page" in page


def test_the_index_lists_open_surveys_and_published_findings_only(client, community_researcher):
    draft = make_survey(community_researcher, title="A draft survey")
    open_survey = make_survey(community_researcher, state=SurveyState.OPEN, title="An open survey")
    survey = closed_survey_with_answers(community_researcher)
    draft_finding = actions.finding_create(
        actor=community_researcher, survey=survey, details=actions.FindingDetails("Draft finding", "S", "B")
    )
    published = actions.finding_create(
        actor=community_researcher, survey=survey, details=actions.FindingDetails("Published finding", "S", "B")
    )
    actions.finding_publish(actor=community_researcher, finding=published)
    page = client.get(reverse("research:index")).content.decode()
    assert open_survey.title in page
    assert "Published finding" in page
    assert draft.title not in page
    assert draft_finding.title not in page
    assert reverse("research:index") == "/research/"


def test_commissioners_see_attached_findings_and_download_their_data(client, community_researcher, commissioner):
    survey = closed_survey_with_answers(community_researcher)
    attached = actions.finding_create(
        actor=community_researcher, survey=survey, details=actions.FindingDetails("Attached", "S", "B")
    )
    not_attached = actions.finding_create(
        actor=community_researcher, survey=survey, details=actions.FindingDetails("Only published", "S", "B")
    )
    for finding in (attached, not_attached):
        actions.finding_publish(actor=community_researcher, finding=finding)
    actions.finding_set_evidence(actor=community_researcher, finding=attached, attach=True)
    sign_in(client, commissioner)

    page = client.get(reverse("research:evidence")).content
    assert b"Attached" in page
    assert b"Only published" not in page
    assert client.get(reverse("research:evidence_finding", args=[not_attached.uuid])).status_code == 403
    detail = client.get(reverse("research:evidence_finding", args=[attached.uuid])).content
    assert b"people answered" in detail
    download = client.get(reverse("research:evidence_csv", args=[attached.uuid]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"Cheaper buses" not in download.content
    assert AuditEvent.objects.get(action="research.evidence_exported").actor == commissioner


# --- Homes ----------------------------------------------------------------------------------------


def test_the_staff_home_links_researchers_and_commissioners_to_their_pages(client, community_researcher, commissioner):
    sign_in(client, community_researcher)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("research:manage") in page
    assert reverse("research:evidence") in page
    sign_in(client, commissioner)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("research:manage") not in page
    assert reverse("research:evidence") in page


def test_the_account_home_links_to_community_research(client, community_member):
    sign_in(client, community_member, with_mfa=False)
    assert reverse("research:index").encode() in client.get(reverse("core:dashboard")).content
