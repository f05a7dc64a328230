"""The fund team's pages: every page refuses people without the capability; rounds are set up,
moved on, reviewed, counted, published and imported through them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse
from django.utils import timezone

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.fund import actions, urls
from rosc.fund.models import Ballot, Phase, Proposal, ProposalStatus, Round, RoundResult
from rosc.fund.tests.helpers import close, make_round, propose, vote, voter, voting_round

pytestmark = pytest.mark.django_db

STAFF_PAGES = [p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and str(p.pattern).startswith("staff/")]
NOT_FUND_TEAM = ["keyworker_a", "service_manager", "peer_mentor", "community_researcher", "ig_lead"]
PUBLIC = ["outsider", "family_member", "person_in_recovery", "community_member"]

PB = """META
key;value
description;Imported test round
country;Poland
unit;Testville
instance;2024
num_projects;3
num_votes;4
budget;1000
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;name;selected
a1;600;3;Park benches;1
a2;500;2;Library books;0
a3;400;2;Bike racks;1
VOTES
voter_id;vote
1;a1,a2
2;a1,a3
3;a1
4;a2,a3
"""


def staff_urls(round, number=1, idea_id=1):
    kwargs = {"slug": round.slug, "number": number, "idea_id": idea_id}
    for pattern in urls.urlpatterns:
        if pattern.name in STAFF_PAGES:
            wanted = {name: kwargs[name] for name in pattern.pattern.converters}
            yield reverse(f"fund:{pattern.name}", kwargs=wanted)


@pytest.fixture
def counting_round():
    round, _ = voting_round()
    vote(round, voter(), "CM1", "Recovery café")
    return close(round)


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_refused_every_staff_page(client, counting_round, method):
    for url in staff_urls(counting_round):
        assert getattr(client, method)(url).status_code in (403, 405), url


@pytest.mark.parametrize("name", NOT_FUND_TEAM + PUBLIC)
@pytest.mark.parametrize("method", ["get", "post"])
def test_people_without_the_capability_are_refused_every_staff_page(client, persona, counting_round, name, method):
    sign_in(client, persona(name), with_mfa=name not in PUBLIC)
    for url in staff_urls(counting_round):
        assert getattr(client, method)(url).status_code in (403, 405), f"{name} reached {url}"
    assert not RoundResult.objects.exists()


@pytest.mark.parametrize("name", ["administrator", "commissioner"])
def test_the_fund_team_reaches_every_staff_page(client, persona, name):
    round = make_round(phase=Phase.PROPOSALS)
    propose(round, title="Choir", cost=900)
    round = Round.objects.get(pk=round.pk)
    sign_in(client, persona(name))
    skip = {reverse("fund:round_count", args=[round.slug]), reverse("fund:idea_hide", args=[round.slug, 1])}
    for url in staff_urls(round):
        if url not in skip:
            assert client.get(url).status_code == 200, url


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, persona, counting_round):
    sign_in(client, persona("commissioner"), with_mfa=False)
    response = client.get(reverse("fund:staff_rounds"))
    assert response["Location"] == reverse("core:mfa_required")


def test_a_commissioner_sets_up_a_round_through_the_form(client, persona):
    sign_in(client, persona("commissioner"))
    form = {
        "name": "Autumn round",
        "description": "For projects led by people in recovery.",
        "budget": "£15,000",
        "eligibility_rules": "Led by people in recovery.",
        "min_project_cost": "",
        "max_project_cost": "5000",
        "areas": "Chelmsford: CM1, CM2\nHarlow: cm17, CM18 1AA",
        "vote_type": "approval",
        "points_per_voter": "",
        "rule": "equal-shares-add1",
        "voting_closes_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "voting_closes_time": "18:00",
    }
    bad = client.post(reverse("fund:round_new"), {**form, "areas": "Chelmsford CM1"})
    assert b"Line 1: write the area" in bad.content
    assert not Round.objects.exists()

    done = client.post(reverse("fund:round_new"), form)

    round = Round.objects.get()
    assert done["Location"] == reverse("fund:round_manage", args=[round.slug])
    assert (round.budget, round.max_project_cost, round.phase) == (15_000, 5_000, Phase.DRAFT)
    assert [(a.name, a.district_list()) for a in round.areas.all()] == [
        ("Chelmsford", ["CM1", "CM2"]),
        ("Harlow", ["CM17", "CM18"]),
    ]
    assert timezone.localtime(round.voting_closes_at).hour == 18


def test_the_fund_team_moves_a_round_on_and_is_told_what_stops_voting(client, persona):
    round = make_round(phase=Phase.REVIEW)
    sign_in(client, persona("administrator"))
    page = client.get(reverse("fund:round_phase", args=[round.slug]))
    assert b"No proposal has been found eligible yet." in page.content
    refused = client.post(reverse("fund:round_phase", args=[round.slug]), {"to_phase": "voting"})
    assert refused.status_code == 400
    assert Round.objects.get(pk=round.pk).phase == Phase.REVIEW


def test_a_reviewer_must_give_a_reason_when_a_proposal_is_not_eligible(client, persona):
    round = make_round(phase=Phase.PROPOSALS)
    proposal = propose(round, title="Choir", cost=900)
    sign_in(client, persona("commissioner"))
    url = reverse("fund:review_proposal", args=[round.slug, proposal.number])

    bad = client.post(url, {"decision": "ineligible", "reason": ""})
    assert b"Enter the reason the proposal is not eligible" in bad.content
    assert Proposal.objects.get().status == ProposalStatus.SUBMITTED

    client.post(url, {"decision": "ineligible", "reason": "Not in Essex."})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.review_reason) == (ProposalStatus.INELIGIBLE, "Not in Essex.")


def test_counting_shows_a_preview_and_publishing_stores_the_result(client, persona, counting_round):
    sign_in(client, persona("administrator"))
    url = reverse("fund:round_count", args=[counting_round.slug])
    preview = client.get(url)
    assert b"Projects this count funds" in preview.content
    assert not RoundResult.objects.exists()

    published = client.post(url)

    assert published["Location"] == reverse("fund:results", args=[counting_round.slug])
    assert RoundResult.objects.filter(round=counting_round).exists()
    assert Round.objects.get(pk=counting_round.pk).phase == Phase.RESULTS


def test_closing_voting_through_the_page_refuses_later_votes(client, persona):
    round, _ = voting_round()
    person = voter()
    sign_in(client, persona("administrator"))
    client.post(reverse("fund:round_phase", args=[round.slug]), {"to_phase": "counting"})

    with pytest.raises(ActionRefused):
        actions.voter_register(actor=person, round=Round.objects.get(pk=round.pk), postcode="CM1")


def test_a_pabulib_file_becomes_a_closed_round(client, persona):
    sign_in(client, persona("administrator"))
    upload = SimpleUploadedFile("testville.pb", PB.encode(), content_type="text/plain")

    response = client.post(reverse("fund:round_import"), {"file": upload})

    round = Round.objects.get()
    assert response["Location"] == reverse("fund:round_manage", args=[round.slug])
    assert (round.name, round.budget, round.rule, round.phase, round.currency) == (
        "Imported test round",
        1000,
        "greedy",
        Phase.COUNTING,
        "GBP",
    )
    assert list(round.proposals.values_list("code", "title")) == [
        ("a1", "Park benches"),
        ("a2", "Library books"),
        ("a3", "Bike racks"),
    ]
    assert Ballot.objects.filter(round=round).count() == 4
    assert sorted(round.lot) == ["a1", "a2", "a3"]
    assert round.imported_selected == ["a1", "a3"]
    assert AuditEvent.objects.filter(action="fund.round_imported").exists()

    client.post(reverse("fund:round_count", args=[round.slug]))
    results = client.get(reverse("fund:results", args=[round.slug]))
    assert RoundResult.objects.get().allocation["selected"] == ["a1", "a3"]
    assert b"This count funds the same projects as the file it was imported from" in results.content


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            PB.replace("a3;400;2;Bike racks;1", "a3;lots;2;Bike racks;1"),
            "Line 16: the cost of project a3 must be a number",
        ),
        (PB.replace("4;a2,a3", "4;a2,a9"), "Line 22: voter 4 voted for project &#x27;a9&#x27;"),
        (PB.replace("vote_type;approval", "vote_type;ordinal"), "Line 10: ordinal (ranked) ballots are not supported"),
        ("not a pabulib file\n", "Line 1: the file must start with a line reading META"),
    ],
)
def test_a_bad_pabulib_file_is_refused_whole_with_the_line_at_fault(client, persona, text, message):
    sign_in(client, persona("administrator"))
    upload = SimpleUploadedFile("bad.pb", text.encode(), content_type="text/plain")

    response = client.post(reverse("fund:round_import"), {"file": upload})

    assert response.status_code == 400
    assert b"The file cannot be imported" in response.content
    assert message in response.content.decode()
    assert not Round.objects.exists()
    assert not Ballot.objects.exists()


def test_a_file_that_is_not_text_is_refused(client, persona):
    sign_in(client, persona("administrator"))
    upload = SimpleUploadedFile("bad.pb", b"META\n\xff\xfe", content_type="application/octet-stream")
    response = client.post(reverse("fund:round_import"), {"file": upload})
    assert b"Line 2: the file is not UTF-8 text" in response.content
    assert not Round.objects.exists()


def test_the_staff_home_links_to_the_fund_for_those_who_run_it_and_those_who_vote(client, persona):
    sign_in(client, persona("commissioner"))
    assert reverse("fund:staff_rounds").encode() in client.get(reverse("core:dashboard")).content
    sign_in(client, persona("peer_mentor"))
    home = client.get(reverse("core:dashboard")).content
    assert reverse("fund:staff_rounds").encode() not in home
    assert reverse("fund:index").encode() in home


def test_the_account_home_links_to_the_fund(client, persona):
    sign_in(client, persona("family_member"), with_mfa=False)
    home = client.get(reverse("core:dashboard")).content
    assert reverse("fund:index").encode() in home
    assert reverse("fund:my_proposals").encode() in home


def test_the_settings_form_shows_the_closing_date_so_saving_it_unchanged_changes_nothing(client, persona):
    round = make_round(phase=Phase.PROPOSALS)
    sign_in(client, persona("commissioner"))
    url = reverse("fund:round_edit", args=[round.slug])
    page = client.get(url)
    closes = timezone.localtime(round.voting_closes_at)
    assert f'name="voting_closes_on" value="{closes.date().isoformat()}"' in page.content.decode()
    initial = page.context["form"].initial
    data = {name: "" if value is None else value for name, value in initial.items()}
    data.update({"voting_closes_on": closes.date().isoformat(), "voting_closes_time": f"{closes:%H:%M}"})

    client.post(url, data)

    assert Round.objects.get(pk=round.pk).voting_closes_at == round.voting_closes_at
    assert not AuditEvent.objects.filter(action="fund.round_updated").exists()
