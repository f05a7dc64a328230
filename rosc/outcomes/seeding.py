"""Essex demo data for outcome measures, run by ``manage.py seed_demo_areas``.

Illustrative only: BARC-10, ONS4 and TOP results over the last few months for
the shared record's demo people supported by Mid Essex Drug and Alcohol
Service (Sam, Aisha and Chris), so that Sam's progress charts have lines.
Three people is below the small-number threshold, so the service page shows
its suppression ("fewer than 5") in the demo.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.management.commands.seed_demo import demo_email
from rosc.core.models import Organisation, User
from rosc.outcomes.instruments import INSTRUMENTS, score
from rosc.outcomes.models import Measurement, Via
from rosc.record.models import Person

MID_ESSEX = "Mid Essex Drug and Alcohol Service"


def _barc(*values: int) -> dict[str, int]:
    return {f"q{i}": v for i, v in enumerate(values, start=1)}


def _ons(life: int, worthwhile: int, happy: int, anxious: int) -> dict[str, int]:
    return {"life_satisfaction": life, "worthwhile": worthwhile, "happiness": happy, "anxiety": anxious}


# (days ago, instrument, answers, via)
SAM: list[tuple[int, str, dict[str, Any], str]] = [
    (105, "barc10", _barc(4, 3, 2, 3, 2, 3, 3, 4, 3, 3), Via.PRACTITIONER),  # 30
    (105, "ons4", _ons(3, 4, 3, 8), Via.PRACTITIONER),
    (
        105,
        "top",
        {
            "stage": "start",
            "alcohol_days": 18,
            "alcohol_units": 14,
            "opiates_days": 0,
            "crack_days": 2,
            "cocaine_days": 6,
            "amphetamines_days": 0,
            "cannabis_days": 10,
            "injected_days": 0,
            "shared_equipment": False,
            "shoplifting_days": 0,
            "selling_drugs_days": 0,
            "other_theft": False,
            "fraud": False,
            "assault": False,
            "psychological_health": 7,
            "physical_health": 9,
            "quality_of_life": 6,
            "paid_work_days": 0,
            "education_days": 0,
            "acute_housing_problem": False,
            "risk_of_eviction": True,
        },
        Via.PRACTITIONER,
    ),
    (75, "barc10", _barc(5, 4, 3, 3, 3, 4, 3, 5, 4, 4), Via.PRACTITIONER),  # 38
    (75, "ons4", _ons(5, 5, 5, 6), Via.PRACTITIONER),
    (45, "barc10", _barc(5, 4, 4, 4, 4, 5, 4, 5, 4, 4), Via.SELF),  # 43
    (45, "ons4", _ons(6, 7, 6, 5), Via.SELF),
    (
        15,
        "top",
        {
            "stage": "review",
            "alcohol_days": 3,
            "alcohol_units": 4,
            "opiates_days": 0,
            "crack_days": 0,
            "cocaine_days": 0,
            "amphetamines_days": 0,
            "cannabis_days": 2,
            "injected_days": 0,
            "shared_equipment": False,
            "shoplifting_days": 0,
            "selling_drugs_days": 0,
            "other_theft": False,
            "fraud": False,
            "assault": False,
            "psychological_health": 13,
            "physical_health": 14,
            "quality_of_life": 14,
            "paid_work_days": 6,
            "education_days": 4,
            "acute_housing_problem": False,
            "risk_of_eviction": False,
        },
        Via.PRACTITIONER,
    ),
    (14, "barc10", _barc(6, 5, 4, 4, 5, 5, 5, 5, 5, 5), Via.PRACTITIONER),  # 49: 47 or more
    (14, "ons4", _ons(7, 8, 7, 3), Via.PRACTITIONER),
]
OTHERS: dict[str, list[tuple[int, str, dict[str, Any], str]]] = {
    "Aisha Khan": [
        (300, "barc10", _barc(3, 3, 3, 2, 3, 3, 3, 4, 3, 3), Via.PRACTITIONER),
        (120, "barc10", _barc(4, 4, 4, 3, 3, 4, 4, 5, 4, 4), Via.PRACTITIONER),
        (20, "barc10", _barc(5, 4, 4, 4, 4, 4, 4, 5, 5, 5), Via.PRACTITIONER),
        (20, "ons4", _ons(6, 6, 5, 5), Via.PRACTITIONER),
    ],
    "Chris Hughes": [
        (65, "barc10", _barc(3, 2, 2, 2, 2, 3, 2, 4, 3, 3), Via.PRACTITIONER),
        (65, "ons4", _ons(2, 3, 2, 9), Via.PRACTITIONER),
        (10, "barc10", _barc(4, 3, 3, 2, 3, 3, 3, 4, 3, 4), Via.PRACTITIONER),
        (10, "ons4", _ons(4, 4, 4, 7), Via.PRACTITIONER),
    ],
}


def seed_demo(stdout: Any) -> None:
    """Load the illustrative demo data of this area (safe to run again)."""
    people = {
        p.full_name: p for p in Person.objects.filter(is_illustrative=True, full_name__in=["Sam Taylor", *OTHERS])
    }
    sam = people.get("Sam Taylor")
    if sam is None:
        stdout.write("Outcome measures demo: skipped (run the shared record demo first).")
        return
    if Measurement.objects.filter(person=sam).exists():
        stdout.write("Outcome measures demo: already loaded.")
        return
    organisation = Organisation.objects.filter(name=MID_ESSEX).first()
    priya = User.objects.filter(email=demo_email("practitioner")).first()
    now = timezone.now()
    plan = [(sam, row) for row in SAM] + [
        (people[name], row) for name, rows in OTHERS.items() if name in people for row in rows
    ]
    with transaction.atomic():
        rows = []
        for index, (person, (days, code, answers, via)) in enumerate(plan, start=1):
            rows.append(
                Measurement(
                    instrument=code,
                    version=INSTRUMENTS[code].version,
                    person=person,
                    answers=answers,
                    scores=score(code, answers),
                    stage=str(answers.get("stage", "")),
                    taken_at=now - timedelta(days=days, hours=index % 5),
                    recorded_by=priya if via == Via.PRACTITIONER else person.account,
                    organisation=organisation if via == Via.PRACTITIONER else None,
                    via=via,
                )
            )
            if index % 10 == 0:
                stdout.write(f"Outcome measures demo: {index} of {len(plan)} measurements prepared.")
        Measurement.objects.bulk_create(rows)
        audit_write(
            actor=None,
            action="outcomes.demo_loaded",
            purpose="illustrative demo data",
            details={"measurements": len(rows)},
        )
    stdout.write(f"Outcome measures demo: {len(rows)} illustrative measurements for {len(people)} people.")
