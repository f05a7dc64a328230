"""Security headers reach the browser, and the browser reports no breach of
the Content Security Policy; plus checks that the harness itself notices an
accessibility problem and a CSP violation when there is one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from conftest import make_persona
from tests.browser import conftest as browser_conftest
from tests.browser.harness import AxeCache, CheckedPage, block_site_scripts


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def test_it_sends_the_security_headers_with_a_page(site: CheckedPage, transactional_db: None) -> None:
    response = site.visit("/")
    headers = response.all_headers()

    policy = headers.get("content-security-policy", "")
    assert policy, "No Content-Security-Policy header."
    assert "'unsafe-inline'" not in policy, policy
    assert "'unsafe-eval'" not in policy, policy
    parsed = directives(policy)
    assert parsed.get("default-src") == ["'self'"], policy
    assert parsed.get("script-src") == ["'self'"], policy
    assert parsed.get("frame-ancestors") == ["'none'"], policy
    assert parsed.get("object-src") == ["'none'"], policy
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("referrer-policy") == "same-origin"
    assert headers.get("x-content-type-options") == "nosniff"
    permissions = headers.get("permissions-policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions, f"Permissions-Policy lacks {feature}: {permissions!r}"


def test_it_shows_signed_in_pages_with_javascript_on_and_no_csp_violation(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    """JavaScript on, so GOV.UK Frontend runs: it must not break the policy."""
    checked = open_page(session_key=signed_in_key(make_persona("administrator")))
    for path in ["/", "/home/", "/accounts/profile/", "/staff/audit/", "/accounts/login/"]:
        response = checked.visit(path)
        assert response.all_headers().get("content-security-policy"), f"{path} has no CSP header"
        assert checked.page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), (
            f"GOV.UK Frontend did not start on {path}"
        )
    assert checked.console_problems == []


# --- The harness notices problems ----------------------------------------------


@pytest.fixture
def bare_page(new_context: Callable[..., BrowserContext], base_url: str) -> Callable[..., CheckedPage]:
    """A checked page that answers ``/harness-check/`` with made-up HTML.

    It is not the ``open_page`` fixture's, so the failures these tests expect
    are not reported again when the test ends.
    """

    def make(html: str, headers: dict[str, str], *, javascript: bool = True) -> CheckedPage:
        context = new_context(java_script_enabled=javascript)
        context.route(
            f"{base_url}/harness-check/",
            lambda route: route.fulfill(status=200, body=html, headers={"content-type": "text/html", **headers}),
        )
        axe_context = None
        if not javascript:
            axe_context = new_context()
            block_site_scripts(axe_context)
        return CheckedPage(
            page=context.new_page(),
            base_url=base_url,
            axe_cache=AxeCache(),
            javascript=javascript,
            axe_context=axe_context,
        )

    return make


SHELL = (
    '<!DOCTYPE html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>{}</main></body></html>'
)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_it_fails_a_page_with_an_accessibility_problem_naming_the_rule_and_element(
    javascript: bool, bare_page: Any, transactional_db: None
) -> None:
    checked = bare_page(SHELL.format('<img src="data:," id="no-alt">'), {}, javascript=javascript)

    with pytest.raises(AssertionError) as failure:
        checked.visit("/harness-check/")

    report = str(failure.value)
    assert "image-alt" in report
    assert "#no-alt" in report
    assert "critical" in report


def test_it_fails_a_page_whose_inline_script_breaks_the_content_security_policy(
    bare_page: Any, transactional_db: None
) -> None:
    checked = bare_page(
        SHELL.format("<script>document.title = 'ran';</script>"), {"content-security-policy": "script-src 'self'"}
    )

    with pytest.raises(AssertionError) as failure:
        checked.visit("/harness-check/")

    assert "CSP violation" in str(failure.value)
    assert checked.page.title() == "Check"


def test_it_fails_a_test_that_shows_a_page_without_checking_it(bare_page: Any, transactional_db: None) -> None:
    checked = bare_page(SHELL.format("<p>Fine.</p>"), {})
    checked.page.goto(checked.url("/harness-check/"))

    with pytest.raises(AssertionError) as failure:
        checked.finish()

    assert "/harness-check/" in str(failure.value)


def test_it_fails_in_ci_and_skips_elsewhere_when_chromium_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser_conftest, "CHROMIUM", tmp_path / "no-chromium-here")

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests"):
        browser_conftest._require_chromium()

    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="CI is not set"):
        browser_conftest._require_chromium()
