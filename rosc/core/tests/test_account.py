from django.urls import reverse

from rosc.core.models import AuditEvent, PublicRole
from rosc.core.testing import sign_in

URL = reverse("core:account")


def test_a_person_changes_their_display_name_and_what_they_use_it_for(client, outsider):
    sign_in(client, outsider, with_mfa=False)
    response = client.post(URL, {"display_name": "Robin", "public_role": PublicRole.FAMILY_MEMBER})
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.display_name == "Robin"
    assert outsider.public_role == PublicRole.FAMILY_MEMBER
    event = AuditEvent.objects.get(action="account.profile_updated")
    assert event.details == {"fields": ["display_name", "public_role"]}


def test_bad_input_changes_nothing(client, outsider):
    sign_in(client, outsider, with_mfa=False)
    response = client.post(URL, {"display_name": "x" * 81, "public_role": "astronaut"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Select a valid choice" in response.content
    assert b"at most 80 characters" in response.content
    outsider.refresh_from_db()
    assert outsider.display_name == "outsider"
    assert not AuditEvent.objects.filter(action="account.profile_updated").exists()


def test_account_settings_need_a_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_people_can_see_where_they_are_signed_in(client, person_in_recovery):
    from conftest import PASSWORD

    client.post(reverse("account_login"), {"login": person_in_recovery.email, "password": PASSWORD})
    response = client.get(reverse("usersessions_list"))
    assert response.status_code == 200
    other = type(client)()
    other.post(reverse("account_login"), {"login": person_in_recovery.email, "password": PASSWORD})
    from allauth.usersessions.models import UserSession

    assert UserSession.objects.filter(user=person_in_recovery).count() == 2
    client.post(reverse("usersessions_list"), {"action": "logout"})
    assert UserSession.objects.filter(user=person_in_recovery).count() == 1
    assert other.get("/home/").status_code == 302
