"""The outcome instruments and their scoring, exactly as published. Pure logic: no Django.

- **BARC-10** (Brief Assessment of Recovery Capital): ten items answered 1-6, no
  reverse-keyed items, total = sum (10-60), reported only when every item is
  answered. A total of 47 or more is "associated with sustained remission" (the
  best cut-off in the validation study); no other bands are shown.
- **ONS4** (ONS personal wellbeing): four questions answered 0-10, reported
  separately (never summed), each with its ONS threshold band.
- **TOP** (Treatment Outcomes Profile): past-28-day days, yes/no answers and
  0-20 ratings in four sections, reported as recorded; no totals are invented.

``score(code, answers)`` returns plain JSON-able dicts (stored on each
measurement); ``validate(code, answers)`` returns plain-English errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["scale", "days", "yes_no", "number", "rating"]
Answer = int | bool | None

AGREE_LABELS: tuple[tuple[int, str], ...] = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Somewhat disagree"),
    (4, "Somewhat agree"),
    (5, "Agree"),
    (6, "Strongly agree"),
)


@dataclass(frozen=True)
class Item:
    """One question. ``labels`` name some or all values (a scale's anchors)."""

    key: str
    text: str
    kind: Kind
    minimum: int = 0
    maximum: int = 0
    labels: tuple[tuple[int, str], ...] = ()
    section: str = ""
    required: bool = True

    @property
    def values(self) -> range:
        return range(self.minimum, self.maximum + 1)


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    version: str
    source: str
    licence: str
    items: tuple[Item, ...]
    rhythm: str
    short_name: str = ""

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


BARC10 = Instrument(
    code="barc10",
    name="Brief Assessment of Recovery Capital (BARC-10)",
    short_name="BARC-10",
    version="2017",
    source=(
        "Vilsaint, Kelly, Bergman, Groshkova, Best and White (2017), Development and validation of a Brief "
        "Assessment of Recovery Capital (BARC-10) for alcohol and drug use disorder, Drug and Alcohol Dependence."
    ),
    licence="Free to use; permission not required (PhenX Toolkit protocol 590502). Cite the paper.",
    rhythm=(
        "At the start of support, then every 1 to 3 months while supported, then at each quarterly recovery check-up."
    ),
    items=tuple(
        Item(key=f"q{number}", text=text, kind="scale", minimum=1, maximum=6, labels=AGREE_LABELS)
        for number, text in enumerate(
            (
                "There are more important things to me in life than using substances.",
                "In general I am happy with my life.",
                "I have enough energy to complete the tasks I set myself.",
                "I am proud of the community I live in and feel a part of it.",
                "I get lots of support from friends.",
                "I regard my life as challenging and fulfilling without the need for using drugs or alcohol.",
                "My living space has helped to drive my recovery journey.",
                "I take full responsibility for my actions.",
                "I am happy dealing with a range of professional people.",
                "I am making good progress on my recovery journey.",
            ),
            start=1,
        )
    ),
)

BARC10_REMISSION_CUT_OFF = 47
BARC10_REMISSION_WORDING = "associated with sustained remission"

_ONS_LABELS = ((0, "Not at all"), (10, "Completely"))
ONS4 = Instrument(
    code="ons4",
    name="ONS personal wellbeing (ONS4)",
    short_name="ONS4",
    version="ONS4",
    source="Office for National Statistics personal wellbeing questions.",
    licence="Open Government Licence v3.0.",
    rhythm="At the start of support and then at each review or check-up.",
    items=(
        Item(
            "life_satisfaction", "Overall, how satisfied are you with your life nowadays?", "scale", 0, 10, _ONS_LABELS
        ),
        Item(
            "worthwhile",
            "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
            "scale",
            0,
            10,
            _ONS_LABELS,
        ),
        Item("happiness", "Overall, how happy did you feel yesterday?", "scale", 0, 10, _ONS_LABELS),
        Item("anxiety", "Overall, how anxious did you feel yesterday?", "scale", 0, 10, _ONS_LABELS),
    ),
)

ONS4_SHORT_LABELS = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Worthwhile",
    "happiness": "Happiness",
    "anxiety": "Anxiety",
}

TOP_STAGES: tuple[tuple[str, str], ...] = (("start", "Start of treatment"), ("review", "Review"), ("exit", "Exit"))
TOP_SECTIONS: tuple[tuple[str, str], ...] = (
    ("substance_use", "Substance use"),
    ("injecting", "Injecting"),
    ("crime", "Crime"),
    ("health", "Health and social functioning"),
)
_YES_NO = ((0, "No"), (1, "Yes"))
_RATING = ((0, "Poor"), (20, "Good"))


def _days(key: str, text: str, section: str) -> Item:
    return Item(key, text, "days", 0, 28, section=section)


def _yes_no(key: str, text: str, section: str) -> Item:
    return Item(key, text, "yes_no", 0, 1, _YES_NO, section=section)


TOP = Instrument(
    code="top",
    name="Treatment Outcomes Profile (TOP)",
    short_name="TOP",
    version="TOP (past 28 days)",
    source="The national Treatment Outcomes Profile for structured drug and alcohol treatment in England.",
    licence="National outcome form for structured treatment in England; recorded as published, no invented totals.",
    rhythm="At the start of treatment, at reviews (about every six months) and at exit.",
    items=(
        _days("alcohol_days", "Days used alcohol", "substance_use"),
        Item(
            "alcohol_units",
            "Units of alcohol on a typical drinking day",
            "number",
            0,
            200,
            section="substance_use",
            required=False,
        ),
        _days("opiates_days", "Days used opiates", "substance_use"),
        _days("crack_days", "Days used crack", "substance_use"),
        _days("cocaine_days", "Days used cocaine", "substance_use"),
        _days("amphetamines_days", "Days used amphetamines", "substance_use"),
        _days("cannabis_days", "Days used cannabis", "substance_use"),
        Item("other_days", "Days used another substance", "days", 0, 28, section="substance_use", required=False),
        _days("injected_days", "Days injected", "injecting"),
        _yes_no("shared_equipment", "Shared injecting equipment", "injecting"),
        _days("shoplifting_days", "Days of shoplifting", "crime"),
        _days("selling_drugs_days", "Days of selling drugs", "crime"),
        _yes_no("other_theft", "Other theft", "crime"),
        _yes_no("fraud", "Fraud, forgery or handling stolen goods", "crime"),
        _yes_no("assault", "Assault or violence", "crime"),
        Item("psychological_health", "Psychological health", "rating", 0, 20, _RATING, section="health"),
        Item("physical_health", "Physical health", "rating", 0, 20, _RATING, section="health"),
        Item("quality_of_life", "Overall quality of life", "rating", 0, 20, _RATING, section="health"),
        _days("paid_work_days", "Days of paid work", "health"),
        _days("education_days", "Days of education or training", "health"),
        _yes_no("acute_housing_problem", "Acute housing problem", "health"),
        _yes_no("risk_of_eviction", "At risk of eviction", "health"),
    ),
)

INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (BARC10, ONS4, TOP)}


# --- Scores -----------------------------------------------------------------


@dataclass(frozen=True)
class Barc10Score:
    total: int | None
    answered: int
    missing: tuple[str, ...]
    at_or_above_47: bool | None

    @property
    def remission_wording(self) -> str:
        return BARC10_REMISSION_WORDING if self.at_or_above_47 else ""


@dataclass(frozen=True)
class Ons4Item:
    score: int | None
    band: str | None


@dataclass(frozen=True)
class Ons4Score:
    life_satisfaction: Ons4Item
    worthwhile: Ons4Item
    happiness: Ons4Item
    anxiety: Ons4Item
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopScore:
    stage: str | None
    sections: dict[str, dict[str, int | bool | None]] = field(default_factory=dict)
    missing: tuple[str, ...] = ()


def _int_answer(value: Answer) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    return int(value)


def score_barc10(answers: Mapping[str, Answer]) -> Barc10Score:
    values = {key: _int_answer(answers.get(key)) for key in BARC10.keys}
    missing = tuple(key for key, value in values.items() if value is None)
    answered = len(BARC10.keys) - len(missing)
    if missing:
        return Barc10Score(total=None, answered=answered, missing=missing, at_or_above_47=None)
    total = sum(v for v in values.values() if v is not None)
    return Barc10Score(total=total, answered=answered, missing=(), at_or_above_47=total >= BARC10_REMISSION_CUT_OFF)


def ons_band(key: str, value: int | None) -> str | None:
    """The ONS threshold band of one answer (questions 1-3 share one scale, anxiety has its own)."""
    if value is None:
        return None
    if key == "anxiety":
        if value <= 1:
            return "very low"
        if value <= 3:
            return "low"
        if value <= 5:
            return "medium"
        return "high"
    if value <= 4:
        return "low"
    if value <= 6:
        return "medium"
    if value <= 8:
        return "high"
    return "very high"


def score_ons4(answers: Mapping[str, Answer]) -> Ons4Score:
    parts = {}
    for key in ONS4.keys:
        value = _int_answer(answers.get(key))
        parts[key] = Ons4Item(score=value, band=ons_band(key, value))
    missing = tuple(key for key, part in parts.items() if part.score is None)
    return Ons4Score(missing=missing, **parts)


def score_top(answers: Mapping[str, Answer]) -> TopScore:
    stage = answers.get("stage")
    sections: dict[str, dict[str, int | bool | None]] = {code: {} for code, _ in TOP_SECTIONS}
    for item in TOP.items:
        raw = answers.get(item.key)
        value: int | bool | None
        if raw is None:
            value = None
        elif item.kind == "yes_no":
            value = bool(raw)
        else:
            value = int(raw)
        sections[item.section][item.key] = value
    missing = tuple(item.key for item in TOP.items if item.required and answers.get(item.key) is None)
    return TopScore(stage=str(stage) if isinstance(stage, str) else None, sections=sections, missing=missing)


def score(code: str, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The instrument's scores as plain JSON-able data (what a measurement stores)."""
    if code == "barc10":
        result: Any = score_barc10(answers)
    elif code == "ons4":
        result = score_ons4(answers)
    elif code == "top":
        result = score_top(answers)
    else:
        raise KeyError(f"Unknown instrument {code!r}")
    data = asdict(result)
    data["missing"] = list(data["missing"])
    return data


# --- Validation -------------------------------------------------------------


def validate(code: str, answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Plain-English problems with ``answers`` as (item key, message); empty when they can be saved.

    Answers may be missing (None) - scoring reports them - but every answer
    given must be a whole number in the item's range, and at least one item
    must be answered. TOP also needs its stage (start, review or exit).
    """
    instrument = INSTRUMENTS.get(code)
    if instrument is None:
        return [("instrument", "Choose an outcome measure.")]
    errors: list[tuple[str, str]] = []
    known = set(instrument.keys) | ({"stage"} if code == "top" else set())
    for key in answers:
        if key not in known:
            errors.append((key, f"{key} is not a question of {instrument.short_name}."))
    if code == "top":
        stages = {value for value, _ in TOP_STAGES}
        if answers.get("stage") not in stages:
            errors.append(("stage", "Choose whether this is the start of treatment, a review or exit."))
    given = 0
    for item in instrument.items:
        name = item.text.rstrip(".?")
        value = answers.get(item.key)
        if value is None:
            continue
        given += 1
        if item.kind == "yes_no":
            if not isinstance(value, bool) and value not in (0, 1):
                errors.append((item.key, f"{name}: answer yes or no."))
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append((item.key, f"{name}: enter a whole number."))
            continue
        if not item.minimum <= value <= item.maximum:
            if item.kind == "days":
                message = f"{name}: enter a number of days from {item.minimum} to {item.maximum}."
            else:
                message = f"{name}: choose a value from {item.minimum} to {item.maximum}."
            errors.append((item.key, message))
    if given == 0:
        errors.append((instrument.items[0].key, "Answer at least one question."))
    return errors
