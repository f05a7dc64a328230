"""Voting: one checked voter, one secret ballot, changeable with its code until the close."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent
from rosc.fund import actions, secrecy
from rosc.fund.models import Ballot, Round, VoterRoll
from rosc.fund.tests.helpers import close, voter, voting_round

pytestmark = pytest.mark.django_db


def codes(round, *titles):
    by_title = {p.title: p.code for p in round.proposals.all()}
    return {by_title[t]: 1 for t in titles}


def test_a_checked_voter_casts_one_ballot_that_names_nobody():
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="cm1 1aa")

    code = actions.ballot_cast(actor=person, round=round, choices=codes(round, "Recovery café", "Walking group"))

    ballot = Ballot.objects.get(round=round)
    assert ballot.choices == codes(round, "Recovery café", "Walking group")
    assert ballot.area.name == "Chelmsford"
    assert ballot.code_hash == secrecy.code_hash(round.pk, code)
    assert code not in ballot.code_hash
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "round", "area", "choices", "code_hash"}
    entry = VoterRoll.objects.get(round=round, user=person)
    assert entry.has_voted
    assert {f.name for f in VoterRoll._meta.get_fields()} == {"id", "round", "user", "area", "has_voted"}


def test_casting_is_audited_without_the_voter_their_address_or_the_ballot():
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM2")
    actions.ballot_cast(actor=person, round=round, choices=codes(round, "Allotment"))

    registered = AuditEvent.objects.get(action="fund.voter_registered")
    cast = AuditEvent.objects.get(action="fund.ballot_cast")
    assert registered.actor == person
    assert cast.actor is None
    assert cast.actor_label == "anonymous"
    assert cast.ip_address is None
    assert cast.details == {}
    assert str(Ballot.objects.get().pk) not in str(cast.__dict__)


def test_it_keeps_the_area_not_the_postcode():
    round, _ = voting_round()
    person = voter()
    entry = actions.voter_register(actor=person, round=round, postcode="CM1 1AA")
    assert entry.area.name == "Chelmsford"
    assert "1AA" not in str(VoterRoll.objects.filter(pk=entry.pk).values().get())


def test_it_refuses_a_second_ballot():
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM1")
    actions.ballot_cast(actor=person, round=round, choices=codes(round, "Recovery café"))

    with pytest.raises(ActionRefused, match="already voted"):
        actions.ballot_cast(actor=person, round=round, choices=codes(round, "Allotment"))

    assert Ballot.objects.filter(round=round).count() == 1
    assert Ballot.objects.get().choices == codes(round, "Recovery café")


def test_it_refuses_a_vote_after_the_closing_time_even_before_staff_close_the_round():
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM1")
    Round.objects.filter(pk=round.pk).update(voting_closes_at=timezone.now() - timedelta(minutes=1))
    round.refresh_from_db()

    with pytest.raises(ActionRefused, match=r"closed on .* Your vote was not counted"):
        actions.ballot_cast(actor=person, round=round, choices=codes(round, "Recovery café"))

    assert not Ballot.objects.exists()
    assert not VoterRoll.objects.get(user=person).has_voted


def test_it_refuses_a_vote_once_the_round_is_closed():
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM1")
    close(round)

    with pytest.raises(ActionRefused, match="closed"):
        actions.ballot_cast(actor=person, round=Round.objects.get(pk=round.pk), choices=codes(round, "Allotment"))
    with pytest.raises(ActionRefused, match="closed"):
        actions.voter_register(actor=voter(), round=Round.objects.get(pk=round.pk), postcode="CM1")
    assert not Ballot.objects.exists()


def test_it_refuses_a_ballot_for_a_project_outside_the_voters_area():
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM3")

    with pytest.raises(ActionRefused) as refused:
        actions.ballot_cast(actor=person, round=round, choices=codes(round, "Recovery café", "Family art days"))

    assert refused.value.message == (
        "“Family art days” is a project for Basildon. You can vote only for projects in Chelmsford or for every area."
    )
    assert not Ballot.objects.exists()
    assert not VoterRoll.objects.get(user=person).has_voted


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({}, "Choose at least one project."),
        ({"999": 1}, "not on the ballot paper"),
        ({"1": 2}, "Tick each project"),
    ],
)
def test_it_refuses_a_spoilt_approval_ballot(choices, message):
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM1")
    with pytest.raises(ActionRefused, match=message):
        actions.ballot_cast(actor=person, round=round, choices=choices)
    assert not Ballot.objects.exists()


def test_points_ballots_must_stay_within_the_voters_points():
    round, _ = voting_round(vote_type="cumulative", points_per_voter=5)
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM1")
    by_title = {p.title: p.code for p in round.proposals.all()}
    with pytest.raises(ActionRefused, match="You have 5 points to share out and gave 6"):
        actions.ballot_cast(actor=person, round=round, choices={by_title["Allotment"]: 4, by_title["Recovery café"]: 2})
    actions.ballot_cast(actor=person, round=round, choices={by_title["Allotment"]: 3, by_title["Recovery café"]: 2})
    assert Ballot.objects.get().choices == {by_title["Allotment"]: 3, by_title["Recovery café"]: 2}


def test_a_voter_must_have_a_confirmed_email_address_and_live_in_an_area():
    round, _ = voting_round()
    with pytest.raises(ActionRefused, match="Confirm your email address"):
        actions.voter_register(actor=voter(verified=False), round=round, postcode="CM1")
    with pytest.raises(ActionRefused, match="E1 is not in any of this round's areas"):
        actions.voter_register(actor=voter(), round=round, postcode="E1 6AN")
    with pytest.raises(ActionRefused, match="Enter a postcode"):
        actions.voter_register(actor=voter(), round=round, postcode="not a postcode")
    assert not VoterRoll.objects.exists()


def test_a_voter_is_checked_once_and_cannot_move_area_afterwards():
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM1")
    with pytest.raises(ActionRefused, match="already been checked"):
        actions.voter_register(actor=person, round=round, postcode="SS14")
    assert VoterRoll.objects.get(user=person).area.name == "Chelmsford"


def test_a_voter_needs_to_be_checked_before_voting():
    round, _ = voting_round()
    with pytest.raises(ActionRefused, match="Tell us where you live"):
        actions.ballot_cast(actor=voter(), round=round, choices=codes(round, "Allotment"))


def test_staff_who_are_not_community_members_cannot_vote(persona):
    round, _ = voting_round()
    for name in ("commissioner", "keyworker_a", "administrator"):
        with pytest.raises(PermissionDenied):
            actions.voter_register(actor=persona(name), round=round, postcode="CM1")


def test_a_voter_changes_their_ballot_with_its_code():
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM1")
    code = actions.ballot_cast(actor=person, round=round, choices=codes(round, "Recovery café"))

    actions.ballot_change(
        actor=person, round=round, code=secrecy.grouped(code).lower(), choices=codes(round, "Allotment")
    )

    assert Ballot.objects.get().choices == codes(round, "Allotment")
    assert AuditEvent.objects.get(action="fund.ballot_changed").actor is None


def test_a_wrong_code_changes_nothing():
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM1")
    actions.ballot_cast(actor=person, round=round, choices=codes(round, "Recovery café"))

    with pytest.raises(ActionRefused, match="ballot code is not right"):
        actions.ballot_change(
            actor=person, round=round, code=secrecy.new_ballot_code(), choices=codes(round, "Allotment")
        )
    assert Ballot.objects.get().choices == codes(round, "Recovery café")


def test_a_code_works_only_for_someone_who_has_voted_in_the_same_area():
    round, _ = voting_round()
    first, second, third = voter(), voter(), voter()
    actions.voter_register(actor=first, round=round, postcode="CM1")
    code = actions.ballot_cast(actor=first, round=round, choices=codes(round, "Recovery café"))
    actions.voter_register(actor=second, round=round, postcode="SS14")
    actions.ballot_cast(actor=second, round=round, choices=codes(round, "Allotment"))
    actions.voter_register(actor=third, round=round, postcode="CM2")

    assert actions.ballot_for_code(actor=first, round=round, code=code) is not None
    assert actions.ballot_for_code(actor=second, round=round, code=code) is None  # another area
    assert actions.ballot_for_code(actor=third, round=round, code=code) is None  # has not voted
    with pytest.raises(ActionRefused):
        actions.ballot_change(actor=third, round=round, code=code, choices=codes(round, "Allotment"))


def test_a_ballot_cannot_be_changed_after_the_close():
    round, _ = voting_round()
    person = voter()
    actions.voter_register(actor=person, round=round, postcode="CM1")
    code = actions.ballot_cast(actor=person, round=round, choices=codes(round, "Recovery café"))
    round = close(round)
    with pytest.raises(ActionRefused, match="closed"):
        actions.ballot_change(actor=person, round=round, code=code, choices=codes(round, "Allotment"))
    assert Ballot.objects.get().choices == codes(round, "Recovery café")


def test_closing_stores_the_ballots_again_in_a_new_order_with_new_ids():
    round, _ = voting_round()
    casts = []
    for n in range(8):
        person = voter()
        actions.voter_register(actor=person, round=round, postcode="CM1")
        titles = ["Recovery café", "Allotment", "Walking group"][: 1 + n % 3]
        casts.append(actions.ballot_cast(actor=person, round=round, choices=codes(round, *titles)))
    before = {(b.code_hash, str(b.choices), b.area_id): b.pk for b in Ballot.objects.filter(round=round)}

    close(round)

    after = {(b.code_hash, str(b.choices), b.area_id): b.pk for b in Ballot.objects.filter(round=round)}
    assert set(after) == set(before)
    assert not set(after.values()) & set(before.values())
    assert (
        AuditEvent.objects.get(action="fund.round_phase_changed", details__to_phase="counting").details["ballots"] == 8
    )
