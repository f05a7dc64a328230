"""Community research end to end in a real browser: a community researcher designs a
survey and opens it, people answer on the web (and one answer is typed in from a
face-to-face conversation), the researcher reads the suppressed results, tags themes in
the free text, writes a finding and publishes it to the Community Voice, and a
commissioner finds it in the evidence. Every page is checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import make_persona
from rosc.research.models import Finding, Response, Survey
from rosc.voice.models import Item, ItemKind
from tests.browser.harness import CheckedPage

TITLE = "What would make recovery cafés easier to reach?"
FREE_TEXT = "What one thing would help?"


def add_question(checked: CheckedPage, kind: str, text: str, **fields: str) -> None:
    page = checked.page
    checked.submit(page.get_by_role("button", name="Add a question"))
    page.get_by_label(kind).check()
    checked.submit(page.get_by_role("button", name="Continue"))
    page.get_by_label("Question", exact=True).fill(text)
    if fields.pop("optional", None):
        page.locator("input[name=required][value=no]").check()
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    checked.submit(page.get_by_role("button", name="Add the question"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The question has been added.")


def answer_survey(page: Page, *, café: str, scale: str, text: str, hard: list[str]) -> None:
    page.get_by_role("radio", name=café, exact=True).check()
    for option in hard:
        page.get_by_role("checkbox", name=option, exact=True).check()
    page.get_by_role("radio", name=scale, exact=True).check()
    page.get_by_label(f"4. {FREE_TEXT} (optional)").fill(text)


def test_a_researcher_runs_a_survey_from_design_to_a_published_finding(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    researcher = make_persona("community_researcher")
    commissioner = make_persona("commissioner")
    desk = open_page(session_key=signed_in_key(researcher))
    page = desk.page

    # Design the survey.
    desk.visit("/home/")
    desk.submit(page.get_by_role("link", name="Create a survey"))
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Why you are asking").fill("We want to know what stops people coming to recovery cafés.")
    expect(page.get_by_label("What taking part means")).to_contain_text("smaller than 5 is hidden")
    page.get_by_label("Anyone, without signing in").check()
    desk.submit(page.get_by_role("button", name="Create the survey"))
    survey = Survey.objects.get(title=TITLE)
    manage_path = desk.path()

    add_question(desk, "Choice: pick one", "Have you been to a recovery café?", Options="Yes\nNo")
    add_question(
        desk,
        "Choice: pick any that apply",
        "What makes it hard to get there?",
        Options="Bus fares\nOpening times\nNot knowing where it is",
        optional="yes",
    )
    add_question(
        desk,
        "Scale, for example 1 to 5",
        "How easy is it to get there?",
        **{"What the lowest point means": "Very hard", "What the highest point means": "Very easy"},
    )
    add_question(desk, "Free text", FREE_TEXT, optional="yes")
    desk.submit(page.get_by_role("link", name="Preview the survey"))
    expect(page.get_by_role("radio", name="5 \u2013 Very easy")).to_be_visible()
    desk.visit(manage_path)
    desk.submit(page.get_by_role("button", name="Open the survey"))
    desk.submit(page.get_by_role("button", name="Open the survey"))
    expect(page.locator("main")).to_contain_text("The survey is open.")

    # Five people answer on the web, one of them with JavaScript off.
    public_path = f"/research/surveys/{survey.uuid}/"
    for number in range(5):
        person = open_page(javascript=number != 1)
        person.visit("/research/")
        person.submit(person.page.get_by_role("link", name=f"Take part in “{TITLE}”"))
        assert person.path() == public_path
        expect(person.page.locator("main")).to_contain_text("Taking part is up to you.")
        person.submit(person.page.get_by_role("button", name="Start now"))
        answer_survey(
            person.page,
            café="Yes",
            scale="4",
            text="Cheaper bus fares" if number < 3 else "A bus pass for people in recovery",
            hard=["Bus fares"] if number % 2 else ["Bus fares", "Opening times"],
        )
        person.page.get_by_label("I have read what taking part means and I agree to take part").check()
        person.submit(person.page.get_by_role("button", name="Continue"))
        expect(person.page.locator("h1")).to_have_text("Check your answers")
        person.submit(person.page.get_by_role("button", name="Send your answers"))
        expect(person.page.locator("h1")).to_have_text("Your answers have been sent")
        if number == 0:
            person.visit(public_path)
            expect(person.page.locator("main")).to_contain_text("You have already answered")
    assert Response.objects.filter(survey=survey, mode="web").count() == 5

    # One answer given face to face, typed in by the researcher.
    desk.visit(manage_path)
    desk.submit(page.get_by_role("button", name="Record a face-to-face response"))
    page.get_by_label("Date the answers were given").fill(timezone.localdate().isoformat())
    answer_survey(page, café="No", scale="2", text="Open on Sundays", hard=["Opening times"])
    page.get_by_label("The person heard what taking part means and agreed to take part").check()
    desk.submit(page.get_by_role("button", name="Continue"))
    expect(page.locator("h1")).to_have_text("Check the answers")
    desk.submit(page.get_by_role("button", name="Save the response"))
    assert Response.objects.get(survey=survey, mode="face_to_face").recorded_by == researcher

    # Suppressed results: six people, so most numbers are hidden.
    desk.submit(page.get_by_role("button", name="See the results"))
    main = page.locator("main")
    expect(main).to_contain_text("6 people answered")
    yes_row = page.locator("tr", has=page.get_by_role("rowheader", name="Yes", exact=True))
    no_row = page.locator("tr", has=page.get_by_role("rowheader", name="No", exact=True))
    expect(yes_row).to_contain_text("not shown")
    expect(no_row).to_contain_text("fewer than 5")
    scale_four = page.locator("tr", has=page.get_by_role("rowheader", name="4", exact=True))
    expect(scale_four).to_contain_text("5")
    expect(scale_four).to_contain_text("83%")
    expect(main).not_to_contain_text("Open on Sundays")

    # Tag themes in people's own words.
    desk.submit(page.get_by_role("link", name=f"Tag themes in answers to “{FREE_TEXT}”"))
    for theme in ("Bus fares", "Opening hours"):
        page.get_by_label("New theme").fill(theme)
        desk.submit(page.get_by_role("button", name="Add the theme"))
    for card in page.locator(".govuk-summary-card").all():
        theme = "Opening hours" if "Sundays" in card.inner_text() else "Bus fares"
        card.get_by_role("checkbox", name=theme).check()
    desk.submit(page.get_by_role("button", name="Save the themes"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("6 answers changed")
    desk.submit(page.get_by_role("link", name="Back to the results"))
    bus_row = page.locator("tr", has=page.get_by_role("rowheader", name="Bus fares", exact=True)).last
    hours_row = page.locator("tr", has=page.get_by_role("rowheader", name="Opening hours", exact=True))
    expect(bus_row).to_contain_text("not shown")
    expect(hours_row).to_contain_text("fewer than 5")

    # Close, write a finding and publish it to the Community Voice.
    desk.visit(manage_path)
    desk.submit(page.get_by_role("button", name="Close the survey"))
    desk.submit(page.get_by_role("button", name="Close the survey"))
    desk.submit(page.get_by_role("link", name="Write a finding"))
    page.get_by_label("Title").fill("Bus fares keep people from recovery cafés")
    page.get_by_label("Summary").fill("Most people said the cost of the bus is what makes cafés hard to reach.")
    page.get_by_label("What you found").fill("People told us the fare into town is the main barrier.")
    desk.submit(page.get_by_role("button", name="Save the draft"))
    desk.submit(page.get_by_role("button", name="Publish to the Community Voice"))
    desk.submit(page.get_by_role("button", name="Publish and send to the Community Voice"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sent to the Community Voice")
    finding = Finding.objects.get(survey=survey)
    assert finding.is_published
    item = Item.objects.get(kind=ItemKind.RESEARCH, title="Bus fares keep people from recovery cafés")
    assert item.link.endswith(f"/research/findings/{finding.uuid}/")
    desk.submit(page.get_by_role("button", name="Attach to commissioning evidence"))
    expect(page.locator("main")).to_contain_text("Commissioners can see this finding")

    # Anyone can read it: themes and hidden numbers, never people's words.
    reader = open_page()
    reader.visit("/research/")
    reader.submit(reader.page.get_by_role("link", name="Bus fares keep people from recovery cafés"))
    published = reader.page.locator("main")
    expect(published).to_contain_text("People told us the fare into town is the main barrier.")
    expect(published).to_contain_text("fewer than 5")
    expect(published).not_to_contain_text("Open on Sundays")
    expect(published).not_to_contain_text("Cheaper bus fares")

    # A commissioner finds it in the evidence.
    evidence = open_page(session_key=signed_in_key(commissioner))
    evidence.visit("/home/")
    evidence.submit(evidence.page.get_by_role("link", name="Community research evidence for commissioning"))
    evidence.submit(evidence.page.get_by_role("link", name="Bus fares keep people from recovery cafés", exact=True))
    expect(evidence.page.locator("main")).to_contain_text("Download the data (CSV)")


def test_the_survey_and_a_finding_with_its_charts_fit_a_phone(open_page: Callable[..., CheckedPage]) -> None:
    from rosc.research import actions
    from rosc.research.models import SurveyState
    from rosc.research.tests.helpers import make_survey, respond

    researcher = make_persona("community_researcher")
    survey = make_survey(researcher, state=SurveyState.OPEN)
    for number in range(12):
        respond(survey, single=number % 2, multiple=(number % 3,), scale=1 + number % 2, text="Buses")
    actions.survey_close(actor=researcher, survey=survey)
    finding = actions.finding_create(
        actor=researcher,
        survey=survey,
        details=actions.FindingDetails("Getting there is the hardest part", "Summary.", "What we found."),
    )
    actions.finding_publish(actor=researcher, finding=finding)
    open_one = make_survey(researcher, state=SurveyState.OPEN, title="A survey to answer on a phone")
    phone = open_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)

    for path in ("/research/", f"/research/findings/{finding.uuid}/", f"/research/surveys/{open_one.uuid}/answer/"):
        phone.visit(path)
        widths = phone.page.evaluate("() => ({view: window.innerWidth, html: document.documentElement.scrollWidth})")
        assert widths["html"] <= widths["view"], f"{path} scrolls sideways on a phone: {widths}"
    phone.visit(f"/research/findings/{finding.uuid}/")
    assert phone.page.locator("main svg rect").count() > 0, "The finding shows no bars."
