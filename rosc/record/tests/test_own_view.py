"""The person's own view: from a signed link or their account; withdraw consent; the disclosure log."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.record.access import can_access, person_for
from rosc.record.categories import Category
from rosc.record.models import Goal
from rosc.record.own_view import own_view_token
from rosc.record.tests.helpers import give_consent, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(org_a):
    person = make_person(org_a, full_name="Robin Example")
    give_consent(person, organisations=[org_a])
    Goal.objects.create(
        person=person,
        domain="housing",
        in_own_words="A flat near my sister",
        owner_organisation=org_a,
        review_on=timezone.localdate() + timedelta(days=10),
    )
    return person


def open_link(client, person):
    return client.get(reverse("record:mine_link", kwargs={"token": own_view_token(person)}))


def test_a_signed_link_opens_the_record_without_an_account_and_leaves_a_clean_address(client, shared):
    response = open_link(client, shared)
    assert response.status_code == 302
    assert response["Location"] == reverse("record:mine")
    page = client.get(reverse("record:mine")).content.decode()
    assert "A flat near my sister" in page
    assert "Organisation A Treatment" in page
    assert "Exit this page" in page
    assert AuditEvent.objects.filter(action="record.own_record_read", actor=None).exists()


def test_a_tampered_or_old_link_does_not_work(client, shared):
    token = own_view_token(shared)
    assert client.get(reverse("record:mine_link", kwargs={"token": token[:-2] + "xx"})).status_code == 404
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() + 8 * 24 * 3600):
        assert client.get(reverse("record:mine_link", kwargs={"token": token})).status_code == 404
    assert client.get(reverse("record:mine")).status_code == 302


def test_the_disclosure_log_shows_who_saw_what_and_why(client, keyworker_a, shared):
    person_for(keyworker_a, shared.uuid, category=Category.PLAN, purpose="care coordination")
    open_link(client, shared)
    page = client.get(reverse("record:mine")).content.decode()
    assert "keyworker_a, Organisation A Treatment" in page
    assert "Recovery plan<br>" in page
    assert "Seen in the shared record" in page
    assert "Care coordination" in page
    assert "<svg" in page
    assert "<table" in page


def test_withdrawing_with_one_click_ends_access_at_once(client, keyworker_a, shared):
    consent = shared.consents.get()
    open_link(client, shared)
    response = client.post(reverse("record:mine_withdraw", kwargs={"consent_id": consent.pk}))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not can_access(keyworker_a, shared, Category.PLAN)
    event = AuditEvent.objects.get(action="record.consent_withdrawn")
    assert event.actor is None
    assert event.details["via"] == "link"


def test_nobody_withdraws_someone_elses_consent(client, org_a, shared):
    other = make_person(org_a, full_name="Other Person")
    open_link(client, other)
    consent = shared.consents.get()
    assert client.post(reverse("record:mine_withdraw", kwargs={"consent_id": consent.pk})).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_withdrawing_needs_a_post(client, shared):
    open_link(client, shared)
    consent = shared.consents.get()
    assert client.get(reverse("record:mine_withdraw", kwargs={"consent_id": consent.pk})).status_code == 405


def test_a_signed_in_person_links_the_record_to_their_account(client, person_in_recovery, shared):
    sign_in(client, person_in_recovery, with_mfa=False)
    open_link(client, shared)
    assert "Show my record on my account" in client.get(reverse("record:mine")).content.decode()
    client.post(reverse("record:mine_link_account"))
    shared.refresh_from_db()
    assert shared.account == person_in_recovery
    client.logout()
    sign_in(client, person_in_recovery, with_mfa=False)
    home = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("record:mine") in home
    assert "A flat near my sister" in client.get(reverse("record:mine")).content.decode()


def test_someone_with_an_account_but_no_record_is_told_what_to_do(client, family_member):
    sign_in(client, family_member, with_mfa=False)
    page = client.get(reverse("record:mine")).content.decode()
    assert "not linked to a recovery record" in page


def test_the_person_downloads_a_copy_of_everything(client, shared):
    open_link(client, shared)
    response = client.get(reverse("record:mine_export"))
    data = json.loads(response.content)
    assert data["person"]["full_name"] == "Robin Example"
    assert data["plan"][0]["goal"] == "A flat near my sister"
    assert AuditEvent.objects.filter(action="record.exported").exists()
