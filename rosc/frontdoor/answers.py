"""The front door's questions: the choices people pick from, and their answers as plain data.

Pure Python: no Django. The question pages (``forms.py``) offer these
choices; the answers live in the session as a plain dict (``Answers.to_dict``)
and are read back through ``Answers.from_dict``, which keeps only values it
knows, so an odd or stale session can never break a page.

Nothing here identifies anyone: a place is kept as a postcode district or a
town, never a full postcode.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

WHO = {
    "me": "Me",
    "someone": "Someone I care about",
    "professional": "Someone I work with (I am a professional)",
}
RELATIONSHIPS = {
    "parent": "I am their parent",
    "partner": "I am their partner",
    "child": "I am their son or daughter",
    "sibling": "I am their brother or sister",
    "friend": "I am their friend",
    "other": "Something else",
}
# How a pathway speaks of the person who needs help, by relationship.
RELATIVE_NAMES = {
    "parent": "your son or daughter",
    "partner": "your partner",
    "child": "your parent",
    "sibling": "your brother or sister",
    "friend": "your friend",
    "other": "the person you care about",
}
AGES = {
    "under-18": "Under 18",
    "18-25": "18 to 25",
    "26-49": "26 to 49",
    "50-plus": "50 or over",
}
AGE_RANGES = {"under-18": (10, 17), "18-25": (18, 25), "26-49": (26, 49), "50-plus": (50, 120)}
# Taxonomy need codes (rosc.directory.taxonomy), in the order people are asked.
SUBSTANCES = {
    "alcohol": "Alcohol",
    "opiates": "Heroin or other opioids, like strong painkillers",
    "crack-cocaine": "Crack cocaine",
    "cocaine": "Cocaine powder",
    "cannabis": "Cannabis, like weed or skunk",
    "benzodiazepines": "Benzodiazepines, like diazepam or street valium",
    "medicines": "Medicines from a doctor or a chemist, like painkillers or sleeping tablets",
    "ketamine": "Ketamine",
    "amphetamines": "Speed, meth or other stimulants",
    "new-psychoactive-substances": "Spice or other 'legal highs'",
    "chemsex": "Drugs used during sex (chemsex)",
}
# The words a pathway uses for each substance, inside a sentence.
SUBSTANCE_WORDS = {
    "alcohol": "alcohol",
    "opiates": "heroin and other opioids",
    "crack-cocaine": "crack cocaine",
    "cocaine": "cocaine",
    "cannabis": "cannabis",
    "benzodiazepines": "benzodiazepines",
    "medicines": "prescription and over-the-counter medicines",
    "ketamine": "ketamine",
    "amphetamines": "speed and other stimulants",
    "new-psychoactive-substances": "spice and other 'legal highs'",
    "chemsex": "chemsex drugs",
}
DANGERS = {
    "overdose": "Someone has taken too much (an overdose) or is hard to wake",
    "suicide": "Someone is thinking about ending their life or hurting themselves",
    "harm": "Someone is at risk of being hurt by another person, including a child",
}
URGENCY = {
    "today": "Today",
    "days": "In the next few days",
    "weeks": "In the next few weeks",
    "looking": "I am just finding out what help there is",
}
URGENT = frozenset({"today", "days"})
OTHER_NEEDS = {
    "mental-health": "Mental health, like feeling very low, anxious or not coping",
    "housing": "Housing, like having nowhere safe to live",
    "money-work": "Money, work or training",
    "family-children": "Family and children, like being a parent or carer",
    "legal": "The police, courts or probation",
    "physical-health": "Physical health",
    "pregnancy": "Being pregnant or having a new baby",
    "student": "Studying at college or university",
    "veteran": "Having served in the armed forces",
}
MODES = {"in_person": "In person", "online": "Online, by video", "phone": "By phone"}
GENDERS = {"woman": "A woman", "man": "A man", "any": "No preference"}
LANGUAGES = {
    "pl": "Polish",
    "ro": "Romanian",
    "lt": "Lithuanian",
    "pt": "Portuguese",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ar": "Arabic",
    "ur": "Urdu",
    "bn": "Bengali",
    "pa": "Punjabi",
    "bfi": "British Sign Language",
    "other": "Another language",
}
PLACE_LABEL_MAX = 60


def _text(value: Any, choices: Mapping[str, str]) -> str:
    return value if isinstance(value, str) and value in choices else ""


def _codes(value: Any, choices: Mapping[str, str]) -> tuple[str, ...]:
    """Known codes only, in the order the choices are listed, without repeats."""
    if not isinstance(value, list | tuple):
        return ()
    given = {item for item in value if isinstance(item, str)}
    return tuple(code for code in choices if code in given)


def _coordinate(value: Any, limit: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    if not math.isfinite(number) or abs(number) > limit:
        return None
    return number


@dataclass(frozen=True)
class Answers:
    """What someone told the front door. Every answer may be missing (skipped)."""

    who: str = ""
    relationship: str = ""
    age: str = ""
    substances: tuple[str, ...] = ()
    danger: tuple[str, ...] = ()
    urgency: str = ""
    other_needs: tuple[str, ...] = ()
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None
    online_ok: bool = False
    modes: tuple[str, ...] = ()
    evenings_weekends: bool = False
    worker_gender: str = ""
    language: str = ""
    lived_experience: bool = False

    @classmethod
    def from_dict(cls, data: Any) -> Answers:
        """Read answers back from the session or the database, keeping only known values."""
        if not isinstance(data, Mapping):
            return cls()
        latitude = _coordinate(data.get("latitude"), 90)
        longitude = _coordinate(data.get("longitude"), 180)
        place = data.get("place") if isinstance(data.get("place"), str) else ""
        if latitude is None or longitude is None:
            latitude = longitude = None
            place = ""
        who = _text(data.get("who"), WHO)
        return cls(
            who=who,
            relationship=_text(data.get("relationship"), RELATIONSHIPS) if who == "someone" else "",
            age=_text(data.get("age"), AGES),
            substances=_codes(data.get("substances"), SUBSTANCES),
            danger=_codes(data.get("danger"), DANGERS),
            urgency=_text(data.get("urgency"), URGENCY),
            other_needs=_codes(data.get("other_needs"), OTHER_NEEDS),
            place=" ".join(str(place).split())[:PLACE_LABEL_MAX],
            latitude=latitude,
            longitude=longitude,
            online_ok=data.get("online_ok") is True,
            modes=_codes(data.get("modes"), MODES),
            evenings_weekends=data.get("evenings_weekends") is True,
            worker_gender=_text(data.get("worker_gender"), GENDERS),
            language=_text(data.get("language"), LANGUAGES),
            lived_experience=data.get("lived_experience") is True,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (lists, not tuples), for the session and the database."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        return data

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def in_danger(self) -> bool:
        return bool(self.danger)

    @property
    def is_family(self) -> bool:
        return self.who == "someone"

    @property
    def is_professional(self) -> bool:
        return self.who == "professional"

    @property
    def subject(self) -> str:
        """How a pathway speaks of the person who needs help."""
        if self.who == "someone":
            return RELATIVE_NAMES.get(self.relationship, "the person you care about")
        if self.who == "professional":
            return "the person you are helping"
        return "you"

    @property
    def is_urgent(self) -> bool:
        return self.urgency in URGENT


def choice_labels(codes: tuple[str, ...] | list[str], choices: Mapping[str, str]) -> list[str]:
    return [choices[code] for code in codes if code in choices]
