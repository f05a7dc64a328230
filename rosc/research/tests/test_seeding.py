"""The illustrative community research demo data."""

import io

from django.core.management import call_command

from rosc.research import seeding
from rosc.research.config import suppress_below
from rosc.research.models import Finding, Response, Survey, SurveyState
from rosc.research.results import survey_results
from rosc.voice.models import Item


def test_it_needs_the_demo_researcher(db):
    out = io.StringIO()
    seeding.seed_demo(out)
    assert "run seed_demo first" in out.getvalue()
    assert not Survey.objects.exists()


def test_it_adds_an_open_survey_with_results_and_a_published_finding_once(db):
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())
    out = io.StringIO()
    seeding.seed_demo(out)
    assert "researcher@" in out.getvalue()

    cafes = Survey.objects.get(title=seeding.CAFES)
    assert cafes.state == SurveyState.OPEN
    assert cafes.is_illustrative
    results = survey_results(cafes, threshold=suppress_below())
    assert not results.withheld
    assert any(row.is_shown for question in results.questions for row in question.rows)
    assert Response.objects.filter(survey=cafes, mode="face_to_face").exists()
    assert Response.objects.filter(survey=cafes, mode="web").exists()

    finding = Finding.objects.get()
    assert finding.is_published
    assert finding.is_evidence
    assert finding.is_illustrative
    assert finding.survey.state == SurveyState.CLOSED
    assert not finding.results["withheld"]
    assert Item.objects.filter(title=finding.title).exists()

    surveys, responses = Survey.objects.count(), Response.objects.count()
    again = io.StringIO()
    seeding.seed_demo(again)
    assert "nothing new" in again.getvalue()
    assert (Survey.objects.count(), Response.objects.count(), Finding.objects.count()) == (surveys, responses, 1)
