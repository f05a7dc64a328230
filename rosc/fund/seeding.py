"""Essex demo data for the Recovery Fund.

The Essex Recovery Fund is real (it is named in the brief); every round,
project, ballot and update here is illustrative and labelled so in the
product. Two rounds: one finished, with published results and delivery
updates, and one open for voting, where the demo community members Sam, Jo
and Alex (who have confirmed email addresses) can vote.

Rounds are made through the same actions the pages use, by the demo
administrator, so their change logs and audit trail are real. The demo
ballots are written straight to the ballot box, with no voter roll: they
stand for voters who are not demo accounts.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from rosc.core.management.commands.seed_demo import demo_email
from rosc.core.models import User
from rosc.directory.seeding import ESSEX_DISTRICTS
from rosc.fund import actions
from rosc.fund.models import Ballot, DeliveryStatus, Phase, Proposal, Round, RoundArea

FINISHED_SLUG = "essex-recovery-fund-2025-illustrative"
VOTING_SLUG = "essex-recovery-fund-2026-illustrative"

ELIGIBILITY = (
    "The project is led by people with lived experience of recovery from drink or drugs, or by their families.\n"
    "It helps people in recovery, or their families, in Essex, Southend-on-Sea or Thurrock.\n"
    "It costs no more than the round's highest project cost and can be delivered within 12 months.\n"
    "It does not pay for clinical treatment or replace a service that is already funded."
)

# (title, cost, area or None for every area, proposer demo login or "", summary, delivers)
FINISHED_PROJECTS = [
    (
        "Alcohol-free student socials",
        3_200,
        "Colchester",
        "person",
        "Monthly alcohol-free nights out for students, run by students in recovery.",
        "Ten evening socials at venues near the university, with peer volunteers trained in first aid and "
        "in talking about drinking.",
    ),
    (
        "Family days out",
        4_500,
        "Basildon",
        "family",
        "Days out for families where a parent is in recovery, planned by parents in recovery.",
        "Six days out for up to 25 families each, with transport, food and a peer supporter on every trip.",
    ),
    (
        "Work-ready peer sessions",
        3_800,
        "Thurrock",
        "",
        "Weekly sessions with peers who have found work in recovery, alongside local employers.",
        "Forty sessions covering CVs, interviews and disclosure, with two employer open days.",
    ),
    (
        "Recovery café Saturdays",
        5_000,
        "Chelmsford",
        "community",
        "A Saturday café run by volunteers in recovery, open to anyone.",
        "Fifty Saturday cafés, with training in food hygiene for eight volunteers.",
    ),
    (
        "County-wide recovery walks",
        2_400,
        None,
        "",
        "Monthly guided walks in every part of the county, led by walkers in recovery.",
        "Twelve walks a year in each of six places, with walk leader training for twelve volunteers.",
    ),
    (
        "Allotment for recovery",
        6_000,
        "Harlow",
        "",
        "A shared allotment where people in recovery grow food together.",
        "A year's rent, tools, a shed and seeds, and weekly growing sessions.",
    ),
    (
        "Recovery stories podcast",
        2_900,
        None,
        "",
        "A podcast of recovery stories made by people in recovery.",
        "Twelve episodes, with recording kit and training for six presenters.",
    ),
]

VOTING_PROJECTS = [
    (
        "Recovery choir",
        2_800,
        "Chelmsford",
        "",
        "A weekly community choir for people in recovery and their families.",
        "Forty rehearsals and two concerts, with a choir leader and a room.",
    ),
    (
        "Dads in recovery group",
        3_600,
        "Basildon",
        "",
        "A weekly group for fathers in recovery, with activities they can do with their children.",
        "Forty sessions and four family activity days.",
    ),
    (
        "Sober sports league",
        4_200,
        "Southend-on-Sea",
        "",
        "A five-a-side football league for people in recovery.",
        "A season of weekly games, pitch hire, kit and a coach for each team.",
    ),
    (
        "Peer mentors on the bus",
        5_500,
        None,
        "",
        "Peer mentors travel to villages with no recovery meeting, once a fortnight.",
        "Twenty-six visits a year to each of five villages, with travel costs and mentor expenses.",
    ),
    (
        "Cooking on a budget",
        1_900,
        "Tendring",
        "",
        "Cooking sessions for people in early recovery who are setting up home.",
        "Twenty sessions, with ingredients and a starter kit of pans for each person who finishes.",
    ),
    (
        "Recovery art exhibition",
        3_000,
        "Colchester",
        "",
        "A public exhibition of art made by people in recovery.",
        "Eight workshops, materials, framing and a two-week exhibition.",
    ),
]

# Who voted for what in the finished round: (area, projects, number of voters). Chosen so that Equal
# Shares and greedy by votes differ: greedy gives the Harlow allotment's 14 voters £6,000; Equal Shares
# funds the Basildon family days instead, which its 12 voters can afford from their shares.
FINISHED_BALLOTS = [
    ("Chelmsford", ("Recovery café Saturdays", "County-wide recovery walks", "Recovery stories podcast"), 22),
    ("Harlow", ("Allotment for recovery", "County-wide recovery walks"), 14),
    ("Basildon", ("Family days out", "County-wide recovery walks"), 12),
    ("Colchester", ("Alcohol-free student socials", "Recovery stories podcast"), 10),
    ("Thurrock", ("Work-ready peer sessions",), 8),
    ("Tendring", ("County-wide recovery walks", "Recovery stories podcast"), 6),
    ("Southend-on-Sea", ("Recovery stories podcast",), 5),
]

UPDATES = [
    (DeliveryStatus.ON_TRACK, "We have held the first four sessions. Twenty-two people came to at least one.", 0.3),
    (
        DeliveryStatus.COMPLETED,
        "Everything we promised is done. People who took part have set up a group to keep it going.",
        0.95,
    ),
]


# Demo community members who send the demo proposals (each may propose).
PROPOSERS = ("community", "mentor", "person", "family")


def _user(local: str) -> User | None:
    return User.objects.filter(email=demo_email(local)).first() if local else None


def _confirm_emails(users: list[User]) -> None:
    for user in users:
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def _settings(name: str, budget: int, closes_in: timedelta, description: str) -> actions.RoundSettings:
    return actions.RoundSettings(
        name=name,
        description=description,
        eligibility_rules=ELIGIBILITY,
        budget=budget,
        min_project_cost=500,
        max_project_cost=6_000,
        vote_type="approval",
        points_per_voter=10,
        rule="equal-shares-add1",
        voting_closes_at=timezone.now() + closes_in,
    )


def _make_round(
    admin: User, slug: str, settings: actions.RoundSettings, projects: list[tuple[Any, ...]]
) -> tuple[Round, dict[str, Proposal]]:
    """A round with these projects, all reviewed eligible, with voting open."""
    areas = [(name, list(districts)) for name, districts in ESSEX_DISTRICTS.items()]
    round = actions.round_create(actor=admin, settings=settings, areas=areas, is_illustrative=True)
    Round.objects.filter(pk=round.pk).update(slug=slug)
    round.refresh_from_db()
    for phase in (Phase.IDEAS, Phase.PROPOSALS):
        round = actions.round_advance(actor=admin, round=round, to_phase=phase)
    made: dict[str, Proposal] = {}
    community = [user for user in (_user(login) for login in PROPOSERS) if user is not None]
    for index, (title, cost, area_name, proposer_login, summary, delivers) in enumerate(projects):
        proposer = _user(proposer_login) or community[index % len(community)]
        area = RoundArea.objects.get(round=round, name=area_name) if area_name else None
        draft = actions.ProposalDraft(
            title=title,
            summary=summary,
            delivers=delivers,
            cost=cost,
            area_id=area.pk if area else None,
            lead_name=f"{title} group (illustrative)",
            lived_experience="Everyone who runs it has lived experience of recovery, as a person or a family member.",
        )
        made[title] = actions.proposal_submit(actor=proposer, round=round, draft=draft)
    round = actions.round_advance(actor=admin, round=round, to_phase=Phase.REVIEW)
    for proposal in made.values():
        actions.proposal_review(actor=admin, proposal=proposal, eligible=True, reason="")
    round = actions.round_advance(actor=admin, round=round, to_phase=Phase.VOTING)
    return round, {title: Proposal.objects.get(pk=p.pk) for title, p in made.items()}


def _ballots(round: Round, projects: dict[str, Proposal], count: int, seed: int) -> int:
    """Illustrative ballots: each voter supports a few projects of their area or for every area."""
    chooser = random.Random(seed)
    areas = list(RoundArea.objects.filter(round=round))
    popular = ["Basildon", "Chelmsford", "Colchester", "Thurrock", "Harlow", "Southend-on-Sea", "Tendring"]
    weights = [3 if area.name in popular else 1 for area in areas]
    rows = []
    for _ in range(count):
        area = chooser.choices(areas, weights)[0]
        open_to_them = [p for p in projects.values() if p.area_id in (None, area.pk)]
        if not open_to_them:
            continue
        picked = chooser.sample(open_to_them, k=min(len(open_to_them), chooser.randint(1, 3)))
        rows.append(Ballot(round=round, area=area, choices={p.code: 1 for p in picked}))
    Ballot.objects.bulk_create(rows)
    return len(rows)


def _pattern_ballots(round: Round, projects: dict[str, Proposal]) -> int:
    areas = {area.name: area for area in RoundArea.objects.filter(round=round)}
    rows = [
        Ballot(round=round, area=areas[area], choices={projects[title].code: 1 for title in titles})
        for area, titles, voters in FINISHED_BALLOTS
        for _ in range(voters)
    ]
    Ballot.objects.bulk_create(rows)
    return len(rows)


def _finished_round(admin: User, fund_team: User) -> None:
    settings = _settings(
        "Essex Recovery Fund 2025",
        20_000,
        timedelta(days=7),
        "An illustrative past round of the Essex Recovery Fund: £20,000 for community projects led by people "
        "in recovery, chosen by a community vote.",
    )
    round, projects = _make_round(admin, FINISHED_SLUG, settings, FINISHED_PROJECTS)
    _pattern_ballots(round, projects)
    Round.objects.filter(pk=round.pk).update(voting_closes_at=timezone.now() - timedelta(minutes=1))
    round.refresh_from_db()
    round = actions.round_advance(actor=admin, round=round, to_phase=Phase.COUNTING)
    actions.result_publish(actor=admin, round=round)
    for proposal in Proposal.objects.filter(round=round, is_funded=True).order_by("number"):
        author = proposal.proposer or fund_team
        for index, (status, body, spent) in enumerate(UPDATES):
            update = actions.delivery_update_add(
                actor=author, proposal=proposal, status=status, body=body, spent=int(proposal.cost * spent)
            )
            type(update).objects.filter(pk=update.pk).update(
                written_at=timezone.now() - timedelta(days=60 * (1 - index))
            )
    actions.round_advance(actor=admin, round=Round.objects.get(pk=round.pk), to_phase=Phase.DELIVERY)


def _voting_round(admin: User) -> None:
    settings = _settings(
        "Essex Recovery Fund 2026",
        25_000,
        timedelta(days=21),
        "An illustrative round of the Essex Recovery Fund, open for voting: £25,000 for community projects led by "
        "people in recovery. Vote for the projects in your area and those for the whole county.",
    )
    round, projects = _make_round(admin, VOTING_SLUG, settings, VOTING_PROJECTS)
    _ballots(round, projects, 31, seed=2026)


@transaction.atomic
def seed_demo(stdout: Any) -> None:
    admin = _user("admin")
    if admin is None or not any(_user(login) for login in PROPOSERS):
        stdout.write("Recovery Fund: no demo people (run seed_demo first); nothing added.")
        return
    fund_team = _user("commissioner") or admin
    _confirm_emails([user for user in (_user("person"), _user("family"), _user("community"), _user("mentor")) if user])
    added = []
    if not Round.objects.filter(slug=FINISHED_SLUG).exists():
        _finished_round(admin, fund_team)
        added.append("a finished round with results and delivery updates")
    if not Round.objects.filter(slug=VOTING_SLUG).exists():
        _voting_round(admin)
        added.append("a round open for voting")
    stdout.write(
        f"Recovery Fund demo data ready: {', '.join(added) if added else 'nothing new'} "
        f"({Round.objects.filter(is_illustrative=True).count()} illustrative rounds in all)."
    )
