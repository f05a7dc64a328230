"""The check-in questions: Brief Addiction Monitor themes over the last 7 days, in our own words.

Pure data (no Django), shared by the check-in form, the early-warning rules and the pages that show
answers. Day counts are asked in bands and stored as the lowest number of days in the band (0, 1, 3
or 5), so that a rule such as "3 days or more" is exact. Scales run 0 to 4.
"""

from __future__ import annotations

from dataclasses import dataclass

DAYS = (("0", "None"), ("1", "1 or 2 days"), ("3", "3 or 4 days"), ("5", "5 to 7 days"))
HEALTH = (("4", "Excellent"), ("3", "Very good"), ("2", "Good"), ("1", "Fair"), ("0", "Poor"))
STRENGTH = (("0", "Not at all"), ("1", "A little"), ("2", "Moderately"), ("3", "Quite a lot"), ("4", "Very much"))
YES_NO = (("yes", "Yes"), ("no", "No"))


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    choices: tuple[tuple[str, str], ...]
    theme: str  # "use", "risk", "protective" or "contact" (BAM groups)
    hint: str = ""

    def label_for(self, value: object) -> str:
        return dict(self.choices).get(str(value), "Not answered")


QUESTIONS: tuple[Question, ...] = (
    Question("physical_health", "How has your physical health been?", HEALTH, "risk"),
    Question("sleep_days", "On how many days did you have trouble sleeping?", DAYS, "risk"),
    Question("low_mood_days", "On how many days did you feel very low, anxious or upset?", DAYS, "risk"),
    Question("alcohol_days", "On how many days did you drink any alcohol?", DAYS, "use"),
    Question(
        "heavy_drinking_days",
        "On how many days did you drink heavily?",
        DAYS,
        "use",
        hint="For example 5 or more drinks in a day for a man, 4 or more for a woman.",
    ),
    Question("drug_days", "On how many days did you use drugs not prescribed to you?", DAYS, "use"),
    Question("cravings", "How strong were your cravings or urges to drink or use?", STRENGTH, "risk"),
    Question(
        "confidence", "How confident are you that you will stay on track this coming week?", STRENGTH, "protective"
    ),
    Question("meeting_days", "On how many days did you go to a recovery or mutual-aid meeting?", DAYS, "protective"),
    Question(
        "risky_days",
        "On how many days were you in situations or with people that put your recovery at risk?",
        DAYS,
        "risk",
    ),
    Question("work_days", "On how many days did you work, study or volunteer?", DAYS, "protective"),
    Question("enough_money", "Did you have enough money for food, housing and bills?", YES_NO, "protective"),
    Question("conflict_days", "On how many days did you have serious arguments with family or friends?", DAYS, "risk"),
    Question(
        "support_days",
        "On how many days were you in touch with family or friends who support your recovery?",
        DAYS,
        "protective",
    ),
    Question("satisfaction", "How satisfied are you with your progress in recovery?", STRENGTH, "protective"),
    Question("wants_contact", "Do you want someone from your support team to contact you?", YES_NO, "contact"),
)

BACK_TO_TREATMENT = Question(
    "wants_treatment",
    "Would you like help getting back into treatment or support?",
    YES_NO,
    "contact",
    hint="If you say yes, your keyworker can send a referral for you.",
)

BY_CODE = {q.code: q for q in (*QUESTIONS, BACK_TO_TREATMENT)}
NUMERIC = frozenset(q.code for q in QUESTIONS if q.choices is not YES_NO)
USE_CODES = ("alcohol_days", "heavy_drinking_days", "drug_days")
CHARTED = ("cravings", "confidence", "satisfaction")


def questions_for(kind: str) -> tuple[Question, ...]:
    """The questions of a check-in: a quarterly recovery check-up adds "back into treatment"."""
    return (*QUESTIONS, BACK_TO_TREATMENT) if kind == "quarterly" else QUESTIONS


def clean_answers(raw: dict[str, str], kind: str) -> dict[str, int | bool]:
    """Answers as stored: numbers for scales and day bands, booleans for yes/no. Raises ValueError."""
    cleaned: dict[str, int | bool] = {}
    for question in questions_for(kind):
        value = raw.get(question.code)
        if value not in dict(question.choices):
            raise ValueError(question.code)
        cleaned[question.code] = (value == "yes") if question.choices is YES_NO else int(value)
    return cleaned
