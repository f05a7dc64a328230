"""Early-warning rules: check-in answers in, alerts out. Pure Python, no Django.

Each rule has a code, a plain-English description, a severity and parameters. A service can change
the parameters (``ServiceSettings.rule_parameters``); anything it does not set takes the default
below. :func:`evaluate` is the whole decision and is tested rule by rule, on both sides of every
threshold (``rosc/continuing/tests/test_rules.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

URGENT = "urgent"
HIGH = "high"
ROUTINE = "routine"
SEVERITIES = (URGENT, HIGH, ROUTINE)
SEVERITY_LABELS = {URGENT: "Urgent", HIGH: "High", ROUTINE: "Routine"}

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Rule:
    code: str
    description: str
    severity: str
    parameters: dict[str, int] = field(default_factory=dict)
    parameter_labels: dict[str, str] = field(default_factory=dict)


RULES: tuple[Rule, ...] = (
    Rule("help_now", 'They pressed "I need help now" and were shown crisis routes.', URGENT),
    Rule(
        "use_after_abstinence",
        "Drinking or drug use after a period with none.",
        HIGH,
        {"clean_check_ins": 2},
        {"clean_check_ins": "Answered check-ins in a row with no use before this one"},
    ),
    Rule(
        "cravings_low_confidence",
        "Strong cravings with low confidence about staying on track.",
        HIGH,
        {"cravings_at_least": 3, "confidence_at_most": 1},
        {
            "cravings_at_least": "Cravings at least (0 not at all to 4 very much)",
            "confidence_at_most": "Confidence at most (0 not at all to 4 very much)",
        },
    ),
    Rule("contact_me", "They asked for someone to contact them.", HIGH),
    Rule(
        "risky_situations",
        "Days in risky situations or with people who put recovery at risk.",
        ROUTINE,
        {"days_at_least": 3},
        {"days_at_least": "Days at least (0, 1, 3 or 5)"},
    ),
    Rule(
        "family_conflict",
        "Serious arguments with family or friends.",
        ROUTINE,
        {"days_at_least": 3},
        {"days_at_least": "Days at least (0, 1, 3 or 5)"},
    ),
    Rule("loss_of_support", "No contact with supportive family or friends, after some at the last check-in.", ROUTINE),
    Rule(
        "missed_in_a_row",
        "Check-ins missed in a row.",
        ROUTINE,
        {"missed": 2},
        {"missed": "Missed check-ins in a row"},
    ),
    Rule("back_to_treatment", "At a recovery check-up they asked for help getting back into treatment.", ROUTINE),
)
BY_CODE = {rule.code: rule for rule in RULES}
USE_CODES = ("alcohol_days", "heavy_drinking_days", "drug_days")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    description: str


def parameters(overrides: Mapping[str, Mapping[str, int]] | None = None) -> dict[str, dict[str, int]]:
    """Every rule's parameters: the defaults, with a service's own values where it set them."""
    merged: dict[str, dict[str, int]] = {}
    for rule in RULES:
        own = dict((overrides or {}).get(rule.code, {}))
        merged[rule.code] = {name: int(own.get(name, default)) for name, default in rule.parameters.items()}
    return merged


def _used(answers: Answers) -> bool:
    return any(int(answers.get(code, 0) or 0) > 0 for code in USE_CODES)


def _finding(code: str) -> Finding:
    rule = BY_CODE[code]
    return Finding(rule.code, rule.severity, rule.description)


def evaluate(
    answers: Answers,
    earlier: Sequence[Answers] = (),
    *,
    help_now: bool = False,
    overrides: Mapping[str, Mapping[str, int]] | None = None,
) -> list[Finding]:
    """The alerts for one answered check-in.

    ``earlier`` holds the answers of the person's earlier answered check-ins, most recent first.
    """
    p = parameters(overrides)
    found: list[str] = []
    if help_now:
        found.append("help_now")
    if answers:
        clean = p["use_after_abstinence"]["clean_check_ins"]
        if _used(answers) and clean > 0 and len(earlier) >= clean and not any(_used(a) for a in earlier[:clean]):
            found.append("use_after_abstinence")
        c = p["cravings_low_confidence"]
        if (
            int(answers.get("cravings", 0)) >= c["cravings_at_least"]
            and int(answers.get("confidence", 4)) <= c["confidence_at_most"]
        ):
            found.append("cravings_low_confidence")
        if answers.get("wants_contact") is True:
            found.append("contact_me")
        if int(answers.get("risky_days", 0)) >= p["risky_situations"]["days_at_least"]:
            found.append("risky_situations")
        if int(answers.get("conflict_days", 0)) >= p["family_conflict"]["days_at_least"]:
            found.append("family_conflict")
        if earlier and int(answers.get("support_days", 0)) == 0 and int(earlier[0].get("support_days", 0)) > 0:
            found.append("loss_of_support")
        if answers.get("wants_treatment") is True:
            found.append("back_to_treatment")
    return [_finding(code) for code in found]


def evaluate_missed(missed_in_a_row: int, *, overrides: Mapping[str, Mapping[str, int]] | None = None) -> list[Finding]:
    """The alert for a run of missed check-ins (counted back from the latest, which was just missed)."""
    wanted = parameters(overrides)["missed_in_a_row"]["missed"]
    return [_finding("missed_in_a_row")] if wanted > 0 and missed_in_a_row == wanted else []
