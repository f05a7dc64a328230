"""The person's own view of their referrals: from their account or the record's signed link."""

import pytest
from django.urls import reverse

from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.record.own_view import own_view_token
from rosc.referrals import actions
from rosc.referrals.models import Referral
from rosc.referrals.tests.helpers import person_in_team, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(person_in_recovery):
    return person_in_team("org-a", consent_to=["org-b"], account=person_in_recovery, email="person@example.com")


def test_the_person_sees_each_status_and_comment(client, person_in_recovery, linked, keyworker_a, keyworker_b):
    referral = send(keyworker_a, person=linked)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    actions.referral_comment(actor=keyworker_b, referral_id=referral.pk, text="We will call on Monday.")
    actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=None)
    sign_in(client, person_in_recovery, with_mfa=False)

    listing = client.get(reverse("referrals:mine")).content.decode()
    assert "Housing advice" in listing
    assert "Accepted" in listing
    detail = client.get(reverse("referrals:mine_detail", args=[referral.pk])).content.decode()
    assert "We will call on Monday." in detail
    assert "Accepted" in detail
    assert "Received" in detail
    assert "Exit this page" in detail
    assert AuditEvent.objects.filter(action="referral.own_read", actor=person_in_recovery).exists()


def test_the_account_home_links_to_the_persons_referrals(client, person_in_recovery, linked):
    sign_in(client, person_in_recovery, with_mfa=False)
    assert reverse("referrals:mine") in client.get(reverse("core:dashboard")).content.decode()


def test_an_account_without_a_record_is_told_so(client, family_member):
    sign_in(client, family_member, with_mfa=False)
    page = client.get(reverse("referrals:mine"))
    assert page.status_code == 200
    assert "not linked to a recovery record" in page.content.decode()
    assert reverse("referrals:mine") not in client.get(reverse("core:dashboard")).content.decode()


def test_someone_elses_referral_is_not_found(client, person_in_recovery, linked, keyworker_a):
    other = send(keyworker_a, person=person_in_team("org-a", consent_to=["org-b"], full_name="Someone Else"))
    sign_in(client, person_in_recovery, with_mfa=False)
    assert client.get(reverse("referrals:mine_detail", args=[other.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("referrals:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_records_signed_link_opens_the_persons_referrals(client, keyworker_a):
    person = person_in_team("org-a", consent_to=["org-b"])
    referral = send(keyworker_a, person=person)
    client.get(reverse("record:mine_link", args=[own_view_token(person)]))
    page = client.get(reverse("referrals:mine_detail", args=[referral.pk]))
    assert page.status_code == 200
    assert "Housing advice" in page.content.decode()


def test_the_person_chooses_how_to_hear_and_bad_choices_are_explained(client, person_in_recovery, linked, keyworker_a):
    referral = send(keyworker_a, person=linked)
    sign_in(client, person_in_recovery, with_mfa=False)
    url = reverse("referrals:mine_detail", args=[referral.pk])
    refused = client.post(url, {"ways": ["sms"]}).content.decode()
    assert "no phone number" in refused
    assert client.post(url, {"ways": ["email"]}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).tell_person_by_email
    assert client.post(url, {}).status_code == 302
    assert not Referral.objects.get(pk=referral.pk).tell_person_by_email
