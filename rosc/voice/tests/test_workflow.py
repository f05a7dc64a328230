"""The status workflow of a Community Voice item, tested without a database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rosc.voice import workflow as w

TODAY = date(2026, 3, 27)
ALL = sorted({*w.REQUEST_STATUSES, *w.RESEARCH_STATUSES})


def answer(**overrides):
    values = {
        "kind": w.REQUEST,
        "status": w.UNDER_CONSIDERATION,
        "to": w.WE_WILL,
        "response": "Run an evening group from May.",
        "owner": "Harlow Recovery Space",
        "due_on": TODAY + timedelta(days=30),
        "done_on": None,
        "today": TODAY,
    }
    values.update(overrides)
    return w.response_problems(**values)


@given(kind=st.sampled_from(w.KINDS), moves=st.lists(st.sampled_from(ALL), max_size=12))
def test_an_item_never_skips_a_state_and_never_leaves_a_final_one(kind, moves):
    status, path = w.RAISED, [w.RAISED]
    for to in moves:
        if w.can_move(kind, status, to):
            assert status not in w.FINAL
            status = to
            if path[-1] != to:
                path.append(to)
    assert all(s in w.statuses_for(kind) for s in path)
    if len(path) > 1:
        assert path[1] == w.UNDER_CONSIDERATION, f"{path} skipped 'under consideration'"
    if path[-1] in w.FINAL:
        assert not w.next_statuses(kind, path[-1])


def test_a_request_is_answered_with_we_will_we_did_or_we_cannot():
    assert w.next_statuses(w.REQUEST, w.RAISED) == (w.UNDER_CONSIDERATION,)
    assert set(w.answers_for(w.REQUEST, w.UNDER_CONSIDERATION)) == {w.WE_WILL, w.WE_DID, w.WE_CANNOT}
    assert set(w.next_statuses(w.REQUEST, w.WE_WILL)) == {w.WE_WILL, w.WE_DID, w.WE_CANNOT}
    assert not w.can_move(w.REQUEST, w.UNDER_CONSIDERATION, w.REVIEWED)


def test_research_is_reviewed_not_done():
    assert w.answers_for(w.RESEARCH, w.UNDER_CONSIDERATION) == (w.REVIEWED,)
    assert not w.can_move(w.RESEARCH, w.UNDER_CONSIDERATION, w.WE_DID)


def test_an_unknown_status_or_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="is not a status of a 'research' item"):
        w.next_statuses(w.RESEARCH, w.WE_DID)
    with pytest.raises(ValueError, match="Unknown kind"):
        w.statuses_for("petition")


def test_a_complete_we_will_answer_has_no_problems():
    assert answer() == {}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"response": "  "}, "response", "Say what will be done."),
        ({"to": w.WE_DID, "response": "", "done_on": TODAY}, "response", "Say what was done."),
        ({"to": w.WE_CANNOT, "response": ""}, "response", "Say why it cannot be done."),
        ({"owner": ""}, "owner", "Say who is responsible, for example a team or a role."),
        ({"due_on": None}, "due_on", "Enter the date it will be done by."),
        ({"due_on": TODAY - timedelta(days=1)}, "due_on", "The date it will be done by must be today or later."),
        ({"to": w.WE_DID, "done_on": None}, "done_on", "Enter the date it was done."),
        (
            {"to": w.WE_DID, "done_on": TODAY + timedelta(days=1)},
            "done_on",
            "The date it was done must be today or earlier.",
        ),
        ({"response": "x" * (w.RESPONSE_MAX + 1)}, "response", "The answer must be 2,000 characters or fewer."),
        ({"status": w.RAISED}, "status", "Choose one of the answers offered for this item."),
        ({"status": w.WE_DID}, "status", "This item already has its final answer, so it cannot be changed."),
    ],
)
def test_it_says_what_is_missing_from_an_answer(overrides, field, message):
    assert answer(**overrides)[field] == message


def test_taking_an_item_into_consideration_needs_no_answer():
    assert answer(status=w.RAISED, to=w.UNDER_CONSIDERATION, response="", owner="", due_on=None) == {}


def test_only_a_we_will_past_its_date_is_overdue():
    yesterday = TODAY - timedelta(days=1)
    assert w.is_overdue(w.WE_WILL, yesterday, TODAY)
    assert not w.is_overdue(w.WE_WILL, TODAY, TODAY)
    assert not w.is_overdue(w.WE_DID, yesterday, TODAY)
    assert not w.is_overdue(w.WE_WILL, None, TODAY)
