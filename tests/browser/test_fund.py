"""A Recovery Fund round in a real browser, from a community member's proposal to published results:
eligibility review by staff, voting by several community members, the close, and results counted by
Equal Shares and compared with greedy by votes. Every page is checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_persona
from rosc.core.models import PublicRole, User
from rosc.fund import actions
from rosc.fund.models import Ballot, Phase, Proposal, ProposalStatus, Round, RoundResult
from rosc.fund.tests.helpers import AREAS, confirm_email, propose, publish, vote
from tests.browser.harness import CheckedPage


def community_voter(email: str) -> User:
    user = User.objects.create_user(email, "a long password here", public_role=PublicRole.COMMUNITY_MEMBER)
    confirm_email(user)
    return user


@pytest.fixture
def round_taking_proposals(transactional_db: None) -> Round:
    admin = make_persona("administrator")
    settings = actions.RoundSettings(
        name="Summer round",
        description="Projects led by people in recovery.",
        eligibility_rules="Led by people in recovery. Costs no more than £5,000.",
        budget=8_000,
        min_project_cost=100,
        max_project_cost=5_000,
        vote_type="approval",
        points_per_voter=10,
        rule="equal-shares-add1",
        voting_closes_at=timezone.now() + timedelta(days=10),
    )
    round = actions.round_create(actor=admin, settings=settings, areas=AREAS)
    for phase in (Phase.IDEAS, Phase.PROPOSALS):
        round = actions.round_advance(actor=admin, round=round, to_phase=phase)
    propose(round, title="County recovery walks", cost=2_500)
    propose(round, title="Basildon family days", cost=4_000, area_name="Basildon")
    propose(round, title="Luxury minibus", cost=5_000)
    return round


def test_a_round_goes_from_a_proposal_to_published_results_compared_with_greedy(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable, round_taking_proposals: Round
) -> None:
    round = round_taking_proposals
    slug = round.slug
    member = make_persona("community_member")
    commissioner = make_persona("commissioner")
    voters = [(community_voter(f"voter{n}@example.com"), postcode) for n, postcode in enumerate(["CM1", "CM2", "SS14"])]
    keys = {user.email: signed_in_key(user) for user in [member, commissioner] + [v for v, _ in voters]}

    # A community member proposes a project, checking their answers first.
    proposer = open_page(session_key=keys[member.email])
    proposer.visit(f"/recovery-fund/{slug}/")
    proposer.submit(proposer.page.get_by_role("button", name="Propose a project"))
    page = proposer.page
    page.get_by_label("Name of the project").fill("Chelmsford recovery café")
    page.get_by_label("Summary").fill("A Saturday café run by volunteers in recovery.")
    page.get_by_label("What will the project deliver, and for whom?").fill("Fifty Saturday cafés in Chelmsford.")
    page.get_by_label("Cost").fill("£3,000")
    page.get_by_label("Chelmsford").check()
    page.get_by_label("Who will lead the project?").fill("Chelmsford Café Crew")
    page.get_by_label("How do people in recovery lead it?").fill("Every volunteer is in recovery.")
    page.get_by_label("I confirm that people in recovery lead this project").check()
    proposer.submit(page.get_by_role("button", name="Continue"))
    expect(page.locator("h1")).to_have_text("Check your proposal")
    expect(page.locator("main")).to_contain_text("£3,000")
    proposer.submit(page.get_by_role("button", name="Send the proposal"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your proposal has been sent")
    cafe = Proposal.objects.get(round=round, title="Chelmsford recovery café")
    assert cafe.proposer == member
    assert cafe.status == ProposalStatus.SUBMITTED

    # Staff move the round to review and decide eligibility, with a published reason for a refusal.
    staff = open_page(session_key=keys[commissioner.email])
    staff.visit("/home/")
    staff.submit(staff.page.get_by_role("link", name="Run Recovery Fund rounds"))
    staff.submit(staff.page.get_by_role("link", name="Summer round", exact=True))
    staff.submit(staff.page.get_by_role("button", name="Move to “Checking proposals”"))
    staff.submit(staff.page.get_by_role("button", name="Move to “Checking proposals”"))
    staff.submit(staff.page.get_by_role("link", name="Review proposals and ideas"))
    for title, eligible in [
        ("Chelmsford recovery café", True),
        ("County recovery walks", True),
        ("Basildon family days", True),
        ("Luxury minibus", False),
    ]:
        staff.submit(staff.page.get_by_role("link", name=title, exact=True))
        if eligible:
            staff.page.get_by_label("Yes, it goes on the ballot").check()
        else:
            staff.page.get_by_label("No, it does not meet the rules").check()
            staff.page.get_by_label("Reason (published)").fill("It is not led by people in recovery.")
        staff.submit(staff.page.get_by_role("button", name="Save the decision"))
        expect(staff.page.locator(".govuk-notification-banner")).to_contain_text(title)
    staff.visit(f"/recovery-fund/staff/{slug}/")
    staff.submit(staff.page.get_by_role("button", name="Move to “Voting”"))
    expect(staff.page.locator("main")).to_contain_text("The tie-break order of the projects is drawn at random now")
    staff.submit(staff.page.get_by_role("button", name="Move to “Voting”"))
    assert Round.objects.get(pk=round.pk).phase == Phase.VOTING

    # The public round page shows the refusal's reason and the lot.
    staff.visit(f"/recovery-fund/{slug}/")
    expect(staff.page.locator("main")).to_contain_text("Luxury minibus: It is not led by people in recovery.")
    expect(staff.page.locator("main")).to_contain_text("Tie-break order")

    # Several community members vote, each checking their ballot before casting it.
    choices = {
        "CM1": ["Chelmsford recovery café", "County recovery walks"],
        "CM2": ["Chelmsford recovery café"],
        "SS14": ["Basildon family days", "County recovery walks"],
    }
    for user, postcode in voters:
        ballot = open_page(session_key=keys[user.email])
        ballot.visit(f"/recovery-fund/{slug}/")
        ballot.submit(ballot.page.get_by_role("button", name="Vote now"))
        ballot.page.get_by_label("What is your postcode?").fill(f"{postcode} 1AA")
        ballot.submit(ballot.page.get_by_role("button", name="Continue"))
        expect(ballot.page.locator("h1")).to_have_text("Your ballot")
        for title in choices[postcode]:
            ballot.page.get_by_label(title).check()
        ballot.submit(ballot.page.get_by_role("button", name="Continue"))
        expect(ballot.page.locator("h1")).to_have_text("Check your vote")
        ballot.submit(ballot.page.get_by_role("button", name="Cast my vote"))
        expect(ballot.page.locator("h1")).to_have_text("Your vote is saved")
        code = ballot.page.locator(".govuk-panel__body strong").inner_text()
        assert len(code.replace("-", "")) == 20
        assert code.replace("-", "") not in ballot.page.url
    assert Ballot.objects.filter(round=round).count() == 3

    # Staff close voting (early, which the results will say) and publish the count.
    staff.visit(f"/recovery-fund/staff/{slug}/")
    staff.submit(staff.page.get_by_role("button", name="Move to “Voting closed”"))
    expect(staff.page.locator(".govuk-warning-text")).to_contain_text("before the published closing time")
    staff.submit(staff.page.get_by_role("button", name="Move to “Voting closed”"))
    staff.submit(staff.page.get_by_role("button", name="Count the votes"))
    expect(staff.page.locator("main")).to_contain_text("3 ballots counted with the Method of Equal Shares")
    staff.submit(staff.page.get_by_role("button", name="Publish the results"))

    # The results: winners, Equal Shares against greedy, reasons, areas, turnout and the changes.
    result = RoundResult.objects.get(round=round)
    assert staff.path() == f"/recovery-fund/{slug}/results/"
    main = staff.page.locator("main")
    expect(main.locator("h1")).to_have_text("Results")
    expect(main).to_contain_text("Counted by the Method of Equal Shares, completed by the add-one rule")
    expect(main).to_contain_text("Compared with greedy by votes")
    expect(main).to_contain_text("Completion rule")
    expect(main).to_contain_text("3 people checked they could vote and 3 voted")
    expect(main).to_contain_text("Closed voting early")
    funded = main.locator("table").first
    for code in result.allocation["selected"]:
        expect(funded).to_contain_text(Proposal.objects.get(round=round, code=code).title)
    expect(main.locator("svg[role=img]")).to_have_count(3)

    # Anyone can count again and compare; the result matches.
    reader = open_page()
    reader.visit(f"/recovery-fund/{slug}/results/")
    reader.submit(reader.page.get_by_role("link", name="Count the stored ballots again and compare with this result"))
    expect(reader.page.locator(".govuk-panel__title")).to_have_text("The result matches")


@pytest.fixture
def published_round(round_taking_proposals: Round) -> Round:
    round = round_taking_proposals
    admin = make_persona("administrator")
    round = actions.round_advance(actor=admin, round=round, to_phase=Phase.REVIEW)
    for proposal in Proposal.objects.filter(round=round):
        actions.proposal_review(actor=admin, proposal=proposal, eligible=True, reason="")
    round = actions.round_advance(actor=admin, round=round, to_phase=Phase.VOTING)
    for n, (postcode, titles) in enumerate(
        [("CM1", ["County recovery walks"]), ("SS14", ["Basildon family days", "Luxury minibus"])] * 3
    ):
        vote(round, community_voter(f"v{n}@example.com"), postcode, *titles)
    round = actions.round_advance(actor=admin, round=round, to_phase=Phase.COUNTING)
    publish(round)
    return Round.objects.get(pk=round.pk)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_the_results_work_on_a_phone_without_javascript(
    javascript: bool, open_page: Callable[..., CheckedPage], published_round: Round
) -> None:
    checked = open_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, javascript=javascript)
    checked.visit(f"/recovery-fund/{published_round.slug}/results/")

    widths = checked.page.evaluate("() => ({view: window.innerWidth, html: document.documentElement.scrollWidth})")
    assert widths["html"] <= widths["view"], f"The results page scrolls sideways at 375px: {widths}"
    checked.visit(f"/recovery-fund/{published_round.slug}/")
    checked.visit(f"/recovery-fund/{published_round.slug}/proposals/")
    checked.visit("/recovery-fund/")


def test_the_other_community_pages_have_no_accessibility_problems(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable, published_round: Round
) -> None:
    """Ideas, a points ballot, the ballot-code page, the pages that explain why someone cannot vote yet,
    and a delivery update, each visited in a real browser and checked with axe."""
    admin = make_persona("administrator")
    ideas_round = actions.round_create(
        actor=admin,
        settings=actions.RoundSettings(
            name="Ideas round",
            description="Collecting ideas.",
            eligibility_rules="Led by people in recovery.",
            budget=5_000,
            min_project_cost=100,
            max_project_cost=None,
            vote_type="cumulative",
            points_per_voter=10,
            rule="greedy",
            voting_closes_at=timezone.now() + timedelta(days=5),
        ),
        areas=AREAS,
    )
    actions.round_advance(actor=admin, round=ideas_round, to_phase=Phase.IDEAS)
    member = make_persona("family_member")
    unconfirmed = User.objects.create_user("new@example.com", "a long password here")
    lead = Proposal.objects.filter(round=published_round, is_funded=True).first()
    assert lead is not None
    keys = {"member": signed_in_key(member), "new": signed_in_key(unconfirmed), "lead": signed_in_key(lead.proposer)}

    checked = open_page(session_key=keys["member"])
    checked.visit(f"/recovery-fund/{ideas_round.slug}/ideas/")
    checked.submit(checked.page.get_by_role("button", name="Share an idea"))
    checked.submit(checked.page.get_by_role("button", name="Share the idea"))
    expect(checked.page.locator(".govuk-error-summary")).to_contain_text("Enter a short title for your idea.")
    checked.page.get_by_label("Your idea in a few words").fill("Cook together")
    checked.page.get_by_label("Tell us about it").fill("A weekly cooking club.")
    checked.submit(checked.page.get_by_role("button", name="Share the idea"))
    expect(checked.page.locator("main")).to_contain_text("Cook together")
    checked.visit(f"/recovery-fund/{ideas_round.slug}/vote/")
    expect(checked.page.locator("h1")).to_have_text("Voting has not opened yet")
    checked.visit(f"/recovery-fund/{published_round.slug}/vote/")
    expect(checked.page.locator("h1")).to_have_text("Voting has closed")
    checked.visit("/recovery-fund/your-proposals/")

    # A points ballot, and the page that asks for a ballot code on another device.
    points_round, _ = _points_round(admin)
    confirm_email(member)
    checked.visit(f"/recovery-fund/{points_round.slug}/vote/")
    checked.page.get_by_label("What is your postcode?").fill("CM1")
    checked.submit(checked.page.get_by_role("button", name="Continue"))
    checked.page.get_by_label("Choir (£900)").fill("12")
    checked.submit(checked.page.get_by_role("button", name="Continue"))
    expect(checked.page.locator(".govuk-error-summary")).to_contain_text("You have 10 points")
    checked.page.get_by_label("Choir (£900)").fill("6")
    checked.page.get_by_label("Walks (£700)").fill("4")
    checked.submit(checked.page.get_by_role("button", name="Continue"))
    checked.submit(checked.page.get_by_role("button", name="Cast my vote"))
    other_device = open_page(session_key=signed_in_key(member))
    other_device.visit(f"/recovery-fund/{points_round.slug}/vote/")
    expect(other_device.page.locator("h1")).to_have_text("You have already voted")
    other_device.page.get_by_label("Your ballot code").fill("WRONG")
    other_device.submit(other_device.page.get_by_role("button", name="Change my vote"))
    expect(other_device.page.locator(".govuk-error-summary")).to_contain_text("That ballot code is not right")

    # Someone without a confirmed email address is told how to confirm it.
    newcomer = open_page(session_key=keys["new"])
    newcomer.visit(f"/recovery-fund/{points_round.slug}/vote/")
    expect(newcomer.page.locator("h1")).to_have_text("Confirm your email address first")

    # The lead of a funded project posts a delivery update.
    reporter = open_page(session_key=keys["lead"])
    reporter.visit(f"/recovery-fund/{published_round.slug}/proposals/{lead.number}/")
    reporter.submit(reporter.page.get_by_role("button", name="Post an update"))
    reporter.page.get_by_label("On track").check()
    reporter.page.get_by_label("Your update").fill("The first walks have happened.")
    reporter.page.get_by_label("Spent so far (optional)").fill("600")
    reporter.submit(reporter.page.get_by_role("button", name="Publish the update"))
    expect(reporter.page.locator("main")).to_contain_text("The first walks have happened.")


def _points_round(admin: User) -> tuple[Round, dict[str, Proposal]]:
    settings = actions.RoundSettings(
        name="Points round",
        description="A points ballot.",
        eligibility_rules="Led by people in recovery.",
        budget=2_000,
        min_project_cost=100,
        max_project_cost=None,
        vote_type="cumulative",
        points_per_voter=10,
        rule="equal-shares-add1",
        voting_closes_at=timezone.now() + timedelta(days=5),
    )
    round = actions.round_create(actor=admin, settings=settings, areas=AREAS)
    for phase in (Phase.IDEAS, Phase.PROPOSALS):
        round = actions.round_advance(actor=admin, round=round, to_phase=phase)
    made = {
        "Choir": propose(round, title="Choir", cost=900),
        "Walks": propose(round, title="Walks", cost=700, area_name="Chelmsford"),
    }
    round = actions.round_advance(actor=admin, round=round, to_phase=Phase.REVIEW)
    for proposal in made.values():
        actions.proposal_review(actor=admin, proposal=proposal, eligible=True, reason="")
    return actions.round_advance(actor=admin, round=round, to_phase=Phase.VOTING), made
