"""Writes for community research. Each runs in one transaction, checks the
capability and the survey's state, and writes its audit row inside it.

State rules:

- A survey is a draft, then open, then closed; it never goes back.
- Questions and the survey's details change only while it is a draft.
- Answers (on the web or face to face) are taken only while it is open.
- Themes can be added and answers tagged once it is open, and after it closes.
- A finding can be written once the survey is open, changed while it is a
  draft, and published only after the survey has closed (so the published
  numbers are final) and only if enough people answered for results to show.
- Only a published finding can be attached to commissioning evidence.

Web responses are audited without the person or their address: the audit row
says that survey N received a response, so it cannot be used to find whose
answers are whose.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.research import respondents
from rosc.research.config import suppress_below
from rosc.research.models import (
    Answer,
    Finding,
    FindingState,
    Question,
    QuestionKind,
    Response,
    ResponseMode,
    Survey,
    SurveyState,
    Theme,
    WhoCanAnswer,
)
from rosc.research.results import survey_results
from rosc.research.selectors import can_manage

PURPOSE = "community research"

TITLE_MAX = 120
PURPOSE_MAX = 1500
CONSENT_MAX = 3000
QUESTION_MAX = 300
OPTION_MAX = 120
MIN_OPTIONS = 2
MAX_OPTIONS = 20
SCALE_LABEL_MAX = 60
SCALE_LOWEST = (0, 1)
SCALE_HIGHEST_MAX = 10
FREE_TEXT_MAX = 2000
THEME_MAX = 80
SUMMARY_MAX = 600
BODY_MAX = 10000
MAX_QUESTIONS = 30


# --- Checks ---------------------------------------------------------------------


def _check_manage(actor: User, survey: Survey) -> None:
    if not can_manage(actor, survey):
        raise PermissionDenied


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _require_state(survey: Survey, *states: str, message: str) -> None:
    if survey.state not in states:
        raise ActionRefused(message)


def _text(value: Any, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ActionRefused(f"Enter {label}.", field=field)
    if len(text) > limit:
        raise ActionRefused(f"{label[0].upper()}{label[1:]} must be {limit} characters or fewer.", field=field)
    return text


# --- Surveys ----------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyDetails:
    title: str
    purpose: str
    consent_text: str
    who_can_answer: str

    def cleaned(self) -> SurveyDetails:
        if self.who_can_answer not in WhoCanAnswer.values:
            raise ActionRefused("Choose who can answer the survey.", field="who_can_answer")
        return SurveyDetails(
            title=_text(self.title, field="title", label="a title", limit=TITLE_MAX),
            purpose=_text(self.purpose, field="purpose", label="why you are asking", limit=PURPOSE_MAX),
            consent_text=_text(
                self.consent_text, field="consent_text", label="what taking part means", limit=CONSENT_MAX
            ),
            who_can_answer=self.who_can_answer,
        )


def survey_create(*, actor: User, details: SurveyDetails, request: HttpRequest | None = None) -> Survey:
    if not actor.has_perm("research.design_surveys"):
        raise PermissionDenied
    clean = details.cleaned()
    with transaction.atomic():
        survey = Survey.objects.create(
            title=clean.title,
            purpose=clean.purpose,
            consent_text=clean.consent_text,
            who_can_answer=clean.who_can_answer,
            created_by=actor,
        )
        audit_write(
            actor=actor,
            action="research.survey_created",
            target=survey,
            purpose=PURPOSE,
            request=request,
            details={"who_can_answer": survey.who_can_answer},
        )
    return survey


def survey_update(*, actor: User, survey: Survey, details: SurveyDetails, request: HttpRequest | None = None) -> Survey:
    _check_manage(actor, survey)
    clean = details.cleaned()
    with transaction.atomic():
        survey = _locked(survey)
        _require_state(survey, SurveyState.DRAFT, message="The survey has been opened, so it can no longer change.")
        changed = [
            name
            for name in ("title", "purpose", "consent_text", "who_can_answer")
            if getattr(survey, name) != getattr(clean, name)
        ]
        for name in changed:
            setattr(survey, name, getattr(clean, name))
        if changed:
            survey.save(update_fields=changed)
        audit_write(
            actor=actor,
            action="research.survey_updated",
            target=survey,
            purpose=PURPOSE,
            request=request,
            details={"fields": changed},
        )
    return survey


def survey_open(*, actor: User, survey: Survey, request: HttpRequest | None = None) -> Survey:
    _check_manage(actor, survey)
    with transaction.atomic():
        survey = _locked(survey)
        _require_state(survey, SurveyState.DRAFT, message="Only a draft survey can be opened.")
        if not Question.objects.filter(survey=survey).exists():
            raise ActionRefused("Add at least one question before you open the survey.")
        survey.state = SurveyState.OPEN
        survey.opened_at = timezone.now()
        survey.save(update_fields=["state", "opened_at"])
        audit_write(actor=actor, action="research.survey_opened", target=survey, purpose=PURPOSE, request=request)
    return survey


def survey_close(*, actor: User, survey: Survey, request: HttpRequest | None = None) -> Survey:
    _check_manage(actor, survey)
    with transaction.atomic():
        survey = _locked(survey)
        _require_state(survey, SurveyState.OPEN, message="Only an open survey can be closed.")
        survey.state = SurveyState.CLOSED
        survey.closed_at = timezone.now()
        survey.save(update_fields=["state", "closed_at"])
        audit_write(
            actor=actor,
            action="research.survey_closed",
            target=survey,
            purpose=PURPOSE,
            request=request,
            details={"responses": Response.objects.filter(survey=survey).count()},
        )
    return survey


# --- Questions -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionDetails:
    kind: str
    text: str
    hint: str = ""
    required: bool = True
    options: tuple[str, ...] = ()
    scale_min: int | None = None
    scale_max: int | None = None
    scale_min_label: str = ""
    scale_max_label: str = ""

    def cleaned(self) -> QuestionDetails:
        if self.kind not in QuestionKind.values:
            raise ActionRefused("Choose the type of question.", field="kind")
        text = _text(self.text, field="text", label="the question", limit=QUESTION_MAX)
        hint = _text(self.hint, field="hint", label="the hint", limit=QUESTION_MAX, required=False)
        options: tuple[str, ...] = ()
        scale_min = scale_max = None
        low_label = high_label = ""
        if self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            options = tuple(option.strip() for option in self.options if option.strip())
            if len(options) < MIN_OPTIONS:
                raise ActionRefused(f"Enter at least {MIN_OPTIONS} options, one on each line.", field="options")
            if len(options) > MAX_OPTIONS:
                raise ActionRefused(f"Enter {MAX_OPTIONS} options or fewer.", field="options")
            if any(len(option) > OPTION_MAX for option in options):
                raise ActionRefused(f"Each option must be {OPTION_MAX} characters or fewer.", field="options")
            if len({option.casefold() for option in options}) != len(options):
                raise ActionRefused("Each option must be different.", field="options")
        elif self.kind == QuestionKind.SCALE:
            if self.scale_min not in SCALE_LOWEST:
                raise ActionRefused("The scale must start at 0 or 1.", field="scale_min")
            if self.scale_max is None or not (self.scale_min + 2 <= self.scale_max <= SCALE_HIGHEST_MAX):
                raise ActionRefused(
                    f"The highest point must be at least 2 more than the lowest, and {SCALE_HIGHEST_MAX} or less.",
                    field="scale_max",
                )
            scale_min, scale_max = self.scale_min, self.scale_max
            low_label = _text(
                self.scale_min_label,
                field="scale_min_label",
                label="what the lowest point means",
                limit=SCALE_LABEL_MAX,
            )
            high_label = _text(
                self.scale_max_label,
                field="scale_max_label",
                label="what the highest point means",
                limit=SCALE_LABEL_MAX,
            )
        return QuestionDetails(
            kind=self.kind,
            text=text,
            hint=hint,
            required=bool(self.required),
            options=options,
            scale_min=scale_min,
            scale_max=scale_max,
            scale_min_label=low_label,
            scale_max_label=high_label,
        )


def _apply(question: Question, details: QuestionDetails) -> list[str]:
    values = {
        "kind": details.kind,
        "text": details.text,
        "hint": details.hint,
        "required": details.required,
        "options": list(details.options),
        "scale_min": details.scale_min,
        "scale_max": details.scale_max,
        "scale_min_label": details.scale_min_label,
        "scale_max_label": details.scale_max_label,
    }
    changed = [name for name, value in values.items() if getattr(question, name) != value]
    for name in changed:
        setattr(question, name, values[name])
    return changed


def question_add(
    *, actor: User, survey: Survey, details: QuestionDetails, request: HttpRequest | None = None
) -> Question:
    _check_manage(actor, survey)
    clean = details.cleaned()
    with transaction.atomic():
        survey = _locked(survey)
        _require_state(survey, SurveyState.DRAFT, message="Questions can only be added while the survey is a draft.")
        existing = Question.objects.filter(survey=survey)
        if existing.count() >= MAX_QUESTIONS:
            raise ActionRefused(f"A survey can have {MAX_QUESTIONS} questions at most. Keep it short.")
        last = existing.aggregate(last=Max("position"))["last"]
        question = Question(survey=survey, position=0 if last is None else last + 1)
        _apply(question, clean)
        question.save()
        audit_write(
            actor=actor,
            action="research.question_added",
            target=question,
            purpose=PURPOSE,
            request=request,
            details={"survey_id": survey.pk, "kind": question.kind},
        )
    return question


def question_update(
    *, actor: User, question: Question, details: QuestionDetails, request: HttpRequest | None = None
) -> Question:
    _check_manage(actor, question.survey)
    clean = details.cleaned()
    if clean.kind != question.kind:
        raise ActionRefused("The type of a question cannot change. Remove it and add a new one.", field="kind")
    with transaction.atomic():
        survey = _locked(question.survey)
        _require_state(survey, SurveyState.DRAFT, message="Questions can only change while the survey is a draft.")
        question = Question.objects.select_for_update().get(pk=question.pk)
        changed = _apply(question, clean)
        if changed:
            question.save(update_fields=changed)
        audit_write(
            actor=actor,
            action="research.question_updated",
            target=question,
            purpose=PURPOSE,
            request=request,
            details={"survey_id": survey.pk, "fields": changed},
        )
    return question


def question_delete(*, actor: User, question: Question, request: HttpRequest | None = None) -> None:
    _check_manage(actor, question.survey)
    with transaction.atomic():
        survey = _locked(question.survey)
        _require_state(survey, SurveyState.DRAFT, message="Questions can only be removed while the survey is a draft.")
        audit_write(
            actor=actor,
            action="research.question_removed",
            target=question,
            purpose=PURPOSE,
            request=request,
            details={"survey_id": survey.pk},
        )
        Question.objects.filter(pk=question.pk).delete()


def question_move(*, actor: User, question: Question, up: bool, request: HttpRequest | None = None) -> None:
    """Swap a question with the one before (``up``) or after it."""
    _check_manage(actor, question.survey)
    with transaction.atomic():
        survey = _locked(question.survey)
        _require_state(survey, SurveyState.DRAFT, message="Questions can only move while the survey is a draft.")
        ordered = list(Question.objects.select_for_update().filter(survey=survey).order_by("position", "id"))
        index = next(i for i, item in enumerate(ordered) if item.pk == question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ordered):
            return
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        audit_write(
            actor=actor,
            action="research.question_moved",
            target=question,
            purpose=PURPOSE,
            request=request,
            details={"survey_id": survey.pk, "direction": "up" if up else "down"},
        )


# --- Answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanAnswer:
    question: Question
    choices: tuple[int, ...] = ()
    text: str = ""


def clean_answers(questions: Iterable[Question], raw: Mapping[int, Any]) -> list[CleanAnswer]:
    """Check the answers to a survey. ``raw`` maps question id to an option
    number or scale value, a list of option numbers, or text. Unanswered
    questions may be missing. Refuses with the field ``q<id>``."""
    cleaned = []
    for number, question in enumerate(questions, start=1):
        field = f"q{question.pk}"
        value = raw.get(question.pk)
        allowed = {choice for choice, _ in question.choices()}
        if question.is_free_text:
            text = str(value or "").strip()
            if len(text) > FREE_TEXT_MAX:
                raise ActionRefused(
                    f"Your answer to question {number} must be {FREE_TEXT_MAX} characters or fewer.", field=field
                )
            if not text:
                if question.required:
                    raise ActionRefused(f"Enter an answer to question {number}.", field=field)
                continue
            cleaned.append(CleanAnswer(question=question, text=text))
            continue
        values: list[Any] = list(value) if isinstance(value, list | tuple | set) else [value]
        values = [item for item in values if item not in (None, "")]
        try:
            picked = tuple(sorted({int(item) for item in values}))
        except (TypeError, ValueError):
            raise ActionRefused(f"Choose from the answers given to question {number}.", field=field) from None
        if any(choice not in allowed for choice in picked):
            raise ActionRefused(f"Choose from the answers given to question {number}.", field=field)
        if question.kind != QuestionKind.MULTIPLE_CHOICE and len(picked) > 1:
            raise ActionRefused(f"Choose one answer to question {number}.", field=field)
        if not picked:
            if question.required:
                message = (
                    f"Select at least one answer to question {number}."
                    if question.kind == QuestionKind.MULTIPLE_CHOICE
                    else f"Select an answer to question {number}."
                )
                raise ActionRefused(message, field=field)
            continue
        cleaned.append(CleanAnswer(question=question, choices=picked))
    return cleaned


def _save_answers(response: Response, answers: list[CleanAnswer]) -> None:
    rows = []
    for answer in answers:
        if answer.question.is_free_text:
            rows.append(Answer(response=response, question=answer.question, text=answer.text))
        else:
            rows.extend(Answer(response=response, question=answer.question, choice=c) for c in answer.choices)
    Answer.objects.bulk_create(rows)


def response_submit(
    *, survey: Survey, respondent: User | None, respondent_key: str, answers: Mapping[int, Any]
) -> Response:
    """Take one person's answers from the web.

    ``respondent`` is the signed-in account, if any; ``respondent_key`` comes
    from :mod:`rosc.research.respondents`. Nothing that says who answered is
    stored with the answers, and the audit row names nobody.
    """
    if survey.needs_sign_in and respondent is None:
        raise ActionRefused("Sign in to answer this survey.")
    if respondent is not None and respondent_key != respondents.key_for_account(survey, respondent):
        raise ActionRefused("Your answers could not be matched to your account. Please try again.")
    if not respondent_key:
        raise ActionRefused("Your answers could not be saved. Please try again.")
    questions = list(Question.objects.filter(survey=survey).order_by("position", "id"))
    clean = clean_answers(questions, answers)
    try:
        with transaction.atomic():
            survey = _locked(survey)
            _require_state(survey, SurveyState.OPEN, message="This survey has closed, so it cannot take answers.")
            if Response.objects.filter(survey=survey, respondent_key=respondent_key).exists():
                raise ActionRefused("You have already answered this survey. Thank you for taking part.")
            response = Response.objects.create(
                survey=survey, mode=ResponseMode.WEB, respondent_key=respondent_key, gathered_on=timezone.localdate()
            )
            _save_answers(response, clean)
            audit_write(
                actor=None,
                action="research.response_received",
                object_type="research.survey",
                object_id=survey.pk,
                purpose=PURPOSE,
                details={"mode": ResponseMode.WEB.value},
            )
    except IntegrityError:
        raise ActionRefused("You have already answered this survey. Thank you for taking part.") from None
    return response


def response_record_face_to_face(
    *,
    actor: User,
    survey: Survey,
    gathered_on: datetime.date,
    answers: Mapping[int, Any],
    request: HttpRequest | None = None,
) -> Response:
    """A researcher types in answers given on paper or in person."""
    _check_manage(actor, survey)
    today = timezone.localdate()
    if gathered_on > today:
        raise ActionRefused("The date the answers were given must be today or in the past.", field="gathered_on")
    opened_on = timezone.localdate(survey.opened_at) if survey.opened_at else today
    if gathered_on < opened_on:
        raise ActionRefused(
            f"The date the answers were given must be on or after the day the survey opened ({opened_on:%-d %B %Y}).",
            field="gathered_on",
        )
    questions = list(Question.objects.filter(survey=survey).order_by("position", "id"))
    clean = clean_answers(questions, answers)
    with transaction.atomic():
        survey = _locked(survey)
        _require_state(survey, SurveyState.OPEN, message="Answers can only be recorded while the survey is open.")
        response = Response.objects.create(
            survey=survey, mode=ResponseMode.FACE_TO_FACE, gathered_on=gathered_on, recorded_by=actor
        )
        _save_answers(response, clean)
        audit_write(
            actor=actor,
            action="research.response_recorded",
            object_type="research.survey",
            object_id=survey.pk,
            purpose=PURPOSE,
            request=request,
            details={"mode": ResponseMode.FACE_TO_FACE.value},
        )
    return response


# --- Themes ----------------------------------------------------------------------------------


def _check_tagging(actor: User, question: Question) -> None:
    _check_manage(actor, question.survey)
    if not question.is_free_text:
        raise ActionRefused("Only free-text questions have themes.")
    if question.survey.state == SurveyState.DRAFT:
        raise ActionRefused("Themes can be added once the survey is open and has answers.")


def theme_add(*, actor: User, question: Question, name: str, request: HttpRequest | None = None) -> Theme:
    _check_tagging(actor, question)
    name = _text(name, field="name", label="a name for the theme", limit=THEME_MAX)
    with transaction.atomic():
        if Theme.objects.filter(question=question, name__iexact=name).exists():
            raise ActionRefused("There is already a theme with that name.", field="name")
        theme = Theme.objects.create(question=question, name=name)
        audit_write(
            actor=actor,
            action="research.theme_added",
            target=theme,
            purpose=PURPOSE,
            request=request,
            details={"question_id": question.pk},
        )
    return theme


def theme_delete(*, actor: User, theme: Theme, request: HttpRequest | None = None) -> None:
    """Remove a theme and its tags. Published findings keep their own copy of the counts."""
    _check_tagging(actor, theme.question)
    with transaction.atomic():
        audit_write(
            actor=actor,
            action="research.theme_removed",
            target=theme,
            purpose=PURPOSE,
            request=request,
            details={"question_id": theme.question_id, "tagged_answers": theme.answers.count()},
        )
        Theme.objects.filter(pk=theme.pk).delete()


def answers_tag(
    *, actor: User, question: Question, tags: Mapping[int, Iterable[int]], request: HttpRequest | None = None
) -> int:
    """Set the themes of some answers to one free-text question. ``tags`` maps an
    answer id to the ids of all its themes (an empty list clears them).
    Returns how many answers changed."""
    _check_tagging(actor, question)
    theme_ids = set(Theme.objects.filter(question=question).values_list("pk", flat=True))
    wanted = {int(answer_id): {int(theme) for theme in themes} for answer_id, themes in tags.items()}
    if any(not chosen <= theme_ids for chosen in wanted.values()):
        raise ActionRefused("Choose from the themes listed.")
    with transaction.atomic():
        answers = list(
            Answer.objects.select_for_update().filter(question=question, pk__in=wanted.keys()).order_by("id")
        )
        if len(answers) != len(wanted):
            raise ActionRefused("Some of those answers are not answers to this question.")
        through = Answer.themes.through
        current: dict[int, set[int]] = {answer.pk: set() for answer in answers}
        for answer_id, theme_id in through.objects.filter(answer__in=answers).values_list("answer_id", "theme_id"):
            current[answer_id].add(theme_id)
        changed = 0
        for answer in answers:
            if current[answer.pk] != wanted[answer.pk]:
                answer.themes.set(wanted[answer.pk])
                changed += 1
        audit_write(
            actor=actor,
            action="research.answers_tagged",
            target=question,
            purpose=PURPOSE,
            request=request,
            details={"survey_id": question.survey_id, "answers_changed": changed},
        )
    return changed


# --- Findings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingDetails:
    title: str
    summary: str
    body: str

    def cleaned(self) -> FindingDetails:
        return FindingDetails(
            title=_text(self.title, field="title", label="a title", limit=TITLE_MAX),
            summary=_text(self.summary, field="summary", label="a short summary", limit=SUMMARY_MAX),
            body=_text(self.body, field="body", label="what you found", limit=BODY_MAX),
        )


def finding_create(
    *, actor: User, survey: Survey, details: FindingDetails, request: HttpRequest | None = None
) -> Finding:
    _check_manage(actor, survey)
    clean = details.cleaned()
    with transaction.atomic():
        survey = _locked(survey)
        _require_state(
            survey,
            SurveyState.OPEN,
            SurveyState.CLOSED,
            message="Open the survey and gather answers before you write a finding.",
        )
        finding = Finding.objects.create(
            survey=survey, title=clean.title, summary=clean.summary, body=clean.body, created_by=actor
        )
        audit_write(
            actor=actor,
            action="research.finding_created",
            target=finding,
            purpose=PURPOSE,
            request=request,
            details={"survey_id": survey.pk},
        )
    return finding


def _locked_finding(finding: Finding) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("survey").get(pk=finding.pk)


def finding_update(
    *, actor: User, finding: Finding, details: FindingDetails, request: HttpRequest | None = None
) -> Finding:
    _check_manage(actor, finding.survey)
    clean = details.cleaned()
    with transaction.atomic():
        finding = _locked_finding(finding)
        if finding.state != FindingState.DRAFT:
            raise ActionRefused("A published finding cannot change. Write a new finding to correct it.")
        changed = [name for name in ("title", "summary", "body") if getattr(finding, name) != getattr(clean, name)]
        for name in changed:
            setattr(finding, name, getattr(clean, name))
        if changed:
            finding.save(update_fields=changed)
        audit_write(
            actor=actor,
            action="research.finding_updated",
            target=finding,
            purpose=PURPOSE,
            request=request,
            details={"survey_id": finding.survey_id, "fields": changed},
        )
    return finding


def finding_link(finding: Finding) -> str:
    """The public address of a finding, in full, for the Community Voice item."""
    return f"{settings.ROSC_SITE_URL}{reverse('research:finding', args=[finding.uuid])}"


def finding_publish(*, actor: User, finding: Finding, request: HttpRequest | None = None) -> Finding:
    """Publish a finding on the research pages and send it to the Community
    Voice for review, with the survey's suppressed results frozen in it."""
    from rosc.voice.actions import submit_research_for_review

    _check_manage(actor, finding.survey)
    with transaction.atomic():
        finding = _locked_finding(finding)
        if finding.state != FindingState.DRAFT:
            raise ActionRefused("This finding has already been published.")
        survey = _locked(finding.survey)
        if survey.state != SurveyState.CLOSED:
            raise ActionRefused("Close the survey before you publish a finding, so the numbers are final.")
        threshold = suppress_below()
        results = survey_results(survey, threshold=threshold)
        if results.withheld:
            raise ActionRefused(
                f"Fewer than {threshold} people answered this survey, so its results cannot be published."
            )
        finding.results = results.to_dict()
        finding.state = FindingState.PUBLISHED
        finding.published_at = timezone.now()
        finding.published_by = actor
        finding.save(update_fields=["results", "state", "published_at", "published_by"])
        audit_write(
            actor=actor,
            action="research.finding_published",
            target=finding,
            purpose=PURPOSE,
            request=request,
            details={"survey_id": survey.pk},
        )
        submit_research_for_review(
            by=actor,
            title=finding.title,
            summary=finding.summary,
            link=finding_link(finding),
        )
    return finding


def finding_set_evidence(*, actor: User, finding: Finding, attach: bool, request: HttpRequest | None = None) -> Finding:
    """Attach a published finding to commissioning evidence, or take it off."""
    _check_manage(actor, finding.survey)
    with transaction.atomic():
        finding = _locked_finding(finding)
        if finding.state != FindingState.PUBLISHED:
            raise ActionRefused("Publish the finding before you attach it to commissioning evidence.")
        if finding.is_evidence == attach:
            return finding
        finding.is_evidence = attach
        finding.evidence_attached_at = timezone.now() if attach else None
        finding.save(update_fields=["is_evidence", "evidence_attached_at"])
        audit_write(
            actor=actor,
            action="research.evidence_attached" if attach else "research.evidence_detached",
            target=finding,
            purpose=PURPOSE,
            request=request,
            details={"survey_id": finding.survey_id},
        )
    return finding
