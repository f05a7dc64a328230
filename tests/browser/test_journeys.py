"""Real journeys through the real forms: creating an account, signing in with
an authenticator app, and setting one up when a staff role demands it."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from playwright.sync_api import Locator, Page, expect

from conftest import PASSWORD, make_persona
from rosc.core.models import User
from rosc.core.testing import give_totp, totp_code_for
from tests.browser.harness import CheckedPage, session_from_browser, session_key_for

PERIOD = 30


def submit_button(page: Page, field_name: str) -> Locator:
    """The submit button of the form that holds the field ``field_name``."""
    form = page.locator(f"form:has([name='{field_name}'])")
    expect(form).to_have_count(1)
    return form.locator("button[type=submit], input[type=submit]").first


def wait_for_a_fresh_period(margin: float = 8.0) -> None:
    """Codes change every 30 seconds; don't type one that is about to expire."""
    into_period = time.time() % PERIOD
    if into_period > PERIOD - margin:
        time.sleep(PERIOD - into_period + 0.2)


def code_for_secret(secret: str) -> str:
    """What an authenticator app set up with ``secret`` shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // PERIOD))


def sign_in_with_password(site: CheckedPage, email: str) -> None:
    site.visit("/accounts/login/")
    site.page.fill("input[name='login']", email)
    site.page.fill("input[name='password']", PASSWORD)
    site.submit(submit_button(site.page, "password"))


def test_it_lets_a_member_of_the_public_create_an_account_and_takes_them_to_their_home_page(
    site: CheckedPage, transactional_db: None
) -> None:
    email = "new.person@example.com"
    site.visit("/accounts/signup/")
    page = site.page
    page.fill("input[name='email']", email)
    page.fill("input[name='password1']", PASSWORD)
    page.fill("input[name='password2']", PASSWORD)
    display_name = page.locator("input[name='display_name']")
    if display_name.count():
        display_name.fill("Sam")

    site.submit(submit_button(page, "password1"))

    assert site.path() == "/home/", f"Signing up landed on {site.path()}"
    expect(page.locator("h1")).to_contain_text("Hello")
    expect(page.locator("header")).to_contain_text("Sign out")
    assert User.objects.filter(email=email).exists()


def test_it_asks_staff_with_an_authenticator_app_for_a_code_and_then_opens_the_staff_home(
    site: CheckedPage, transactional_db: None
) -> None:
    user = make_persona("keyworker_a")
    give_totp(user)

    sign_in_with_password(site, user.email)

    assert site.path() == "/accounts/2fa/authenticate/", f"After the password, staff landed on {site.path()}"
    expect(site.page.locator("input[name='code']")).to_be_visible()
    wait_for_a_fresh_period()
    site.page.fill("input[name='code']", totp_code_for(user))
    site.submit(submit_button(site.page, "code"))

    assert site.path() == "/home/", f"After the code, staff landed on {site.path()}"
    expect(site.page.locator("h1")).to_have_text("Staff home")


def test_it_refuses_a_wrong_authenticator_code_and_keeps_staff_out(site: CheckedPage, transactional_db: None) -> None:
    user = make_persona("keyworker_b")
    give_totp(user)
    sign_in_with_password(site, user.email)
    wrong = f"{(int(totp_code_for(user)) + 1) % 1_000_000:06d}"

    site.page.fill("input[name='code']", wrong)
    site.submit(submit_button(site.page, "code"))

    assert site.path() == "/accounts/2fa/authenticate/"
    expect(site.page.locator(".govuk-error-summary")).to_be_visible()
    site.visit("/home/")
    assert site.path() != "/home/", "A wrong code let staff reach their home page."


def test_it_sends_staff_without_a_second_factor_to_set_one_up_and_then_lets_them_in(
    site: CheckedPage, transactional_db: None
) -> None:
    user = make_persona("service_manager")
    sign_in_with_password(site, user.email)

    site.visit("/home/")
    assert site.path() == "/accounts/second-factor-required/", f"/home/ led to {site.path()}"
    expect(site.page.locator("h1")).to_have_text("Set up two-step verification")

    site.submit(site.page.get_by_role("button", name="Set up an authenticator app"))
    assert site.path() == "/accounts/2fa/totp/activate/", f"Setting up led to {site.path()}"
    secret = session_from_browser(site.page.context)[SECRET_SESSION_KEY]
    shown = "".join(site.page.locator("main").inner_text().split())
    assert secret in shown, "The setup key for typing into an app is not shown on the page."

    wait_for_a_fresh_period()
    site.page.fill("input[name='code']", code_for_secret(secret))
    site.submit(submit_button(site.page, "code"))
    assert site.path().startswith("/accounts/2fa/"), f"Turning on the app led to {site.path()}"

    site.visit("/home/")
    assert site.path() == "/home/", (
        f"Straight after setting up an authenticator app, /home/ led to {site.path()}: the session that set "
        "it up is not counted as having used a second factor."
    )
    expect(site.page.locator("h1")).to_have_text("Staff home")


PUBLIC_PAGES = ["/", "/organisations/", "/contact/", "/accounts/login/", "/accounts/signup/"]


def test_it_offers_an_exit_this_page_button_on_public_pages_that_leaves_the_site(
    site: CheckedPage, transactional_db: None
) -> None:
    for path in PUBLIC_PAGES:
        site.visit(path)
        button = site.page.locator(".govuk-exit-this-page a.govuk-exit-this-page__button")
        expect(button).to_be_visible()
        expect(button).to_contain_text("Exit this page")
        href = button.get_attribute("href") or ""
        assert href.startswith("https://"), f"{path}: exit goes to {href!r}"
        assert not href.startswith(site.base_url), f"{path}: exit stays on the site"

    # The destination is another site; answer for it so no request leaves the machine.
    exit_url = button.get_attribute("href") or ""
    site.page.context.route(exit_url, lambda route: route.fulfill(status=200, body="<title>Weather</title>"))
    button.click()
    site.page.wait_for_url(exit_url)
    assert site.page.url == exit_url


def test_it_signs_a_person_out_from_the_sign_out_link_after_asking(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    checked = open_page(session_key=signed_in_key(make_persona("person_in_recovery")))
    checked.visit("/home/")

    checked.submit(checked.page.locator("header").get_by_role("link", name="Sign out"))
    assert checked.path() == "/accounts/logout/"
    checked.submit(submit_button(checked.page, "csrfmiddlewaretoken"))

    expect(checked.page.locator("header")).to_contain_text("Sign in")
    checked.visit("/home/")
    assert checked.path().startswith("/accounts/login/"), f"After signing out, /home/ showed {checked.path()}"


def test_it_lets_someone_who_forgot_their_password_make_a_new_one_from_the_emailed_link(
    site: CheckedPage, transactional_db: None, mailoutbox: list
) -> None:
    user = make_persona("community_member")
    site.visit("/accounts/password/reset/")
    site.page.fill("input[name='email']", user.email)
    site.submit(submit_button(site.page, "email"))
    assert site.path() == "/accounts/password/reset/done/", f"Asking for a link led to {site.path()}"

    assert len(mailoutbox) == 1, "No password reset email was sent."
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mailoutbox[0].body)
    assert link, f"No reset link in the email:\n{mailoutbox[0].body}"
    site.visit(urlsplit(link.group(0)).path)
    new_password = "a brand new passphrase for the test"
    site.page.fill("input[name='password1']", new_password)
    site.page.fill("input[name='password2']", new_password)
    site.submit(submit_button(site.page, "password1"))
    assert site.path() == "/accounts/password/reset/key/done/", f"Setting the password led to {site.path()}"

    site.visit("/accounts/login/")
    site.page.fill("input[name='login']", user.email)
    site.page.fill("input[name='password']", new_password)
    site.submit(submit_button(site.page, "password"))
    assert site.path() == "/home/", f"Signing in with the new password led to {site.path()}"


def test_it_confirms_a_new_members_email_address_from_the_emailed_link(
    site: CheckedPage, transactional_db: None, mailoutbox: list
) -> None:
    email = "confirm.me@example.com"
    site.visit("/accounts/signup/")
    site.page.fill("input[name='email']", email)
    site.page.fill("input[name='password1']", PASSWORD)
    site.page.fill("input[name='password2']", PASSWORD)
    site.submit(submit_button(site.page, "password1"))

    assert len(mailoutbox) == 1, "No confirmation email was sent."
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body)
    assert link, f"No confirmation link in the email:\n{mailoutbox[0].body}"
    site.visit(urlsplit(link.group(0)).path)
    expect(site.page.locator("main")).to_contain_text(email)
    site.submit(submit_button(site.page, "csrfmiddlewaretoken"))

    assert EmailAddress.objects.get(email=email).verified


def test_it_asks_for_the_password_again_before_changing_two_step_verification_long_after_sign_in(
    open_page: Callable[..., CheckedPage], transactional_db: None
) -> None:
    user = make_persona("keyworker_a")
    session_key = session_key_for(user, with_mfa=True, signed_in_at=time.time() - 3600)
    checked = open_page(session_key=session_key)

    checked.visit("/accounts/2fa/totp/deactivate/")
    assert "reauthenticate" in checked.path(), f"Turning off the app long after sign-in showed {checked.path()}"
    checked.page.fill("input[name='password']", PASSWORD)
    checked.submit(submit_button(checked.page, "password"))

    assert checked.path() == "/accounts/2fa/totp/deactivate/", f"After the password, staff landed on {checked.path()}"
