"""Public community research pages (what it is, surveys to answer, published
findings) and the commissioning evidence pages.

Views translate HTTP to a selector or action call and back.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rosc.core.audit import audit_read
from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.core.permissions import is_staff_user
from rosc.core.view_helpers import form_data as _posted
from rosc.research import actions, respondents, selectors
from rosc.research.config import suppress_below
from rosc.research.forms import AnswerForm
from rosc.research.models import Finding, Survey, SurveyState
from rosc.research.results import SurveyResults, results_csv

LIST_LIMIT = 50


def _form_refused(form: Any, refused: ActionRefused) -> None:
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, refused.message)


def csv_download(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Public ------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "research/index.html",
        {
            "surveys": selectors.surveys_open()[:LIST_LIMIT],
            "findings": selectors.findings_published()[:LIST_LIMIT],
            "threshold": suppress_below(),
        },
    )


@require_GET
def survey(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    found = selectors.survey_public(survey_id=survey_id)
    key = respondents.existing_key(request, found)
    return render(
        request,
        "research/survey.html",
        {
            "survey": found,
            "already_answered": selectors.has_answered(survey=found, respondent_key=key),
            "must_sign_in": found.needs_sign_in and not request.user.is_authenticated,
            "sign_in_url": reverse("account_login") + "?" + urlencode({"next": request.path}),
            "question_count": len(selectors.survey_questions(found)),
        },
    )


def _respondent(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    """The survey's questions, then a check of the answers, then sending them."""
    found = selectors.survey_public(survey_id=survey_id)
    start = reverse("research:survey", args=[found.uuid])
    if found.state != SurveyState.OPEN:
        return redirect(start)
    if found.needs_sign_in and not request.user.is_authenticated:
        return redirect(reverse("account_login") + "?" + urlencode({"next": start}))
    if selectors.has_answered(survey=found, respondent_key=respondents.existing_key(request, found)):
        return redirect(start)
    questions = selectors.survey_questions(found)
    form = AnswerForm(_posted(request), questions=questions)
    context = {
        "survey": found,
        "form": form,
        "base_template": "base_public.html",
        "back_url": start,
        "action_url": request.path,
    }
    if request.method == "POST" and "change" not in request.POST and form.is_valid():
        if "confirm" not in request.POST:
            return render(request, "research/check.html", {**context, "summary": form.summary()})
        try:
            actions.response_submit(
                survey=found,
                respondent=_respondent(request),
                respondent_key=respondents.key_for_request(request, found),
                answers=form.raw_answers(),
            )
        except ActionRefused as refused:
            if refused.field:
                _form_refused(form, refused)
            else:
                return render(request, "research/not_taken.html", {"survey": found, "reason": refused.message})
        else:
            return redirect("research:thanks", survey_id=found.uuid)
    return render(request, "research/answer.html", context)


@require_GET
def thanks(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    return render(request, "research/thanks.html", {"survey": selectors.survey_public(survey_id=survey_id)})


@require_GET
def finding(request: HttpRequest, finding_id: uuid.UUID) -> HttpResponse:
    found = selectors.finding_public(finding_id=finding_id)
    return render(request, "research/finding.html", _finding_context(found))


def _finding_context(found: Finding) -> dict[str, Any]:
    results = SurveyResults.from_dict(found.results)
    return {"finding": found, "survey": found.survey, "results": results, "threshold": results.threshold}


# --- Commissioning evidence --------------------------------------------------------------


def _evidence_reader(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user) or not user.has_perm("research.view_evidence"):
        raise PermissionDenied
    return user


@require_GET
def evidence(request: HttpRequest) -> HttpResponse:
    user = _evidence_reader(request)
    findings = list(selectors.findings_as_evidence(actor=user))
    rows = [(item, SurveyResults.from_dict(item.results)) for item in findings]
    return render(request, "research/evidence/list.html", {"rows": rows})


@require_GET
def evidence_finding(request: HttpRequest, finding_id: uuid.UUID) -> HttpResponse:
    user = _evidence_reader(request)
    found = selectors.finding_as_evidence(actor=user, finding_id=finding_id)
    return render(request, "research/evidence/finding.html", _finding_context(found))


@require_GET
def evidence_csv(request: HttpRequest, finding_id: uuid.UUID) -> HttpResponse:
    user = _evidence_reader(request)
    found = selectors.finding_as_evidence(actor=user, finding_id=finding_id)
    audit_read(
        actor=user,
        action="research.evidence_exported",
        purpose="commissioning evidence",
        target=found,
        request=request,
        details={"survey_id": found.survey_id},
    )
    return csv_download(results_csv(SurveyResults.from_dict(found.results)), f"finding-{found.uuid}.csv")


def survey_link(request: HttpRequest, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("research:survey", args=[survey.uuid]))
