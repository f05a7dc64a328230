"""Every early-warning rule, on both sides of its threshold (pure, no database)."""

import pytest

from rosc.continuing import rules

CALM = {
    "alcohol_days": 0,
    "heavy_drinking_days": 0,
    "drug_days": 0,
    "cravings": 1,
    "confidence": 3,
    "risky_days": 0,
    "conflict_days": 0,
    "support_days": 3,
    "wants_contact": False,
}


def codes(answers=None, earlier=(), **kwargs):
    return {f.code for f in rules.evaluate({**CALM, **(answers or {})}, list(earlier), **kwargs)}


def test_calm_answers_raise_nothing():
    assert codes(earlier=[CALM, CALM]) == set()


@pytest.mark.parametrize(
    ("answers", "earlier", "expected"),
    [
        ({"drug_days": 1}, [CALM, CALM], True),  # use after two clean check-ins
        ({"alcohol_days": 3}, [CALM, CALM, CALM], True),
        ({"heavy_drinking_days": 1}, [CALM, CALM], True),
        ({"drug_days": 1}, [CALM], False),  # only one clean check-in before: below the threshold
        ({"drug_days": 1}, [CALM, {**CALM, "drug_days": 1}], False),  # not a clean period
        ({"drug_days": 1}, [{**CALM, "drug_days": 1}, CALM], False),
        ({"drug_days": 0}, [CALM, CALM], False),
    ],
)
def test_use_after_abstinence(answers, earlier, expected):
    assert ("use_after_abstinence" in codes(answers, earlier)) is expected


def test_use_after_abstinence_threshold_is_configurable():
    overrides = {"use_after_abstinence": {"clean_check_ins": 1}}
    assert "use_after_abstinence" in codes({"drug_days": 1}, [CALM], overrides=overrides)
    overrides = {"use_after_abstinence": {"clean_check_ins": 3}}
    assert "use_after_abstinence" not in codes({"drug_days": 1}, [CALM, CALM], overrides=overrides)


@pytest.mark.parametrize(
    ("cravings", "confidence", "expected"),
    [(3, 1, True), (4, 0, True), (2, 1, False), (3, 2, False), (4, 4, False)],
)
def test_strong_cravings_with_low_confidence(cravings, confidence, expected):
    assert ("cravings_low_confidence" in codes({"cravings": cravings, "confidence": confidence})) is expected


@pytest.mark.parametrize(("days", "expected"), [(0, False), (1, False), (3, True), (5, True)])
def test_risky_situations(days, expected):
    assert ("risky_situations" in codes({"risky_days": days})) is expected


@pytest.mark.parametrize(("days", "expected"), [(0, False), (1, False), (3, True), (5, True)])
def test_family_conflict(days, expected):
    assert ("family_conflict" in codes({"conflict_days": days})) is expected


def test_family_conflict_threshold_is_configurable():
    assert "family_conflict" in codes({"conflict_days": 1}, overrides={"family_conflict": {"days_at_least": 1}})


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [(0, 1, True), (0, 5, True), (0, 0, False), (1, 3, False), (None, None, False)],
)
def test_loss_of_support(now, before, expected):
    earlier = [] if before is None else [{**CALM, "support_days": before}]
    answers = {} if now is None else {"support_days": now}
    assert ("loss_of_support" in codes(answers, earlier)) is expected


@pytest.mark.parametrize(("wants", "expected"), [(True, True), (False, False)])
def test_contact_me(wants, expected):
    assert ("contact_me" in codes({"wants_contact": wants})) is expected


@pytest.mark.parametrize(("wants", "expected"), [(True, True), (False, False), (None, False)])
def test_back_to_treatment(wants, expected):
    answers = {} if wants is None else {"wants_treatment": wants}
    assert ("back_to_treatment" in codes(answers)) is expected


def test_help_now_is_urgent_and_needs_no_answers():
    findings = rules.evaluate({}, help_now=True)
    assert [(f.code, f.severity) for f in findings] == [("help_now", rules.URGENT)]
    assert rules.evaluate({}) == []


@pytest.mark.parametrize(("missed", "expected"), [(1, False), (2, True), (3, False), (0, False)])
def test_two_missed_in_a_row_alert_once_when_the_run_reaches_two(missed, expected):
    assert bool(rules.evaluate_missed(missed)) is expected


def test_missed_threshold_is_configurable_and_zero_turns_it_off():
    assert rules.evaluate_missed(3, overrides={"missed_in_a_row": {"missed": 3}})
    assert not rules.evaluate_missed(2, overrides={"missed_in_a_row": {"missed": 0}})


def test_every_rule_has_a_code_description_and_known_severity():
    assert len({r.code for r in rules.RULES}) == len(rules.RULES)
    for rule in rules.RULES:
        assert rule.description.endswith(".")
        assert rule.severity in rules.SEVERITIES
        assert set(rule.parameters) == set(rule.parameter_labels)


def test_parameters_fill_defaults_and_ignore_unknown_names():
    merged = rules.parameters({"risky_situations": {"days_at_least": 5, "nonsense": 9}})
    assert merged["risky_situations"] == {"days_at_least": 5}
    assert merged["cravings_low_confidence"] == {"cravings_at_least": 3, "confidence_at_most": 1}
