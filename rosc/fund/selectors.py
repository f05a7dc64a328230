"""Scoped reads for the Recovery Fund.

Rounds, proposals once reviewed, ideas, results and delivery updates are
public. A round being set up is seen only by the fund team; a proposal
waiting for review only by its proposer and reviewers. The voter roll is
read only for the signed-in voter's own entry. No read here joins a ballot
to a person: nothing can.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from rosc.core.models import User
from rosc.fund.models import (
    Ballot,
    DeliveryUpdate,
    Idea,
    Phase,
    Proposal,
    ProposalStatus,
    Round,
    RoundArea,
    RoundChange,
    RoundResult,
    VoterRoll,
)


def _can_manage(actor: User | None) -> bool:
    return bool(
        actor is not None and getattr(actor, "is_authenticated", False) and actor.has_perm("fund.manage_rounds")
    )


def _can_review(actor: User | None) -> bool:
    return bool(
        actor is not None and getattr(actor, "is_authenticated", False) and actor.has_perm("fund.review_proposals")
    )


# --- Rounds ---------------------------------------------------------------------------------------------------------


def rounds_public() -> QuerySet[Round]:
    """Every round past its set-up, newest first."""
    return Round.objects.exclude(phase=Phase.DRAFT).order_by("-created_at", "-id")


def round_public(*, slug: str, actor: User | None = None) -> Round:
    """A round's public page. A round being set up is shown only to the fund team."""
    round = Round.objects.filter(slug=slug).first()
    if round is None or (round.phase == Phase.DRAFT and not (_can_manage(actor) or _can_review(actor))):
        raise Http404
    return round


def rounds_for_staff(*, actor: User) -> QuerySet[Round]:
    if not (_can_manage(actor) or _can_review(actor)):
        raise PermissionDenied
    return Round.objects.annotate(
        waiting=Count("proposals", filter=Q(proposals__status=ProposalStatus.SUBMITTED))
    ).order_by("-created_at", "-id")


def round_for_staff(*, actor: User, slug: str, perm: str = "fund.manage_rounds") -> Round:
    """A round the fund team works on. Unknown and forbidden look the same."""
    if not actor.has_perm(perm):
        raise PermissionDenied
    round = Round.objects.filter(slug=slug).first()
    if round is None:
        raise PermissionDenied
    return round


def latest_round_set_up_here() -> Round | None:
    """The newest round not imported from a file (its areas start a new round's form)."""
    return Round.objects.filter(is_imported=False).order_by("-created_at", "-id").first()


def result_of(round: Round) -> RoundResult | None:
    """The published result of a round, if there is one."""
    return RoundResult.objects.filter(round=round).first()


def areas_of(round: Round) -> QuerySet[RoundArea]:
    return RoundArea.objects.filter(round=round).order_by("position", "name")


def changes_of(round: Round, *, after_voting_opened: bool = False) -> QuerySet[RoundChange]:
    """The round's public change log (only what was changed after voting opened, if asked)."""
    changes = RoundChange.objects.filter(round=round)
    if after_voting_opened:
        changes = changes.filter(after_voting_opened=True)
    return changes.order_by("at", "id")


# --- Ideas ----------------------------------------------------------------------------------------------------------


def ideas_public(round: Round) -> QuerySet[Idea]:
    return Idea.objects.filter(round=round, is_hidden=False).select_related("area").order_by("-shared_on", "-id")


def hidden_ideas(round: Round) -> QuerySet[Idea]:
    return Idea.objects.filter(round=round, is_hidden=True).order_by("-shared_on", "-id")


def idea_for_review(*, actor: User, round: Round, idea_id: int) -> Idea:
    if not actor.has_perm("fund.review_proposals"):
        raise PermissionDenied
    idea = Idea.objects.filter(round=round, pk=idea_id).first()
    if idea is None:
        raise PermissionDenied
    return idea


# --- Proposals ------------------------------------------------------------------------------------------------------


def proposals_public(round: Round) -> QuerySet[Proposal]:
    """Reviewed proposals: eligible ones and, with their reasons, those that are not."""
    return (
        Proposal.objects.filter(round=round)
        .exclude(status=ProposalStatus.SUBMITTED)
        .select_related("area")
        .order_by("number")
    )


def proposal_visible(*, round: Round, number: int, actor: User | None = None) -> Proposal:
    """A project's page: public once reviewed; before that only for its proposer and reviewers."""
    proposal = Proposal.objects.select_related("area", "round").filter(round=round, number=number).first()
    if proposal is None:
        raise Http404
    if proposal.status == ProposalStatus.SUBMITTED:
        is_proposer = actor is not None and proposal.proposer_id is not None and proposal.proposer_id == actor.pk
        if not (is_proposer or _can_review(actor)):
            raise Http404
    return proposal


def all_proposals(round: Round) -> list[Proposal]:
    """Every proposal of a round, for pages that show a published result (whose projects are public)."""
    return list(Proposal.objects.filter(round=round).select_related("area").order_by("number"))


def proposal_counts(round: Round) -> dict[str, int]:
    """How many proposals of each status: counts only."""
    counts = dict.fromkeys(ProposalStatus.values, 0)
    for status, n in Proposal.objects.filter(round=round).values_list("status").annotate(n=Count("id")):
        counts[status] = n
    return counts


def proposals_for_review(*, actor: User, round: Round) -> QuerySet[Proposal]:
    if not actor.has_perm("fund.review_proposals"):
        raise PermissionDenied
    return Proposal.objects.filter(round=round).select_related("area").order_by("number")


def proposal_for_review(*, actor: User, round: Round, number: int) -> Proposal:
    if not actor.has_perm("fund.review_proposals"):
        raise PermissionDenied
    proposal = Proposal.objects.select_related("area", "round").filter(round=round, number=number).first()
    if proposal is None:
        raise PermissionDenied
    return proposal


def proposals_of(*, actor: User) -> QuerySet[Proposal]:
    """The signed-in person's own proposals, in every round."""
    return Proposal.objects.filter(proposer=actor).select_related("round", "area").order_by("-submitted_at", "-id")


def can_report_on(actor: User, proposal: Proposal) -> bool:
    """The project's lead and the fund team can post delivery updates on a funded project."""
    if not proposal.is_funded or not proposal.round.reached(Phase.RESULTS):
        return False
    is_lead = proposal.proposer_id is not None and proposal.proposer_id == actor.pk
    return is_lead or actor.has_perm("fund.manage_rounds")


def proposal_for_update(*, actor: User, round: Round, number: int) -> Proposal:
    """A funded project the actor may post delivery updates on."""
    proposal = Proposal.objects.select_related("round", "area").filter(round=round, number=number).first()
    if proposal is None or not can_report_on(actor, proposal):
        raise PermissionDenied
    return proposal


def ballot_paper(round: Round, area: RoundArea | None) -> list[Proposal]:
    """The projects a voter in ``area`` can vote for: theirs and those for every area."""
    projects = Proposal.objects.filter(round=round, status=ProposalStatus.ELIGIBLE).select_related("area")
    if area is not None:
        projects = projects.filter(Q(area__isnull=True) | Q(area=area))
    return list(projects.order_by("area__position", "number"))


def delivery_updates(proposal: Proposal) -> QuerySet[DeliveryUpdate]:
    return DeliveryUpdate.objects.filter(proposal=proposal).order_by("-written_at", "-id")


def funded_with_updates(round: Round) -> list[Proposal]:
    return list(
        Proposal.objects.filter(round=round, is_funded=True)
        .prefetch_related("updates")
        .select_related("area")
        .order_by("number")
    )


# --- Voting ---------------------------------------------------------------------------------------------------------


def roll_entry(*, actor: User, round: Round) -> VoterRoll | None:
    """The signed-in voter's own entry on the voter roll, if they have been checked."""
    return VoterRoll.objects.select_related("area").filter(round=round, user=actor).first()


@dataclass(frozen=True)
class Turnout:
    checked: int  # people checked as voters
    voted: int  # people who cast a ballot
    ballots_by_area: list[tuple[str, int]]

    @property
    def ballots(self) -> int:
        return sum(count for _, count in self.ballots_by_area)


def turnout(round: Round) -> Turnout:
    """Counts only: how many were checked, how many voted, and ballots in each area."""
    roll = VoterRoll.objects.filter(round=round).aggregate(
        checked=Count("id"), voted=Count("id", filter=Q(has_voted=True))
    )
    per_area = dict(
        Ballot.objects.filter(round=round).values_list("area").annotate(n=Count("id")).values_list("area", "n")
    )
    rows = [(area.name, per_area.get(area.pk, 0)) for area in areas_of(round)]
    return Turnout(checked=roll["checked"] or 0, voted=roll["voted"] or 0, ballots_by_area=rows)
