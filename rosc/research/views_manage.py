"""Pages where community researchers design surveys, record face-to-face
answers, read suppressed results, tag free-text themes and write findings.

Every page needs ``research.design_surveys``, and a researcher reaches only
their own surveys (an administrator reaches all of them).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.core.audit import audit_read
from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.core.permissions import is_staff_user
from rosc.research import actions, selectors
from rosc.research.config import suppress_below
from rosc.research.forms import AnswerForm, FindingForm, QuestionForm, QuestionKindForm, SurveyForm, ThemeForm
from rosc.research.models import Finding, Question, QuestionKind, Survey, SurveyState
from rosc.research.results import SurveyResults, results_csv
from rosc.research.views import _form_refused, _posted, csv_download, survey_link

ANSWERS_PER_PAGE = 20


def _researcher(request: HttpRequest) -> User:
    """Tiny access helper: signed-in staff who can design surveys, or 403."""
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user) or not user.has_perm("research.design_surveys"):
        raise PermissionDenied
    return user


def _survey(request: HttpRequest, survey_id: uuid.UUID) -> tuple[User, Survey]:
    user = _researcher(request)
    return user, selectors.survey_for_researcher(actor=user, survey_id=survey_id)


def _question(request: HttpRequest, survey_id: uuid.UUID, question_id: int) -> tuple[User, Question]:
    user, survey = _survey(request, survey_id)
    return user, selectors.question_for_researcher(actor=user, survey=survey, question_id=question_id)


def _finding(request: HttpRequest, finding_id: uuid.UUID) -> tuple[User, Finding]:
    user = _researcher(request)
    return user, selectors.finding_for_researcher(actor=user, finding_id=finding_id)


def _to_survey(survey: Survey) -> HttpResponse:
    return redirect("research:manage_survey", survey_id=survey.uuid)


def _error_page(request: HttpRequest, survey: Survey, message: str) -> HttpResponse:
    return render(request, "research/manage/refused.html", {"survey": survey, "message": message}, status=400)


# --- Surveys -----------------------------------------------------------------------------


@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    user = _researcher(request)
    return render(
        request,
        "research/manage/list.html",
        {
            "surveys": selectors.surveys_for_researcher(actor=user),
            "findings": selectors.findings_for_researcher(actor=user),
        },
    )


@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    user = _researcher(request)
    form = SurveyForm(_posted(request), initial=SurveyForm.initial_for_new(suppress_below()))
    if request.method == "POST" and form.is_valid():
        try:
            survey = actions.survey_create(actor=user, details=form.details(), request=request)
        except ActionRefused as refused:
            _form_refused(form, refused)
        else:
            messages.success(request, "Your survey has been created as a draft. Now add its questions.")
            return _to_survey(survey)
    return render(request, "research/manage/survey_form.html", {"form": form, "survey": None})


@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    user, survey = _survey(request, survey_id)
    if survey.state != SurveyState.DRAFT:
        return _error_page(request, survey, "The survey has been opened, so its details can no longer change.")
    initial = {
        "title": survey.title,
        "purpose": survey.purpose,
        "consent_text": survey.consent_text,
        "who_can_answer": survey.who_can_answer,
    }
    form = SurveyForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.survey_update(actor=user, survey=survey, details=form.details(), request=request)
        except ActionRefused as refused:
            _form_refused(form, refused)
        else:
            messages.success(request, "The survey\u2019s details have been saved.")
            return _to_survey(survey)
    return render(request, "research/manage/survey_form.html", {"form": form, "survey": survey})


@require_GET
def survey_manage(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    user, survey = _survey(request, survey_id)
    questions = selectors.survey_questions(survey)
    return render(
        request,
        "research/manage/survey.html",
        {
            "survey": survey,
            "questions": questions,
            "is_draft": survey.state == SurveyState.DRAFT,
            "is_open": survey.state == SurveyState.OPEN,
            "is_closed": survey.state == SurveyState.CLOSED,
            "responses": selectors.response_count(actor=user, survey=survey),
            "findings": survey.findings.order_by("-created_at"),
            "public_link": survey_link(request, survey),
            "threshold": suppress_below(),
        },
    )


@require_GET
def survey_preview(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    _user, survey = _survey(request, survey_id)
    form = AnswerForm(questions=selectors.survey_questions(survey))
    return render(request, "research/manage/preview.html", {"survey": survey, "form": form})


def _confirm(
    request: HttpRequest,
    survey: Survey,
    *,
    heading: str,
    paragraphs: list[str],
    button: str,
    warning: bool = False,
    cancel_url: str | None = None,
) -> HttpResponse:
    return render(
        request,
        "research/manage/confirm.html",
        {
            "survey": survey,
            "heading": heading,
            "paragraphs": paragraphs,
            "button": button,
            "warning": warning,
            "cancel_url": cancel_url or reverse("research:manage_survey", args=[survey.uuid]),
        },
    )


@require_http_methods(["GET", "POST"])
def survey_open(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    user, survey = _survey(request, survey_id)
    if request.method == "POST":
        try:
            actions.survey_open(actor=user, survey=survey, request=request)
        except ActionRefused as refused:
            return _error_page(request, survey, refused.message)
        messages.success(request, "The survey is open. Share its link so people can answer.")
        return _to_survey(survey)
    return _confirm(
        request,
        survey,
        heading="Open the survey",
        paragraphs=[
            "Once the survey is open, anyone with the link can answer it and it is listed on the community "
            "research page.",
            "You cannot change the questions after opening it, so check them first with the preview.",
        ],
        button="Open the survey",
    )


@require_http_methods(["GET", "POST"])
def survey_close(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    user, survey = _survey(request, survey_id)
    if request.method == "POST":
        try:
            actions.survey_close(actor=user, survey=survey, request=request)
        except ActionRefused as refused:
            return _error_page(request, survey, refused.message)
        messages.success(request, "The survey is closed. You can now publish findings from it.")
        return _to_survey(survey)
    return _confirm(
        request,
        survey,
        heading="Close the survey",
        paragraphs=[
            "Nobody will be able to answer it any more, and you will not be able to record face-to-face "
            "answers. Type in any paper answers first.",
            "Closing cannot be undone. Once it is closed you can publish findings from it.",
        ],
        button="Close the survey",
        warning=True,
    )


# --- Questions --------------------------------------------------------------------------


def _draft_only(request: HttpRequest, survey: Survey) -> HttpResponse | None:
    if survey.state != SurveyState.DRAFT:
        return _error_page(request, survey, "The survey has been opened, so its questions can no longer change.")
    return None


@require_http_methods(["GET", "POST"])
def question_kind(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    _user, survey = _survey(request, survey_id)
    if (not_draft := _draft_only(request, survey)) is not None:
        return not_draft
    form = QuestionKindForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        return redirect("research:question_new", survey_id=survey.uuid, kind=form.cleaned_data["kind"])
    return render(request, "research/manage/question_kind.html", {"survey": survey, "form": form})


@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, survey_id: uuid.UUID, kind: str) -> HttpResponse:
    user, survey = _survey(request, survey_id)
    if kind not in QuestionKind.values:
        raise Http404("No such type of question.")
    if (not_draft := _draft_only(request, survey)) is not None:
        return not_draft
    form = QuestionForm(_posted(request), kind=kind, initial=QuestionForm.initial_for(None))
    if request.method == "POST" and form.is_valid():
        try:
            actions.question_add(actor=user, survey=survey, details=form.details(), request=request)
        except ActionRefused as refused:
            _form_refused(form, refused)
        else:
            messages.success(request, "The question has been added.")
            return _to_survey(survey)
    return render(
        request,
        "research/manage/question_form.html",
        {"survey": survey, "form": form, "kind_label": QuestionKind(kind).label, "question": None},
    )


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, survey_id: uuid.UUID, question_id: int) -> HttpResponse:
    user, question = _question(request, survey_id, question_id)
    survey = question.survey
    if (not_draft := _draft_only(request, survey)) is not None:
        return not_draft
    form = QuestionForm(_posted(request), kind=question.kind, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            actions.question_update(actor=user, question=question, details=form.details(), request=request)
        except ActionRefused as refused:
            _form_refused(form, refused)
        else:
            messages.success(request, "The question has been saved.")
            return _to_survey(survey)
    return render(
        request,
        "research/manage/question_form.html",
        {"survey": survey, "form": form, "kind_label": question.get_kind_display(), "question": question},
    )


@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, survey_id: uuid.UUID, question_id: int) -> HttpResponse:
    user, question = _question(request, survey_id, question_id)
    survey = question.survey
    if request.method == "POST":
        try:
            actions.question_delete(actor=user, question=question, request=request)
        except ActionRefused as refused:
            return _error_page(request, survey, refused.message)
        messages.success(request, "The question has been removed.")
        return _to_survey(survey)
    return _confirm(
        request,
        survey,
        heading="Remove this question?",
        paragraphs=[f"“{question.text}”"],
        button="Remove the question",
        warning=True,
    )


@require_POST
def question_move(request: HttpRequest, survey_id: uuid.UUID, question_id: int) -> HttpResponse:
    user, question = _question(request, survey_id, question_id)
    try:
        actions.question_move(actor=user, question=question, up=request.POST.get("direction") == "up", request=request)
    except ActionRefused as refused:
        return _error_page(request, question.survey, refused.message)
    return redirect(reverse("research:manage_survey", args=[survey_id]) + f"#question-{question.pk}")


# --- Face-to-face answers -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def face_to_face(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    user, survey = _survey(request, survey_id)
    if survey.state != SurveyState.OPEN:
        return _error_page(request, survey, "Face-to-face answers can only be recorded while the survey is open.")
    form = AnswerForm(_posted(request), questions=selectors.survey_questions(survey), face_to_face=True)
    context = {
        "survey": survey,
        "form": form,
        "base_template": "base.html",
        "face_to_face": True,
        "back_url": reverse("research:manage_survey", args=[survey.uuid]),
        "action_url": request.path,
    }
    if request.method == "POST" and "change" not in request.POST and form.is_valid():
        if "confirm" not in request.POST:
            summary = [("Date the answers were given", [f"{form.cleaned_data['gathered_on']:%-d %B %Y}"])]
            return render(request, "research/check.html", {**context, "summary": summary + form.summary()})
        try:
            actions.response_record_face_to_face(
                actor=user,
                survey=survey,
                gathered_on=form.cleaned_data["gathered_on"],
                answers=form.raw_answers(),
                request=request,
            )
        except ActionRefused as refused:
            if not refused.field:
                return _error_page(request, survey, refused.message)
            _form_refused(form, refused)
        else:
            messages.success(request, "The face-to-face response has been saved.")
            return _to_survey(survey)
    return render(request, "research/answer.html", context)


# --- Results and themes ---------------------------------------------------------------------


@require_GET
def results(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    user, survey = _survey(request, survey_id)
    found = selectors.results_for_researcher(actor=user, survey=survey)
    untagged = selectors.untagged_counts(actor=user, survey=survey) if survey.state != SurveyState.DRAFT else {}
    free_text = [question for question in selectors.survey_questions(survey) if question.is_free_text]
    return render(
        request,
        "research/manage/results.html",
        {
            "survey": survey,
            "results": found,
            "threshold": found.threshold,
            "responses": selectors.response_count(actor=user, survey=survey),
            "free_text": [(question, untagged.get(question.pk, 0)) for question in free_text],
            "can_tag": survey.state != SurveyState.DRAFT,
        },
    )


@require_GET
def results_download(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    user, survey = _survey(request, survey_id)
    found = selectors.results_for_researcher(actor=user, survey=survey)
    audit_read(
        actor=user,
        action="research.results_exported",
        purpose="community research",
        target=survey,
        request=request,
        details={},
    )
    return csv_download(results_csv(found), f"survey-{survey.uuid}-results.csv")


def _ids(values: list[str]) -> list[int]:
    found = []
    for value in values:
        try:
            found.append(int(value))
        except ValueError:
            continue
    return found


@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest, survey_id: uuid.UUID, question_id: int) -> HttpResponse:
    """Read the free-text answers to one question and tag each with themes."""
    user, question = _question(request, survey_id, question_id)
    survey = question.survey
    if not question.is_free_text:
        raise Http404("Only free-text questions have themes.")
    if survey.state == SurveyState.DRAFT:
        return _error_page(request, survey, "Themes can be added once the survey is open and has answers.")
    theme_form = ThemeForm(request.POST if request.POST.get("form") == "theme" else None)
    here = request.get_full_path()
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("form") == "theme":
                if theme_form.is_valid():
                    theme = actions.theme_add(
                        actor=user, question=question, name=theme_form.cleaned_data["name"], request=request
                    )
                    messages.success(request, f"The theme “{theme.name}” has been added.")
                    return redirect(here)
            else:
                tags = {
                    answer_id: _ids(request.POST.getlist(f"themes-{answer_id}"))
                    for answer_id in _ids(request.POST.getlist("answer"))
                }
                changed = actions.answers_tag(actor=user, question=question, tags=tags, request=request)
                messages.success(request, f"Themes saved. {changed} answer{'s' if changed != 1 else ''} changed.")
                return redirect(here)
        except ActionRefused as refused:
            if request.POST.get("form") == "theme":
                _form_refused(theme_form, refused)
            else:
                error = refused.message
    untagged_only = request.GET.get("show") == "untagged"
    answers = selectors.free_text_answers(actor=user, question=question, untagged_only=untagged_only, request=request)
    page = Paginator(answers, ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "research/manage/themes.html",
        {
            "survey": survey,
            "question": question,
            "themes": selectors.themes_of(actor=user, question=question),
            "theme_form": theme_form,
            "page": page,
            "first_number": page.start_index(),
            "query": query.urlencode(),
            "untagged_only": untagged_only,
            "error": error,
        },
    )


@require_POST
def theme_delete(request: HttpRequest, survey_id: uuid.UUID, question_id: int, theme_id: int) -> HttpResponse:
    user, question = _question(request, survey_id, question_id)
    theme = selectors.theme_for_researcher(actor=user, question=question, theme_id=theme_id)
    try:
        actions.theme_delete(actor=user, theme=theme, request=request)
    except ActionRefused as refused:
        return _error_page(request, question.survey, refused.message)
    messages.success(request, f"The theme “{theme.name}” has been removed.")
    return redirect("research:themes", survey_id=survey_id, question_id=question.pk)


# --- Findings -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def finding_new(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    user, survey = _survey(request, survey_id)
    if survey.state == SurveyState.DRAFT:
        return _error_page(request, survey, "Open the survey and gather answers before you write a finding.")
    form = FindingForm(_posted(request), initial={"title": survey.title})
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.finding_create(actor=user, survey=survey, details=form.details(), request=request)
        except ActionRefused as refused:
            _form_refused(form, refused)
        else:
            messages.success(request, "Your finding has been saved as a draft.")
            return redirect("research:manage_finding", finding_id=created.uuid)
    return render(request, "research/manage/finding_form.html", {"survey": survey, "form": form, "finding": None})


@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, finding_id: uuid.UUID) -> HttpResponse:
    user, found = _finding(request, finding_id)
    if found.is_published:
        return _error_page(request, found.survey, "A published finding cannot change. Write a new finding instead.")
    form = FindingForm(_posted(request), initial={"title": found.title, "summary": found.summary, "body": found.body})
    if request.method == "POST" and form.is_valid():
        try:
            actions.finding_update(actor=user, finding=found, details=form.details(), request=request)
        except ActionRefused as refused:
            _form_refused(form, refused)
        else:
            messages.success(request, "Your finding has been saved.")
            return redirect("research:manage_finding", finding_id=found.uuid)
    return render(
        request, "research/manage/finding_form.html", {"survey": found.survey, "form": form, "finding": found}
    )


@require_GET
def finding_manage(request: HttpRequest, finding_id: uuid.UUID) -> HttpResponse:
    user, found = _finding(request, finding_id)
    if found.is_published:
        shown: SurveyResults = SurveyResults.from_dict(found.results)
    else:
        shown = selectors.results_for_researcher(actor=user, survey=found.survey)
    return render(
        request,
        "research/manage/finding.html",
        {
            "finding": found,
            "survey": found.survey,
            "results": shown,
            "threshold": shown.threshold,
            "survey_closed": found.survey.state == SurveyState.CLOSED,
            "public_url": request.build_absolute_uri(found.get_absolute_url()),
        },
    )


@require_http_methods(["GET", "POST"])
def finding_publish(request: HttpRequest, finding_id: uuid.UUID) -> HttpResponse:
    user, found = _finding(request, finding_id)
    if request.method == "POST":
        try:
            actions.finding_publish(actor=user, finding=found, request=request)
        except ActionRefused as refused:
            return _error_page(request, found.survey, refused.message)
        messages.success(request, "Your finding is published and has been sent to the Community Voice for review.")
        return redirect("research:manage_finding", finding_id=found.uuid)
    return _confirm(
        request,
        found.survey,
        heading=f"Publish “{found.title}”",
        paragraphs=[
            "Anyone will be able to read the finding and the survey\u2019s results on the community research page. "
            "Numbers smaller than the threshold stay hidden, and people\u2019s own words are never published: only "
            "your text and the themes.",
            "It will also be sent to the Community Voice, which reviews community research at its meetings.",
            "A published finding cannot be changed.",
        ],
        button="Publish and send to the Community Voice",
        cancel_url=reverse("research:manage_finding", args=[found.uuid]),
    )


@require_POST
def finding_evidence(request: HttpRequest, finding_id: uuid.UUID) -> HttpResponse:
    user, found = _finding(request, finding_id)
    attach = request.POST.get("attach") == "yes"
    try:
        actions.finding_set_evidence(actor=user, finding=found, attach=attach, request=request)
    except ActionRefused as refused:
        return _error_page(request, found.survey, refused.message)
    messages.success(
        request,
        "The finding is attached to commissioning evidence."
        if attach
        else "The finding is no longer part of commissioning evidence.",
    )
    return redirect("research:manage_finding", finding_id=found.uuid)
