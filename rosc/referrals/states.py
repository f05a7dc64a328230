"""How a referral moves from one service to another: the closed loop.

Pure rules, with no Django import, so they can be tested (and reasoned about) alone::

    sent ──receive──▶ received ──accept──▶ accepted ──wait_list──▶ waiting_list
      │                  │                    │  └──start──▶ in_progress ◀──start──┘
      │                  ├──decline──▶ declined ──reroute──▶ rerouted
      │                  └──reroute──▶ rerouted
      └── withdraw (by the sender) from any state that is still open ──▶ withdrawn
    accepted / waiting_list / in_progress ──complete (with an outcome)──▶ completed

* The receiving service receives, accepts, declines (with a reason), puts on the waiting list,
  starts and completes (with an outcome). The sender withdraws. Either side may re-route a
  declined referral to another service; the receiving service may also pass on a referral it has
  received without declining it first.
* ``completed``, ``withdrawn`` and ``rerouted`` are final; ``declined`` is final unless re-routed.
* Nothing skips a state: a referral is received before it is accepted or declined.

``transition`` answers the next state or raises :class:`IllegalTransition` with a message a
person can read.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    SENT = "sent"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WAITING_LIST = "waiting_list"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    REROUTED = "rerouted"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[State, str] = {
    State.SENT: "Sent",
    State.RECEIVED: "Received",
    State.ACCEPTED: "Accepted",
    State.DECLINED: "Declined",
    State.WAITING_LIST: "On the waiting list",
    State.IN_PROGRESS: "In progress",
    State.COMPLETED: "Completed",
    State.WITHDRAWN: "Withdrawn",
    State.REROUTED: "Passed to another service",
}


class Party(StrEnum):
    SENDER = "sender"
    RECEIVER = "receiver"


class Action(StrEnum):
    RECEIVE = "receive"
    ACCEPT = "accept"
    DECLINE = "decline"
    WAIT_LIST = "wait_list"
    START = "start"
    COMPLETE = "complete"
    WITHDRAW = "withdraw"
    REROUTE = "reroute"

    @property
    def past_tense(self) -> str:
        return PAST_TENSE[self]

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


PAST_TENSE: dict[Action, str] = {
    Action.RECEIVE: "received",
    Action.ACCEPT: "accepted",
    Action.DECLINE: "declined",
    Action.WAIT_LIST: "put on the waiting list",
    Action.START: "started",
    Action.COMPLETE: "completed",
    Action.WITHDRAW: "withdrawn",
    Action.REROUTE: "passed to another service",
}

# "Only ... can <this>."
INFINITIVE: dict[Action, str] = {
    Action.RECEIVE: "mark a referral as received",
    Action.ACCEPT: "accept a referral",
    Action.DECLINE: "decline a referral",
    Action.WAIT_LIST: "put a referral on the waiting list",
    Action.START: "start support for a referral",
    Action.COMPLETE: "complete a referral",
    Action.WITHDRAW: "withdraw a referral",
    Action.REROUTE: "pass this referral to another service now",
}

ACTION_LABELS: dict[Action, str] = {
    Action.RECEIVE: "Mark as received",
    Action.ACCEPT: "Accept",
    Action.DECLINE: "Decline",
    Action.WAIT_LIST: "Put on the waiting list",
    Action.START: "Start support",
    Action.COMPLETE: "Complete with an outcome",
    Action.WITHDRAW: "Withdraw",
    Action.REROUTE: "Pass to another service",
}


class Outcome(StrEnum):
    GOT_HELP = "got_help"
    COULD_NOT_CONTACT = "could_not_contact"
    NOT_ELIGIBLE = "not_eligible"
    NO_CAPACITY = "no_capacity"
    NO_LONGER_WANTED = "no_longer_wanted"
    OTHER = "other"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.GOT_HELP: "Got help",
    Outcome.COULD_NOT_CONTACT: "Could not contact",
    Outcome.NOT_ELIGIBLE: "Not eligible",
    Outcome.NO_CAPACITY: "No capacity",
    Outcome.NO_LONGER_WANTED: "No longer wanted",
    Outcome.OTHER: "Other",
}


class DeclineReason(StrEnum):
    NOT_ELIGIBLE = "not_eligible"
    NO_CAPACITY = "no_capacity"
    BETTER_ELSEWHERE = "better_elsewhere"
    PERSON_DECLINED = "person_declined"
    NOT_ENOUGH_INFORMATION = "not_enough_information"
    OTHER = "other"

    @property
    def label(self) -> str:
        return DECLINE_REASON_LABELS[self]


DECLINE_REASON_LABELS: dict[DeclineReason, str] = {
    DeclineReason.NOT_ELIGIBLE: "Not eligible for this service",
    DeclineReason.NO_CAPACITY: "No capacity",
    DeclineReason.BETTER_ELSEWHERE: "Another service would suit them better",
    DeclineReason.PERSON_DECLINED: "The person does not want this service",
    DeclineReason.NOT_ENOUGH_INFORMATION: "Not enough information to decide",
    DeclineReason.OTHER: "Another reason",
}

# Where each action may go from, where it leads, and which side may take it.
_RECEIVER = frozenset({Party.RECEIVER})
_SENDER = frozenset({Party.SENDER})
_EITHER = frozenset({Party.SENDER, Party.RECEIVER})

TRANSITIONS: dict[tuple[State, Action], tuple[State, frozenset[Party]]] = {
    (State.SENT, Action.RECEIVE): (State.RECEIVED, _RECEIVER),
    (State.RECEIVED, Action.ACCEPT): (State.ACCEPTED, _RECEIVER),
    (State.RECEIVED, Action.DECLINE): (State.DECLINED, _RECEIVER),
    (State.RECEIVED, Action.REROUTE): (State.REROUTED, _RECEIVER),
    (State.DECLINED, Action.REROUTE): (State.REROUTED, _EITHER),
    (State.ACCEPTED, Action.WAIT_LIST): (State.WAITING_LIST, _RECEIVER),
    (State.ACCEPTED, Action.START): (State.IN_PROGRESS, _RECEIVER),
    (State.WAITING_LIST, Action.START): (State.IN_PROGRESS, _RECEIVER),
    (State.ACCEPTED, Action.COMPLETE): (State.COMPLETED, _RECEIVER),
    (State.WAITING_LIST, Action.COMPLETE): (State.COMPLETED, _RECEIVER),
    (State.IN_PROGRESS, Action.COMPLETE): (State.COMPLETED, _RECEIVER),
    (State.SENT, Action.WITHDRAW): (State.WITHDRAWN, _SENDER),
    (State.RECEIVED, Action.WITHDRAW): (State.WITHDRAWN, _SENDER),
    (State.ACCEPTED, Action.WITHDRAW): (State.WITHDRAWN, _SENDER),
    (State.WAITING_LIST, Action.WITHDRAW): (State.WITHDRAWN, _SENDER),
    (State.IN_PROGRESS, Action.WITHDRAW): (State.WITHDRAWN, _SENDER),
}

FINAL = frozenset({State.COMPLETED, State.WITHDRAWN, State.REROUTED})
# Closed: nothing more will happen unless someone re-routes a declined referral.
CLOSED = FINAL | {State.DECLINED}
OPEN = frozenset(State) - CLOSED
# The receiving service has not answered yet: these count against the response deadline.
AWAITING_RESPONSE = frozenset({State.SENT, State.RECEIVED})

# Actions that need something more than a click.
NEEDS_REASON = frozenset({Action.DECLINE, Action.WITHDRAW})
NEEDS_OUTCOME = frozenset({Action.COMPLETE})
NEEDS_TARGET = frozenset({Action.REROUTE})


class IllegalTransition(Exception):
    """The change is not allowed from where the referral is; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _state(value: str | State) -> State:
    try:
        return State(value)
    except ValueError:
        raise IllegalTransition(f"{value!r} is not a referral status.") from None


def _action(value: str | Action) -> Action:
    try:
        return Action(value)
    except ValueError:
        raise IllegalTransition(f"{value!r} is not something that can be done to a referral.") from None


def _who_may(parties: frozenset[Party]) -> str:
    if parties == _EITHER:
        return "the sender or the receiving service"
    return "the receiving service" if Party.RECEIVER in parties else "the service that sent it"


def transition(state: str | State, action: str | Action, party: str | Party) -> State:
    """The state a referral moves to when ``party`` takes ``action``, or IllegalTransition."""
    current, wanted = _state(state), _action(action)
    try:
        side = Party(party)
    except ValueError:
        raise IllegalTransition(f"{party!r} is not a party to a referral.") from None
    found = TRANSITIONS.get((current, wanted))
    if found is None:
        raise IllegalTransition(_refusal(current, wanted))
    target, parties = found
    if side not in parties:
        raise IllegalTransition(f"Only {_who_may(parties)} can {INFINITIVE[wanted]}.")
    return target


def _refusal(current: State, wanted: Action) -> str:
    if current in FINAL:
        return (
            f"This referral is {current.label.lower()}, so nothing more can change. It cannot be {wanted.past_tense}."
        )
    if wanted == Action.RECEIVE:
        return "This referral has already been received."
    if wanted in (Action.ACCEPT, Action.DECLINE) and current == State.SENT:
        return f"A referral must be received before it can be {wanted.past_tense}."
    if wanted in (Action.ACCEPT, Action.DECLINE):
        return f"This referral has already been answered: it is {current.label.lower()}."
    if current == State.DECLINED:
        return f"This referral was declined, so it cannot be {wanted.past_tense}. It can be passed to another service."
    if wanted in (Action.WAIT_LIST, Action.START, Action.COMPLETE) and current in AWAITING_RESPONSE:
        return f"A referral must be accepted before it can be {wanted.past_tense}."
    if wanted == Action.REROUTE:
        return "A referral can be passed to another service only when it is received or declined."
    return f"A referral that is {current.label.lower()} cannot be {wanted.past_tense}."


def allowed_actions(state: str | State, party: str | Party) -> tuple[Action, ...]:
    """What ``party`` may do next, in the order the actions are listed above."""
    current, side = _state(state), Party(party)
    return tuple(
        action for (source, action), (_target, parties) in TRANSITIONS.items() if source == current and side in parties
    )


def is_open(state: str | State) -> bool:
    return _state(state) in OPEN


def is_awaiting_response(state: str | State) -> bool:
    return _state(state) in AWAITING_RESPONSE


def reachable_from(state: str | State) -> frozenset[State]:
    """Every state a referral in ``state`` could still reach (itself included)."""
    seen = {_state(state)}
    frontier = [_state(state)]
    while frontier:
        current = frontier.pop()
        for (source, _action_taken), (target, _parties) in TRANSITIONS.items():
            if source == current and target not in seen:
                seen.add(target)
                frontier.append(target)
    return frozenset(seen)
