"""Recovery Fund data: rounds, their areas, ideas, proposals, the voter roll,
secret ballots, published results, delivery updates and the public change log.

Ballot secrecy (docs/adr/0015): a person appears only on the voter roll
(``VoterRoll``: which round, which area, whether they have voted). A ballot
(``Ballot``) has a random id, the round, the area and the choices, and
nothing that points at a person: no user, no timestamp, no address. The only
way back to a ballot is its ballot code, which the voter holds; the database
keeps a hash of it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Phase(models.TextChoices):
    DRAFT = "draft", "Being set up"
    IDEAS = "ideas", "Sharing ideas"
    PROPOSALS = "proposals", "Taking proposals"
    REVIEW = "review", "Checking proposals"
    VOTING = "voting", "Voting"
    COUNTING = "counting", "Voting closed"
    RESULTS = "results", "Results published"
    DELIVERY = "delivery", "Projects being delivered"


PHASE_ORDER: tuple[str, ...] = tuple(Phase.values)


class VoteType(models.TextChoices):
    APPROVAL = "approval", "Approval: voters tick every project they support"
    CUMULATIVE = "cumulative", "Points: voters share out a fixed number of points"


class Rule(models.TextChoices):
    EQUAL_SHARES_ADD1 = "equal-shares-add1", "Method of Equal Shares, completed by the add-one rule"
    EQUAL_SHARES = "equal-shares", "Method of Equal Shares, without a completion rule"
    GREEDY = "greedy", "Greedy by votes: most votes first"


class Round(models.Model):
    """One funding round, from ideas to delivery reports."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(help_text="What the round is for, shown on its public page.")
    budget = models.PositiveIntegerField(help_text="In whole units of the currency (pounds).")
    currency = models.CharField(max_length=3, default="GBP", help_text="ISO 4217 code; not GBP only if imported.")
    eligibility_rules = models.TextField(help_text="What a project must meet to go on the ballot.")
    min_project_cost = models.PositiveIntegerField(default=1)
    max_project_cost = models.PositiveIntegerField(null=True, blank=True)
    vote_type = models.CharField(max_length=16, choices=VoteType.choices, default=VoteType.APPROVAL)
    points_per_voter = models.PositiveSmallIntegerField(default=10, help_text="Points each voter shares out.")
    rule = models.CharField(max_length=24, choices=Rule.choices, default=Rule.EQUAL_SHARES_ADD1)
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.DRAFT)
    voting_closes_at = models.DateTimeField(null=True, blank=True)
    voting_opened_at = models.DateTimeField(null=True, blank=True)
    voting_closed_at = models.DateTimeField(null=True, blank=True)
    lot = models.JSONField(default=list, blank=True, help_text="Project codes in tie-break order.")
    lot_drawn_at = models.DateTimeField(null=True, blank=True)
    is_imported = models.BooleanField(default=False, help_text="Made from a Pabulib file.")
    imported_selected = models.JSONField(
        null=True, blank=True, help_text="The projects the imported file says were funded, if it says."
    )
    is_illustrative = models.BooleanField(default=False, help_text="Demo data, not a real round.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)

    def reached(self, phase: str) -> bool:
        """Has the round reached ``phase`` (or gone past it)?"""
        return self.phase_index() >= PHASE_ORDER.index(phase)

    def voting_is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.phase == Phase.VOTING and self.voting_closes_at is not None and now < self.voting_closes_at

    @property
    def is_cumulative(self) -> bool:
        return self.vote_type == VoteType.CUMULATIVE


class RoundArea(models.Model):
    """A place voters declare they live in: a name and its postcode districts."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=100)
    districts = models.CharField(
        max_length=1000, blank=True, help_text="Postcode districts, separated by commas, like CM1, CM2."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="fund_area_unique_name")]

    def __str__(self) -> str:
        return self.name

    def district_list(self) -> list[str]:
        return [part.strip().upper() for part in self.districts.split(",") if part.strip()]


class Idea(models.Model):
    """A short idea shared before proposals open. Shown without its author."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=120)
    description = models.TextField()
    area = models.ForeignKey(RoundArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    shared_on = models.DateField(default=timezone.localdate)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["round", "-shared_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    ELIGIBLE = "eligible", "Eligible"
    INELIGIBLE = "ineligible", "Not eligible"


class Proposal(models.Model):
    """A project proposed for funding. ``code`` is its id in the count and in Pabulib files."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveIntegerField()
    code = models.CharField(max_length=40)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=500)
    delivers = models.TextField(help_text="What the project will deliver, and for whom.")
    cost = models.PositiveIntegerField(help_text="In whole pounds.")
    area = models.ForeignKey(
        RoundArea,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="proposals",
        help_text="Empty: the project serves every area of the round.",
    )
    lead_name = models.CharField(max_length=120, help_text="Who leads the project: a person or a group. Published.")
    lived_experience = models.TextField(blank=True, help_text="How people in recovery lead the project. Published.")
    status = models.CharField(max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED)
    review_reason = models.TextField(blank=True, help_text="Published. Needed when a proposal is not eligible.")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    is_funded = models.BooleanField(default=False, help_text="Chosen in the published result.")

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="fund_proposal_unique_number"),
            models.UniqueConstraint(fields=["round", "code"], name="fund_proposal_unique_code"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def area_label(self) -> str:
        return self.area.name if self.area_id and self.area else "Every area"


class VoterRoll(models.Model):
    """Who has been checked as a voter in a round and whether they have voted.

    It says nothing about how anyone voted, and has no timestamps, so its rows
    cannot be matched to ballots by time.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="voter_roll")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(RoundArea, on_delete=models.RESTRICT, related_name="+")
    has_voted = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "area"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="fund_roll_one_entry_per_person")]

    def __str__(self) -> str:
        return f"Voter in {self.round}"


class Ballot(models.Model):
    """One secret ballot: a random id, the voter's area and their choices.

    ``choices`` maps a proposal's code to points (1 for each approved project in
    an approval round). ``code_hash`` is the SHA-256 of the voter's ballot code,
    or empty for ballots imported from a Pabulib file.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")
    area = models.ForeignKey(RoundArea, on_delete=models.RESTRICT, related_name="+")
    choices = models.JSONField(default=dict)
    code_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        # Never ordered by anything that follows the order ballots were cast.
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "code_hash"],
                condition=~models.Q(code_hash=""),
                name="fund_ballot_unique_code",
            )
        ]

    def __str__(self) -> str:
        return "Ballot"


class RoundResult(models.Model):
    """The result as published: kept so that anyone can recount and compare."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="result")
    rule = models.CharField(max_length=24, choices=Rule.choices)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ballots_counted = models.PositiveIntegerField()
    ballots_fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the counted ballots, sorted.")
    allocation = models.JSONField(help_text="The result of the round's rule.")
    comparison = models.JSONField(help_text="The result of greedy by votes, for comparison.")
    by_area = models.JSONField(default=list, help_text="What each area's voters paid for.")
    set_aside = models.PositiveIntegerField(
        default=0, help_text="Ballots with no choice left once withdrawn projects were taken off."
    )

    def __str__(self) -> str:
        return f"Result of {self.round}"


class RoundChange(models.Model):
    """A public record of an administrative change to a round.

    Changes made after voting opened are shown on the results page. The audit
    log keeps the same events, with who made them.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=80, blank=True, help_text="Their role then, for example Commissioner.")
    action = models.CharField(max_length=64)
    summary = models.CharField(max_length=500)
    after_voting_opened = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "at", "id"]

    def __str__(self) -> str:
        return self.summary


class DeliveryStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    DELAYED = "delayed", "Delayed"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


class DeliveryUpdate(models.Model):
    """News from a funded project: how it is going and what has been spent."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_project_lead = models.BooleanField(default=True, help_text="Written by the project lead, not the fund team.")
    written_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices)
    body = models.TextField()
    spent = models.PositiveIntegerField(null=True, blank=True, help_text="Pounds spent so far.")

    class Meta:
        ordering = ["proposal", "-written_at", "-id"]

    def __str__(self) -> str:
        return f"Update on {self.proposal}"
