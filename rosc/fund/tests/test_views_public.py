"""Public pages: rounds, ideas, proposals, results, the recount check and the Pabulib download."""

import pytest
from django.urls import reverse

from rosc.core.testing import sign_in
from rosc.fund import actions
from rosc.fund.models import Ballot, Phase, Proposal, RoundResult
from rosc.fund.tests.helpers import close, fund_admin, make_round, propose, publish, vote, voter, voting_round

pytestmark = pytest.mark.django_db


def published_round():
    round, projects = voting_round()
    for _ in range(4):
        vote(round, voter(), "CM1", "Recovery café", "Walking group")
    for _ in range(3):
        vote(round, voter(), "SS14", "Family art days")
    vote(round, voter(), "CO1", "Allotment")
    actions.proposal_review(actor=fund_admin(), proposal=projects["Allotment"], eligible=False, reason="Withdrawn.")
    round = close(round)
    publish(round)
    round.refresh_from_db()
    return round, projects


def test_the_fund_page_lists_public_rounds_but_not_those_being_set_up(client):
    make_round(name="Hidden round")
    make_round(phase=Phase.IDEAS, name="Open round")
    page = client.get(reverse("fund:index"))
    assert page.status_code == 200
    assert b"Open round" in page.content
    assert b"Hidden round" not in page.content


def test_a_round_being_set_up_is_not_found_by_the_public_but_seen_by_the_fund_team(client, persona):
    round = make_round(name="Private round")
    assert client.get(reverse("fund:round", args=[round.slug])).status_code == 404
    sign_in(client, persona("commissioner"))
    page = client.get(reverse("fund:round", args=[round.slug]))
    assert page.status_code == 200
    assert b"Only the fund team can see this page" in page.content


def test_the_round_page_states_the_rules_the_completion_rule_and_the_lot(client):
    round, _ = voting_round()
    page = client.get(reverse("fund:round", args=[round.slug])).content.decode()
    assert "Method of Equal Shares, completed by the add-one rule" in page
    assert "Completion rule" in page
    assert "rounded down" in page  # the add-one completion rule, stated
    assert "Tie-break order" in page
    section = page.split("Tie-break order")[1]
    positions = [section.index(Proposal.objects.get(round=round, code=code).title) for code in round.lot]
    assert positions == sorted(positions)


def test_a_proposal_waiting_for_review_is_seen_only_by_its_proposer_and_reviewers(client, persona):
    round = make_round(phase=Phase.PROPOSALS)
    author = persona("community_member")
    proposal = propose(round, title="Allotment", cost=900, proposer=author)
    url = reverse("fund:proposal", args=[round.slug, proposal.number])

    assert client.get(url).status_code == 404
    sign_in(client, persona("family_member"), with_mfa=False)
    assert client.get(url).status_code == 404
    sign_in(client, author, with_mfa=False)
    assert b"waiting to be checked" in client.get(url).content
    sign_in(client, persona("commissioner"))
    assert client.get(url).status_code == 200


def test_a_proposal_that_is_not_eligible_shows_its_published_reason(client):
    round = make_round(phase=Phase.PROPOSALS)
    proposal = propose(round, title="New minibus", cost=5_000)
    actions.round_advance(actor=fund_admin(), round=round, to_phase=Phase.REVIEW)
    actions.proposal_review(
        actor=fund_admin(), proposal=proposal, eligible=False, reason="It is not led by people in recovery."
    )
    listing = client.get(reverse("fund:proposals", args=[round.slug]))
    assert "New minibus</a>: It is not led by people in recovery." in listing.content.decode()
    page = client.get(reverse("fund:proposal", args=[round.slug, proposal.number]))
    assert b"This proposal is not eligible: It is not led by people in recovery." in page.content


def test_results_show_winners_reasons_comparison_groups_turnout_and_changes(client):
    round, _ = published_round()
    page = client.get(reverse("fund:results", args=[round.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    view = page.context["view"]
    assert view.funded
    for outcome in view.funded:
        assert outcome.proposal.title in text
    for outcome in view.not_funded:
        assert outcome.reason
        assert outcome.reason in text.replace("&#x27;", "'")
    assert "Compared with greedy by votes" in text
    assert "What each group of voters paid for" in text
    assert "2 areas with fewer than 5 voters each" in text  # 4 in Chelmsford, 3 in Basildon
    assert "Turnout" in text
    assert "8 people checked they could vote and 8 voted" in text
    assert "1 ballot was left empty" in text
    assert "Took “Allotment” off the ballot: Withdrawn." in text
    assert "Closed voting early" in text
    assert text.count("<svg") >= 3
    assert 'role="img"' in text
    assert "Every project on the ballot" in text  # the table beside the charts


def test_results_are_not_shown_before_they_are_published(client):
    round, _ = voting_round()
    assert client.get(reverse("fund:results", args=[round.slug])).status_code == 404
    assert client.get(reverse("fund:results_pb", args=[round.slug])).status_code == 404
    assert client.get(reverse("fund:results_check", args=[round.slug])).status_code == 404


def test_anyone_can_recount_and_compare(client):
    round, _ = published_round()
    page = client.get(reverse("fund:results_check", args=[round.slug]))
    assert b"The result matches" in page.content

    Ballot.objects.filter(round=round, area__name="Chelmsford").first().delete()
    page = client.get(reverse("fund:results_check", args=[round.slug]))
    assert b"The result does not match what was published" in page.content
    assert b"The number of ballots counted" in page.content


def test_the_pabulib_download_has_the_projects_and_the_ballots_in_no_particular_order(client):
    round, _ = published_round()
    response = client.get(reverse("fund:results_pb", args=[round.slug]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert text.startswith("META\nkey;value\n")
    assert "num_votes;7" in text  # the ballot left empty is not a vote
    eligible = set(Proposal.objects.filter(round=round, status="eligible").values_list("code", flat=True))
    assert f"tie_break_lot;{','.join(code for code in round.lot if code in eligible)}" in text
    result = RoundResult.objects.get(round=round)
    assert result.ballots_counted == 7


def test_a_funded_projects_lead_posts_a_delivery_update(client, persona):
    round, _ = published_round()
    funded = Proposal.objects.filter(round=round, is_funded=True).first()
    lead = funded.proposer
    url = reverse("fund:delivery_update", args=[round.slug, funded.number])

    sign_in(client, persona("family_member"), with_mfa=False)
    assert client.get(url).status_code == 403
    sign_in(client, lead, with_mfa=False)
    bad = client.post(url, {"status": "on_track", "body": "", "spent": "lots"})
    assert b"Enter your update." in bad.content
    assert not funded.updates.exists()
    done = client.post(url, {"status": "on_track", "body": "Ten sessions so far.", "spent": "£1,200"})
    assert done.status_code == 302
    update = funded.updates.get()
    assert (update.spent, update.by_project_lead) == (1200, True)
    assert b"Ten sessions so far." in client.get(reverse("fund:proposal", args=[round.slug, funded.number])).content


def test_no_one_can_post_updates_on_a_project_that_was_not_funded(client):
    round, _ = published_round()
    unfunded = Proposal.objects.filter(round=round, is_funded=False).first()
    sign_in(client, unfunded.proposer, with_mfa=False)
    assert client.get(reverse("fund:delivery_update", args=[round.slug, unfunded.number])).status_code == 403


def test_areas_with_few_voters_are_added_together_so_no_ones_choices_stand_out():
    from fractions import Fraction

    from rosc.fund.presentation import area_shares

    _, projects = voting_round()
    by_code = {p.code: p for p in projects.values()}
    cafe, walks = projects["Recovery café"].code, projects["Walking group"].code
    rows = [
        {"name": "Chelmsford", "voters": 6, "share": "600", "paid": [[cafe, "300"]], "left": "300"},
        {"name": "Basildon", "voters": 1, "share": "100", "paid": [[walks, "40"]], "left": "60"},
        {"name": "Harlow", "voters": 2, "share": "200", "paid": [[walks, "80"], [cafe, "20"]], "left": "100"},
        {"name": "Maldon", "voters": 0, "share": "0", "paid": [], "left": "0"},
    ]

    shown = area_shares(rows, by_code)

    assert [(a.name, a.voters) for a in shown] == [
        ("Chelmsford", 6),
        ("2 areas with fewer than 5 voters each", 3),
    ]
    together = shown[1]
    assert dict((p.code, amount) for p, amount in together.paid) == {walks: Fraction(120), cafe: Fraction(20)}
    assert (together.share, together.left) == (Fraction(300), Fraction(160))


def test_the_results_page_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    round, _ = published_round()
    for proposal in Proposal.objects.filter(round=round, is_funded=True):
        actions.delivery_update_add(actor=fund_admin(), proposal=proposal, status="on_track", body="Going.", spent=None)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("fund:results", args=[round.slug]))
    assert page.status_code == 200
