"""Community Voice in a real browser: a member raises something, the forum takes it up at a
meeting and records a decision, and the public sees the answer on the "you said, we did" log, with
the owner, the dates and what will be done, or why it cannot be. Every page is checked by axe-core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_persona
from tests.browser.harness import CheckedPage

EVENING = "Evening peer support in Harlow"
CRECHE = "A crèche at family meetings"


def test_a_request_travels_from_a_member_to_the_public_you_said_we_did_log(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    member_user = make_persona("person_in_recovery")
    runner_user = make_persona("commissioner")
    member = open_page(session_key=signed_in_key(member_user))
    runner = open_page(session_key=signed_in_key(runner_user))
    public = open_page()

    # A member joins under a display name and raises two things between meetings.
    member.visit("/home/")
    member.submit(member.page.locator("header").get_by_role("link", name="Get involved"))
    member.submit(member.page.get_by_role("button", name="Join Community Voice"))
    member.page.get_by_label("Display name").fill("Sunrise")
    member.submit(member.page.get_by_role("button", name="Join"))
    expect(member.page.locator(".govuk-notification-banner")).to_contain_text("Members see you as Sunrise")
    for title, detail in [
        (EVENING, "Groups finish at 5pm, so people who work cannot come."),
        (CRECHE, "Parents miss family meetings because there is no childcare."),
    ]:
        member.submit(member.page.get_by_role("button", name="Raise something with the forum"))
        member.page.get_by_label("What is it about?").fill(title)
        member.page.get_by_label("What would you like the forum to know or change?").fill(detail)
        member.submit(member.page.get_by_role("button", name="Raise it"))
    expect(member.page.locator("main table")).to_contain_text(EVENING)

    # Not on the public log until the forum takes it up; the counts show it was raised.
    public.visit("/community-voice/you-said-we-did/")
    expect(public.page.locator("main")).not_to_contain_text(EVENING)
    expect(public.page.locator("main table")).to_contain_text("Raised")

    # The forum runner records yesterday's quarterly meeting and its agenda.
    runner.visit("/home/")
    runner.submit(runner.page.get_by_role("link", name="Run the forum"))
    runner.submit(runner.page.get_by_role("button", name="Schedule a meeting"))
    held_on = timezone.localdate() - timedelta(days=1)
    runner.page.get_by_label("Name of the meeting").fill("Spring meeting")
    runner.page.get_by_label("Date").fill(held_on.isoformat())
    runner.page.get_by_label("Start time").fill("18:30")
    runner.page.get_by_label("In person and online").check()
    runner.page.get_by_label("Where, or how to join online").fill("Harlow Recovery Space")
    runner.submit(runner.page.get_by_role("button", name="Schedule the meeting"))
    for title in (EVENING, CRECHE):
        runner.submit(runner.page.get_by_role("button", name=f"Add {title} to the agenda"))
    expect(runner.page.locator("main")).to_contain_text("Nothing is waiting.")

    # Who came, and a decision for each request: one "we will", one "we cannot".
    runner.submit(runner.page.get_by_role("link", name="Record who was present"))
    runner.page.get_by_label("Sunrise").check()
    runner.submit(runner.page.get_by_role("button", name="Save attendance"))
    due = timezone.localdate() + timedelta(days=90)
    runner.submit(runner.page.get_by_role("button", name="Record a decision"))
    runner.page.get_by_label("Which agenda item is it about?").select_option(label=f"{EVENING} (under consideration)")
    runner.page.get_by_label("What the meeting decided").fill("Start a fortnightly evening group at the Harlow space.")
    runner.page.get_by_label("We will: say what will be done, who owns it and by when").check()
    runner.page.get_by_label("Who is responsible").fill("Harlow Recovery Space")
    runner.page.get_by_label("Done by (for 'we will')").fill(due.isoformat())
    runner.submit(runner.page.get_by_role("button", name="Record the decision"))
    runner.submit(runner.page.get_by_role("button", name="Record a decision"))
    runner.page.get_by_label("Which agenda item is it about?").select_option(label=f"{CRECHE} (under consideration)")
    runner.page.get_by_label("What the meeting decided").fill("The building has no registered childcare space.")
    runner.page.get_by_label("We cannot: say why not and who decided").check()
    runner.submit(runner.page.get_by_role("button", name="Record the decision"))
    expect(runner.page.locator(".govuk-error-summary")).to_contain_text("Say who is responsible")
    runner.page.get_by_label("Who is responsible").fill("Commissioning team")
    runner.submit(runner.page.get_by_role("button", name="Record the decision"))
    expect(runner.page.locator("main")).to_contain_text("Start a fortnightly evening group")

    # The minutes are written, then published.
    runner.submit(runner.page.get_by_role("link", name="Write the minutes"))
    runner.page.get_by_label("Minutes").fill("Sunrise raised evening support. The forum agreed a new group.")
    runner.submit(runner.page.get_by_role("button", name="Publish the minutes"))
    expect(runner.page.locator(".govuk-notification-banner")).to_contain_text("The minutes are published")

    # The public log shows each answer with its owner and dates.
    public.visit("/community-voice/")
    public.submit(public.page.get_by_role("link", name="You said, we did: every request and its answer"))
    cards = public.page.locator(".govuk-summary-card")
    will = cards.filter(has_text=EVENING)
    expect(will).to_contain_text("We will")
    expect(will).to_contain_text("Start a fortnightly evening group at the Harlow space.")
    expect(will).to_contain_text("Harlow Recovery Space")
    expect(will).to_contain_text("Raised by Sunrise")
    today = timezone.localdate()
    for row, when in [("Due by", due), ("Raised", today), ("Taken up", today), ("Answered", today)]:
        line = will.locator(".govuk-summary-list__row").filter(has=public.page.get_by_text(row, exact=True))
        expect(line).to_contain_text(f"{when.day} {when:%B %Y}")
    decided = will.locator(".govuk-summary-list__row").filter(has=public.page.get_by_text("Decided at", exact=True))
    expect(decided).to_contain_text("Spring meeting")
    cannot = cards.filter(has_text=CRECHE)
    expect(cannot).to_contain_text("Why we cannot")
    expect(cannot).to_contain_text("The building has no registered childcare space.")
    expect(cannot).to_contain_text("Commissioning team")
    expect(public.page.locator("main")).not_to_contain_text(member_user.email)

    # Filtered by status, with the counts beside the chart.
    public.page.get_by_label("We will", exact=True).check()
    public.submit(public.page.get_by_role("button", name="Show requests"))
    expect(public.page.locator("main")).to_contain_text(EVENING)
    expect(public.page.locator("main")).not_to_contain_text(CRECHE)
    counts = public.page.locator("main table")
    expect(counts.locator("tr", has_text="We will")).to_contain_text("1")
    expect(counts.locator("tr", has_text="We cannot")).to_contain_text("1")

    # The decision links to the published minutes, which anyone can read.
    public.submit(public.page.get_by_role("link", name="Spring meeting"))
    expect(public.page.locator("h1")).to_have_text("Spring meeting")
    expect(public.page.locator("main")).to_contain_text("The forum agreed a new group.")

    # The member sees where their requests have got to.
    member.visit("/community-voice/items/")
    expect(member.page.locator("main table")).to_contain_text("We will")
    expect(member.page.locator("main table")).to_contain_text("We cannot")


def test_a_forum_runner_hides_an_item_and_its_author_sees_why(
    open_page: Callable[..., CheckedPage], signed_in_key: Callable
) -> None:
    from rosc.voice import actions

    author = make_persona("family_member")
    actions.member_join(actor=author, display_name="Jo")
    actions.item_raise(actor=author, title="Complaint about a named worker", detail="Names someone.")
    runner = open_page(session_key=signed_in_key(make_persona("administrator")))
    member = open_page(session_key=signed_in_key(author), javascript=False)

    runner.visit("/community-voice/run/items/")
    runner.submit(runner.page.get_by_role("link", name="Complaint about a named worker"))
    runner.submit(runner.page.get_by_role("link", name="Hide this item"))
    runner.submit(runner.page.get_by_role("button", name="Hide the item"))
    expect(runner.page.locator(".govuk-error-summary")).to_contain_text("Say why the item is hidden")
    runner.page.get_by_label("Why are you hiding it?").fill("It names a member of staff.")
    runner.submit(runner.page.get_by_role("button", name="Hide the item"))
    expect(runner.page.locator("main")).to_contain_text("Why it is hidden")

    member.visit("/community-voice/items/")
    expect(member.page.locator("main")).to_contain_text("Hidden by the forum: It names a member of staff.")


def test_the_get_involved_hub_and_public_pages_work_on_a_phone(
    open_page: Callable[..., CheckedPage], transactional_db: None
) -> None:
    checked = open_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    for path in [
        "/community-voice/",
        "/community-voice/you-said-we-did/",
        "/community-voice/meetings/",
        "/community-voice/research-reviewed/",
    ]:
        checked.visit(path)
        widths = checked.page.evaluate("() => ({view: window.innerWidth, html: document.documentElement.scrollWidth})")
        assert widths["html"] <= widths["view"], f"{path} scrolls sideways on a phone: {widths}"
