"""Scoped reads for community research.

Public reads return only open or closed surveys and published findings.
Researchers reach only surveys they created (an administrator reaches every
survey, to take one over when a researcher leaves). Reading the raw free-text
answers is audited with its purpose. Refusals look the same whether or not the
survey exists.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest

from rosc.core.audit import audit_read
from rosc.core.models import User
from rosc.core.permissions import is_administrator
from rosc.research.config import suppress_below
from rosc.research.models import (
    Answer,
    Finding,
    FindingState,
    Question,
    Response,
    Survey,
    SurveyState,
    Theme,
)
from rosc.research.results import SurveyResults, survey_results

# --- Public -------------------------------------------------------------------


def surveys_open() -> QuerySet[Survey]:
    return Survey.objects.filter(state=SurveyState.OPEN).order_by("-opened_at", "-id")


def survey_public(*, survey_id: uuid.UUID) -> Survey:
    """An open or closed survey; drafts are not public."""
    survey = Survey.objects.filter(uuid=survey_id).exclude(state=SurveyState.DRAFT).first()
    if survey is None:
        raise Http404("No such survey.")
    return survey


def survey_questions(survey: Survey) -> list[Question]:
    """The questions of a survey, in order. Questions are not sensitive."""
    return list(Question.objects.filter(survey=survey).order_by("position", "id"))


def has_answered(*, survey: Survey, respondent_key: str) -> bool:
    return bool(respondent_key) and Response.objects.filter(survey=survey, respondent_key=respondent_key).exists()


def findings_published() -> QuerySet[Finding]:
    return Finding.objects.filter(state=FindingState.PUBLISHED).select_related("survey").order_by("-published_at")


def finding_public(*, finding_id: uuid.UUID) -> Finding:
    finding = findings_published().filter(uuid=finding_id).first()
    if finding is None:
        raise Http404("No such finding.")
    return finding


# --- Researchers ----------------------------------------------------------------


def can_manage(actor: Any, survey: Survey) -> bool:
    if not actor.has_perm("research.design_surveys"):
        return False
    return is_administrator(actor) or (survey.created_by_id is not None and survey.created_by_id == actor.pk)


def _require_designer(actor: User) -> None:
    if not actor.has_perm("research.design_surveys"):
        raise PermissionDenied


def surveys_for_researcher(*, actor: User) -> QuerySet[Survey]:
    _require_designer(actor)
    surveys = Survey.objects.annotate(
        response_count=Count("responses", distinct=True), question_count=Count("questions", distinct=True)
    ).order_by("-created_at", "-id")
    if is_administrator(actor):
        return surveys
    return surveys.filter(created_by=actor)


def survey_for_researcher(*, actor: User, survey_id: uuid.UUID) -> Survey:
    survey = Survey.objects.filter(uuid=survey_id).select_related("created_by").first()
    if survey is None or not can_manage(actor, survey):
        raise PermissionDenied
    return survey


def question_for_researcher(*, actor: User, survey: Survey, question_id: int) -> Question:
    if not can_manage(actor, survey):
        raise PermissionDenied
    question = Question.objects.filter(survey=survey, pk=question_id).first()
    if question is None:
        raise PermissionDenied
    return question


def theme_for_researcher(*, actor: User, question: Question, theme_id: int) -> Theme:
    if not can_manage(actor, question.survey):
        raise PermissionDenied
    theme = Theme.objects.filter(question=question, pk=theme_id).first()
    if theme is None:
        raise PermissionDenied
    return theme


def response_count(*, actor: User, survey: Survey) -> int:
    if not can_manage(actor, survey):
        raise PermissionDenied
    return Response.objects.filter(survey=survey).count()


def results_for_researcher(*, actor: User, survey: Survey) -> SurveyResults:
    """The same suppressed results the public would see once published."""
    if not can_manage(actor, survey):
        raise PermissionDenied
    return survey_results(survey, threshold=suppress_below())


def untagged_counts(*, actor: User, survey: Survey) -> dict[int, int]:
    """Free-text question id -> answers not yet given a theme."""
    if not can_manage(actor, survey):
        raise PermissionDenied
    rows = (
        Answer.objects.filter(question__survey=survey, question__kind="free_text", themes__isnull=True)
        .values("question_id")
        .annotate(n=Count("id", distinct=True))
        .order_by()
        .values_list("question_id", "n")
    )
    return dict(rows)


def themes_of(*, actor: User, question: Question) -> list[Theme]:
    if not can_manage(actor, question.survey):
        raise PermissionDenied
    return list(Theme.objects.filter(question=question).annotate(n=Count("answers")))


def free_text_answers(
    *, actor: User, question: Question, untagged_only: bool = False, request: HttpRequest | None = None
) -> QuerySet[Answer]:
    """The raw free-text answers to one question, for tagging themes. Audited."""
    if not can_manage(actor, question.survey) or not question.is_free_text:
        raise PermissionDenied
    answers = (
        Answer.objects.filter(question=question)
        .exclude(text="")
        .select_related("response")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .order_by("id")
    )
    if untagged_only:
        answers = answers.filter(themes__isnull=True)
    audit_read(
        actor=actor,
        action="research.free_text_read",
        purpose="tagging free-text themes",
        target=question,
        request=request,
        details={"survey_id": question.survey_id, "untagged_only": untagged_only},
    )
    return answers


def findings_for_researcher(*, actor: User) -> QuerySet[Finding]:
    _require_designer(actor)
    findings = Finding.objects.select_related("survey").order_by("-created_at", "-id")
    if is_administrator(actor):
        return findings
    return findings.filter(survey__created_by=actor)


def finding_for_researcher(*, actor: User, finding_id: uuid.UUID) -> Finding:
    finding = Finding.objects.filter(uuid=finding_id).select_related("survey").first()
    if finding is None or not can_manage(actor, finding.survey):
        raise PermissionDenied
    return finding


# --- Commissioning evidence --------------------------------------------------------


def findings_as_evidence(*, actor: User) -> QuerySet[Finding]:
    if not actor.has_perm("research.view_evidence"):
        raise PermissionDenied
    return (
        Finding.objects.filter(Q(state=FindingState.PUBLISHED) & Q(is_evidence=True))
        .select_related("survey")
        .order_by("-evidence_attached_at", "-id")
    )


def finding_as_evidence(*, actor: User, finding_id: uuid.UUID) -> Finding:
    finding = findings_as_evidence(actor=actor).filter(uuid=finding_id).first()
    if finding is None:
        raise PermissionDenied
    return finding
