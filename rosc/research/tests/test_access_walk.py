"""Walk every research URL: public pages open to all, researcher pages only to the survey's
researcher (and administrators), evidence pages only to commissioners, researchers and administrators."""

import pytest
from django.urls import URLPattern, reverse

from rosc.core.testing import sign_in
from rosc.research import actions, urls
from rosc.research.models import SurveyState
from rosc.research.tests.helpers import make_survey, questions_of, respond

PUBLIC = {"index", "survey", "answer", "thanks", "finding"}
EVIDENCE = {"evidence", "evidence_finding", "evidence_csv"}
NOT_RESEARCHERS = ["keyworker_a", "service_manager", "peer_mentor", "commissioner", "ig_lead"]
PUBLIC_PERSONAS = ["outsider", "family_member", "person_in_recovery", "community_member"]


@pytest.fixture
def world(community_researcher):
    survey = make_survey(community_researcher, state=SurveyState.OPEN)
    for _ in range(5):
        respond(survey, text="Buses")
    question = questions_of(survey)[3]
    theme = actions.theme_add(actor=community_researcher, question=question, name="Buses")
    actions.survey_close(actor=community_researcher, survey=survey)
    finding = actions.finding_create(
        actor=community_researcher, survey=survey, details=actions.FindingDetails("Title", "Summary", "Body")
    )
    actions.finding_publish(actor=community_researcher, finding=finding)
    actions.finding_set_evidence(actor=community_researcher, finding=finding, attach=True)
    return {
        "survey_id": survey.uuid,
        "finding_id": finding.uuid,
        "question_id": question.pk,
        "theme_id": theme.pk,
        "kind": "scale",
    }


def all_urls(world):
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {name: world[name] for name in pattern.pattern.converters}
        yield pattern.name, reverse(f"research:{pattern.name}", kwargs=kwargs)


def test_anonymous_visitors_reach_only_public_pages(client, world):
    for name, url in all_urls(world):
        response = client.get(url)
        if name in PUBLIC:
            assert response.status_code in (200, 302), url
        else:
            assert response.status_code in (403, 405), url
        if name not in PUBLIC:
            assert client.post(url).status_code in (403, 405), url


@pytest.mark.parametrize("persona_name", NOT_RESEARCHERS + PUBLIC_PERSONAS)
def test_people_who_are_not_researchers_are_refused_every_researcher_page(client, persona, world, persona_name):
    sign_in(client, persona(persona_name), with_mfa=persona_name not in PUBLIC_PERSONAS)
    for name, url in all_urls(world):
        if name in PUBLIC or name in EVIDENCE:
            continue
        assert client.get(url).status_code in (403, 405), f"{persona_name} reached {url}"
        assert client.post(url).status_code in (403, 405), f"{persona_name} posted to {url}"


@pytest.mark.parametrize("persona_name", ["commissioner", "community_researcher", "administrator"])
def test_commissioners_researchers_and_administrators_see_the_evidence(client, persona, world, persona_name):
    sign_in(client, persona(persona_name))
    for name, url in all_urls(world):
        if name in EVIDENCE:
            assert client.get(url).status_code == 200, f"{persona_name} was refused {url}"


@pytest.mark.parametrize("persona_name", ["keyworker_a", "service_manager", "peer_mentor", "ig_lead", *PUBLIC_PERSONAS])
def test_everyone_else_is_refused_the_evidence(client, persona, world, persona_name):
    sign_in(client, persona(persona_name), with_mfa=persona_name not in PUBLIC_PERSONAS)
    for name, url in all_urls(world):
        if name in EVIDENCE:
            assert client.get(url).status_code == 403, f"{persona_name} reached {url}"


def test_another_researcher_is_refused_someone_elses_survey(client, world):
    from rosc.research.tests.test_actions import second_researcher

    sign_in(client, second_researcher())
    for name, url in all_urls(world):
        if "survey_id" in url or str(world["survey_id"]) in url or str(world["finding_id"]) in url:
            if name in PUBLIC or name in EVIDENCE:
                continue
            assert client.get(url).status_code in (403, 405), url
    assert client.get(reverse("research:manage")).status_code == 200


@pytest.mark.parametrize("persona_name", ["community_researcher", "administrator"])
def test_the_surveys_researcher_and_administrators_reach_the_pages(client, persona, world, persona_name):
    sign_in(client, persona(persona_name))
    for name in ("manage", "manage_survey", "survey_preview", "results", "themes", "manage_finding", "results_csv"):
        kwargs = {
            "manage": {},
            "manage_survey": {"survey_id": world["survey_id"]},
            "survey_preview": {"survey_id": world["survey_id"]},
            "results": {"survey_id": world["survey_id"]},
            "results_csv": {"survey_id": world["survey_id"]},
            "themes": {"survey_id": world["survey_id"], "question_id": world["question_id"]},
            "manage_finding": {"finding_id": world["finding_id"]},
        }[name]
        assert client.get(reverse(f"research:{name}", kwargs=kwargs)).status_code == 200, name


def test_researchers_without_a_second_factor_are_sent_to_set_one_up(client, community_researcher, world):
    sign_in(client, community_researcher, with_mfa=False)
    response = client.get(reverse("research:manage"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:mfa_required")
