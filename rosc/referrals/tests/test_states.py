"""The referral state machine, on its own: no database, no Django."""

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rosc.referrals import states
from rosc.referrals.states import (
    AWAITING_RESPONSE,
    FINAL,
    Action,
    IllegalTransition,
    Party,
    State,
    allowed_actions,
    transition,
)

HAPPY_PATH = [
    (Action.RECEIVE, Party.RECEIVER, State.RECEIVED),
    (Action.ACCEPT, Party.RECEIVER, State.ACCEPTED),
    (Action.WAIT_LIST, Party.RECEIVER, State.WAITING_LIST),
    (Action.START, Party.RECEIVER, State.IN_PROGRESS),
    (Action.COMPLETE, Party.RECEIVER, State.COMPLETED),
]


def test_a_referral_goes_round_the_whole_loop_to_completed():
    state = State.SENT
    for action, party, expected in HAPPY_PATH:
        state = transition(state, action, party)
        assert state == expected


def test_a_declined_referral_can_be_rerouted_by_either_side():
    declined = transition(transition(State.SENT, Action.RECEIVE, Party.RECEIVER), Action.DECLINE, Party.RECEIVER)
    assert declined == State.DECLINED
    assert transition(declined, Action.REROUTE, Party.RECEIVER) == State.REROUTED
    assert transition(declined, Action.REROUTE, Party.SENDER) == State.REROUTED


def test_the_receiving_service_can_pass_on_a_received_referral_but_the_sender_cannot():
    assert transition(State.RECEIVED, Action.REROUTE, Party.RECEIVER) == State.REROUTED
    with pytest.raises(IllegalTransition, match="Only the receiving service"):
        transition(State.RECEIVED, Action.REROUTE, Party.SENDER)


@pytest.mark.parametrize("state", [State.SENT, State.RECEIVED, State.ACCEPTED, State.WAITING_LIST, State.IN_PROGRESS])
def test_the_sender_can_withdraw_an_open_referral(state):
    assert transition(state, Action.WITHDRAW, Party.SENDER) == State.WITHDRAWN


def test_the_receiving_service_cannot_withdraw_and_the_sender_cannot_accept():
    with pytest.raises(IllegalTransition, match="Only the service that sent it can withdraw a referral"):
        transition(State.ACCEPTED, Action.WITHDRAW, Party.RECEIVER)
    with pytest.raises(IllegalTransition, match="Only the receiving service can accept a referral"):
        transition(State.RECEIVED, Action.ACCEPT, Party.SENDER)


def test_accepting_twice_is_refused_with_a_clear_message():
    with pytest.raises(IllegalTransition) as refused:
        transition(State.ACCEPTED, Action.ACCEPT, Party.RECEIVER)
    assert refused.value.message == "This referral has already been answered: it is accepted."


def test_a_referral_must_be_received_before_it_is_accepted():
    with pytest.raises(IllegalTransition, match="must be received before it can be accepted"):
        transition(State.SENT, Action.ACCEPT, Party.RECEIVER)


def test_a_referral_must_be_accepted_before_it_is_completed():
    with pytest.raises(IllegalTransition, match="must be accepted before it can be completed"):
        transition(State.RECEIVED, Action.COMPLETE, Party.RECEIVER)


@pytest.mark.parametrize("state", sorted(FINAL))
@pytest.mark.parametrize("action", list(Action))
def test_nothing_changes_a_final_referral(state, action):
    with pytest.raises(IllegalTransition, match="nothing more can change"):
        transition(state, action, Party.RECEIVER)
    with pytest.raises(IllegalTransition, match="nothing more can change"):
        transition(state, action, Party.SENDER)


def test_unknown_states_actions_and_parties_are_refused_plainly():
    with pytest.raises(IllegalTransition, match="is not a referral status"):
        transition("lost", Action.ACCEPT, Party.RECEIVER)
    with pytest.raises(IllegalTransition, match="is not something that can be done"):
        transition(State.SENT, "teleport", Party.RECEIVER)
    with pytest.raises(IllegalTransition, match="is not a party"):
        transition(State.SENT, Action.RECEIVE, "bystander")


def test_allowed_actions_lists_only_what_each_side_may_do():
    assert allowed_actions(State.RECEIVED, Party.RECEIVER) == (Action.ACCEPT, Action.DECLINE, Action.REROUTE)
    assert allowed_actions(State.RECEIVED, Party.SENDER) == (Action.WITHDRAW,)
    assert allowed_actions(State.COMPLETED, Party.RECEIVER) == ()
    assert allowed_actions(State.DECLINED, Party.SENDER) == (Action.REROUTE,)


def test_every_state_but_the_final_ones_can_still_reach_an_end():
    for state in State:
        if state in FINAL:
            assert states.reachable_from(state) == {state}
        else:
            assert states.reachable_from(state) & FINAL, f"{state} can never be closed"


def test_every_state_is_reachable_from_sent():
    assert states.reachable_from(State.SENT) == set(State)


def test_every_state_outcome_and_action_has_a_label():
    assert all(state.label for state in State)
    assert all(action.label and action.past_tense for action in Action)
    assert all(outcome.label for outcome in states.Outcome)
    assert all(reason.label for reason in states.DeclineReason)


# Order in which a referral passes through the states: a referral never skips one.
RANK = {
    State.SENT: 0,
    State.RECEIVED: 1,
    State.ACCEPTED: 2,
    State.DECLINED: 2,
    State.WAITING_LIST: 3,
    State.IN_PROGRESS: 4,
    State.COMPLETED: 5,
    State.WITHDRAWN: 5,
    State.REROUTED: 5,
}


@given(st.lists(st.tuples(st.sampled_from(list(Action)), st.sampled_from(list(Party))), max_size=30))
def test_any_sequence_of_attempts_only_moves_forwards_along_allowed_edges(attempts):
    state = State.SENT
    history = [state]
    for action, party in attempts:
        if action not in allowed_actions(state, party):
            with pytest.raises(IllegalTransition) as refused:
                transition(state, action, party)
            assert refused.value.message
            continue
        new_state = transition(state, action, party)
        assert RANK[new_state] > RANK[state], f"{state} -> {new_state} goes backwards"
        if new_state not in (State.WITHDRAWN, State.REROUTED, State.COMPLETED, State.IN_PROGRESS):
            assert RANK[new_state] == RANK[state] + 1, f"{state} -> {new_state} skips a state"
        state = new_state
        history.append(state)
    assert history[0] == State.SENT
    assert all(RANK[a] < RANK[b] for a, b in pairwise(history))
    # Still awaiting a response exactly when nothing but receipt has happened.
    assert (state in AWAITING_RESPONSE) == (set(history) <= {State.SENT, State.RECEIVED})


def test_the_database_choices_match_the_state_machine():
    from rosc.referrals import models

    assert {value for value, _label in models.State.choices} == {state.value for state in State}
    assert dict(models.State.choices) == {state.value: state.label for state in State}
    assert dict(models.Outcome.choices) == {outcome.value: outcome.label for outcome in states.Outcome}
    assert dict(models.DeclineReason.choices) == {reason.value: reason.label for reason in states.DeclineReason}
    transition_kinds = {value for value, _label in models.EventKind.choices}
    assert {action.value for action in Action} <= transition_kinds
