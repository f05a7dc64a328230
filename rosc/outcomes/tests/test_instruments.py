"""Scoring BARC-10, ONS4 and TOP exactly as INSTRUMENTS.md defines them, missing answers included."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rosc.outcomes.instruments import (
    BARC10,
    INSTRUMENTS,
    ONS4,
    TOP,
    ons_band,
    score,
    score_barc10,
    score_ons4,
    score_top,
    validate,
)


def barc(*values):
    return {f"q{i}": v for i, v in enumerate(values, start=1)}


# --- BARC-10 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total", "at_or_above_47"),
    [
        (barc(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 10, False),
        (barc(6, 6, 6, 6, 6, 6, 6, 6, 6, 6), 60, True),
        (barc(5, 5, 5, 5, 5, 5, 5, 4, 4, 3), 46, False),  # 7*5 + 4 + 4 + 3 = 46
        (barc(5, 5, 5, 5, 5, 5, 5, 4, 4, 4), 47, True),  # the cut-off itself: 35 + 12 = 47
        (barc(6, 5, 4, 3, 2, 1, 2, 3, 4, 5), 35, False),  # no reverse-keyed items: a plain sum
        (barc(6, 6, 6, 6, 6, 6, 6, 6, 6, 1), 55, True),
    ],
)
def test_barc10_total_is_the_plain_sum_and_47_is_the_cut_off(answers, total, at_or_above_47):
    result = score_barc10(answers)
    assert result.total == total
    assert result.answered == 10
    assert result.missing == ()
    assert result.at_or_above_47 is at_or_above_47


@pytest.mark.parametrize(
    ("answers", "answered", "missing"),
    [
        (barc(6, 6, 6, 6, 6, 6, 6, 6, 6, None), 9, ("q10",)),
        ({"q1": 4, "q5": 2}, 2, ("q2", "q3", "q4", "q6", "q7", "q8", "q9", "q10")),
        ({}, 0, tuple(f"q{i}" for i in range(1, 11))),
        (barc(None, 6, 6, 6, 6, None, 6, 6, 6, 6), 8, ("q1", "q6")),
    ],
)
def test_barc10_is_not_totalled_when_any_item_is_missing(answers, answered, missing):
    result = score_barc10(answers)
    assert result.total is None
    assert result.at_or_above_47 is None
    assert result.answered == answered
    assert result.missing == missing
    assert result.remission_wording == ""


def test_barc10_wording_for_47_or_more_is_associated_with_sustained_remission():
    assert score_barc10(barc(5, 5, 5, 5, 5, 5, 5, 4, 4, 4)).remission_wording == "associated with sustained remission"
    assert score_barc10(barc(5, 5, 5, 5, 5, 5, 5, 4, 4, 3)).remission_wording == ""


def test_barc10_scores_as_json_have_no_bands():
    data = score("barc10", barc(5, 5, 5, 5, 5, 5, 5, 4, 4, 4))
    assert data == {"total": 47, "answered": 10, "missing": [], "at_or_above_47": True}
    assert not {"band", "level", "low", "medium", "high"} & set(data)


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=10, max_size=10))
def test_a_complete_barc10_total_stays_between_10_and_60(values):
    result = score_barc10(barc(*values))
    assert result.total == sum(values)
    assert 10 <= result.total <= 60


# --- ONS4 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "low"),
        (4, "low"),
        (5, "medium"),
        (6, "medium"),
        (7, "high"),
        (8, "high"),
        (9, "very high"),
        (10, "very high"),
    ],
)
@pytest.mark.parametrize("key", ["life_satisfaction", "worthwhile", "happiness"])
def test_ons4_positive_questions_use_the_ons_bands_at_edges_4_5_6_7_8_9(key, value, band):
    assert ons_band(key, value) == band


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "very low"), (1, "very low"), (2, "low"), (3, "low"), (4, "medium"), (5, "medium"), (6, "high"), (10, "high")],
)
def test_ons4_anxiety_uses_its_own_bands_at_edges_1_2_3_4_5_6(value, band):
    assert ons_band("anxiety", value) == band


def test_ons4_reports_four_separate_scores_and_never_a_sum():
    result = score("ons4", {"life_satisfaction": 7, "worthwhile": 8, "happiness": 4, "anxiety": 6})
    assert result == {
        "life_satisfaction": {"score": 7, "band": "high"},
        "worthwhile": {"score": 8, "band": "high"},
        "happiness": {"score": 4, "band": "low"},
        "anxiety": {"score": 6, "band": "high"},
        "missing": [],
    }
    assert "total" not in result


def test_ons4_a_missing_answer_has_no_score_and_no_band_and_the_others_stand():
    result = score_ons4({"life_satisfaction": 9, "happiness": 5, "anxiety": 1})
    assert result.worthwhile.score is None
    assert result.worthwhile.band is None
    assert result.life_satisfaction.band == "very high"
    assert result.happiness.band == "medium"
    assert result.anxiety.band == "very low"
    assert result.missing == ("worthwhile",)


def test_ons4_zero_is_an_answer_not_a_missing_one():
    result = score_ons4({"life_satisfaction": 0, "worthwhile": 0, "happiness": 0, "anxiety": 0})
    assert result.missing == ()
    assert result.life_satisfaction.score == 0
    assert result.anxiety.band == "very low"


# --- TOP -------------------------------------------------------------------------------


def test_top_keeps_its_sections_as_recorded_with_no_total():
    answers = {
        "stage": "start",
        "alcohol_days": 20,
        "alcohol_units": 12,
        "opiates_days": 0,
        "crack_days": 3,
        "injected_days": 0,
        "shared_equipment": False,
        "shoplifting_days": 2,
        "assault": True,
        "psychological_health": 8,
        "physical_health": 11,
        "quality_of_life": 7,
        "paid_work_days": 0,
        "acute_housing_problem": True,
    }
    result = score("top", answers)
    assert result["stage"] == "start"
    assert set(result) == {"stage", "sections", "missing"}
    assert result["sections"]["substance_use"]["alcohol_days"] == 20
    assert result["sections"]["substance_use"]["alcohol_units"] == 12
    assert result["sections"]["substance_use"]["cannabis_days"] is None
    assert result["sections"]["injecting"] == {"injected_days": 0, "shared_equipment": False}
    assert result["sections"]["crime"]["assault"] is True
    assert result["sections"]["crime"]["fraud"] is None
    assert result["sections"]["health"]["psychological_health"] == 8
    assert result["sections"]["health"]["acute_housing_problem"] is True
    # Required questions left blank are listed; optional ones (units, other substance) are not.
    assert "cannabis_days" in result["missing"]
    assert "fraud" in result["missing"]
    assert "alcohol_units" not in result["missing"]
    assert "other_days" not in result["missing"]
    assert "total" not in result
    assert "total" not in result["sections"]["health"]


def test_top_yes_no_answers_given_as_numbers_become_yes_or_no():
    result = score_top({"stage": "exit", "risk_of_eviction": 1, "other_theft": 0})
    assert result.sections["health"]["risk_of_eviction"] is True
    assert result.sections["crime"]["other_theft"] is False
    assert result.stage == "exit"


def test_top_covers_every_section_of_the_national_form():
    sections = {item.section for item in TOP.items}
    assert sections == {"substance_use", "injecting", "crime", "health"}
    ratings = [item for item in TOP.items if item.kind == "rating"]
    assert [(i.key, i.minimum, i.maximum) for i in ratings] == [
        ("psychological_health", 0, 20),
        ("physical_health", 0, 20),
        ("quality_of_life", 0, 20),
    ]
    assert all(item.maximum == 28 for item in TOP.items if item.kind == "days")


# --- Definitions and validation ------------------------------------------------------------


def test_each_instrument_carries_its_source_version_and_licence():
    assert set(INSTRUMENTS) == {"barc10", "ons4", "top"}
    for instrument in INSTRUMENTS.values():
        assert instrument.source
        assert instrument.version
        assert instrument.licence
        assert instrument.rhythm
    assert "Vilsaint" in BARC10.source
    assert "PhenX" in BARC10.licence
    assert "Open Government Licence" in ONS4.licence
    assert len(BARC10.items) == 10
    assert all((i.minimum, i.maximum) == (1, 6) for i in BARC10.items)
    assert [i.key for i in ONS4.items] == ["life_satisfaction", "worthwhile", "happiness", "anxiety"]


@pytest.mark.parametrize(
    ("code", "answers", "expected"),
    [
        (
            "barc10",
            {"q1": 7},
            [
                (
                    "q1",
                    "There are more important things to me in life than using substances: choose a value from 1 to 6.",
                )
            ],
        ),
        (
            "barc10",
            {"q1": 0},
            [
                (
                    "q1",
                    "There are more important things to me in life than using substances: choose a value from 1 to 6.",
                )
            ],
        ),
        (
            "ons4",
            {"anxiety": 11},
            [("anxiety", "Overall, how anxious did you feel yesterday: choose a value from 0 to 10.")],
        ),
        ("ons4", {"anxiety": "3"}, [("anxiety", "Overall, how anxious did you feel yesterday: enter a whole number.")]),
        ("ons4", {}, [("life_satisfaction", "Answer at least one question.")]),
        ("ons4", {"mood": 3, "anxiety": 2}, [("mood", "mood is not a question of ONS4.")]),
        (
            "top",
            {"stage": "start", "alcohol_days": 29},
            [("alcohol_days", "Days used alcohol: enter a number of days from 0 to 28.")],
        ),
        ("top", {"alcohol_days": 3}, [("stage", "Choose whether this is the start of treatment, a review or exit.")]),
        (
            "top",
            {"stage": "review", "fraud": 2},
            [("fraud", "Fraud, forgery or handling stolen goods: answer yes or no.")],
        ),
        ("nope", {}, [("instrument", "Choose an outcome measure.")]),
    ],
)
def test_validate_gives_plain_english_messages(code, answers, expected):
    assert validate(code, answers) == expected


def test_validate_accepts_a_partly_answered_barc10():
    assert validate("barc10", {"q1": 6, "q2": 1}) == []
