"""How a Community Voice item moves from "you said" to "we did".

Pure rules, with no Django import, so they can be tested alone:

* a community request goes raised -> under consideration -> we will / we did / we cannot;
  "we will" can later become "we did" or "we cannot", and a "we will" can be updated (a new owner
  or due date) without changing status; "we did" and "we cannot" are final;
* research for review goes raised -> under consideration -> reviewed, and "reviewed" is final;
* every answer says who owns it, and "we will" and "we did" carry their dates.

``next_statuses`` says where an item may go; ``response_problems`` says what is missing from an
answer, as plain-English messages keyed by field name.
"""

from __future__ import annotations

from datetime import date

REQUEST = "request"
RESEARCH = "research"
KINDS = (REQUEST, RESEARCH)

RAISED = "raised"
UNDER_CONSIDERATION = "under_consideration"
WE_WILL = "we_will"
WE_DID = "we_did"
WE_CANNOT = "we_cannot"
REVIEWED = "reviewed"

REQUEST_STATUSES = (RAISED, UNDER_CONSIDERATION, WE_WILL, WE_DID, WE_CANNOT)
RESEARCH_STATUSES = (RAISED, UNDER_CONSIDERATION, REVIEWED)
ANSWERS = frozenset({WE_WILL, WE_DID, WE_CANNOT, REVIEWED})
FINAL = frozenset({WE_DID, WE_CANNOT, REVIEWED})

_NEXT: dict[tuple[str, str], tuple[str, ...]] = {
    (REQUEST, RAISED): (UNDER_CONSIDERATION,),
    (REQUEST, UNDER_CONSIDERATION): (WE_WILL, WE_DID, WE_CANNOT),
    (REQUEST, WE_WILL): (WE_WILL, WE_DID, WE_CANNOT),
    (REQUEST, WE_DID): (),
    (REQUEST, WE_CANNOT): (),
    (RESEARCH, RAISED): (UNDER_CONSIDERATION,),
    (RESEARCH, UNDER_CONSIDERATION): (REVIEWED,),
    (RESEARCH, REVIEWED): (),
}

RESPONSE_MAX = 2000
OWNER_MAX = 120


def statuses_for(kind: str) -> tuple[str, ...]:
    if kind not in KINDS:
        raise ValueError(f"Unknown kind {kind!r}.")
    return REQUEST_STATUSES if kind == REQUEST else RESEARCH_STATUSES


def next_statuses(kind: str, status: str) -> tuple[str, ...]:
    """Where an item of this kind may go from ``status`` (empty when it is final)."""
    try:
        return _NEXT[(kind, status)]
    except KeyError:
        raise ValueError(f"{status!r} is not a status of a {kind!r} item.") from None


def can_move(kind: str, status: str, to: str) -> bool:
    return (kind, status) in _NEXT and to in _NEXT[(kind, status)]


def answers_for(kind: str, status: str) -> tuple[str, ...]:
    """The answers (not "under consideration") the forum can give now."""
    return tuple(to for to in next_statuses(kind, status) if to in ANSWERS)


def response_problems(
    *,
    kind: str,
    status: str,
    to: str,
    response: str,
    owner: str,
    due_on: date | None,
    done_on: date | None,
    today: date,
) -> dict[str, str]:
    """What is wrong with an answer: field name -> message. Empty when it can be saved.

    The field ``status`` carries the problem when the move itself is not allowed.
    """
    if not can_move(kind, status, to):
        if not next_statuses(kind, status):
            return {"status": "This item already has its final answer, so it cannot be changed."}
        return {"status": "Choose one of the answers offered for this item."}
    problems: dict[str, str] = {}
    response, owner = response.strip(), owner.strip()
    if to in ANSWERS:
        if not response:
            problems["response"] = {
                WE_WILL: "Say what will be done.",
                WE_DID: "Say what was done.",
                WE_CANNOT: "Say why it cannot be done.",
                REVIEWED: "Say what the forum made of the research.",
            }[to]
        elif len(response) > RESPONSE_MAX:
            problems["response"] = f"The answer must be {RESPONSE_MAX:,} characters or fewer."
        if not owner:
            problems["owner"] = "Say who is responsible, for example a team or a role."
        elif len(owner) > OWNER_MAX:
            problems["owner"] = f"Who is responsible must be {OWNER_MAX} characters or fewer."
    if to == WE_WILL:
        if due_on is None:
            problems["due_on"] = "Enter the date it will be done by."
        elif due_on < today:
            problems["due_on"] = "The date it will be done by must be today or later."
    if to == WE_DID:
        if done_on is None:
            problems["done_on"] = "Enter the date it was done."
        elif done_on > today:
            problems["done_on"] = "The date it was done must be today or earlier."
    return problems


def is_overdue(status: str, due_on: date | None, today: date) -> bool:
    return status == WE_WILL and due_on is not None and due_on < today
