"""Fixtures for the browser tests: Debian's Chromium driven by Playwright,
against pytest-django's live server, with every page checked by axe-core.

Every test in this folder is marked ``browser``. In CI (the CI environment
variable is set) a missing Chromium fails the tests; on a laptop without it
they are skipped with the reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API drives the browser from an asyncio event loop that it
# keeps registered as running in this (the main) thread from the first browser
# test to the end of the session. Django refuses ORM calls from a thread with a
# running loop (SynchronousOnlyOperation), because in an async server that
# would block the loop. Here nothing else runs on that loop and each ORM call
# is a plain blocking call from the test, so it is safe; the setting is for
# the whole process because the loop outlives any single test. Fixtures still
# make their ORM calls before pages are opened wherever they can.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.browser.harness import (
    AxeCache,
    CheckedPage,
    add_session_cookie,
    block_site_scripts,
    session_key_for,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder ``browser``, so none can forget it."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _require_chromium() -> None:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    message = (
        f"The browser tests need Debian's Chromium at {CHROMIUM} "
        "(apt-get install chromium, or `make chromium`); it is not there."
    )
    if os.environ.get("CI"):
        pytest.fail(message + " CI must run the browser tests, so this is a failure.", pytrace=False)
    pytest.skip(message + " Skipped because CI is not set.")


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    _require_chromium()
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session.

    ``launch`` starts Chromium with a new, empty user-data directory that
    Playwright makes in the temporary folder and deletes when the browser
    closes (``--user-data-dir`` may only be passed to a persistent context,
    which would allow just one context).
    """
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(scope="session")
def axe_cache() -> AxeCache:
    return AxeCache()


@pytest.fixture
def base_url(live_server: Any) -> str:
    return live_server.url


@pytest.fixture
def new_context(browser: Browser, base_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts for this test; all are closed after it.

    Requests for anything but the live server are refused, so no test reaches
    the internet (the "Exit this page" button points at another site).
    """
    made: list[BrowserContext] = []
    outside = re.compile(rf"^(?!{re.escape(base_url)}/)(https?|wss?)://")

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=base_url, locale="en-GB", **options)
        context.set_default_timeout(15_000)
        context.route(outside, lambda route: route.abort())
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def open_page(
    new_context: Callable[..., BrowserContext], base_url: str, axe_cache: AxeCache
) -> Iterator[Callable[..., CheckedPage]]:
    """Open a checked page in a context of its own.

    ``session_key``: start signed in with that server-side session.
    ``javascript=False``: JavaScript off; axe then runs on the same markup in
    a companion context with JavaScript on (see
    ``CheckedPage.run_axe_elsewhere``). It fetches only stylesheets and
    images, so it needs no session.
    """
    pages: list[CheckedPage] = []

    def make(*, session_key: str | None = None, javascript: bool = True, **options: Any) -> CheckedPage:
        context = new_context(java_script_enabled=javascript, **options)
        axe_context = None
        if not javascript:
            axe_context = new_context(**options)
            block_site_scripts(axe_context)
        if session_key:
            add_session_cookie(context, base_url, session_key)
        checked = CheckedPage(
            page=context.new_page(),
            base_url=base_url,
            axe_cache=axe_cache,
            javascript=javascript,
            axe_context=axe_context,
        )
        pages.append(checked)
        return checked

    yield make
    for checked in pages:
        checked.finish()


@pytest.fixture
def site(open_page: Callable[..., CheckedPage]) -> CheckedPage:
    """A checked page for someone who is not signed in, JavaScript on."""
    return open_page()


@pytest.fixture
def signed_in_key(transactional_db: None) -> Callable[[Any], str]:
    """A session key for a user signed in without the form; staff also get a
    used authenticator app, as the staff pages require."""
    from rosc.core.permissions import is_staff_user

    def make(user: Any) -> str:
        return session_key_for(user, with_mfa=is_staff_user(user))

    return make
