"""Building Recovery Fund rounds for tests, through the same actions the pages use."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from conftest import make_persona
from rosc.core.models import PublicRole, User
from rosc.fund import actions
from rosc.fund.models import Phase, Proposal, Round, RoundArea

AREAS = [("Chelmsford", ["CM1", "CM2", "CM3"]), ("Basildon", ["SS14", "SS15"]), ("Colchester", ["CO1", "CO2"])]


def settings(**overrides: Any) -> actions.RoundSettings:
    values: dict[str, Any] = {
        "name": "Spring round",
        "description": "Projects led by people in recovery.",
        "eligibility_rules": "Led by people in recovery. In the round's areas.",
        "budget": 10_000,
        "min_project_cost": 100,
        "max_project_cost": 6_000,
        "vote_type": "approval",
        "points_per_voter": 10,
        "rule": "equal-shares-add1",
        "voting_closes_at": timezone.now() + timedelta(days=14),
    }
    values.update(overrides)
    return actions.RoundSettings(**values)


def settings_of(round: Round, **overrides: Any) -> actions.RoundSettings:
    """The round's current settings, with some changed."""
    values = {name: getattr(round, name) for name in actions.EDITABLE_FIELDS}
    values.update(overrides)
    return actions.RoundSettings(**values)


def fund_admin() -> User:
    return make_persona("administrator")


def make_round(*, phase: str = Phase.DRAFT, areas: list | None = None, **overrides: Any) -> Round:
    """A round moved through the real phases up to ``phase`` (not past review: voting needs proposals)."""
    admin = fund_admin()
    round = actions.round_create(actor=admin, settings=settings(**overrides), areas=areas or AREAS)
    order = [Phase.IDEAS, Phase.PROPOSALS, Phase.REVIEW]
    for step in order:
        if Round.objects.get(pk=round.pk).reached(phase):
            break
        actions.round_advance(actor=admin, round=round, to_phase=step)
    return Round.objects.get(pk=round.pk)


def area(round: Round, name: str) -> RoundArea:
    return RoundArea.objects.get(round=round, name=name)


def propose(
    round: Round,
    *,
    title: str,
    cost: int,
    area_name: str | None = None,
    proposer: User | None = None,
) -> Proposal:
    """Submit a proposal while the round takes them (the round must be at "proposals")."""
    draft = actions.ProposalDraft(
        title=title,
        summary=f"{title}: a summary.",
        delivers=f"What {title} delivers.",
        cost=cost,
        area_id=area(round, area_name).pk if area_name else None,
        lead_name="Recovery group",
        lived_experience="Run by people in recovery.",
    )
    return actions.proposal_submit(actor=proposer or make_persona("community_member"), round=round, draft=draft)


def voting_round(
    projects: list[tuple[str, int, str | None]] | None = None, **overrides: Any
) -> tuple[Round, dict[str, Proposal]]:
    """A round with eligible projects, voting open. ``projects``: (title, cost, area name or None)."""
    projects = projects or [
        ("Recovery café", 4_000, None),
        ("Walking group", 1_500, "Chelmsford"),
        ("Family art days", 3_000, "Basildon"),
        ("Allotment", 5_000, None),
    ]
    round = make_round(phase=Phase.PROPOSALS, **overrides)
    made = {title: propose(round, title=title, cost=cost, area_name=where) for title, cost, where in projects}
    admin = fund_admin()
    actions.round_advance(actor=admin, round=round, to_phase=Phase.REVIEW)
    for proposal in made.values():
        actions.proposal_review(actor=admin, proposal=proposal, eligible=True, reason="")
    round = actions.round_advance(actor=admin, round=round, to_phase=Phase.VOTING)
    return round, {title: Proposal.objects.get(pk=p.pk) for title, p in made.items()}


_voter_count = 0


def voter(*, verified: bool = True, email: str | None = None) -> User:
    """A new community member, with a confirmed email address unless ``verified`` is False."""
    global _voter_count
    _voter_count += 1
    user = User.objects.create_user(
        email or f"voter{_voter_count}@example.com", "a long password here", public_role=PublicRole.COMMUNITY_MEMBER
    )
    if verified:
        confirm_email(user)
    return user


def confirm_email(user: User) -> None:
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def vote(round: Round, user: User, postcode: str, *titles: str, points: dict[str, int] | None = None) -> str:
    """Register ``user`` with ``postcode`` (if needed) and cast a ballot; returns the ballot code."""
    from rosc.fund.models import VoterRoll

    if not VoterRoll.objects.filter(round=round, user=user).exists():
        actions.voter_register(actor=user, round=round, postcode=postcode)
    by_title = {p.title: p.code for p in Proposal.objects.filter(round=round)}
    choices = {by_title[t]: n for t, n in points.items()} if points else {by_title[t]: 1 for t in titles}
    return actions.ballot_cast(actor=user, round=round, choices=choices)


def close(round: Round) -> Round:
    return actions.round_advance(actor=fund_admin(), round=round, to_phase=Phase.COUNTING)


def publish(round: Round):
    return actions.result_publish(actor=fund_admin(), round=round)
