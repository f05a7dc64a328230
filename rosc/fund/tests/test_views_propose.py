"""Sharing ideas and proposing projects, with a check-your-answers page."""

import pytest
from django.urls import reverse

from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.fund.models import Idea, Phase, Proposal, ProposalStatus
from rosc.fund.tests.helpers import area, make_round

pytestmark = pytest.mark.django_db

GOOD = {
    "title": "Recovery choir",
    "summary": "A weekly choir.",
    "delivers": "Forty rehearsals and two concerts.",
    "cost": "£2,800",
    "area": "",
    "lead_name": "Chelmsford Sings",
    "lived_experience": "Run by members in recovery.",
    "led_by_people_in_recovery": "on",
}


def test_a_community_member_proposes_a_project_and_checks_it_first(client, persona):
    round = make_round(phase=Phase.PROPOSALS)
    author = persona("person_in_recovery")
    sign_in(client, author, with_mfa=False)
    url = reverse("fund:propose", args=[round.slug])

    assert client.get(url).status_code == 200
    to_check = client.post(url, {**GOOD, "area": str(area(round, "Chelmsford").pk)})
    assert to_check["Location"] == reverse("fund:propose_check", args=[round.slug])
    assert not Proposal.objects.exists()
    check = client.get(to_check["Location"])
    assert b"Check your proposal" in check.content
    assert b"\xc2\xa32,800" in check.content
    assert b"Chelmsford" in check.content

    sent = client.post(to_check["Location"])

    proposal = Proposal.objects.get()
    assert sent["Location"] == reverse("fund:proposal", args=[round.slug, proposal.number])
    assert (proposal.proposer, proposal.cost, proposal.status) == (author, 2800, ProposalStatus.SUBMITTED)
    assert proposal.area.name == "Chelmsford"
    assert AuditEvent.objects.get(action="fund.proposal_submitted").actor == author
    mine = client.get(reverse("fund:my_proposals"))
    assert b"Recovery choir" in mine.content


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Enter the name of the project."),
        ({"cost": "lots"}, "Enter an amount in whole pounds"),
        ({"cost": "50"}, "The project must cost at least £100."),
        ({"cost": "7000"}, "The project can cost at most £6,000 in this round."),
        ({"led_by_people_in_recovery": ""}, "Confirm that people in recovery lead the project."),
        ({"area": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_proposals_are_explained_and_nothing_is_kept(client, persona, change, message):
    round = make_round(phase=Phase.PROPOSALS)
    sign_in(client, persona("community_member"), with_mfa=False)
    response = client.post(reverse("fund:propose", args=[round.slug]), {**GOOD, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert b"govuk-error-summary" in response.content
    assert not Proposal.objects.exists()


def test_proposals_are_taken_only_while_the_round_takes_them(client, persona):
    round = make_round(phase=Phase.IDEAS)
    sign_in(client, persona("community_member"), with_mfa=False)
    response = client.post(reverse("fund:propose", args=[round.slug]), GOOD)
    assert b"This round is not taking proposals now" in response.content
    assert not Proposal.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in_and_staff_are_refused(client, persona):
    round = make_round(phase=Phase.PROPOSALS)
    url = reverse("fund:propose", args=[round.slug])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    sign_in(client, persona("service_manager"))
    assert client.get(url).status_code == 403
    assert client.post(reverse("fund:propose_check", args=[round.slug])).status_code == 403


def test_peer_mentors_may_propose(client, persona):
    round = make_round(phase=Phase.PROPOSALS)
    sign_in(client, persona("peer_mentor"))
    assert client.get(reverse("fund:propose", args=[round.slug])).status_code == 200


def test_ideas_are_shared_without_a_name_and_can_be_hidden_with_a_reason(client, persona):
    round = make_round(phase=Phase.IDEAS)
    author = persona("family_member")
    sign_in(client, author, with_mfa=False)
    bad = client.post(reverse("fund:idea_new", args=[round.slug]), {"title": "", "description": ""})
    assert b"Enter a short title for your idea." in bad.content
    client.post(reverse("fund:idea_new", args=[round.slug]), {"title": "Cook club", "description": "Cook together."})
    idea = Idea.objects.get()
    listing = client.get(reverse("fund:ideas", args=[round.slug])).content.decode()
    assert "Cook club" in listing
    assert author.email not in listing
    assert str(author.display_name) not in listing

    sign_in(client, persona("commissioner"))
    url = reverse("fund:idea_hide", args=[round.slug, idea.pk])
    assert b"Enter why the idea is hidden." in client.post(url, {"reason": ""}).content
    client.post(url, {"reason": "It named a person."})
    listing = client.get(reverse("fund:ideas", args=[round.slug])).content.decode()
    assert "Cook club" not in listing
    assert "was hidden: It named a person." in listing
