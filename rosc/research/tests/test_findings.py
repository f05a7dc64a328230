"""Findings: written as drafts, published with frozen results to the Community Voice, attached as evidence."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent
from rosc.research import actions
from rosc.research.models import Finding, FindingState, SurveyState
from rosc.research.results import SurveyResults
from rosc.research.tests.helpers import make_survey, respond
from rosc.voice.models import Item, ItemKind

DETAILS = actions.FindingDetails(
    title="Bus fares keep people away", summary="Most people said the fare is the problem.", body="We found..."
)


def survey_with_answers(owner, people=6, state=SurveyState.CLOSED):
    survey = make_survey(owner, state=SurveyState.OPEN)
    for index in range(people):
        respond(survey, single=index % 2, text="Cheaper buses")
    if state == SurveyState.CLOSED:
        actions.survey_close(actor=owner, survey=survey)
        survey.refresh_from_db()
    return survey


def test_a_finding_cannot_be_written_for_a_draft_survey(community_researcher):
    survey = make_survey(community_researcher)
    with pytest.raises(ActionRefused, match="Open the survey"):
        actions.finding_create(actor=community_researcher, survey=survey, details=DETAILS)
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (actions.FindingDetails(title="", summary="S", body="B"), "title"),
        (actions.FindingDetails(title="T", summary=" ", body="B"), "summary"),
        (actions.FindingDetails(title="T", summary="S", body=""), "body"),
        (actions.FindingDetails(title="T", summary="S" * 601, body="B"), "summary"),
    ],
)
def test_finding_details_are_checked(community_researcher, details, field):
    survey = survey_with_answers(community_researcher)
    with pytest.raises(ActionRefused) as refused:
        actions.finding_create(actor=community_researcher, survey=survey, details=details)
    assert refused.value.field == field
    assert not Finding.objects.exists()


def test_a_finding_can_be_drafted_while_open_but_published_only_once_closed(community_researcher):
    survey = survey_with_answers(community_researcher, state=SurveyState.OPEN)
    finding = actions.finding_create(actor=community_researcher, survey=survey, details=DETAILS)
    with pytest.raises(ActionRefused, match="Close the survey"):
        actions.finding_publish(actor=community_researcher, finding=finding)
    finding.refresh_from_db()
    assert finding.state == FindingState.DRAFT
    assert not Item.objects.exists()


def test_publishing_freezes_the_suppressed_results_and_sends_the_finding_to_the_community_voice(
    community_researcher,
):
    survey = survey_with_answers(community_researcher)
    finding = actions.finding_create(actor=community_researcher, survey=survey, details=DETAILS)

    actions.finding_publish(actor=community_researcher, finding=finding)

    finding.refresh_from_db()
    assert finding.state == FindingState.PUBLISHED
    assert finding.published_by == community_researcher
    frozen = SurveyResults.from_dict(finding.results)
    assert frozen.responses == 6
    assert "Cheaper buses" not in str(finding.results)
    item = Item.objects.get()
    assert item.kind == ItemKind.RESEARCH
    assert item.title == DETAILS.title
    assert item.detail == DETAILS.summary
    assert item.link.endswith(reverse("research:finding", args=[finding.uuid]))
    assert AuditEvent.objects.filter(action="research.finding_published", object_id=str(finding.pk)).exists()


def test_a_published_finding_cannot_change_or_be_published_twice(community_researcher):
    survey = survey_with_answers(community_researcher)
    finding = actions.finding_create(actor=community_researcher, survey=survey, details=DETAILS)
    actions.finding_publish(actor=community_researcher, finding=finding)
    with pytest.raises(ActionRefused):
        actions.finding_publish(actor=community_researcher, finding=finding)
    with pytest.raises(ActionRefused, match="cannot change"):
        actions.finding_update(
            actor=community_researcher, finding=finding, details=actions.FindingDetails("New", "S", "B")
        )
    assert Item.objects.count() == 1
    finding.refresh_from_db()
    assert finding.title == DETAILS.title


def test_a_finding_from_too_few_people_cannot_be_published(community_researcher):
    survey = survey_with_answers(community_researcher, people=4)
    finding = actions.finding_create(actor=community_researcher, survey=survey, details=DETAILS)
    with pytest.raises(ActionRefused, match="Fewer than 5"):
        actions.finding_publish(actor=community_researcher, finding=finding)
    assert not Item.objects.exists()


def test_if_the_community_voice_refuses_the_item_nothing_is_published(community_researcher, monkeypatch):
    survey = survey_with_answers(community_researcher)
    finding = actions.finding_create(actor=community_researcher, survey=survey, details=DETAILS)

    def refuse(**kwargs):
        raise ActionRefused("The forum is not taking items.")

    monkeypatch.setattr("rosc.voice.actions.submit_research_for_review", refuse)
    with pytest.raises(ActionRefused):
        actions.finding_publish(actor=community_researcher, finding=finding)
    finding.refresh_from_db()
    assert finding.state == FindingState.DRAFT
    assert not AuditEvent.objects.filter(action="research.finding_published").exists()


def test_the_published_numbers_do_not_change_when_themes_change_later(community_researcher):
    survey = survey_with_answers(community_researcher, people=10)
    finding = actions.finding_create(actor=community_researcher, survey=survey, details=DETAILS)
    actions.finding_publish(actor=community_researcher, finding=finding)
    before = Finding.objects.get(pk=finding.pk).results
    question = survey.questions.get(kind="free_text")
    theme = actions.theme_add(actor=community_researcher, question=question, name="Buses")
    actions.answers_tag(
        actor=community_researcher, question=question, tags={answer.pk: [theme.pk] for answer in question.answers.all()}
    )
    assert Finding.objects.get(pk=finding.pk).results == before


def test_only_a_published_finding_becomes_evidence_and_it_can_be_taken_off_again(community_researcher):
    survey = survey_with_answers(community_researcher)
    finding = actions.finding_create(actor=community_researcher, survey=survey, details=DETAILS)
    with pytest.raises(ActionRefused, match="Publish"):
        actions.finding_set_evidence(actor=community_researcher, finding=finding, attach=True)
    actions.finding_publish(actor=community_researcher, finding=finding)
    actions.finding_set_evidence(actor=community_researcher, finding=finding, attach=True)
    finding.refresh_from_db()
    assert finding.is_evidence
    assert finding.evidence_attached_at
    actions.finding_set_evidence(actor=community_researcher, finding=finding, attach=False)
    finding.refresh_from_db()
    assert not finding.is_evidence
    assert finding.evidence_attached_at is None
    assert AuditEvent.objects.filter(action="research.evidence_detached").count() == 1


def test_a_commissioner_cannot_publish_or_attach_findings(community_researcher, commissioner):
    survey = survey_with_answers(community_researcher)
    finding = actions.finding_create(actor=community_researcher, survey=survey, details=DETAILS)
    with pytest.raises(PermissionDenied):
        actions.finding_publish(actor=commissioner, finding=finding)
    with pytest.raises(PermissionDenied):
        actions.finding_set_evidence(actor=commissioner, finding=finding, attach=True)
