"""Forms for community research. They render GOV.UK markup through the
shared renderer; the actions check everything again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from rosc.research.actions import (
    BODY_MAX,
    CONSENT_MAX,
    FREE_TEXT_MAX,
    OPTION_MAX,
    PURPOSE_MAX,
    QUESTION_MAX,
    SCALE_HIGHEST_MAX,
    SCALE_LABEL_MAX,
    SUMMARY_MAX,
    THEME_MAX,
    TITLE_MAX,
    FindingDetails,
    QuestionDetails,
    SurveyDetails,
)
from rosc.research.models import DEFAULT_CONSENT_TEXT, Question, QuestionKind, WhoCanAnswer

IDENTIFYING_WARNING = "Please do not include names or anything else that could identify you or someone else."
YES_NO = [("yes", "Yes"), ("no", "No")]


def _too_long(limit: int, what: str) -> dict[str, str]:
    return {"max_length": f"{what} must be {limit} characters or fewer."}


class SurveyForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        help_text="A short question or topic, like “What would make recovery cafés easier to reach?”",
        error_messages={"required": "Enter a title.", **_too_long(TITLE_MAX, "The title")},
    )
    purpose = forms.CharField(
        label="Why you are asking",
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to everyone before they answer. Say who is asking, what you will do with the answers "
        "and roughly how long it takes.",
        error_messages={"required": "Enter why you are asking.", **_too_long(PURPOSE_MAX, "Why you are asking")},
    )
    consent_text = forms.CharField(
        label="What taking part means",
        max_length=CONSENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Shown before anyone answers, and read out before a face-to-face response. Change it only if "
        "you need to.",
        error_messages={
            "required": "Enter what taking part means.",
            **_too_long(CONSENT_MAX, "What taking part means"),
        },
    )
    who_can_answer = forms.ChoiceField(
        label="Who can answer on the web?",
        choices=WhoCanAnswer.choices,
        widget=forms.RadioSelect,
        help_text="Without signing in, answers are anonymous, but someone could answer twice from another browser. "
        "Asking people to sign in keeps it to one response per account; we still do not record whose answers "
        "are whose.",
        error_messages={"required": "Choose who can answer the survey."},
    )

    @classmethod
    def initial_for_new(cls, threshold: int) -> dict[str, Any]:
        return {"consent_text": DEFAULT_CONSENT_TEXT.format(threshold=threshold), "who_can_answer": "anyone"}

    def details(self) -> SurveyDetails:
        data = self.cleaned_data
        return SurveyDetails(
            title=data["title"],
            purpose=data["purpose"],
            consent_text=data["consent_text"],
            who_can_answer=data["who_can_answer"],
        )


class QuestionKindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What type of question is it?",
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of question."},
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        max_length=QUESTION_MAX,
        error_messages={"required": "Enter the question.", **_too_long(QUESTION_MAX, "The question")},
    )
    hint = forms.CharField(
        label="Hint (optional)",
        max_length=QUESTION_MAX,
        required=False,
        help_text="Extra words to help people answer, shown under the question.",
        error_messages=_too_long(QUESTION_MAX, "The hint"),
    )
    required = forms.ChoiceField(
        label="Must people answer this question?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether people must answer this question."},
    )
    options = forms.CharField(
        label="Options",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"One option on each line, in the order you want them shown. Each up to {OPTION_MAX} characters.",
        error_messages={"required": "Enter at least 2 options, one on each line."},
    )
    scale_min = forms.TypedChoiceField(
        label="Lowest point",
        choices=[("1", "1"), ("0", "0")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the lowest point of the scale."},
    )
    scale_max = forms.IntegerField(
        label="Highest point",
        min_value=2,
        max_value=SCALE_HIGHEST_MAX,
        help_text=f"For example 5. No more than {SCALE_HIGHEST_MAX}.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the highest point of the scale, like 5.",
            "invalid": "Enter the highest point as a whole number, like 5.",
            "min_value": "The highest point must be 2 or more.",
            "max_value": f"The highest point must be {SCALE_HIGHEST_MAX} or less.",
        },
    )
    scale_min_label = forms.CharField(
        label="What the lowest point means",
        max_length=SCALE_LABEL_MAX,
        help_text="For example “Not at all easy”.",
        error_messages={
            "required": "Enter what the lowest point means.",
            **_too_long(SCALE_LABEL_MAX, "What the lowest point means"),
        },
    )
    scale_max_label = forms.CharField(
        label="What the highest point means",
        max_length=SCALE_LABEL_MAX,
        help_text="For example “Very easy”.",
        error_messages={
            "required": "Enter what the highest point means.",
            **_too_long(SCALE_LABEL_MAX, "What the highest point means"),
        },
    )

    CHOICE_FIELDS = ("options",)
    SCALE_FIELDS = ("scale_min", "scale_max", "scale_min_label", "scale_max_label")

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep_choice = kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
        keep_scale = kind == QuestionKind.SCALE
        for name in self.CHOICE_FIELDS:
            if not keep_choice:
                del self.fields[name]
        for name in self.SCALE_FIELDS:
            if not keep_scale:
                del self.fields[name]
        if kind == QuestionKind.FREE_TEXT:
            self.fields["hint"].help_text += f" People are always asked: “{IDENTIFYING_WARNING}”"

    @classmethod
    def initial_for(cls, question: Question | None) -> dict[str, Any]:
        if question is None:
            return {"required": "yes", "scale_min": "1", "scale_max": 5}
        return {
            "text": question.text,
            "hint": question.hint,
            "required": "yes" if question.required else "no",
            "options": "\n".join(question.options),
            "scale_min": str(question.scale_min) if question.scale_min is not None else "1",
            "scale_max": question.scale_max,
            "scale_min_label": question.scale_min_label,
            "scale_max_label": question.scale_max_label,
        }

    def details(self) -> QuestionDetails:
        data = self.cleaned_data
        return QuestionDetails(
            kind=self.kind,
            text=data["text"],
            hint=data.get("hint", ""),
            required=data["required"] == "yes",
            options=tuple((data.get("options") or "").splitlines()),
            scale_min=data.get("scale_min"),
            scale_max=data.get("scale_max"),
            scale_min_label=data.get("scale_min_label", ""),
            scale_max_label=data.get("scale_max_label", ""),
        )


def question_field_name(question: Question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """The survey itself: one field per question, then agreement to take part.

    ``face_to_face``: a researcher types in answers given on paper or in
    person, with the date they were given.
    """

    def __init__(self, *args: Any, questions: Iterable[Question], face_to_face: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.face_to_face = face_to_face
        if face_to_face:
            self.fields["gathered_on"] = forms.DateField(
                label="Date the answers were given",
                help_text="For example 2026-05-14",
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={
                    "required": "Enter the date the answers were given.",
                    "invalid": "Enter the date the answers were given as a real date, like 2026-05-14.",
                },
            )
        for number, question in enumerate(self.questions, start=1):
            self.fields[question_field_name(question)] = self._field(number, question)
        self.fields["consent"] = forms.BooleanField(
            label=(
                "The person heard what taking part means and agreed to take part"
                if face_to_face
                else "I have read what taking part means and I agree to take part"
            ),
            error_messages={
                "required": (
                    "Confirm that the person agreed to take part."
                    if face_to_face
                    else "Tick the box to say you agree to take part."
                )
            },
        )

    @staticmethod
    def _field(number: int, question: Question) -> forms.Field:
        label = f"{number}. {question.text}" + ("" if question.required else " (optional)")
        hint = question.hint
        choices = [(str(value), text) for value, text in question.choices()]
        common: dict[str, Any] = {"label": label, "required": question.required}
        if question.kind == QuestionKind.MULTIPLE_CHOICE:
            hint = " ".join(part for part in (hint, "Select all that apply.") if part)
            return forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text=hint,
                error_messages={
                    "required": f"Select at least one answer to question {number}.",
                    "invalid_choice": f"Choose from the answers given to question {number}.",
                },
                **common,
            )
        if question.is_choice or question.kind == QuestionKind.SCALE:
            return forms.ChoiceField(
                choices=choices,
                widget=forms.RadioSelect,
                help_text=hint,
                error_messages={
                    "required": f"Select an answer to question {number}.",
                    "invalid_choice": f"Choose from the answers given to question {number}.",
                },
                **common,
            )
        hint = " ".join(part for part in (hint, IDENTIFYING_WARNING) if part)
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 5}),
            max_length=FREE_TEXT_MAX,
            help_text=hint,
            error_messages={
                "required": f"Enter an answer to question {number}.",
                **_too_long(FREE_TEXT_MAX, f"Your answer to question {number}"),
            },
            **common,
        )

    def raw_answers(self) -> dict[int, Any]:
        """Question id -> the value the actions expect."""
        answers: dict[int, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question))
            if question.kind == QuestionKind.MULTIPLE_CHOICE:
                answers[question.pk] = [int(item) for item in value or []]
            elif question.is_free_text:
                answers[question.pk] = value or ""
            else:
                answers[question.pk] = int(value) if value not in (None, "") else None
        return answers

    def summary(self) -> list[tuple[str, list[str]]]:
        """What was answered, for the check-your-answers page: (question, answer lines)."""
        rows = []
        for number, question in enumerate(self.questions, start=1):
            value = self.cleaned_data.get(question_field_name(question))
            labels = dict((str(v), text) for v, text in question.choices())
            if question.kind == QuestionKind.MULTIPLE_CHOICE:
                lines = [labels[item] for item in value or []]
            elif question.is_free_text:
                lines = (value or "").splitlines()
            else:
                lines = [labels[value]] if value else []
            rows.append((f"{number}. {question.text}", lines or ["Not answered"]))
        return rows

    def hidden_fields_data(self) -> list[tuple[str, str]]:
        """The submitted values again, to carry through the check page."""
        pairs: list[tuple[str, str]] = []
        for name in self.fields:
            if name == "consent":
                if self.cleaned_data.get("consent"):
                    pairs.append((name, "on"))
                continue
            value = self.cleaned_data.get(name)
            if value is None or value == "":
                continue
            if isinstance(value, list):
                pairs.extend((name, str(item)) for item in value)
            elif hasattr(value, "isoformat"):
                pairs.append((name, value.isoformat()))
            else:
                pairs.append((name, str(value)))
        return pairs


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="New theme",
        max_length=THEME_MAX,
        help_text="A few words for something several people said, like “Bus fares”.",
        error_messages={"required": "Enter a name for the theme.", **_too_long(THEME_MAX, "The theme")},
    )


class FindingForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        error_messages={"required": "Enter a title.", **_too_long(TITLE_MAX, "The title")},
    )
    summary = forms.CharField(
        label="Summary",
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Two or three sentences. The Community Voice sees this when it reviews your finding.",
        error_messages={"required": "Enter a short summary.", **_too_long(SUMMARY_MAX, "The summary")},
    )
    body = forms.CharField(
        label="What you found",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What the answers say and what you think should happen. The suppressed results are added for "
        "you. If you quote someone, use only words that could not identify them or anyone else.",
        error_messages={"required": "Enter what you found.", **_too_long(BODY_MAX, "What you found")},
    )

    def details(self) -> FindingDetails:
        data = self.cleaned_data
        return FindingDetails(title=data["title"], summary=data["summary"], body=data["body"])
