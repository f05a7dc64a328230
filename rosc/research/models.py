"""Community research data: surveys, their questions, the responses people
give (on the web or face to face), free-text themes, and findings.

A response holds no personal data of its own: no name, no account, no IP
address and no time of day. Web responses carry ``respondent_key``, a keyed
hash that stops one person answering twice (see ``rosc.research.respondents``).
"""

from __future__ import annotations

import uuid as uuid_lib

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

DEFAULT_CONSENT_TEXT = (
    "Taking part is up to you. You can stop at any time before you send your answers, and you can skip "
    "any question that is not marked as needing an answer.\n\n"
    "We do not ask for your name. Please do not write anything that could identify you or anyone else.\n\n"
    "Community researchers read the answers to find common themes. Only totals are published, and any number "
    "smaller than {threshold} is hidden so that nobody can be picked out. Once you have sent your answers we "
    "cannot find them again to remove them, because we do not know which answers are yours."
)


class SurveyState(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class WhoCanAnswer(models.TextChoices):
    ANYONE = "anyone", "Anyone, without signing in"
    SIGNED_IN = "signed_in", "Only people signed in to an account"


class Survey(models.Model):
    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=120)
    purpose = models.TextField(help_text="Why you are asking, shown to everyone before they answer.")
    consent_text = models.TextField(help_text="What taking part means, shown before anyone answers.")
    who_can_answer = models.CharField(max_length=16, choices=WhoCanAnswer.choices, default=WhoCanAnswer.ANYONE)
    state = models.CharField(max_length=16, choices=SurveyState.choices, default=SurveyState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="research_surveys"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_illustrative = models.BooleanField(default=False, help_text="Demo data, not a real survey.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:survey", args=[self.uuid])

    @property
    def needs_sign_in(self) -> bool:
        return self.who_can_answer == WhoCanAnswer.SIGNED_IN


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", "Choice: pick one"
    MULTIPLE_CHOICE = "multiple_choice", "Choice: pick any that apply"
    SCALE = "scale", "Scale, for example 1 to 5"
    FREE_TEXT = "free_text", "Free text"


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=True)
    options = models.JSONField(default=list, blank=True, help_text="Choice questions: the options, in order.")
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    scale_min_label = models.CharField(max_length=60, blank=True)
    scale_max_label = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)

    @property
    def is_free_text(self) -> bool:
        return self.kind == QuestionKind.FREE_TEXT

    def choices(self) -> list[tuple[int, str]]:
        """The stored value and label of every answer that can be given."""
        if self.is_choice:
            return list(enumerate(self.options))
        if self.kind == QuestionKind.SCALE and self.scale_min is not None and self.scale_max is not None:
            values = range(self.scale_min, self.scale_max + 1)
            return [(value, self.scale_label(value)) for value in values]
        return []

    def scale_label(self, value: int) -> str:
        if value == self.scale_min and self.scale_min_label:
            return f"{value} \u2013 {self.scale_min_label}"
        if value == self.scale_max and self.scale_max_label:
            return f"{value} \u2013 {self.scale_max_label}"
        return str(value)


class ResponseMode(models.TextChoices):
    WEB = "web", "On the web"
    FACE_TO_FACE = "face_to_face", "Face to face"


class Response(models.Model):
    """One person's answers. Dated by day only, so it cannot be matched to
    the time in a log."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    mode = models.CharField(max_length=16, choices=ResponseMode.choices, default=ResponseMode.WEB)
    gathered_on = models.DateField(default=timezone.localdate)
    respondent_key = models.CharField(max_length=64, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The researcher who typed in a face-to-face response.",
    )

    class Meta:
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_key"],
                condition=~models.Q(respondent_key=""),
                name="research_one_response_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey_id}"


class Theme(models.Model):
    """A theme a researcher finds in the answers to a free-text question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["question", Lower("name")]
        constraints = [
            models.UniqueConstraint(Lower("name"), "question", name="research_theme_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """One answer. A multiple-choice answer is one row per option chosen.
    ``choice`` is the option's number or the scale value; ``text`` the free text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="answers")

    class Meta:
        ordering = ["question", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question", "choice"], name="research_answer_unique_choice"),
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class FindingState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Finding(models.Model):
    """What a researcher found in a survey. Publishing freezes the survey's
    suppressed results in ``results`` so the published numbers never change."""

    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="findings")
    title = models.CharField(max_length=120)
    summary = models.TextField()
    body = models.TextField()
    state = models.CharField(max_length=16, choices=FindingState.choices, default=FindingState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    results = models.JSONField(default=dict, blank=True)
    is_evidence = models.BooleanField(default=False)
    evidence_attached_at = models.DateTimeField(null=True, blank=True)
    is_illustrative = models.BooleanField(default=False, help_text="Demo data, not a real finding.")

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:finding", args=[self.uuid])

    @property
    def is_published(self) -> bool:
        return self.state == FindingState.PUBLISHED
