"""Every staff role needs a second factor before any staff page opens."""

import pytest
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD, PUBLIC_PERSONAS, STAFF_PERSONAS
from rosc.core.testing import give_totp, sign_in, totp_code_for

STAFF_PAGES = ["/home/", "/staff/audit/", "/staff/organisations/", "/staff/notifications/"]


@pytest.mark.parametrize("name", STAFF_PERSONAS)
def test_it_sends_staff_without_a_second_factor_to_set_one_up(client, persona, name):
    sign_in(client, persona(name), with_mfa=False)
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("core:mfa_required")


@pytest.mark.parametrize("name", STAFF_PERSONAS)
def test_it_refuses_staff_who_have_an_authenticator_but_did_not_use_it(client, persona, name):
    user = persona(name)
    give_totp(user)
    sign_in(client, user, with_mfa=False)
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:mfa_required")


@pytest.mark.parametrize("name", STAFF_PERSONAS)
def test_it_lets_staff_in_after_the_second_factor(client, persona, name):
    sign_in(client, persona(name))
    response = client.get("/home/")
    assert response.status_code == 200
    assert b"Staff home" in response.content


@pytest.mark.parametrize("name", PUBLIC_PERSONAS)
def test_it_does_not_ask_the_public_for_a_second_factor(client, persona, name):
    sign_in(client, persona(name), with_mfa=False)
    response = client.get("/home/")
    assert response.status_code == 200
    assert b"Staff home" not in response.content


def test_staff_can_still_reach_the_pages_to_set_up_a_second_factor(client, keyworker_a):
    sign_in(client, keyworker_a, with_mfa=False)
    assert client.get(reverse("core:mfa_required")).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


@override_settings(ROSC_DEMO=True)
def test_demo_mode_lets_staff_skip_the_second_factor(client, keyworker_a):
    sign_in(client, keyworker_a, with_mfa=False)
    assert client.get("/home/").status_code == 200


def test_signing_in_with_password_and_code_opens_staff_pages(client, keyworker_a):
    give_totp(keyworker_a)
    response = client.post(reverse("account_login"), {"login": keyworker_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/home/").status_code == 302  # not signed in yet

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code_for(keyworker_a)})
    assert response.status_code == 302
    assert client.get("/home/").status_code == 200


def test_a_wrong_code_keeps_staff_out(client, keyworker_a):
    give_totp(keyworker_a)
    client.post(reverse("account_login"), {"login": keyworker_a.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert b"code" in response.content.lower()
    assert client.get("/home/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_setting_up_totp_in_the_session_counts_as_using_it(client):
    from conftest import make_persona

    keyworker_a = make_persona("keyworker_a")
    sign_in(client, keyworker_a, with_mfa=False)
    page = client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert page.status_code == 200
    assert response.status_code == 302
    assert client.get("/home/").status_code == 200


def test_a_factor_added_in_another_session_does_not_unlock_a_password_only_session(client, keyworker_a):
    sign_in(client, keyworker_a, with_mfa=False)
    assert client.get("/home/")["Location"] == reverse("core:mfa_required")
    give_totp(keyworker_a)  # the real person sets up their app somewhere else
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:mfa_required")
