"""The front door in a real browser, against the Essex demo directory: every page checked by axe-core.

A mother in Basildon whose adult son uses heroin gets a plan and asks two services for support
for herself, with JavaScript off; both services see her request in their inbox. A student in
Colchester worried about drinking uses a phone. Someone whose friend has overdosed sees the
crisis routes before anything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from rosc.core.models import Membership, Organisation, Role, User
from rosc.directory.seeding import seed_essex_directory
from rosc.referrals.models import Referral
from tests.browser.harness import CheckedPage

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def essex(transactional_db: None) -> dict[str, User]:
    cache.clear()  # rate limits are counted in the cache, which outlives each test's tables
    seed_essex_directory(StringIO())
    staff = {}
    for slug, email in (
        ("basildon-recovery-space", "space.worker@example.com"),
        ("essex-families-in-recovery", "family.worker@example.com"),
    ):
        user = User.objects.create_user(email, "a long password for staff", display_name=email.split("@")[0])
        Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=slug), role=Role.PRACTITIONER)
        staff[slug] = user
    return staff


def answer(checked: CheckedPage, *labels: str, button: str = "Continue") -> None:
    """Tick or choose each label on a question page, then continue."""
    page = checked.page
    for label in labels:
        page.get_by_label(label, exact=True).check()
    checked.submit(page.get_by_role("button", name=button))


def fill(checked: CheckedPage, label: str, value: str) -> None:
    checked.page.get_by_label(label, exact=True).fill(value)


def step_section(checked: CheckedPage, title: str) -> Any:
    """The step of the plan with this title."""
    page = checked.page
    heading = page.locator("section.rosc-step > h2").filter(has_text=re.compile(rf"{title}$"))
    key = heading.first.get_attribute("id")
    return page.locator(f'section[aria-labelledby="{key}"]')


def test_a_mother_in_basildon_gets_a_plan_and_asks_two_services_who_both_see_it(
    essex: dict[str, User], open_page: Callable[..., CheckedPage], signed_in_key: Callable[[Any], str]
) -> None:
    mother = open_page(javascript=False)
    page = mother.page
    mother.visit("/")
    mother.submit(page.get_by_role("button", name="Get help now"))
    expect(page.locator("h1")).to_have_text("Get help with drink or drugs")
    expect(page.get_by_role("button", name="Emergency Exit this page")).to_have_attribute(
        "href", "https://www.bbc.co.uk/weather"
    )
    mother.submit(page.get_by_role("button", name="Start now"))

    answer(mother, "No, nobody is in danger right now")
    answer(mother, "Someone I care about")
    answer(mother, "I am their parent")
    answer(mother, "26 to 49")
    answer(mother, "Heroin or other opioids, like strong painkillers")
    answer(mother, "In the next few days")
    answer(mother, "No, nothing else")
    fill(mother, "Postcode or town", "Basildon")
    answer(mother)
    mother.submit(page.get_by_role("button", name="Skip this question"))
    mother.submit(page.get_by_role("button", name="Skip this question"))

    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Heroin or other opioids")
    mother.submit(page.get_by_role("button", name="Show my plan"))

    expect(page.locator("h1")).to_have_text("Help for your son or daughter, and for you")
    expect(page.locator("main")).to_contain_text("If someone is in danger now, call 999")
    treatment = step_section(mother, "Treatment and support for your son or daughter")
    expect(treatment).to_contain_text("Opiate substitute prescribing clinic")
    expect(treatment).to_contain_text("Helps with heroin and other opioids")
    expect(treatment).to_contain_text("miles away, in Basildon")
    for_her = step_section(mother, "Support for you")
    expect(for_her).to_contain_text("Basildon Recovery Space")
    expect(for_her).to_contain_text("You do not need your son or daughter's permission")
    expect(step_section(mother, "Peer support").locator("h3").first).to_be_visible()
    expect(step_section(mother, "Your nearest recovery space")).to_contain_text("Basildon Recovery Space")
    plan_url = page.url

    mother.submit(page.get_by_role("button", name="Ask for support"))
    page.get_by_label("Basildon Recovery Space", exact=True).check()
    page.get_by_label("One-to-one support for family members", exact=True).check()
    mother.submit(page.get_by_role("button", name="Continue"))
    fill(mother, "What is your name?", "Jo Example")
    mother.submit(page.get_by_role("button", name="Continue"))
    page.get_by_label("Text message", exact=True).check()
    fill(mother, "Phone number", "07700 900 982")
    page.get_by_label("Evenings, after 6pm", exact=True).check()
    page.locator("input[name=voicemail][value=no]").check()
    page.locator("input[name=letters][value=no]").check()
    mother.submit(page.get_by_role("button", name="Continue"))

    expect(page.locator("h1")).to_have_text("Check your request before sending it")
    expect(page.locator("main")).to_contain_text("Essex Families in Recovery")
    expect(page.locator("main")).to_contain_text("Only evenings after 6pm.")
    page.get_by_label("I agree to share these details with the services I chose").check()
    sent_form = {
        "csrfmiddlewaretoken": page.locator("input[name=csrfmiddlewaretoken]").last.input_value(),
        "form_token": page.locator("input[name=form_token]").input_value(),
        "agree": "on",
    }
    check_url = page.url
    mother.submit(page.get_by_role("button", name="Send my request"))
    expect(page.locator(".govuk-panel__title")).to_have_text("Request sent")
    expect(page.locator("main")).to_contain_text("One-to-one support for family members")
    status_url = page.url

    # The same form sent again (a double click, or a page sent twice) sends nothing new.
    again = page.context.request.post(check_url, form=sent_form, max_redirects=0)
    assert again.status == 302
    assert again.headers["location"] == status_url.replace(mother.base_url, "")
    assert Referral.objects.count() == 2

    for slug, service in (
        ("basildon-recovery-space", "Basildon Recovery Space"),
        ("essex-families-in-recovery", "One-to-one support for family members"),
    ):
        worker = open_page(session_key=signed_in_key(essex[slug]))
        worker.visit("/referrals/inbox/")
        worker.submit(worker.page.get_by_role("link", name="Jo Example").first)
        main = worker.page.locator("main")
        expect(main).to_contain_text(service)
        expect(main).to_contain_text("Text message only, to 07700900982. Only evenings after 6pm.")
        expect(main).to_contain_text("Do not leave a voicemail. Do not send letters.")

    # The plan's private link still works, and can be ended.
    mother.visit(plan_url.replace(mother.base_url, ""))
    mother.submit(page.get_by_role("link", name="Delete this plan now"))
    mother.submit(page.get_by_role("button", name="Delete my plan"))
    expect(page.locator(".govuk-panel__title")).to_have_text("Your plan has been deleted")
    mother.visit(plan_url.replace(mother.base_url, ""), status=404)


def test_a_student_in_colchester_worried_about_drinking_gets_alcohol_support_on_a_phone(
    essex: dict[str, User], open_page: Callable[..., CheckedPage]
) -> None:
    student = open_page(**PHONE)
    page = student.page
    student.visit("/get-help/")
    student.submit(page.get_by_role("button", name="Start now"))
    answer(student, "No, nobody is in danger right now")
    answer(student, "Me")
    answer(student, "18 to 25")
    answer(student, "Alcohol")
    student.submit(page.get_by_role("button", name="Skip this question"))
    answer(student, "Studying at college or university")
    fill(student, "Postcode or town", "Colchester")
    answer(student)
    answer(student, "Evenings or weekends suit me best")
    answer(student, "I would like to talk to someone who has been through it themselves (lived experience)")

    # Browser back from the check page returns to the last question with its answer kept.
    with student.navigation():
        page.go_back()
    expect(
        page.get_by_label("I would like to talk to someone who has been through it themselves (lived experience)")
    ).to_be_checked()
    student.submit(page.get_by_role("button", name="Continue"))
    student.submit(page.get_by_role("button", name="Show my plan"))

    expect(page.locator("h1")).to_have_text("Your plan for getting help")
    treatment = step_section(student, "Treatment and support with alcohol")
    expect(treatment).to_contain_text("Drug and alcohol service, Colchester")
    expect(treatment).to_contain_text("Helps with alcohol")
    expect(step_section(student, "Your nearest recovery space")).to_contain_text("Colchester Recovery Space")
    expect(step_section(student, "Peer support")).to_contain_text("For students")
    widths = page.evaluate("() => ({view: window.innerWidth, html: document.documentElement.scrollWidth})")
    assert widths["view"] == PHONE["viewport"]["width"], f"the plan is wider than a phone: {widths}"
    assert widths["html"] <= widths["view"], f"the plan scrolls sideways on a phone: {widths}"

    student.submit(page.get_by_role("link", name="Send the link to yourself by email or text"))
    page.get_by_label("Email", exact=True).check()
    fill(student, "Email address", "not an email")
    student.submit(page.get_by_role("button", name="Send the link"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address in the right format")
    fill(student, "Email address", "student@example.com")
    student.submit(page.get_by_role("button", name="Send the link"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("We have sent the link")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_someone_whose_friend_has_overdosed_sees_the_crisis_routes_first(
    javascript: bool, essex: dict[str, User], open_page: Callable[..., CheckedPage]
) -> None:
    helper = open_page(javascript=javascript)
    page = helper.page
    helper.visit("/get-help/questions/danger/")

    answer(helper, "Someone has taken too much (an overdose) or is hard to wake")

    expect(page.locator("h1")).to_have_text("Get help now")
    routes = page.locator("#crisis-routes li")
    expect(routes.first).to_contain_text("Call 999")
    expect(routes.nth(1)).to_contain_text("NHS 111")
    expect(routes.nth(2)).to_contain_text("Samaritans on 116 123")
    expect(page.locator("main")).to_contain_text("If you have naloxone")
    fill(helper, "Postcode or town", "SS14")
    helper.submit(page.get_by_role("button", name="Find crisis help near here"))
    expect(page.locator("#local-help")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Evening crisis café, Basildon")

    helper.submit(page.get_by_role("button", name="Continue"))
    expect(page.locator("h1")).to_have_text("Who needs help?")
    expect(page.locator("main")).to_contain_text("If someone is in danger now, call 999")
    for _ in range(9):
        helper.submit(page.get_by_role("button", name="Skip this question"))
        if page.locator("h1").inner_text() == "Check your answers":
            break
    helper.submit(page.get_by_role("button", name="Show my plan"))

    first_heading = page.locator("main h2").first
    expect(first_heading).to_have_text("Get help now")
    expect(page.locator("#crisis-routes li").first).to_contain_text("Call 999")


def test_the_pages_for_problems_are_clear_and_accessible_without_javascript(
    essex: dict[str, User], open_page: Callable[..., CheckedPage], settings: Any
) -> None:
    visitor = open_page(javascript=False)
    page = visitor.page
    visitor.visit("/get-help/questions/where/")
    fill(visitor, "Postcode or town", "Atlantis")
    answer(visitor)
    expect(page.locator(".govuk-error-summary")).to_contain_text("We could not find that place")
    assert page.title().startswith("Error: ")

    visitor.visit("/get-help/questions/who/")
    answer(visitor, "Someone I work with (I am a professional)")
    visitor.visit("/get-help/check-your-answers/")
    visitor.submit(page.get_by_role("button", name="Show my plan"))
    expect(page.locator("h1")).to_have_text("Help for the person you are supporting")
    expect(page.get_by_role("button", name="Ask for support")).to_have_count(0)
    visitor.visit(page.url.replace(visitor.base_url, "") + "ask/")
    expect(page.locator("main")).to_contain_text("sign in to make a referral")

    visitor.visit("/get-help/requests/" + "z" * 43 + "/", status=404)
    expect(page.locator("h1")).to_have_text("This link does not work")

    settings.ROSC_FRONTDOOR_PATHWAY_LIMIT = "0/h"
    visitor.visit("/get-help/check-your-answers/")
    visitor.submit(page.get_by_role("button", name="Show my plan"))
    expect(page.locator("h1")).to_have_text("Please wait a while before trying again")
