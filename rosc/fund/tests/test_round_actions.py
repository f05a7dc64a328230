"""Running a round: setting it up, moving it through its phases, and the audit of every change."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent
from rosc.fund import actions
from rosc.fund.models import Phase, ProposalStatus, Round, RoundChange
from rosc.fund.tests.helpers import AREAS, fund_admin, make_round, propose, settings, settings_of, voting_round

pytestmark = pytest.mark.django_db


def test_commissioners_and_administrators_set_up_rounds(persona):
    for name in ("administrator", "commissioner"):
        round = actions.round_create(actor=persona(name), settings=settings(name=f"Round by {name}"), areas=AREAS)
        assert round.phase == Phase.DRAFT
        assert [a.name for a in round.areas.all()] == ["Chelmsford", "Basildon", "Colchester"]
        assert AuditEvent.objects.filter(action="fund.round_created", actor=persona(name)).exists()


@pytest.mark.parametrize("name", ["service_manager", "peer_mentor", "community_member", "ig_lead"])
def test_other_people_cannot_set_up_rounds(persona, name):
    with pytest.raises(PermissionDenied):
        actions.round_create(actor=persona(name), settings=settings(), areas=AREAS)
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"budget": 0}, "The budget must be between"),
        ({"min_project_cost": 500, "max_project_cost": 400}, "highest project cost must be"),
        ({"min_project_cost": 20_000, "max_project_cost": None}, "cannot be more than the budget"),
        ({"name": "  "}, "Enter the name of the round"),
        ({"points_per_voter": 1}, "between 2 and"),
    ],
)
def test_it_refuses_settings_that_make_no_sense(overrides, message):
    with pytest.raises(ActionRefused, match=message):
        actions.round_create(actor=fund_admin(), settings=settings(**overrides), areas=AREAS)
    assert not Round.objects.exists()


def test_slugs_are_unique_and_never_clash_with_the_fund_pages():
    first = actions.round_create(actor=fund_admin(), settings=settings(name="Staff"), areas=AREAS)
    second = actions.round_create(actor=fund_admin(), settings=settings(name="Staff"), areas=AREAS)
    assert first.slug == "staff-round"
    assert second.slug == "staff-round-2"


def test_voting_cannot_open_without_eligible_projects_or_while_proposals_wait():
    round = make_round(phase=Phase.PROPOSALS)
    propose(round, title="Café", cost=2_000)
    admin = fund_admin()
    actions.round_advance(actor=admin, round=round, to_phase=Phase.REVIEW)

    with pytest.raises(ActionRefused) as refused:
        actions.round_advance(actor=admin, round=round, to_phase=Phase.VOTING)

    assert "No proposal has been found eligible yet." in refused.value.message
    assert "1 proposal is still waiting for review." in refused.value.message
    assert Round.objects.get(pk=round.pk).phase == Phase.REVIEW


def test_opening_voting_draws_and_records_the_lot():
    round, projects = voting_round()
    assert sorted(round.lot) == sorted(p.code for p in projects.values())
    assert round.lot_drawn_at is not None
    assert round.voting_opened_at is not None
    change = RoundChange.objects.get(round=round, action="fund.round_phase_changed", summary__startswith="Opened")
    assert "drew the tie-break lot for 4 projects" in change.summary


def test_a_phase_cannot_be_skipped_or_moved_twice():
    round = make_round(phase=Phase.IDEAS)
    with pytest.raises(ActionRefused, match="already at"):
        actions.round_advance(actor=fund_admin(), round=round, to_phase=Phase.REVIEW)
    actions.round_advance(actor=fund_admin(), round=round, to_phase=Phase.PROPOSALS)
    with pytest.raises(ActionRefused, match="already at"):
        actions.round_advance(actor=fund_admin(), round=round, to_phase=Phase.PROPOSALS)
    assert Round.objects.get(pk=round.pk).phase == Phase.PROPOSALS


def test_changes_before_voting_opens_are_logged_but_not_flagged():
    round = make_round(phase=Phase.PROPOSALS)
    changed = actions.round_update(
        actor=fund_admin(), round=round, settings=settings_of(round, budget=12_000), areas=AREAS
    )
    assert changed == ["budget"]
    change = RoundChange.objects.get(round=round, action="fund.round_updated")
    assert change.summary == "Changed the budget from £10,000 to £12,000."
    assert not change.after_voting_opened
    assert AuditEvent.objects.get(action="fund.round_updated").details["fields"] == ["budget"]


def test_every_change_after_voting_opens_is_audited_and_flagged_for_the_results_page(persona):
    round, projects = voting_round()
    commissioner = persona("commissioner")
    later = round.voting_closes_at + timedelta(days=7)

    actions.round_update(
        actor=commissioner,
        round=round,
        settings=settings_of(round, budget=11_000, voting_closes_at=later),
        areas=AREAS,
    )
    actions.proposal_review(
        actor=commissioner, proposal=projects["Allotment"], eligible=False, reason="The site is no longer available."
    )

    flagged = list(RoundChange.objects.filter(round=round, after_voting_opened=True).order_by("at", "id"))
    summaries = [change.summary for change in flagged]
    assert summaries[0].startswith("Opened voting")
    assert summaries[1].startswith("Changed the budget from £10,000 to £11,000. Changed the closing time for votes")
    assert summaries[2] == "Took “Allotment” off the ballot: The site is no longer available."
    assert {change.actor_role for change in flagged[1:]} == {"Commissioner"}
    assert AuditEvent.objects.filter(actor=commissioner, action="fund.round_updated").count() == 1
    assert AuditEvent.objects.filter(actor=commissioner, action="fund.proposal_reviewed").count() == 1
    event = AuditEvent.objects.get(actor=commissioner, action="fund.proposal_reviewed")
    assert "site" not in str(event.details)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rule": "greedy"}, "counting rule"),
        ({"vote_type": "cumulative"}, "type of ballot"),
        ({"points_per_voter": 5}, "points"),
    ],
)
def test_the_rule_and_ballot_cannot_change_once_voting_opens(overrides, field):
    round, _ = voting_round()
    with pytest.raises(ActionRefused, match=f"The {field}.* cannot be changed once voting has opened"):
        actions.round_update(actor=fund_admin(), round=round, settings=settings_of(round, **overrides), areas=AREAS)
    assert Round.objects.get(pk=round.pk).rule == "equal-shares-add1"


def test_the_areas_cannot_change_once_voting_opens():
    round, _ = voting_round()
    with pytest.raises(ActionRefused, match="areas cannot be changed"):
        actions.round_update(
            actor=fund_admin(), round=round, settings=settings_of(round), areas=[("Chelmsford", ["CM1"])]
        )


def test_while_voting_the_closing_time_must_stay_in_the_future():
    round, _ = voting_round()
    with pytest.raises(ActionRefused, match="must be in the future"):
        actions.round_update(
            actor=fund_admin(),
            round=round,
            settings=settings_of(round, voting_closes_at=timezone.now() - timedelta(hours=1)),
            areas=AREAS,
        )


def test_closing_early_is_flagged():
    round, _ = voting_round()
    actions.round_advance(actor=fund_admin(), round=round, to_phase=Phase.COUNTING)
    change = RoundChange.objects.filter(round=round).latest("at", "id")
    assert change.summary.startswith("Closed voting early")
    assert change.after_voting_opened


def test_a_project_cannot_be_added_to_the_ballot_after_voting_opens():
    _round, projects = voting_round()
    admin = fund_admin()
    actions.proposal_review(actor=admin, proposal=projects["Allotment"], eligible=False, reason="Withdrawn.")
    with pytest.raises(ActionRefused, match="cannot be added to the ballot once voting has opened"):
        actions.proposal_review(actor=admin, proposal=projects["Allotment"], eligible=True, reason="")
    projects["Allotment"].refresh_from_db()
    assert projects["Allotment"].status == ProposalStatus.INELIGIBLE


def test_areas_in_use_by_proposals_cannot_be_removed():
    round = make_round(phase=Phase.PROPOSALS)
    propose(round, title="Walks", cost=500, area_name="Basildon")
    with pytest.raises(ActionRefused, match="Proposals are linked to Basildon"):
        actions.round_update(
            actor=fund_admin(), round=round, settings=settings_of(round), areas=[("Chelmsford", ["CM1", "CM2", "CM3"])]
        )
    changed = actions.round_update(
        actor=fund_admin(), round=round, settings=settings_of(round), areas=[*AREAS, ("Harlow", ["CM17", "CM18"])]
    )
    assert changed == ["areas"]
    assert [a.name for a in round.areas.all()] == ["Chelmsford", "Basildon", "Colchester", "Harlow"]
