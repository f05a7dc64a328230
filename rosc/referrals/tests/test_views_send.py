"""Making a referral through the pages: whom, where, what, check, send."""

import pytest
from django.urls import reverse

from conftest import organisation
from rosc.core.models import Membership
from rosc.core.testing import sign_in
from rosc.referrals.models import Referral
from rosc.referrals.tests.helpers import person_in_team, service_in, worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing():
    service = service_in("org-b", "Housing advice")
    service.search_text = "housing advice harlow"
    service.save()
    return service


def details_url(person, service):
    return reverse("referrals:send_details", args=[person.uuid, service.pk])


GOOD = {"need": "Somewhere safe to live.", "sender_organisation": "", "tell_person": []}


def answers(**changes):
    data = {"need": "Somewhere safe to live.", "tell_person": []}
    data.update(changes)
    return data


def test_the_keyworker_finds_the_person_and_the_service(client, keyworker_a, housing):
    person = person_in_team("org-a", consent_to=["org-b"])
    stranger = person_in_team("org-b", full_name="Not On My Caseload")
    sign_in(client, keyworker_a)
    people = client.get(reverse("referrals:send_person")).content.decode()
    assert person.display_name in people
    assert stranger.display_name not in people
    services = client.get(reverse("referrals:send_service", args=[person.uuid]) + "?q=housing").content.decode()
    assert "Housing advice" in services
    assert details_url(person, housing) in services


def test_an_empty_service_search_says_what_to_do(client, keyworker_a):
    person = person_in_team("org-a", consent_to=["org-b"])
    sign_in(client, keyworker_a)
    page = client.get(reverse("referrals:send_service", args=[person.uuid]) + "?q=").content.decode()
    assert "Enter words to search for" in page


def test_someone_else_s_person_is_not_found(client, keyworker_b, housing):
    person = person_in_team("org-a", consent_to=["org-b"])
    sign_in(client, keyworker_b)
    assert client.get(reverse("referrals:send_service", args=[person.uuid])).status_code == 404
    assert client.get(details_url(person, housing)).status_code == 404


def test_check_then_send(client, keyworker_a, housing):
    person = person_in_team("org-a", consent_to=["org-b"], email="robin@example.com")
    sign_in(client, keyworker_a)
    page = client.get(details_url(person, housing)).content.decode()
    assert "agreed on" in page

    check = client.post(details_url(person, housing), answers(tell_person=["email"]))
    assert check.status_code == 200
    assert "Check the referral before you send it" in check.content.decode()
    assert not Referral.objects.exists()

    changed = client.post(details_url(person, housing), answers(tell_person=["email"], change="1"))
    assert "Refer to Housing advice" in changed.content.decode()

    sent = client.post(details_url(person, housing), answers(tell_person=["email"], confirm="1"))
    referral = Referral.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.tell_person_by_email
    assert not referral.tell_person_by_sms
    assert referral.sender_organisation == organisation("org-a")


def test_bad_answers_are_explained_and_nothing_is_sent(client, keyworker_a, housing):
    person = person_in_team("org-a", consent_to=["org-b"])
    sign_in(client, keyworker_a)
    page = client.post(details_url(person, housing), answers(need="", confirm="1")).content.decode()
    assert "There is a problem" in page
    assert "Say what help they need from this service." in page
    page = client.post(details_url(person, housing), answers(tell_person=["sms"], confirm="1")).content.decode()
    assert "Their record has no phone number" in page
    assert not Referral.objects.exists()


def test_without_consent_the_page_asks_for_an_exception_and_its_reason(client, keyworker_a, housing):
    person = person_in_team("org-a")
    sign_in(client, keyworker_a)
    page = client.get(details_url(person, housing)).content.decode()
    assert "has not agreed to referrals being shared with Organisation B Housing" in page
    refused = client.post(details_url(person, housing), answers(confirm="1")).content.decode()
    assert "select the exception that applies" in refused
    short = client.post(
        details_url(person, housing), answers(basis="safeguarding", exception_reason="risk", confirm="1")
    ).content.decode()
    assert "in at least 20 characters" in short
    assert not Referral.objects.exists()
    client.post(
        details_url(person, housing),
        answers(basis="safeguarding", exception_reason="Immediate risk of harm at home tonight.", confirm="1"),
    )
    assert Referral.objects.get().ig_review_needed


def test_a_worker_in_two_team_organisations_chooses_which_one_refers(client, keyworker_a, housing):
    Membership.objects.create(user=keyworker_a, organisation=organisation("peers"), role="practitioner")
    person = person_in_team("org-a", "peers", consent_to=["org-b"])
    sign_in(client, keyworker_a)
    page = client.get(details_url(person, housing)).content.decode()
    assert "Which organisation are you referring from?" in page
    missing = client.post(details_url(person, housing), answers(confirm="1")).content.decode()
    assert "Select the organisation you are referring from." in missing
    client.post(details_url(person, housing), answers(sender_organisation=organisation("peers").pk, confirm="1"))
    assert Referral.objects.get().sender_organisation == organisation("peers")


def test_a_worker_cannot_refer_from_an_organisation_outside_the_team(client, keyworker_a, housing):
    person = person_in_team("org-a", consent_to=["org-b"])
    sign_in(client, keyworker_a)
    page = client.post(
        details_url(person, housing), answers(sender_organisation=organisation("org-b").pk, confirm="1")
    ).content.decode()
    assert "Select a valid choice" in page or "Select the organisation" in page
    assert not Referral.objects.exists()


def test_staff_without_the_capability_cannot_open_the_flow(client, peer_mentor, housing):
    person = person_in_team("peers", consent_to=["org-b"])
    sign_in(client, peer_mentor)
    assert client.get(reverse("referrals:send_person")).status_code == 403
    assert client.get(details_url(person, housing)).status_code == 403


def test_an_unknown_service_is_not_found(client, keyworker_a):
    import uuid

    person = person_in_team("org-a", consent_to=["org-b"])
    sign_in(client, keyworker_a)
    assert client.get(reverse("referrals:send_details", args=[person.uuid, uuid.uuid4()])).status_code == 404
    assert worker  # helper import kept for symmetry with the other modules
