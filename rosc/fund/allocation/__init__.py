"""Recovery Fund allocation: the Method of Equal Shares, greedy by votes, and Pabulib files.

Pure Python with exact arithmetic; imports nothing from Django. See docs/adr/0014.
"""

from collections.abc import Callable

from rosc.fund.allocation.greedy import GREEDY_RULE, greedy
from rosc.fund.allocation.mes import COMPLETION_RULE, NO_COMPLETION, TIE_RULE, equal_shares
from rosc.fund.allocation.model import (
    DEFAULT_RULE,
    RULES,
    Allocation,
    BallotGroup,
    Comparison,
    CompletionStep,
    Election,
    Project,
    ProjectResult,
    Tie,
)
from rosc.fund.allocation.pabulib import PabulibElection, PabulibError, read_pb, write_pb


def allocate(
    election: Election,
    rule: str = DEFAULT_RULE,
    *,
    progress: Callable[[CompletionStep], None] | None = None,
) -> Allocation:
    """Run the named rule: "equal-shares-add1" (default), "equal-shares" or "greedy"."""
    if rule == "equal-shares-add1":
        return equal_shares(election, completion=True, progress=progress)
    if rule == "equal-shares":
        return equal_shares(election, completion=False)
    if rule == "greedy":
        return greedy(election)
    raise ValueError(f"Unknown rule {rule!r}: use one of {', '.join(RULES)}.")


__all__ = [
    "COMPLETION_RULE",
    "DEFAULT_RULE",
    "GREEDY_RULE",
    "NO_COMPLETION",
    "RULES",
    "TIE_RULE",
    "Allocation",
    "BallotGroup",
    "Comparison",
    "CompletionStep",
    "Election",
    "PabulibElection",
    "PabulibError",
    "Project",
    "ProjectResult",
    "Tie",
    "allocate",
    "equal_shares",
    "greedy",
    "read_pb",
    "write_pb",
]
