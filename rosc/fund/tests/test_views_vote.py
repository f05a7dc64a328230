"""The voting pages: check once, fill in the ballot, check it, cast it, keep the code."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rosc.core.testing import sign_in
from rosc.fund import secrecy
from rosc.fund.models import Ballot, Round, VoterRoll
from rosc.fund.tests.helpers import voter, voting_round

pytestmark = pytest.mark.django_db


def url(name, round):
    return reverse(f"fund:{name}", args=[round.slug])


@pytest.fixture
def round_and_projects():
    return voting_round()


def code_of(round, title):
    return round.proposals.get(title=title).code


def cast_through_pages(client, round, postcode, *titles):
    """Go through the pages as a voter would; returns the response of the saved page."""
    client.post(url("vote_where", round), {"postcode": postcode})
    choices = [code_of(round, t) for t in titles]
    check = client.post(url("vote", round), {"choices": choices})
    assert check.status_code == 200
    assert b"Check your vote" in check.content
    confirmed = client.post(url("vote_confirm", round), {"choices": choices, "confirm": "1"})
    assert confirmed.status_code == 302
    return confirmed


def test_anonymous_visitors_are_asked_to_sign_in(client, round_and_projects):
    round, _ = round_and_projects
    response = client.get(url("vote", round))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_without_the_capability_are_refused(client, persona, round_and_projects):
    round, _ = round_and_projects
    sign_in(client, persona("keyworker_a"))
    assert client.get(url("vote", round)).status_code == 403
    assert client.post(url("vote_where", round), {"postcode": "CM1"}).status_code == 403
    assert not VoterRoll.objects.exists()


def test_an_unconfirmed_email_address_is_asked_for_first(client, round_and_projects):
    round, _ = round_and_projects
    sign_in(client, voter(verified=False), with_mfa=False)
    page = client.get(url("vote", round))
    assert b"Confirm your email address first" in page.content
    assert reverse("account_email").encode() in page.content


def test_a_community_member_votes_from_start_to_finish(client, round_and_projects):
    round, _ = round_and_projects
    person = voter()
    sign_in(client, person, with_mfa=False)

    where = client.get(url("vote", round))
    assert b"Where do you live?" in where.content
    registered = client.post(url("vote_where", round), {"postcode": "CM1 1AA"})
    assert registered.status_code == 302
    ballot = client.get(url("vote", round))
    assert b"You are voting as someone who lives in Chelmsford" in ballot.content
    assert b"Walking group" in ballot.content
    assert b"Family art days" not in ballot.content  # Basildon only

    saved = cast_through_pages(client, round, "CM1", "Recovery café", "Walking group")

    assert saved["Location"] == url("vote_saved", round)
    stored = Ballot.objects.get(round=round)
    assert stored.choices == {code_of(round, "Recovery café"): 1, code_of(round, "Walking group"): 1}
    page = client.get(url("vote_saved", round))
    assert b"Your vote is saved" in page.content
    shown = page.context["code"]
    assert secrecy.code_hash(round.pk, shown) == stored.code_hash
    # The code never travels in an address.
    assert secrecy.normalise_code(shown) not in saved["Location"]
    assert secrecy.normalise_code(shown) not in str(client.session.items())


def test_the_code_is_kept_only_in_a_signed_cookie_bound_to_the_voter(client, round_and_projects):
    round, _ = round_and_projects
    person = voter()
    sign_in(client, person, with_mfa=False)
    response = cast_through_pages(client, round, "CM1", "Recovery café")

    cookie = response.cookies[f"rosc_fund_ballot_{round.pk}"]
    assert cookie["httponly"]
    assert cookie["path"] == url("round", round)

    # Someone else signing in on the same device cannot use it.
    other = voter()
    client.logout()
    sign_in(client, other, with_mfa=False)
    client.cookies[f"rosc_fund_ballot_{round.pk}"] = cookie.value
    client.post(url("vote_where", round), {"postcode": "CM2"})
    page = client.get(url("vote", round))
    assert b"Your ballot" in page.content
    assert b"Change your vote" not in page.content
    assert client.get(url("vote_saved", round)).status_code == 302


def test_a_voter_changes_their_vote_on_the_same_device(client, round_and_projects):
    round, _ = round_and_projects
    sign_in(client, voter(), with_mfa=False)
    cast_through_pages(client, round, "CM1", "Recovery café")

    page = client.get(url("vote", round))
    assert b"Change your vote" in page.content
    assert page.context["rows"][0]["checked"] or page.context["rows"][1]["checked"]
    new = [code_of(round, "Allotment")]
    client.post(url("vote", round), {"choices": new})
    done = client.post(url("vote_confirm", round), {"choices": new, "confirm": "1"})

    assert done.status_code == 302
    assert Ballot.objects.get(round=round).choices == {code_of(round, "Allotment"): 1}


def test_a_voter_changes_their_vote_on_another_device_with_the_code(round_and_projects):
    round, _ = round_and_projects
    person = voter()
    first, second = Client(), Client()
    sign_in(first, person, with_mfa=False)
    cast_through_pages(first, round, "CM1", "Recovery café")
    code = first.get(url("vote_saved", round)).context["code"]

    sign_in(second, person, with_mfa=False)
    asked = second.get(url("vote", round))
    assert b"You have already voted" in asked.content
    wrong = second.post(url("vote_code", round), {"code": secrecy.new_ballot_code()})
    assert b"That ballot code is not right" in wrong.content
    assert second.post(url("vote_code", round), {"code": code}).status_code == 302
    new = [code_of(round, "Allotment")]
    second.post(url("vote_confirm", round), {"choices": new, "confirm": "1"})

    assert Ballot.objects.get(round=round).choices == {code_of(round, "Allotment"): 1}


def test_a_second_ballot_without_the_code_is_refused(round_and_projects):
    round, _ = round_and_projects
    person = voter()
    first, second = Client(), Client()
    sign_in(first, person, with_mfa=False)
    cast_through_pages(first, round, "CM1", "Recovery café")

    sign_in(second, person, with_mfa=False)
    response = second.post(url("vote_confirm", round), {"choices": [code_of(round, "Allotment")], "confirm": "1"})

    assert b"You have already voted" in response.content
    assert Ballot.objects.filter(round=round).count() == 1
    assert Ballot.objects.get().choices == {code_of(round, "Recovery café"): 1}


def test_a_ballot_for_a_project_outside_the_voters_area_is_refused_clearly(client, round_and_projects):
    round, _ = round_and_projects
    sign_in(client, voter(), with_mfa=False)
    client.post(url("vote_where", round), {"postcode": "CM1"})

    response = client.post(url("vote_confirm", round), {"choices": [code_of(round, "Family art days")], "confirm": "1"})

    assert response.status_code == 200
    assert "“Family art days” is a project for Basildon" in response.content.decode()
    assert b"govuk-error-summary" in response.content
    assert not Ballot.objects.exists()


def test_an_empty_ballot_is_refused(client, round_and_projects):
    round, _ = round_and_projects
    sign_in(client, voter(), with_mfa=False)
    client.post(url("vote_where", round), {"postcode": "CM1"})
    response = client.post(url("vote", round), {})
    assert b"Choose at least one project." in response.content
    assert not Ballot.objects.exists()


def test_a_vote_after_the_close_is_refused(client, round_and_projects):
    round, _ = round_and_projects
    sign_in(client, voter(), with_mfa=False)
    client.post(url("vote_where", round), {"postcode": "CM1"})
    Round.objects.filter(pk=round.pk).update(voting_closes_at=timezone.now() - timedelta(seconds=1))

    response = client.post(url("vote_confirm", round), {"choices": [code_of(round, "Allotment")], "confirm": "1"})

    assert b"Voting has closed" in response.content
    assert not Ballot.objects.exists()


def test_a_postcode_outside_the_round_is_explained(client, round_and_projects):
    round, _ = round_and_projects
    sign_in(client, voter(), with_mfa=False)
    response = client.post(url("vote_where", round), {"postcode": "E1 6AN"})
    assert b"E1 is not in any of this round" in response.content
    assert not VoterRoll.objects.exists()


def test_changing_choices_on_the_check_page_goes_back_to_the_ballot(client, round_and_projects):
    round, _ = round_and_projects
    sign_in(client, voter(), with_mfa=False)
    client.post(url("vote_where", round), {"postcode": "CM1"})
    choices = [code_of(round, "Recovery café")]
    back = client.post(url("vote_confirm", round), {"choices": choices, "change": "1"})
    assert b"Your ballot" in back.content
    assert not Ballot.objects.exists()


def test_points_ballots_are_filled_in_as_numbers(client):
    round, _ = voting_round(vote_type="cumulative", points_per_voter=10)
    sign_in(client, voter(), with_mfa=False)
    client.post(url("vote_where", round), {"postcode": "SS14"})
    cafe, art = code_of(round, "Recovery café"), code_of(round, "Family art days")

    too_many = client.post(url("vote", round), {f"project_{cafe}": "8", f"project_{art}": "5"})
    assert b"You have 10 points to share out and gave 13" in too_many.content
    check = client.post(url("vote", round), {f"project_{cafe}": "6", f"project_{art}": "4"})
    assert b"6 points" in check.content
    client.post(url("vote_confirm", round), {f"project_{cafe}": "6", f"project_{art}": "4", "confirm": "1"})

    assert Ballot.objects.get().choices == {cafe: 6, art: 4}
