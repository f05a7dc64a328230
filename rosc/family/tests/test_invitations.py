"""Inviting a family member: a purpose-specific consent, a single-use token, clear refusals."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent, Notification
from rosc.core.testing import sign_in
from rosc.family import actions
from rosc.family.models import FamilyLink
from rosc.family.tests.helpers import invite, person_with_account
from rosc.record.models import Consent, ConsentGivenHow, ConsentKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(person_in_recovery):
    return person_with_account(person_in_recovery)


def test_inviting_records_a_purpose_specific_consent_and_emails_a_link(person):
    invitation = invite(person, categories=("plan", "referrals"), months=3)
    consent = invitation.link.consent
    assert consent.kind == ConsentKind.SPECIFIC
    assert consent.given_how == ConsentGivenHow.ONLINE
    assert consent.purpose == "Support from a family member"
    assert consent.recipient_description == "Jo (mum), family member"
    assert sorted(consent.categories) == ["plan", "referrals"]
    assert 88 <= (consent.expires_at - consent.given_at).days <= 92
    assert invitation.token not in invitation.link.token_hash
    message = Notification.objects.get(reason="family.invitation")
    assert invitation.token in message.body
    assert "recovery" not in message.body.lower()
    assert AuditEvent.objects.filter(action="family.invited").exists()


def test_the_token_works_only_once(person, family_member, community_member):
    invitation = invite(person)
    actions.family_invitation_accept(actor=family_member, token=invitation.token)
    with pytest.raises(ActionRefused):
        actions.family_invitation_accept(actor=community_member, token=invitation.token)
    link = FamilyLink.objects.get()
    assert link.family_member == family_member
    assert link.token_hash is None


def test_the_invitation_page_refuses_a_used_link(client, person, family_member):
    invitation = invite(person)
    sign_in(client, family_member, with_mfa=False)
    url = reverse("family:invitation", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("family:relative", args=[person.uuid])
    again = client.post(url)
    assert again.status_code == 410
    assert b"already been used" in again.content


def test_a_made_up_token_changes_nothing(client, family_member):
    sign_in(client, family_member, with_mfa=False)
    response = client.post(reverse("family:invitation", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert not FamilyLink.objects.filter(family_member=family_member).exists()


def test_the_person_cannot_accept_their_own_invitation(person, person_in_recovery):
    invitation = invite(person)
    with pytest.raises(ActionRefused):
        actions.family_invitation_accept(actor=person_in_recovery, token=invitation.token)


def test_only_the_person_themselves_can_invite(person, community_member, keyworker_a):
    for actor in (community_member, keyworker_a):
        with pytest.raises(PermissionDenied):
            actions.family_invite(
                actor=actor,
                person=person,
                name="Jo",
                relationship="mum",
                email="jo@example.com",
                categories=["plan"],
                months=6,
            )
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"relationship": " "}, "relationship"),
        ({"email": "not an email"}, "email"),
        ({"email": "person@example.com"}, "email"),
        ({"categories": []}, "categories"),
        ({"categories": ["notes"]}, "categories"),
        ({"months": 36}, "months"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(person, changes, field):
    values = {"name": "Jo", "relationship": "mum", "email": "jo@example.com", "categories": ["plan"], "months": 6}
    values.update(changes)
    with pytest.raises(ActionRefused) as refused:
        actions.family_invite(actor=person.account, person=person, **values)
    assert refused.value.field == field
    assert not Consent.objects.exists()
    assert not FamilyLink.objects.exists()


def test_the_share_page_checks_answers_before_sending(client, person, person_in_recovery):
    sign_in(client, person_in_recovery, with_mfa=False)
    data = {"name": "Jo", "relationship": "mum", "email": "jo@example.com", "categories": ["plan"], "months": "6"}
    check = client.post(reverse("family:share"), data)
    assert check.status_code == 200
    assert b"Check before you share" in check.content
    assert not FamilyLink.objects.exists()
    sent = client.post(reverse("family:share"), {**data, "confirm": "yes"})
    assert sent.status_code == 302
    assert FamilyLink.objects.get().consent.categories == ["plan"]


def test_the_share_page_shows_errors_and_saves_nothing(client, person, person_in_recovery):
    sign_in(client, person_in_recovery, with_mfa=False)
    response = client.post(reverse("family:share"), {"name": "", "email": "nope", "confirm": "yes"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Enter their name." in response.content
    assert b"Select at least one thing to share." in response.content
    assert not FamilyLink.objects.exists()


def test_someone_without_a_linked_record_is_told_how_to_link_it(client, community_member):
    sign_in(client, community_member, with_mfa=False)
    response = client.get(reverse("family:share"))
    assert response.status_code == 200
    assert b"needs to be linked to your recovery record" in response.content


def test_erasing_the_record_forgets_the_links(person, family_member, administrator):
    from rosc.record.actions import person_erased
    from rosc.record.models import Person

    invite(person)
    person_erased.send(sender=Person, person=person, actor=administrator)
    assert not FamilyLink.objects.exists()
