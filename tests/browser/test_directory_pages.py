"""Searching the directory and reading a service page in a real browser, with
JavaScript on and off, on a desktop and on a phone: no accessibility problem
that axe-core can find."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import pytest

from rosc.directory.models import ServiceStatus
from rosc.directory.tests.search_helpers import BASILDON_SS13, LAINDON_SS15, make_service, make_taxonomy
from tests.browser.harness import CheckedPage


@pytest.fixture
def directory(transactional_db: None) -> dict[str, str]:
    make_taxonomy()
    near = make_service(
        "Basildon Drug Service",
        codes=["opiates", "clinical-treatment", "prescribing"],
        at=[BASILDON_SS13],
        opening=[("MO,WE", time(9), time(17))],
        minimum_age=18,
        phone=True,
    )
    make_service(
        "Laindon Recovery",
        codes=["opiates", "prescribing"],
        at=[LAINDON_SS15],
        status=ServiceStatus.TEMPORARILY_CLOSED,
        status_note="Closed for building work until May.",
    )
    online = make_service("Opiate Support Online", codes=["opiates"], online=True, in_person=False)
    return {"near": str(near.id), "online": str(online.id)}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_it_finds_opiate_treatment_near_basildon_and_opens_a_service(
    javascript: bool, open_page: Callable[..., CheckedPage], directory: dict[str, str]
) -> None:
    checked = open_page(javascript=javascript)
    checked.visit("/services/")

    checked.page.get_by_label("What help are you looking for?").fill("opiate treatment")
    checked.page.get_by_label("Postcode or town").fill("SS14 1AB")
    checked.submit(checked.page.get_by_role("button", name="Search"))

    results = checked.page.locator("#main-content")
    assert "3 services found for SS14 1AB" in results.inner_text()
    headings = checked.page.locator("#main-content h4").all_inner_texts()
    assert headings == ["Basildon Drug Service", "Laindon Recovery", "Opiate Support Online"]

    checked.submit(checked.page.get_by_role("link", name="Basildon Drug Service"))
    page_text = checked.page.locator("#main-content").inner_text()
    assert "Mondays and Wednesdays, 9am to 5pm" in page_text
    assert "What happens when you contact them" in page_text


def test_it_shows_a_clear_error_and_crisis_help(
    open_page: Callable[..., CheckedPage], directory: dict[str, str]
) -> None:
    checked = open_page()
    checked.visit("/services/?q=overdose&where=nowhere")

    assert checked.page.get_by_role("heading", name="Get help now").is_visible()
    assert checked.page.get_by_role(
        "link", name="Enter a real postcode, like SS14 1AB, or a town in Essex"
    ).is_visible()


def test_it_shows_no_results_with_filters_open(
    open_page: Callable[..., CheckedPage], directory: dict[str, str]
) -> None:
    checked = open_page()
    checked.visit("/services/?q=opiates&modes=in_person&day=SU&age=30&capacity=on")

    assert "No services match your search" in checked.page.locator("#main-content").inner_text()
    assert checked.page.get_by_label("Age of the person who needs help").is_visible()


@pytest.mark.parametrize("path", ["/services/?q=opiates&where=SS14", "service"])
def test_it_fits_a_phone_without_scrolling_sideways(
    path: str, open_page: Callable[..., CheckedPage], directory: dict[str, str]
) -> None:
    checked = open_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    checked.visit(f"/services/{directory['near']}/" if path == "service" else path)

    widths = checked.page.evaluate("() => ({view: window.innerWidth, html: document.documentElement.scrollWidth})")
    assert widths["html"] <= widths["view"], f"{path} scrolls sideways on a phone: {widths}"
