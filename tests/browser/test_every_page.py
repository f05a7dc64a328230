"""Every page each role can reach by following links works with JavaScript off,
has no server error and no WCAG 2.2 AA problem that axe-core can find; and
the front pages fit a phone's width."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from conftest import PERSONAS, make_persona
from tests.browser.harness import CheckedPage, crawl

ANONYMOUS = "anonymous"
CRAWL_LIMIT = 60

# Pages each role must reach by links alone: the crawl is only as good as the
# links it finds, so losing one of these means a page dropped out of it.
EXPECTED = {
    ANONYMOUS: {"/", "/organisations/", "/accounts/login/", "/accounts/signup/", "/accessibility/"},
    "public": {"/home/", "/accounts/profile/", "/organisations/", "/accessibility/"},
    "staff": {"/home/", "/accounts/profile/", "/accessibility/"},
    "service_manager": {"/staff/organisations/org-a/team/"},
    "ig_lead": {"/staff/audit/"},
    "administrator": {"/staff/audit/", "/staff/organisations/", "/staff/notifications/"},
}


def expected_paths(role: str) -> set[str]:
    if role == ANONYMOUS:
        return EXPECTED[ANONYMOUS]
    kind = "staff" if PERSONAS[role].role else "public"
    return EXPECTED[kind] | EXPECTED.get(role, set())


@pytest.mark.parametrize("role", [ANONYMOUS, *PERSONAS])
def test_it_serves_every_linked_page_without_javascript_errors_or_accessibility_problems(
    role: str, open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    session_key = None if role == ANONYMOUS else signed_in_key(make_persona(role))
    checked = open_page(session_key=session_key, javascript=False)

    result = crawl(checked, "/" if role == ANONYMOUS else "/home/", limit=CRAWL_LIMIT)

    reached = {urlsplit(url).path for url in result.pages}
    assert not result.capped, (
        f"The crawl for {role} stopped at {CRAWL_LIMIT} pages with links still to follow: "
        "raise the limit or find the link that makes endless pages."
    )
    assert not result.broken, f"Links shown to {role} lead to error pages:\n" + "\n".join(result.broken)
    missing = expected_paths(role) - reached
    assert not missing, f"{role} could not reach {sorted(missing)} by links; reached {sorted(reached)}"
    if role != ANONYMOUS:
        assert "/accounts/second-factor-required/" not in reached, f"{role} was asked to set up a second factor."
        assert "/accounts/login/" not in reached, f"{role} was signed out during the crawl."


@pytest.mark.parametrize("role", [ANONYMOUS, "family_member", "administrator"])
def test_it_serves_the_pages_with_javascript_on_without_accessibility_problems(
    role: str, open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    """GOV.UK Frontend changes pages when it runs; check that rendering too,
    for the roles whose links between them reach every kind of page."""
    session_key = None if role == ANONYMOUS else signed_in_key(make_persona(role))
    checked = open_page(session_key=session_key)

    result = crawl(checked, "/" if role == ANONYMOUS else "/home/", limit=CRAWL_LIMIT)

    assert not result.capped
    assert not result.broken, "\n".join(result.broken)
    assert expected_paths(role) <= {urlsplit(url).path for url in result.pages}


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_it_fits_a_375_pixel_wide_phone_without_scrolling_sideways(
    path: str, open_page: Callable[..., CheckedPage], transactional_db: None
) -> None:
    checked = open_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    checked.visit(path)

    widths = checked.page.evaluate(
        "() => ({view: window.innerWidth, html: document.documentElement.scrollWidth, body: document.body.scrollWidth})"
    )

    assert widths["view"] == 375
    assert widths["html"] <= widths["view"], f"{path} scrolls sideways at 375px: {widths}"
    assert widths["body"] <= widths["view"], f"{path} scrolls sideways at 375px: {widths}"


def test_it_explains_a_missing_page_and_a_forbidden_page_accessibly(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    checked = open_page(session_key=signed_in_key(make_persona("family_member")))

    checked.visit("/no-such-page/", status=404)
    assert checked.page.locator("h1").inner_text() == "Page not found"

    checked.visit("/staff/audit/", status=403)
    assert checked.page.locator("h1").inner_text() == "You cannot see this page"


def test_it_explains_a_server_error_accessibly(site: CheckedPage, transactional_db: None) -> None:
    """The 500 page as the error handler renders it, served at a made-up
    address on the live server so its stylesheet loads as usual."""
    from django.test import RequestFactory

    from rosc.core.views import error_500

    rendered = error_500(RequestFactory().get("/"))
    assert rendered.status_code == 500
    site.page.context.route(
        f"{site.base_url}/server-error-check/",
        lambda route: route.fulfill(status=500, body=rendered.content, headers=dict(rendered.items())),
    )

    site.visit("/server-error-check/", status=500)

    assert site.page.locator("h1").inner_text() == "Sorry, there is a problem with the service"
    empty_tags = site.page.locator(".govuk-phase-banner .govuk-tag:empty").count()
    assert empty_tags == 0, "The phase banner shows an empty tag."
