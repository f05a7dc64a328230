"""Team pages: who may see and change an organisation's team."""

import pytest
from django.urls import reverse

from rosc.core.models import AuditEvent, Membership, Role
from rosc.core.testing import sign_in


def team_url(organisation):
    return reverse("core:team", args=[organisation.slug])


def test_a_service_manager_sees_their_own_team(client, service_manager, keyworker_a, org_a):
    sign_in(client, service_manager)
    response = client.get(team_url(org_a))
    assert response.status_code == 200
    assert keyworker_a.email.encode() in response.content
    assert b"Give someone a role" in response.content


def test_it_refuses_a_service_manager_another_organisations_team(client, service_manager, org_b):
    sign_in(client, service_manager)
    assert client.get(team_url(org_b)).status_code == 403


@pytest.mark.parametrize("name", ["keyworker_a", "peer_mentor", "commissioner", "ig_lead", "person_in_recovery"])
def test_it_refuses_people_who_do_not_manage_the_team(client, persona, org_a, name):
    sign_in(client, persona(name))
    response = client.get(team_url(org_a))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] != team_url(org_a)


def test_it_asks_anonymous_visitors_to_sign_in(client, org_a):
    response = client.get(team_url(org_a))
    assert response.status_code == 403
    assert b"to continue" in response.content
    assert reverse("account_login").encode() in response.content


def test_an_unknown_organisation_looks_the_same_as_a_forbidden_one(client, service_manager):
    sign_in(client, service_manager)
    assert client.get(reverse("core:team", args=["no-such-organisation"])).status_code == 403


def test_a_service_manager_gives_a_role_to_an_existing_account(client, service_manager, outsider, org_a):
    sign_in(client, service_manager)
    response = client.post(team_url(org_a), {"email": outsider.email.upper(), "role": Role.PRACTITIONER})
    assert response.status_code == 302
    assert Membership.objects.active().filter(user=outsider, organisation=org_a, role=Role.PRACTITIONER).exists()
    assert AuditEvent.objects.filter(action="membership.added", actor=service_manager).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "nobody@example.com", "role": Role.PRACTITIONER}, b"No account uses that email address"),
        ({"email": "not an email", "role": Role.PRACTITIONER}, b"Enter a valid email address"),
        ({"email": "", "role": ""}, b"This field is required"),
        ({"email": "outsider@example.com", "role": Role.ADMINISTRATOR}, b"Select a valid choice"),
    ],
)
def test_bad_input_gives_a_clear_message_and_saves_nothing(client, service_manager, outsider, org_a, data, message):
    sign_in(client, service_manager)
    before = Membership.objects.count()
    response = client.post(team_url(org_a), data)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert message in response.content
    assert Membership.objects.count() == before
    assert not AuditEvent.objects.filter(action="membership.added").exists()


def test_giving_a_role_twice_is_refused_clearly(client, service_manager, keyworker_a, org_a):
    sign_in(client, service_manager)
    response = client.post(team_url(org_a), {"email": keyworker_a.email, "role": Role.PRACTITIONER})
    assert response.status_code == 200
    assert b"already has that role here" in response.content


def test_an_administrator_can_give_any_role_anywhere(client, administrator, outsider, org_b):
    sign_in(client, administrator)
    response = client.post(team_url(org_b), {"email": outsider.email, "role": Role.IG_LEAD})
    assert response.status_code == 302
    assert Membership.objects.filter(user=outsider, organisation=org_b, role=Role.IG_LEAD).exists()


def test_a_service_manager_ends_a_role_and_it_is_kept_for_the_record(client, service_manager, keyworker_a, org_a):
    sign_in(client, service_manager)
    membership = Membership.objects.get(user=keyworker_a, organisation=org_a)
    response = client.post(reverse("core:membership_end", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ends_on is not None
    assert not Membership.objects.active().filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="membership.ended", object_id=str(membership.pk)).exists()


def test_ending_a_role_in_another_organisation_is_refused(client, service_manager, keyworker_b):
    sign_in(client, service_manager)
    membership = Membership.objects.get(user=keyworker_b)
    assert client.post(reverse("core:membership_end", args=[membership.pk])).status_code == 403
    membership.refresh_from_db()
    assert membership.ends_on is None


def test_ending_a_role_needs_a_post(client, service_manager, keyworker_a):
    sign_in(client, service_manager)
    membership = Membership.objects.get(user=keyworker_a)
    assert client.get(reverse("core:membership_end", args=[membership.pk])).status_code == 405


def test_an_ended_role_no_longer_opens_staff_pages(client, administrator, keyworker_a):
    membership = Membership.objects.get(user=keyworker_a)
    sign_in(client, administrator)
    client.post(reverse("core:membership_end", args=[membership.pk]))
    client.logout()
    sign_in(client, keyworker_a)
    response = client.get("/home/")
    assert b"Staff home" not in response.content


def test_an_administrator_cannot_end_their_own_administrator_role(client, administrator):
    sign_in(client, administrator)
    membership = Membership.objects.get(user=administrator)
    response = client.post(reverse("core:membership_end", args=[membership.pk]), follow=True)
    assert b"cannot end your own administrator role" in response.content
    membership.refresh_from_db()
    assert membership.ends_on is None


def test_the_organisation_list_is_for_administrators_only(client, administrator, service_manager):
    sign_in(client, administrator)
    assert client.get(reverse("core:organisation_list")).status_code == 200
    client.logout()
    sign_in(client, service_manager)
    assert client.get(reverse("core:organisation_list")).status_code == 403
