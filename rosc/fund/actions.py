"""Writes for the Recovery Fund. Every action takes keyword-only arguments,
checks the actor's capability, runs in one transaction and writes its audit
row inside it.

Administrative changes to a round also go on its public change log
(``RoundChange``); those made after voting opened are shown on the results
page.

Ballot secrecy (docs/adr/0015): registering as a voter is audited with the
voter's identity; casting or changing a ballot is audited with neither actor
nor address, and nothing that identifies the ballot.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import Role, User
from rosc.core.permissions import all_roles
from rosc.fund import counting, secrecy
from rosc.fund.allocation import RULES, PabulibError, read_pb
from rosc.fund.models import (
    PHASE_ORDER,
    Ballot,
    DeliveryStatus,
    DeliveryUpdate,
    Idea,
    Phase,
    Proposal,
    ProposalStatus,
    Round,
    RoundArea,
    RoundChange,
    RoundResult,
    Rule,
    VoterRoll,
    VoteType,
)
from rosc.fund.selectors import can_report_on

PURPOSE = "recovery fund"
MAX_BUDGET = 100_000_000
MAX_POINTS = 100
TEXT_LIMIT = 3000
REASON_LIMIT = 1000
IMPORT_LIMIT_BYTES = 5 * 1024 * 1024
# Extra META key in exported Pabulib files: the round's tie-break order, so a recount elsewhere can use it.
LOT_META_KEY = "tie_break_lot"

# Settings that decide how ballots are cast or counted: fixed once voting opens,
# so that nobody can choose them after seeing how people vote.
FIXED_WHEN_VOTING_OPENS = ("vote_type", "points_per_voter", "rule")
# Settings that change the count: fixed once the result is published.
FIXED_WHEN_PUBLISHED = ("budget", "voting_closes_at", "min_project_cost", "max_project_cost")
EDITABLE_FIELDS = (
    "name",
    "description",
    "eligibility_rules",
    "budget",
    "min_project_cost",
    "max_project_cost",
    "vote_type",
    "points_per_voter",
    "rule",
    "voting_closes_at",
)
FIELD_LABELS = {
    "name": "name",
    "description": "description",
    "eligibility_rules": "eligibility rules",
    "budget": "budget",
    "min_project_cost": "lowest project cost",
    "max_project_cost": "highest project cost",
    "vote_type": "type of ballot",
    "points_per_voter": "points each voter has",
    "rule": "counting rule",
    "voting_closes_at": "closing time for votes",
    "areas": "areas",
}


class ImportRefused(Exception):
    """A Pabulib file that cannot become a round. Nothing was saved."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


# --- Helpers --------------------------------------------------------------------------------------------------------


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied


def role_label(actor: User | None) -> str:
    """The role someone acted in, for the public change log."""
    roles = all_roles(actor) if actor is not None else set()
    for role in (Role.ADMINISTRATOR, Role.COMMISSIONER):
        if role in roles:
            return str(Role(role).label)
    return "Recovery Fund team"


def money(amount: int | None) -> str:
    return "no limit" if amount is None else f"£{amount:,}"


def when(moment: datetime | None) -> str:
    if moment is None:
        return "not set"
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _log_change(
    *,
    round: Round,
    actor: User,
    action: str,
    summary: str,
    request: HttpRequest | None,
    details: dict[str, Any] | None = None,
    target: Any = None,
) -> RoundChange:
    """One change: on the public change log and in the audit log, in the caller's transaction."""
    change = RoundChange.objects.create(
        round=round,
        actor=actor,
        actor_role=role_label(actor),
        action=action,
        summary=summary[:500],
        after_voting_opened=round.voting_opened_at is not None,
    )
    audit_write(
        actor=actor,
        action=action,
        target=target or round,
        purpose=PURPOSE,
        request=request,
        details={"round_id": round.pk, **(details or {})},
    )
    return change


def _locked(round: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round.pk)


def _text(value: Any, *, field: str, label: str, limit: int = TEXT_LIMIT, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ActionRefused(f"Enter {label}.", field=field)
    if len(text) > limit:
        raise ActionRefused(f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer.", field=field)
    return text


RESERVED_SLUGS = frozenset({"staff", "your-proposals"})


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "round"
    if base in RESERVED_SLUGS:
        base = f"{base}-round"
    slug, n = base, 2
    while Round.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Rounds ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundSettings:
    name: str
    description: str
    eligibility_rules: str
    budget: int
    min_project_cost: int
    max_project_cost: int | None
    vote_type: str
    points_per_voter: int
    rule: str
    voting_closes_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in EDITABLE_FIELDS}


def _check_settings(values: Mapping[str, Any]) -> dict[str, Any]:
    clean = dict(values)
    clean["name"] = _text(clean["name"], field="name", label="the name of the round", limit=200)
    clean["description"] = _text(clean["description"], field="description", label="what the round is for")
    clean["eligibility_rules"] = _text(
        clean["eligibility_rules"], field="eligibility_rules", label="the eligibility rules"
    )
    budget = clean["budget"]
    if budget is None or not 1 <= budget <= MAX_BUDGET:
        raise ActionRefused(f"The budget must be between £1 and £{MAX_BUDGET:,}.", field="budget")
    low, high = clean["min_project_cost"] or 1, clean["max_project_cost"]
    clean["min_project_cost"] = low
    if low < 1:
        raise ActionRefused("The lowest project cost must be £1 or more.", field="min_project_cost")
    if high is not None and high < low:
        raise ActionRefused(
            "The highest project cost must be the same as or more than the lowest.", field="max_project_cost"
        )
    if low > budget:
        raise ActionRefused("The lowest project cost cannot be more than the budget.", field="min_project_cost")
    if clean["vote_type"] not in VoteType.values:
        raise ActionRefused("Choose the type of ballot.", field="vote_type")
    if clean["rule"] not in Rule.values:
        raise ActionRefused("Choose how the votes are counted.", field="rule")
    points = clean["points_per_voter"] or 10
    if not 2 <= points <= MAX_POINTS:
        raise ActionRefused(f"Each voter must have between 2 and {MAX_POINTS} points.", field="points_per_voter")
    clean["points_per_voter"] = points
    return clean


def _set_areas(round: Round, areas: list[tuple[str, list[str]]]) -> None:
    RoundArea.objects.filter(round=round).delete()
    RoundArea.objects.bulk_create(
        RoundArea(round=round, name=name, districts=", ".join(districts), position=index)
        for index, (name, districts) in enumerate(areas)
    )


def round_areas(round: Round) -> list[tuple[str, list[str]]]:
    return [(area.name, area.district_list()) for area in RoundArea.objects.filter(round=round)]


def round_create(
    *,
    actor: User,
    settings: RoundSettings,
    areas: list[tuple[str, list[str]]],
    is_illustrative: bool = False,
    request: HttpRequest | None = None,
) -> Round:
    """Set up a new round. It stays private ("being set up") until it moves to its first public phase."""
    _require(actor, "fund.manage_rounds")
    clean = _check_settings(settings.as_dict())
    if not areas:
        raise ActionRefused("Give at least one area.", field="areas")
    with transaction.atomic():
        round = Round.objects.create(
            slug=_unique_slug(clean["name"]), created_by=actor, is_illustrative=is_illustrative, **clean
        )
        _set_areas(round, areas)
        _log_change(
            round=round,
            actor=actor,
            action="fund.round_created",
            summary=f"Set up the round with a budget of {money(round.budget)}.",
            request=request,
        )
    return round


def round_update(
    *,
    actor: User,
    round: Round,
    settings: RoundSettings,
    areas: list[tuple[str, list[str]]] | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Change a round's settings. Returns the names of the fields that changed.

    Once voting opens the ballot type, points and counting rule are fixed and
    so are the areas; once the result is published, so is everything the
    count depends on. Every change after voting opens is shown on the results page.
    """
    _require(actor, "fund.manage_rounds")
    clean = _check_settings(settings.as_dict())
    with transaction.atomic():
        locked = _locked(round)
        if _same_minute(locked.voting_closes_at, clean["voting_closes_at"]):
            # The form works in whole minutes: the same minute is no change.
            clean["voting_closes_at"] = locked.voting_closes_at
        changed = [name for name in EDITABLE_FIELDS if getattr(locked, name) != clean[name]]
        areas_changed = areas is not None and areas != round_areas(locked)
        voting_opened = locked.voting_opened_at is not None or locked.is_imported
        for name in changed:
            if voting_opened and name in FIXED_WHEN_VOTING_OPENS:
                raise ActionRefused(f"The {FIELD_LABELS[name]} cannot be changed once voting has opened.", field=name)
            if locked.reached(Phase.RESULTS) and name in FIXED_WHEN_PUBLISHED:
                raise ActionRefused(
                    f"The {FIELD_LABELS[name]} cannot be changed once the results are published.", field=name
                )
        if areas_changed and voting_opened:
            raise ActionRefused("The areas cannot be changed once voting has opened.", field="areas")
        if "voting_closes_at" in changed and locked.phase == Phase.VOTING:
            closes = clean["voting_closes_at"]
            if closes is None or closes <= timezone.now():
                raise ActionRefused(
                    "While voting is open, the closing time must be in the future. "
                    "To close voting now, move the round to its next phase.",
                    field="voting_closes_at",
                )
        if not changed and not areas_changed:
            return []
        summaries = []
        for name in changed:
            before, after = getattr(locked, name), clean[name]
            label = FIELD_LABELS[name]
            if name in ("budget", "min_project_cost", "max_project_cost"):
                summaries.append(f"Changed the {label} from {money(before)} to {money(after)}.")
            elif name == "voting_closes_at":
                summaries.append(f"Changed the {label} from {when(before)} to {when(after)}.")
            elif name == "vote_type":
                summaries.append(f"Changed the {label} to {VoteType(after).label.lower()}.")
            elif name == "rule":
                summaries.append(f"Changed the {label} to the {Rule(after).label}.")
            elif name == "points_per_voter":
                summaries.append(f"Changed the {label} from {before} to {after}.")
            else:
                summaries.append(f"Changed the {label}.")
            setattr(locked, name, after)
        if changed:
            locked.save(update_fields=changed)
        if areas_changed and areas is not None:
            kept = {name for name, _ in areas}
            in_use = set(RoundArea.objects.filter(round=locked, proposals__isnull=False).values_list("name", flat=True))
            if in_use - kept:
                raise ActionRefused(
                    f"Proposals are linked to {', '.join(sorted(in_use - kept))}, so it cannot be removed.",
                    field="areas",
                )
            _update_areas_in_place(locked, areas)
            summaries.append("Changed the areas.")
        _log_change(
            round=locked,
            actor=actor,
            action="fund.round_updated",
            summary=" ".join(summaries),
            request=request,
            details={"fields": changed + (["areas"] if areas_changed else [])},
        )
    return changed + (["areas"] if areas_changed else [])


def _same_minute(first: datetime | None, second: datetime | None) -> bool:
    if first is None or second is None:
        return False
    return first.replace(second=0, microsecond=0) == second.replace(second=0, microsecond=0)


def _update_areas_in_place(round: Round, areas: list[tuple[str, list[str]]]) -> None:
    existing = {area.name: area for area in RoundArea.objects.filter(round=round)}
    wanted = {name for name, _ in areas}
    RoundArea.objects.filter(round=round).exclude(name__in=wanted).delete()
    for index, (name, districts) in enumerate(areas):
        area = existing.get(name)
        if area is None:
            RoundArea.objects.create(round=round, name=name, districts=", ".join(districts), position=index)
        else:
            area.districts, area.position = ", ".join(districts), index
            area.save(update_fields=["districts", "position"])


def next_phase(round: Round) -> str | None:
    """The phase a round moves to next by hand (results are published by counting)."""
    index = round.phase_index()
    if round.phase == Phase.COUNTING or index + 1 >= len(PHASE_ORDER):
        return None
    return PHASE_ORDER[index + 1]


def opening_problems(round: Round) -> list[str]:
    """What stops voting from opening, in plain English."""
    problems = []
    if not RoundArea.objects.filter(round=round).exclude(districts="").exists():
        problems.append("The round has no area with postcode districts, so nobody could be checked as a voter.")
    if not Proposal.objects.filter(round=round, status=ProposalStatus.ELIGIBLE).exists():
        problems.append("No proposal has been found eligible yet.")
    waiting = Proposal.objects.filter(round=round, status=ProposalStatus.SUBMITTED).count()
    if waiting:
        problems.append(f"{waiting} proposal{'s are' if waiting != 1 else ' is'} still waiting for review.")
    if round.voting_closes_at is None or round.voting_closes_at <= timezone.now():
        problems.append("Set a closing time for votes in the future.")
    return problems


def draw_lot(codes: list[str]) -> list[str]:
    """A random order of the projects, from the operating system's random source."""
    order = list(codes)
    secrets.SystemRandom().shuffle(order)
    return order


def shake_ballot_box(round: Round) -> int:
    """Store the round's ballots again, in random order with new random ids.

    Done when voting closes, so that neither the ids, the order of the rows nor
    the transactions that wrote them follow the order in which ballots were
    cast. Runs in the caller's transaction.
    """
    rows = list(Ballot.objects.filter(round=round).values_list("area_id", "choices", "code_hash"))
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.filter(round=round).delete()
    Ballot.objects.bulk_create(
        Ballot(round=round, area_id=area_id, choices=choices, code_hash=code_hash)
        for area_id, choices, code_hash in rows
    )
    # Rewrite the voter roll in the same transaction too: on PostgreSQL every row version records the
    # transaction that wrote or locked it, which until now tied each voter's roll row to their ballot.
    VoterRoll.objects.filter(round=round).update(has_voted=F("has_voted"))
    return len(rows)


def round_advance(*, actor: User, round: Round, to_phase: str, request: HttpRequest | None = None) -> Round:
    """Move a round to its next phase.

    ``to_phase`` must be the phase after the current one, so that pressing the
    button twice cannot skip a phase. Opening voting draws the tie-break lot;
    closing voting before its closing time is shown as a change on the results page.
    """
    _require(actor, "fund.manage_rounds")
    with transaction.atomic():
        locked = _locked(round)
        expected = next_phase(locked)
        if expected is None or to_phase != expected:
            if locked.phase == Phase.COUNTING:
                raise ActionRefused("Count the votes to publish the results: that moves the round on.")
            raise ActionRefused(
                f"The round is already at “{locked.get_phase_display()}”. Reload the page to see where it is."
            )
        now = timezone.now()
        fields = ["phase"]
        summary = f"Moved the round to “{Phase(to_phase).label}”."
        details: dict[str, Any] = {"from_phase": locked.phase, "to_phase": to_phase}
        if to_phase == Phase.VOTING:
            problems = opening_problems(locked)
            if problems:
                raise ActionRefused(" ".join(problems))
            codes = list(
                Proposal.objects.filter(round=locked, status=ProposalStatus.ELIGIBLE)
                .order_by("number")
                .values_list("code", flat=True)
            )
            locked.lot = draw_lot(codes)
            locked.lot_drawn_at = now
            locked.voting_opened_at = now
            fields += ["lot", "lot_drawn_at", "voting_opened_at"]
            summary = (
                f"Opened voting until {when(locked.voting_closes_at)} and drew the tie-break lot "
                f"for {len(codes)} project{'s' if len(codes) != 1 else ''}."
            )
        if to_phase == Phase.COUNTING:
            locked.voting_closed_at = now
            fields.append("voting_closed_at")
            early = locked.voting_closes_at is not None and now < locked.voting_closes_at
            shaken = shake_ballot_box(locked)
            details.update({"ballots": shaken, "early": early})
            summary = (
                f"Closed voting early, before the closing time of {when(locked.voting_closes_at)}."
                if early
                else "Closed voting."
            )
        locked.phase = to_phase
        locked.save(update_fields=fields)
        _log_change(
            round=locked,
            actor=actor,
            action="fund.round_phase_changed",
            summary=summary,
            request=request,
            details=details,
        )
    return locked


# --- Ideas ----------------------------------------------------------------------------------------------------------


def _area_of(round: Round, area_id: int | None, *, field: str = "area") -> RoundArea | None:
    if area_id in (None, ""):
        return None
    area = RoundArea.objects.filter(round=round, pk=area_id).first()
    if area is None:
        raise ActionRefused("Choose an area from the list.", field=field)
    return area


def idea_share(
    *,
    actor: User,
    round: Round,
    title: str,
    description: str,
    area_id: int | None,
    request: HttpRequest | None = None,
) -> Idea:
    """Share an idea while a round is collecting them. Ideas are shown without their author's name."""
    _require(actor, "fund.propose")
    if round.phase != Phase.IDEAS:
        raise ActionRefused("This round is not collecting ideas now.")
    title = _text(title, field="title", label="a short title for your idea", limit=120)
    description = _text(description, field="description", label="your idea", limit=2000)
    area = _area_of(round, area_id)
    with transaction.atomic():
        idea = Idea.objects.create(round=round, author=actor, title=title, description=description, area=area)
        audit_write(
            actor=actor,
            action="fund.idea_shared",
            target=idea,
            purpose=PURPOSE,
            request=request,
            details={"round_id": round.pk},
        )
    return idea


def idea_hide(*, actor: User, idea: Idea, reason: str, request: HttpRequest | None = None) -> Idea:
    """Take an idea off the public list, for example because it names someone. The reason is published."""
    _require(actor, "fund.review_proposals")
    reason = _text(reason, field="reason", label="why the idea is hidden", limit=300)
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        idea.is_hidden, idea.hidden_reason = True, reason
        idea.save(update_fields=["is_hidden", "hidden_reason"])
        audit_write(
            actor=actor,
            action="fund.idea_hidden",
            target=idea,
            purpose=PURPOSE,
            request=request,
            details={"round_id": idea.round_id},
        )
    return idea


# --- Proposals ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalDraft:
    title: str
    summary: str
    delivers: str
    cost: int | None
    area_id: int | None
    lead_name: str
    lived_experience: str


def check_proposal(round: Round, draft: ProposalDraft) -> dict[str, Any]:
    """The proposal's fields, checked against the round's rules. Raises ActionRefused."""
    clean: dict[str, Any] = {
        "title": _text(draft.title, field="title", label="the name of the project", limit=120),
        "summary": _text(draft.summary, field="summary", label="a summary of the project", limit=500),
        "delivers": _text(draft.delivers, field="delivers", label="what the project will deliver"),
        "lead_name": _text(draft.lead_name, field="lead_name", label="who will lead the project", limit=120),
        "lived_experience": _text(
            draft.lived_experience, field="lived_experience", label="how people in recovery lead the project"
        ),
    }
    cost = draft.cost
    if cost is None:
        raise ActionRefused("Enter how much the project costs, in whole pounds.", field="cost")
    if cost < round.min_project_cost:
        raise ActionRefused(f"The project must cost at least {money(round.min_project_cost)}.", field="cost")
    limit = min(round.budget, round.max_project_cost or round.budget)
    if cost > limit:
        raise ActionRefused(f"The project can cost at most {money(limit)} in this round.", field="cost")
    clean["cost"] = cost
    clean["area"] = _area_of(round, draft.area_id)
    return clean


def proposal_submit(*, actor: User, round: Round, draft: ProposalDraft, request: HttpRequest | None = None) -> Proposal:
    """Send a proposal for eligibility review."""
    _require(actor, "fund.propose")
    with transaction.atomic():
        locked = _locked(round)
        if locked.phase != Phase.PROPOSALS:
            raise ActionRefused("This round is not taking proposals now.")
        clean = check_proposal(locked, draft)
        number = (Proposal.objects.filter(round=locked).aggregate(top=Max("number"))["top"] or 0) + 1
        proposal = Proposal.objects.create(round=locked, number=number, code=str(number), proposer=actor, **clean)
        audit_write(
            actor=actor,
            action="fund.proposal_submitted",
            target=proposal,
            purpose=PURPOSE,
            request=request,
            details={"round_id": locked.pk, "number": number},
        )
    return proposal


def proposal_review(
    *, actor: User, proposal: Proposal, eligible: bool, reason: str, request: HttpRequest | None = None
) -> Proposal:
    """Decide whether a proposal goes on the ballot. The reason is published, and needed when it does not.

    A decision can be changed until voting closes; a change after voting has
    opened is shown on the results page.
    """
    _require(actor, "fund.review_proposals")
    reason = _text(reason, field="reason", label="the reason", limit=REASON_LIMIT, required=not eligible)
    with transaction.atomic():
        round = _locked(proposal.round)
        if round.phase not in (Phase.PROPOSALS, Phase.REVIEW, Phase.VOTING):
            raise ActionRefused("Proposals can only be reviewed before voting closes.")
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        status = ProposalStatus.ELIGIBLE if eligible else ProposalStatus.INELIGIBLE
        if round.phase == Phase.VOTING and status == ProposalStatus.ELIGIBLE and locked.status != status:
            raise ActionRefused(
                "A project cannot be added to the ballot once voting has opened: people have already voted."
            )
        before = locked.status
        locked.status, locked.review_reason = status, reason
        locked.reviewed_at, locked.reviewed_by = timezone.now(), actor
        locked.save(update_fields=["status", "review_reason", "reviewed_at", "reviewed_by"])
        if round.voting_opened_at is not None:
            _log_change(
                round=round,
                actor=actor,
                action="fund.proposal_reviewed",
                summary=(
                    f"Took “{locked.title}” off the ballot: {reason}"
                    if before == ProposalStatus.ELIGIBLE
                    else f"Changed the reason “{locked.title}” is not eligible: {reason}"
                ),
                request=request,
                details={"proposal_id": locked.pk, "status": status, "previous": before},
                target=locked,
            )
        else:
            audit_write(
                actor=actor,
                action="fund.proposal_reviewed",
                target=locked,
                purpose=PURPOSE,
                request=request,
                details={"round_id": round.pk, "status": status, "previous": before},
            )
    return locked


# --- Voting ---------------------------------------------------------------------------------------------------------


def has_verified_email(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _refuse_if_closed(round: Round) -> None:
    if round.phase == Phase.VOTING and round.voting_is_open():
        return
    if round.reached(Phase.COUNTING) or (round.phase == Phase.VOTING and not round.voting_is_open()):
        closed = round.voting_closed_at or round.voting_closes_at
        raise ActionRefused(
            f"Voting in this round closed on {when(closed)}. Your vote was not counted."
            if closed
            else "Voting in this round has closed. Your vote was not counted."
        )
    raise ActionRefused("Voting in this round has not opened yet.")


def voter_register(*, actor: User, round: Round, postcode: str, request: HttpRequest | None = None) -> VoterRoll:
    """Check once that someone may vote in a round: a confirmed email address and a
    postcode district in one of the round's areas. Only the area is kept."""
    _require(actor, "fund.vote")
    _refuse_if_closed(round)
    if not has_verified_email(actor):
        raise ActionRefused("Confirm your email address before you vote.")
    try:
        district = secrecy.district_of(postcode)
    except secrecy.NotADistrict:
        raise ActionRefused(
            "Enter a postcode or the first part of it, like CM1 1AA or CM1.", field="postcode"
        ) from None
    area = next((a for a in RoundArea.objects.filter(round=round) if district in a.district_list()), None)
    if area is None:
        raise ActionRefused(
            f"{district} is not in any of this round's areas, so you cannot vote in it.", field="postcode"
        )
    with transaction.atomic():
        if VoterRoll.objects.filter(round=round, user=actor).exists():
            raise ActionRefused("You have already been checked for this round.")
        try:
            with transaction.atomic():
                entry = VoterRoll.objects.create(round=round, user=actor, area=area)
        except IntegrityError:
            raise ActionRefused("You have already been checked for this round.") from None
        audit_write(
            actor=actor,
            action="fund.voter_registered",
            target=round,
            purpose=PURPOSE,
            request=request,
            details={"round_id": round.pk, "area_id": area.pk},
        )
    return entry


def clean_choices(round: Round, area: RoundArea, choices: Mapping[str, Any]) -> dict[str, int]:
    """A ballot's choices checked against the ballot paper: eligible projects, in the voter's
    area or for every area, with whole points within the voter's allowance."""
    projects = {
        p.code: p for p in Proposal.objects.filter(round=round, status=ProposalStatus.ELIGIBLE).select_related("area")
    }
    clean: dict[str, int] = {}
    for code, raw in choices.items():
        project = projects.get(str(code))
        if project is None:
            raise ActionRefused("Your ballot has a project that is not on the ballot paper. Choose again.")
        try:
            points = int(raw)
        except (TypeError, ValueError):
            raise ActionRefused(f"Give “{project.title}” a whole number of points.", field=f"project_{code}") from None
        if points < 0:
            raise ActionRefused(f"Points for “{project.title}” cannot be less than 0.", field=f"project_{code}")
        if not points:
            continue
        if project.area_id is not None and project.area_id != area.pk:
            raise ActionRefused(
                f"“{project.title}” is a project for {project.area_label}. You can vote only for projects "
                f"in {area.name} or for every area.",
                field=f"project_{code}",
            )
        if round.vote_type == VoteType.APPROVAL and points != 1:
            raise ActionRefused("Tick each project you support.", field=f"project_{code}")
        clean[str(code)] = points
    if not clean:
        raise ActionRefused(
            "Give at least one point to a project." if round.is_cumulative else "Choose at least one project.",
            field="choices",
        )
    if round.is_cumulative and sum(clean.values()) > round.points_per_voter:
        raise ActionRefused(
            f"You have {round.points_per_voter} points to share out and gave {sum(clean.values())}. Take some away.",
            field="choices",
        )
    return clean


def _roll_entry(round: Round, actor: User) -> VoterRoll:
    entry = VoterRoll.objects.select_for_update().select_related("area").filter(round=round, user=actor).first()
    if entry is None:
        raise ActionRefused("Tell us where you live before you vote.")
    return entry


def _audit_ballot(round: Round, action: str) -> None:
    # No actor, no address, nothing about the ballot: see the module docstring.
    audit_write(actor=None, action=action, object_type="fund.round", object_id=round.pk, purpose=PURPOSE)


def ballot_cast(*, actor: User, round: Round, choices: Mapping[str, Any]) -> str:
    """Cast a voter's one ballot. Returns the new ballot code, which is stored only as a hash."""
    _require(actor, "fund.vote")
    with transaction.atomic():
        locked = _locked(round)
        _refuse_if_closed(locked)
        entry = _roll_entry(locked, actor)
        if entry.has_voted:
            raise ActionRefused("You have already voted in this round. To change your vote, use your ballot code.")
        clean = clean_choices(locked, entry.area, choices)
        code = secrecy.new_ballot_code()
        Ballot.objects.create(
            round=locked, area=entry.area, choices=clean, code_hash=secrecy.code_hash(locked.pk, code)
        )
        entry.has_voted = True
        entry.save(update_fields=["has_voted"])
        _audit_ballot(locked, "fund.ballot_cast")
    return code


def ballot_for_code(*, actor: User, round: Round, code: str) -> Ballot | None:
    """The ballot a voter holds the code of: only someone on the roll who has voted,
    only in their own area."""
    if not secrecy.looks_like_code(code):
        return None
    entry = VoterRoll.objects.filter(round=round, user=actor, has_voted=True).first()
    if entry is None:
        return None
    return Ballot.objects.filter(
        round=round, area_id=entry.area_id, code_hash=secrecy.code_hash(round.pk, code)
    ).first()


def ballot_change(*, actor: User, round: Round, code: str, choices: Mapping[str, Any]) -> Ballot:
    """Change a ballot until voting closes, given its ballot code."""
    _require(actor, "fund.vote")
    with transaction.atomic():
        locked = _locked(round)
        _refuse_if_closed(locked)
        entry = _roll_entry(locked, actor)
        ballot = ballot_for_code(actor=actor, round=locked, code=code)
        if ballot is None or not entry.has_voted:
            raise ActionRefused("That ballot code is not right. Check it and try again.", field="code")
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        ballot.choices = clean_choices(locked, entry.area, choices)
        ballot.save(update_fields=["choices"])
        _audit_ballot(locked, "fund.ballot_changed")
    return ballot


# --- Results --------------------------------------------------------------------------------------------------------


def result_publish(*, actor: User, round: Round, request: HttpRequest | None = None) -> RoundResult:
    """Count the stored ballots with the round's rule (and greedy by votes to compare) and publish the result."""
    _require(actor, "fund.manage_rounds")
    with transaction.atomic():
        locked = _locked(round)
        if locked.phase != Phase.COUNTING:
            raise ActionRefused("Results can be published once voting has closed, and only once.")
        if RoundResult.objects.filter(round=locked).exists():
            raise ActionRefused("The results of this round are already published.")
        tally = counting.count(locked)
        result = RoundResult.objects.create(
            round=locked,
            rule=locked.rule,
            published_by=actor,
            ballots_counted=tally.ballots_counted,
            ballots_fingerprint=tally.fingerprint,
            allocation=tally.allocation,
            comparison=tally.comparison,
            by_area=tally.by_area,
            set_aside=tally.set_aside,
        )
        selected = tally.allocation["selected"]
        Proposal.objects.filter(round=locked, code__in=selected).update(is_funded=True)
        locked.phase = Phase.RESULTS
        locked.save(update_fields=["phase"])
        _log_change(
            round=locked,
            actor=actor,
            action="fund.result_published",
            summary=(
                f"Counted {tally.ballots_counted} ballot{'s' if tally.ballots_counted != 1 else ''} and published "
                f"the results: {len(selected)} project{'s' if len(selected) != 1 else ''} funded."
            ),
            request=request,
            details={"ballots": tally.ballots_counted, "funded": len(selected)},
        )
    return result


# --- Delivery -------------------------------------------------------------------------------------------------------


def delivery_update_add(
    *,
    actor: User,
    proposal: Proposal,
    status: str,
    body: str,
    spent: int | None,
    request: HttpRequest | None = None,
) -> DeliveryUpdate:
    """Post news from a funded project: how it is going and, if known, what has been spent."""
    if not can_report_on(actor, proposal):
        raise PermissionDenied
    if status not in DeliveryStatus.values:
        raise ActionRefused("Choose how the project is going.", field="status")
    body = _text(body, field="body", label="your update", limit=2000)
    if spent is not None and not 0 <= spent <= MAX_BUDGET:
        raise ActionRefused("Enter the amount spent in whole pounds, like 1200.", field="spent")
    with transaction.atomic():
        update = DeliveryUpdate.objects.create(
            proposal=proposal,
            author=actor,
            by_project_lead=proposal.proposer_id == actor.pk,
            status=status,
            body=body,
            spent=spent,
        )
        audit_write(
            actor=actor,
            action="fund.delivery_update_added",
            target=update,
            purpose=PURPOSE,
            request=request,
            details={"round_id": proposal.round_id, "proposal_id": proposal.pk, "status": status},
        )
    return update


# --- Pabulib import -------------------------------------------------------------------------------------------------


def round_import_pb(*, actor: User, content: bytes, filename: str = "", request: HttpRequest | None = None) -> Round:
    """Make a closed round, ready to count, from a Pabulib ``.pb`` file. All or nothing:
    any problem refuses the whole file with the lines at fault."""
    _require(actor, "fund.manage_rounds")
    if len(content) > IMPORT_LIMIT_BYTES:
        raise ImportRefused([f"The file is larger than {IMPORT_LIMIT_BYTES // (1024 * 1024)} MB."])
    try:
        parsed = read_pb(content)
    except PabulibError as error:
        raise ImportRefused([f"Line {line}: {reason}" if line else reason for line, reason in error.errors]) from None
    election, meta = parsed.election, parsed.meta
    errors = []
    if election.vote_type not in VoteType.values:
        errors.append(
            f"The file has {election.vote_type} ballots: only approval and cumulative ballots can be counted."
        )
    if not election.projects:
        errors.append("The file has no projects.")
    if not 1 <= election.budget <= MAX_BUDGET:
        errors.append(f"The budget must be between £1 and £{MAX_BUDGET:,}.")
    if errors:
        raise ImportRefused(errors)
    name = (
        meta.get("description", "").strip()
        or " ".join(part for part in (meta.get("unit", ""), meta.get("instance", "")) if part).strip()
        or filename.rsplit("/", 1)[-1]
        or "Imported round"
    )
    name = name[:200]
    rule = meta.get("rule", "")
    points = meta.get("max_sum_points", "")
    with transaction.atomic():
        round = Round.objects.create(
            slug=_unique_slug(name),
            name=name,
            description=(
                f"Imported from the Pabulib file {filename or 'uploaded'} so that its result can be counted again here."
            )[:3000],
            budget=election.budget,
            eligibility_rules="Every project in the file is on the ballot.",
            min_project_cost=1,
            vote_type=election.vote_type,
            points_per_voter=int(points) if points.isdigit() and 2 <= int(points) <= MAX_POINTS else 10,
            rule=rule if rule in RULES else Rule.EQUAL_SHARES_ADD1,
            currency=(election.currency or "GBP").upper()[:3],
            phase=Phase.COUNTING,
            is_imported=True,
            imported_selected=list(parsed.official_selected) if parsed.official_selected is not None else None,
            created_by=actor,
        )
        area = RoundArea.objects.create(round=round, name="Everyone in the file", districts="")
        now = timezone.now()
        Proposal.objects.bulk_create(
            Proposal(
                round=round,
                number=number,
                code=project.id,
                title=(project.name or f"Project {project.id}")[:120],
                summary=(project.name or f"Project {project.id}")[:500],
                delivers="Imported from a Pabulib file: the file does not describe the project.",
                cost=project.cost,
                lead_name="Not given in the file",
                status=ProposalStatus.ELIGIBLE,
                reviewed_at=now,
                reviewed_by=actor,
            )
            for number, project in enumerate(election.projects, start=1)
        )
        rows = [dict(ballot) for ballot in election.ballots]
        secrets.SystemRandom().shuffle(rows)
        Ballot.objects.bulk_create(
            Ballot(round=round, area=area, choices={str(k): int(v) for k, v in choices.items()}) for choices in rows
        )
        codes = [project.id for project in election.projects]
        lot_text = meta.get(LOT_META_KEY, "")
        from_file = list(dict.fromkeys(code.strip() for code in lot_text.split(",") if code.strip() in set(codes)))
        round.lot = from_file + [code for code in draw_lot(codes) if code not in set(from_file)]
        round.lot_drawn_at = now
        round.save(update_fields=["lot", "lot_drawn_at"])
        _log_change(
            round=round,
            actor=actor,
            action="fund.round_imported",
            summary=(
                f"Made this round from a Pabulib file with {len(codes)} project{'s' if len(codes) != 1 else ''} "
                f"and {len(rows)} ballot{'s' if len(rows) != 1 else ''}."
            ),
            request=request,
            details={"projects": len(codes), "ballots": len(rows)},
        )
    return round
