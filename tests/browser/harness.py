"""The browser-test harness: every page a browser test opens is checked.

``CheckedPage`` wraps a Playwright page. Tests open pages only through it:

* ``visit(path)`` navigates, asserts that the server answered below 500 and
  runs the page checks;
* ``submit(locator)`` clicks a button or link that navigates (for example a
  form's submit button) and runs the same checks on the page it lands on.

The page checks are: axe-core finds no WCAG 2.2 AA violation, and the
browser logged no Content Security Policy violation and no JavaScript error.
As a safety net, ``finish()`` (called by the fixture after each test) fails
the test if the browser showed a page that was never checked, so a test that
reaches for ``page.goto`` or a plain ``click`` cannot slip a page past axe.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Locator, Page, Response

from rosc.core.testing import give_totp, mfa_session_records

# WCAG 2.0, 2.1 and 2.2 at levels A and AA. No axe rule is disabled.
WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA_TAGS}, "resultTypes": ["violations"]}

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# Chromium reports a CSP violation as a console error starting like this.
CSP_MESSAGE = re.compile(r"Content Security Policy", re.IGNORECASE)

_axe = Axe()


# --- Signing in without the form --------------------------------------------


def session_key_for(user: Any, *, with_mfa: bool, signed_in_at: float | None = None) -> str:
    """A saved server-side session signed in as ``user``, as if they had used
    the sign-in form (and, ``with_mfa``, their authenticator app), just now or
    at the Unix time ``signed_in_at``."""
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = MODEL_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if with_mfa:
        give_totp(user)
        records = mfa_session_records(user)
        if signed_in_at is not None:
            for record in records[AUTHENTICATION_METHODS_SESSION_KEY]:
                record["at"] = signed_in_at
        session.update(records)
    session.create()
    return session.session_key


def add_session_cookie(context: BrowserContext, base_url: str, session_key: str) -> None:
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_key,
                "url": base_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


def session_from_browser(context: BrowserContext) -> Any:
    """The server-side session that the browser's session cookie points at."""
    keys = [c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    assert keys, f"The browser has no {settings.SESSION_COOKIE_NAME} cookie."
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=keys[-1])


# --- Reporting axe results ---------------------------------------------------


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG 2.2 AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} (impact: {violation.get('impact')}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


# --- The checked page --------------------------------------------------------


class AxeCache:
    """axe results for markup already checked in this test session.

    axe's verdict depends only on the DOM and the styles, so two pages whose
    HTML is the same (once the per-session CSRF token is left out) get the same
    verdict. Keys include the rendering mode (JavaScript on or off) and the
    viewport; the stylesheets do not change during a test run. Many pages
    (the footer pages, say) look the same to several personas, so this spares
    most of the crawl's axe runs without checking any page less.
    """

    def __init__(self) -> None:
        self._results: dict[str, list[dict[str, Any]]] = {}

    @staticmethod
    def key(html: str, mode: str) -> str:
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
        return hashlib.sha256(f"{mode}\n{html}".encode()).hexdigest()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        return self._results.get(key)

    def put(self, key: str, violations: list[dict[str, Any]]) -> None:
        self._results[key] = violations


@dataclass
class CheckedPage:
    """A Playwright page whose every page view is checked.

    ``axe_context`` is needed when ``page`` has JavaScript turned off, where
    axe cannot run: a context with JavaScript on where the same markup is
    checked (see ``run_axe_elsewhere``).
    """

    page: Page
    base_url: str
    axe_cache: AxeCache
    javascript: bool = True
    axe_context: BrowserContext | None = None
    checked_urls: list[str] = field(default_factory=list)
    console_problems: list[str] = field(default_factory=list)
    _shown: list[str] = field(default_factory=list)
    _pending: str | None = None
    _axe_page: Page | None = None

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("framenavigated", self._on_navigated)
        self.page.on("response", self._on_response)

    # Listeners only record: Playwright's sync API must not be re-entered here.
    def _on_console(self, message: ConsoleMessage) -> None:
        if CSP_MESSAGE.search(message.text):
            where = message.location.get("url") or self.page.url
            self.console_problems.append(f"CSP violation on {where}: {message.text}")

    def _on_page_error(self, error: Error) -> None:
        self.console_problems.append(f"JavaScript error on {self.page.url}: {error}")

    def _on_response(self, response: Response) -> None:
        # A stylesheet, script or image of this site's that fails to load
        # (the page itself is checked by visit and submit).
        ours = response.url.startswith(self.base_url + "/")
        if ours and response.request.resource_type != "document" and response.status >= 400:
            self.console_problems.append(f"{response.url} answered {response.status} on {self.page.url}")

    def _on_navigated(self, frame: Any) -> None:
        # Only this site's pages: an external page (the "Exit this page"
        # destination) or a browser error page is not ours to check.
        if frame == self.page.main_frame and frame.url.startswith(self.base_url + "/"):
            if self._pending is not None:
                self._shown.append(self._pending)
            self._pending = frame.url

    # --- Opening pages -------------------------------------------------------

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path)

    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def visit(self, path: str, *, status: int | None = None) -> Response:
        """Open ``path`` and check the page. ``status``: the status it must
        answer with (an error page under test); otherwise anything below 500."""
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None, f"No response for {path}"
        self.check(response, status=status)
        return response

    @contextmanager
    def navigation(self) -> Iterator[None]:
        """Run the block (a click, a keypress) and check the page it leads to."""
        with self.page.expect_navigation(wait_until="load") as navigation:
            yield
        response = navigation.value
        assert response is not None, f"No response after navigating from {self.page.url}"
        self.check(response)

    def submit(self, control: Locator) -> Response:
        """Click a submit button or link and check the page it leads to."""
        with self.page.expect_navigation(wait_until="load") as navigation:
            control.click()
        response = navigation.value
        assert response is not None, f"No response after clicking {control}"
        self.check(response)
        return response

    # --- Checks --------------------------------------------------------------

    def check(self, response: Response, *, status: int | None = None) -> None:
        url = self.page.url
        if status is None:
            assert response.status < 500, f"{url} answered {response.status} (server error)."
        else:
            assert response.status == status, f"{url} answered {response.status}, not {status}."
        violations = self.run_axe_here() if self.javascript else self.run_axe_elsewhere(url, response)
        assert not violations, describe_violations(url, violations)
        self.assert_no_console_problems()
        self.checked_urls.append(url)
        if self._pending == url:
            self._pending = None

    def run_axe_here(self) -> list[dict[str, Any]]:
        key = self.axe_cache.key(self.page.content(), f"js-on {self.page.viewport_size}")
        cached = self.axe_cache.get(key)
        if cached is None:
            cached = _axe.run(self.page, options=AXE_OPTIONS).response["violations"]
            self.axe_cache.put(key, cached)
        return cached

    def run_axe_elsewhere(self, url: str, response: Response) -> list[dict[str, Any]]:
        """axe for a page shown with JavaScript turned off.

        With JavaScript off, Chromium runs no timers, so axe (which needs them)
        never finishes. So axe runs in a second context with JavaScript on, on
        a page built from exactly the markup this page received: the companion
        page's request for the URL is answered with this page's HTML (and its
        Content-Security-Policy), not sent to the server again, so a page that
        answered a form post is checked as shown. Stylesheets load from the
        live server as usual; the site's scripts are refused (see
        ``block_site_scripts``), so the DOM axe sees is the DOM a reader
        without JavaScript gets. The JS-on rendering is checked by ``visit``
        in every other test.
        """
        assert self.axe_context is not None, "A context with JavaScript off needs an axe_context."
        html = self.page.content()
        key = self.axe_cache.key(html, f"js-off {self.page.viewport_size}")
        cached = self.axe_cache.get(key)
        if cached is None:
            if self._axe_page is None:
                self._axe_page = self.axe_context.new_page()
                self._axe_page.on("console", self._on_console)
            document_url = urldefrag(url)[0]
            headers = {"content-type": "text/html; charset=utf-8"}
            policy = response.all_headers().get("content-security-policy")
            if policy:
                headers["content-security-policy"] = policy

            def same_document(request_url: str) -> bool:
                return request_url == document_url

            self._axe_page.route(same_document, lambda route: route.fulfill(status=200, headers=headers, body=html))
            try:
                self._axe_page.goto(url, wait_until="load")
            finally:
                self._axe_page.unroute(same_document)
            cached = _axe.run(self._axe_page, options=AXE_OPTIONS).response["violations"]
            self.axe_cache.put(key, cached)
        return cached

    def assert_no_console_problems(self) -> None:
        problems, self.console_problems[:] = list(self.console_problems), []
        assert not problems, "The browser reported:\n" + "\n".join(problems)

    def finish(self) -> None:
        """Called after the test: every page shown was checked."""
        unchecked = [*self._shown, *([self._pending] if self._pending else [])]
        checked = {urldefrag(url)[0] for url in self.checked_urls}
        unchecked = [url for url in unchecked if urldefrag(url)[0] not in checked]
        assert not unchecked, (
            "These pages were shown but not checked with axe; open pages with visit() or submit(): "
            + ", ".join(unchecked)
        )
        self.assert_no_console_problems()


def block_site_scripts(context: BrowserContext) -> None:
    """Make a JavaScript-enabled context render pages as if JavaScript were off.

    The CSP allows scripts only from this site's own files, so refusing the
    requests for them leaves nothing of the site's to run.
    """
    context.route(re.compile(r".*\.m?js(\?.*)?$"), lambda route: route.abort())


# --- Crawling ------------------------------------------------------------------


SKIP_PATHS = ("/accounts/logout/",)


@dataclass
class CrawlResult:
    pages: list[str]
    downloads: list[str]
    broken: list[str]
    capped: bool


# One round trip for what the crawl needs from a page. Plain DOM reads work
# with JavaScript off: Playwright evaluates them without the page's timers.
PAGE_SUMMARY = """() => ({
    mains: document.querySelectorAll("main").length,
    h1s: document.querySelectorAll("h1").length,
    mainText: (document.querySelector("main") || {}).innerText || "",
    hrefs: Array.from(document.querySelectorAll("a[href]"), a => a.getAttribute("href")),
})"""


def same_origin_links(page_url: str, hrefs: list[str], base_url: str) -> list[str]:
    origin = urlsplit(base_url)
    found = []
    for href in hrefs:
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        absolute, _fragment = urldefrag(urljoin(page_url, href))
        parts = urlsplit(absolute)
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
            continue
        if parts.path.startswith(SKIP_PATHS):
            continue
        found.append(absolute)
    return found


def crawl(checked: CheckedPage, start: str, *, limit: int = 60) -> CrawlResult:
    """Breadth first over same-origin links from ``start``, checking each page.

    Links that end on a 4xx page are collected in ``broken`` with the page that
    showed them (the caller decides whether that is a failure).
    """
    queue = deque([(checked.url(start), "(start)")])
    seen = {checked.url(start)}
    pages: list[str] = []
    downloads: list[str] = []
    broken: list[str] = []
    while queue and len(pages) < limit:
        url, found_on = queue.popleft()
        try:
            response = checked.page.goto(url, wait_until="load")
        except Error as error:
            if "Download is starting" not in str(error):
                raise
            # A link to a file (for example recovery codes): check the server
            # answers well, without treating it as a page.
            download = checked.page.context.request.get(url)
            assert download.status < 500, f"{url} answered {download.status} (server error)."
            downloads.append(url)
            checked._pending = None
            continue
        assert response is not None, f"No response for {url}"
        checked.check(response)
        if response.status >= 400:
            broken.append(f"{url} (linked from {found_on}) answered {response.status}")
        summary = checked.page.evaluate(PAGE_SUMMARY)
        assert summary["mains"] == 1, f"{url} has {summary['mains']} <main> elements."
        assert summary["h1s"] >= 1, f"{url} has no <h1> heading."
        assert summary["mainText"].strip(), f"{url} shows an empty <main>."
        pages.append(checked.page.url)
        seen.add(checked.page.url)
        for link in same_origin_links(checked.page.url, summary["hrefs"], checked.base_url):
            if link not in seen:
                seen.add(link)
                queue.append((link, checked.page.url))
    return CrawlResult(pages=pages, downloads=downloads, broken=broken, capped=bool(queue))
