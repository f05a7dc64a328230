"""Essex demo data for Community research: one open survey with enough answers
to show results, and one closed survey with a published finding attached to
commissioning evidence. Everything here is illustrative and labelled so.

Run by ``manage.py seed_demo_areas`` after ``seed_demo`` (which makes Rosa,
the demo community researcher). Safe to run again: a survey that exists is
left alone.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rosc.core.management.commands.seed_demo import demo_email
from rosc.core.models import User
from rosc.research import actions, respondents
from rosc.research.models import Finding, QuestionKind, Response, Survey

CAFES = "What would make recovery cafés easier to reach?"
FIRST_HEARD = "How did you first hear about recovery support?"

CAFE_QUESTIONS = [
    actions.QuestionDetails(
        kind=QuestionKind.SINGLE_CHOICE,
        text="Have you been to a recovery café in the last year?",
        options=("Yes", "No", "Not sure"),
    ),
    actions.QuestionDetails(
        kind=QuestionKind.MULTIPLE_CHOICE,
        text="What makes it harder to get to a recovery café?",
        hint="Think about the café nearest to you.",
        options=(
            "Bus or train fares",
            "No bus at the right time",
            "Opening times",
            "Not knowing where one is",
            "Worry about being seen there",
            "Looking after children",
        ),
        required=False,
    ),
    actions.QuestionDetails(
        kind=QuestionKind.SCALE,
        text="How easy is it for you to get to a recovery café?",
        scale_min=1,
        scale_max=5,
        scale_min_label="Very hard",
        scale_max_label="Very easy",
    ),
    actions.QuestionDetails(
        kind=QuestionKind.FREE_TEXT, text="What one thing would make it easier for you?", required=False
    ),
]

# Made-up answers and the theme each belongs to.
CAFE_WORDS = [
    ("A bus pass or help with fares would make the biggest difference.", "Cheaper or free travel"),
    ("The fare into town is more than I can spare most weeks.", "Cheaper or free travel"),
    ("If it was open in the evening after work I could go.", "Evening and weekend opening"),
    ("Weekends are when I struggle most and it is shut.", "Evening and weekend opening"),
    ("Knowing what happens when you walk in the first time.", "Knowing what to expect"),
    ("Someone to meet me at the door the first time.", "Knowing what to expect"),
    ("One nearer to where I live, the nearest is two buses away.", "Somewhere closer"),
    ("A pop-up in the village hall once a week.", "Somewhere closer"),
    ("Somewhere to bring my kids while I am there.", "Looking after children"),
]

HEARD_QUESTIONS = [
    actions.QuestionDetails(
        kind=QuestionKind.SINGLE_CHOICE,
        text="Where did you first hear about recovery support?",
        options=(
            "Someone with lived experience",
            "Friend or family",
            "GP or health service",
            "Online",
            "Somewhere else",
        ),
    ),
    actions.QuestionDetails(
        kind=QuestionKind.SCALE,
        text="How easy was it to find the right support?",
        scale_min=1,
        scale_max=5,
        scale_min_label="Very hard",
        scale_max_label="Very easy",
    ),
    actions.QuestionDetails(
        kind=QuestionKind.FREE_TEXT, text="What would have helped you find support sooner?", required=False
    ),
]

HEARD_WORDS = [
    ("Hearing from someone who had been through it.", "Hearing from people in recovery"),
    ("A peer mentor at the Jobcentre told me about it.", "Hearing from people in recovery"),
    ("My GP not making me feel judged.", "Being treated without judgement"),
    ("Nobody judging me when I first asked.", "Being treated without judgement"),
    ("One place that lists everything.", "One place to look"),
    ("A website with all the services in one place.", "One place to look"),
]


def _researcher() -> User | None:
    return User.objects.filter(email=demo_email("researcher")).first()


def _make_survey(researcher: User, title: str, purpose: str, questions: list[actions.QuestionDetails]) -> Survey:
    survey = actions.survey_create(
        actor=researcher,
        details=actions.SurveyDetails(
            title=title,
            purpose=purpose,
            consent_text=actions_consent(),
            who_can_answer="anyone",
        ),
    )
    for details in questions:
        actions.question_add(actor=researcher, survey=survey, details=details)
    actions.survey_open(actor=researcher, survey=survey)
    survey.refresh_from_db()
    return survey


def actions_consent() -> str:
    from rosc.research.config import suppress_below
    from rosc.research.models import DEFAULT_CONSENT_TEXT

    return DEFAULT_CONSENT_TEXT.format(threshold=suppress_below())


def _answer(researcher: User, survey: Survey, number: int, answers: dict[int, Any], *, face_to_face: bool) -> Response:
    if face_to_face:
        return actions.response_record_face_to_face(
            actor=researcher, survey=survey, gathered_on=timezone.localdate(), answers=answers
        )
    key = respondents.key_for_token(survey, f"demo-respondent-{number}")
    return actions.response_submit(survey=survey, respondent=None, respondent_key=key, answers=answers)


def _tag(researcher: User, survey: Survey, words: list[tuple[str, str]]) -> None:
    question = survey.questions.get(kind=QuestionKind.FREE_TEXT)
    themes = {
        name: actions.theme_add(actor=researcher, question=question, name=name)
        for name in dict.fromkeys(t for _, t in words)
    }
    theme_of = dict(words)
    actions.answers_tag(
        actor=researcher,
        question=question,
        tags={answer.pk: [themes[theme_of[answer.text]].pk] for answer in question.answers.all()},
    )


def _seed_cafes(researcher: User, rng: random.Random) -> None:
    survey = _make_survey(
        researcher,
        CAFES,
        "We are community researchers with lived experience of recovery. We want to know what stops people "
        "getting to the recovery cafés in Essex, so the Community Voice can ask for the right changes. It takes "
        "about three minutes.",
        CAFE_QUESTIONS,
    )
    single, multiple, scale, words = (q.pk for q in survey.questions.order_by("position"))
    for number in range(34):
        text, _theme = CAFE_WORDS[number % len(CAFE_WORDS)]
        chosen = sorted(rng.sample(range(6), k=rng.choice((1, 1, 2, 2, 3))))
        if number % 4 == 0:
            chosen = sorted({*chosen, 0})
        answers = {
            single: rng.choices((0, 1, 2), weights=(6, 3, 1))[0],
            multiple: chosen,
            scale: rng.choices((1, 2, 3, 4, 5), weights=(2, 4, 3, 3, 2))[0],
            words: text if number % 5 else "",
        }
        _answer(researcher, survey, number, answers, face_to_face=number % 6 == 5)
    _tag(researcher, survey, CAFE_WORDS)
    opened = timezone.now() - timedelta(days=21)
    Survey.objects.filter(pk=survey.pk).update(opened_at=opened, is_illustrative=True)
    for response in Response.objects.filter(survey=survey).order_by("id"):
        Response.objects.filter(pk=response.pk).update(
            gathered_on=timezone.localdate() - timedelta(days=rng.randint(0, 20))
        )


def _seed_first_heard(researcher: User, rng: random.Random) -> None:
    survey = _make_survey(
        researcher,
        FIRST_HEARD,
        "We want to know how people in Essex first found out that recovery support exists, so that services "
        "can reach people sooner.",
        HEARD_QUESTIONS,
    )
    single, scale, words = (q.pk for q in survey.questions.order_by("position"))
    for number in range(41):
        text, _theme = HEARD_WORDS[number % len(HEARD_WORDS)]
        answers = {
            single: rng.choices(range(5), weights=(8, 5, 4, 3, 1))[0],
            scale: rng.choices((1, 2, 3, 4, 5), weights=(3, 4, 3, 2, 1))[0],
            words: text if number % 4 else "",
        }
        _answer(researcher, survey, number, answers, face_to_face=number % 5 == 4)
    _tag(researcher, survey, HEARD_WORDS)
    actions.survey_close(actor=researcher, survey=survey)
    finding = actions.finding_create(
        actor=researcher,
        survey=survey,
        details=actions.FindingDetails(
            title="People in recovery are often the first to point the way to support",
            summary="In this illustrative survey, more people first heard about recovery support from someone with "
            "lived experience than from any other source, and most found it hard to find the right support.",
            body="We asked people in recovery, and family members, how they first heard that recovery support "
            "exists, on the web and face to face at recovery cafés.\n\n"
            "Someone with lived experience was the most common first source, ahead of friends and family and "
            "health services. Many people said hearing from someone who had been through it, and not being "
            "judged when they first asked, would have helped them find support sooner.\n\n"
            "We suggest peer mentors in more everyday places, such as Jobcentres and GP surgeries, and one "
            "place online that lists every service.",
        ),
    )
    actions.finding_publish(actor=researcher, finding=finding)
    actions.finding_set_evidence(actor=researcher, finding=finding, attach=True)
    now = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(
        opened_at=now - timedelta(days=90), closed_at=now - timedelta(days=45), is_illustrative=True
    )
    Finding.objects.filter(pk=finding.pk).update(published_at=now - timedelta(days=40), is_illustrative=True)


def seed_demo(stdout: Any) -> None:
    researcher = _researcher()
    if researcher is None:
        stdout.write("Community research: no demo researcher (run seed_demo first); nothing added.")
        return
    rng = random.Random(16)  # the same illustrative answers every time
    added = []
    with transaction.atomic():
        if not Survey.objects.filter(title=FIRST_HEARD, is_illustrative=True).exists():
            _seed_first_heard(researcher, rng)
            added.append("a closed survey with a published finding")
        if not Survey.objects.filter(title=CAFES, is_illustrative=True).exists():
            _seed_cafes(researcher, rng)
            added.append("an open survey with answers")
    what = " and ".join(added) if added else "nothing new (already there)"
    stdout.write(f"Community research: added {what}; sign in as {researcher.email} to see them.")
