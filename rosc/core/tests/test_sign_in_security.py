"""Lockout after repeated failures, session timeouts, and password rules."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD
from rosc.core.middleware import SESSION_SEEN, SESSION_STARTED
from rosc.core.testing import sign_in


def _fail(client, email, times):
    for _ in range(times):
        client.post(reverse("account_login"), {"login": email, "password": "not the right password"})


def test_it_locks_an_account_after_five_failed_sign_ins(client, person_in_recovery):
    _fail(client, person_in_recovery.email, 5)
    response = client.post(reverse("account_login"), {"login": person_in_recovery.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert b"Too many failed" in response.content or b"too many" in response.content.lower()
    assert "_auth_user_id" not in client.session


def test_it_still_lets_someone_in_after_four_failed_sign_ins(client, person_in_recovery):
    _fail(client, person_in_recovery.email, 4)
    response = client.post(reverse("account_login"), {"login": person_in_recovery.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person_in_recovery.pk)


def test_the_lockout_of_one_account_does_not_lock_another(client, person_in_recovery, family_member):
    _fail(client, person_in_recovery.email, 5)
    response = client.post(reverse("account_login"), {"login": family_member.email, "password": PASSWORD})
    assert response.status_code == 302


def _age_session(client, *, idle_seconds=0, age_seconds=0):
    session = client.session
    now = time.time()
    session[SESSION_STARTED] = now - max(age_seconds, idle_seconds)
    session[SESSION_SEEN] = now - idle_seconds
    session.save()


def test_it_signs_staff_out_after_15_minutes_without_activity(client, keyworker_a):
    sign_in(client, keyworker_a)
    assert client.get("/home/").status_code == 200
    _age_session(client, idle_seconds=15 * 60 + 5)
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert b"15 minutes" in page.content


def test_it_keeps_staff_signed_in_within_15_minutes(client, keyworker_a):
    sign_in(client, keyworker_a)
    client.get("/home/")
    _age_session(client, idle_seconds=14 * 60)
    assert client.get("/home/").status_code == 200


def test_it_gives_the_public_longer_before_signing_them_out(client, person_in_recovery):
    sign_in(client, person_in_recovery, with_mfa=False)
    client.get("/home/")
    _age_session(client, idle_seconds=30 * 60)
    assert client.get("/home/").status_code == 200
    _age_session(client, idle_seconds=2 * 60 * 60 + 5)
    assert client.get("/home/").status_code == 302


def test_it_ends_every_session_after_its_absolute_lifetime_even_when_active(client, keyworker_a):
    sign_in(client, keyworker_a)
    client.get("/home/")
    _age_session(client, idle_seconds=10, age_seconds=12 * 60 * 60 + 5)
    response = client.get("/home/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@override_settings(ROSC_STAFF_IDLE_SECONDS=60)
def test_the_staff_timeout_is_a_setting(client, keyworker_a):
    sign_in(client, keyworker_a)
    client.get("/home/")
    _age_session(client, idle_seconds=61)
    assert client.get("/home/").status_code == 302


@pytest.mark.parametrize(
    "password",
    ["short", "q1w2e3r4t5y6", "1qaz2wsx3edc", "keyworker.a@example.com"],
)
def test_it_refuses_short_common_or_personal_passwords(keyworker_a, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=keyworker_a)


@pytest.mark.parametrize("password", ["purple elephants dance", "alllowercaseletters", "x" * 128])
def test_it_accepts_long_passwords_without_composition_rules(keyworker_a, password):
    validate_password(password, user=keyworker_a)


def test_it_refuses_absurdly_long_passwords(keyworker_a):
    with pytest.raises(ValidationError):
        validate_password("x" * 129, user=keyworker_a)


def test_it_hashes_passwords_with_argon2_in_the_real_settings():
    from rosc import settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    from django.contrib.auth.hashers import Argon2PasswordHasher

    encoded = Argon2PasswordHasher().encode("purple elephants dance", "seasaltseasalt")
    assert encoded.startswith("argon2$")


def test_the_sign_in_page_does_not_block_pasting_passwords(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "onpaste" not in page
    assert 'type="password"' in page
