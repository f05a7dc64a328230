"""The public pages: the hub, the log, research reviewed and meetings."""

from django.urls import reverse

from rosc.core.testing import sign_in
from rosc.voice import actions
from rosc.voice.tests.helpers import considered, meeting, member, raised


def test_the_hub_introduces_all_three_ways_to_take_part(client, db):
    page = client.get(reverse("voice:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/recovery-fund/"' in html
    assert 'href="/research/"' in html
    assert reverse("voice:log") in html
    assert "Get involved" in html
    assert "sign in" in html


def test_every_page_links_to_the_hub_from_the_service_navigation(client, family_member):
    for signed_in in (False, True):
        if signed_in:
            sign_in(client, family_member, with_mfa=False)
        html = client.get(reverse("core:home")).content.decode()
        assert f'href="{reverse("voice:index")}">Get involved</a>' in html


def test_the_hub_offers_a_signed_in_person_to_join_and_a_member_to_raise(client, family_member):
    sign_in(client, family_member, with_mfa=False)
    assert reverse("voice:join") in client.get(reverse("voice:index")).content.decode()
    member(family_member, "Jo")
    html = client.get(reverse("voice:index")).content.decode()
    assert "You are a member, as Jo." in html
    assert reverse("voice:raise") in html


def test_the_log_shows_answers_with_owner_and_dates_and_filters_by_status(client, commissioner, person_in_recovery):
    member(person_in_recovery, "Sunrise")
    item = considered(commissioner, raised(person_in_recovery, title="Evening groups"))
    actions.item_answer(
        actor=commissioner,
        item=item,
        status="we_cannot",
        response="No room in the building after 6pm.",
        owner="Harlow Recovery Space",
        due_on=None,
        done_on=None,
    )
    considered(commissioner, raised(person_in_recovery, title="Crèche at meetings"))

    html = client.get(reverse("voice:log")).content.decode()
    assert "Evening groups" in html
    assert "Crèche at meetings" in html
    assert "No room in the building after 6pm." in html
    assert "Harlow Recovery Space" in html
    assert "Raised by Sunrise" in html
    assert person_in_recovery.email not in html
    assert "<svg" in html
    assert "Community requests by status" in html

    filtered = client.get(reverse("voice:log"), {"status": "we_cannot"}).content.decode()
    assert "Evening groups" in filtered
    assert "Crèche at meetings" not in filtered


def test_a_bad_filter_shows_an_error_and_everything(client, commissioner, person_in_recovery):
    considered(commissioner, raised(person_in_recovery, title="Evening groups"))
    page = client.get(reverse("voice:log"), {"status": "nonsense"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert "Choose one of the options." in html
    assert "Evening groups" in html


def test_a_raised_item_is_not_on_the_public_log_yet(client, person_in_recovery):
    raised(person_in_recovery, title="Only just raised")
    html = client.get(reverse("voice:log")).content.decode()
    assert "Only just raised" not in html


def test_research_reviewed_page(client, commissioner, community_researcher):
    item = actions.submit_research_for_review(
        by=community_researcher, title="Families after detox", summary="Findings.", link="https://example.org/r"
    )
    held = meeting(commissioner)
    actions.agenda_add(actor=commissioner, meeting=held, item=item)
    html = client.get(reverse("voice:research_reviewed")).content.decode()
    assert "Families after detox" not in html
    actions.decision_record(
        actor=commissioner, meeting=held, item=item, text="Share with detox team.", status="reviewed", owner="Forum"
    )
    html = client.get(reverse("voice:research_reviewed")).content.decode()
    assert "Families after detox" in html
    assert "Share with detox team." in html
    assert 'href="https://example.org/r"' in html


def test_the_public_reads_published_minutes_but_not_drafts(client, commissioner):
    held = meeting(commissioner, title="Winter meeting")
    actions.minutes_save(actor=commissioner, meeting=held, text="Draft words.")
    assert client.get(reverse("voice:meeting", args=[held.pk])).status_code == 404
    assert "Winter meeting" not in client.get(reverse("voice:meetings")).content.decode()

    actions.minutes_save(actor=commissioner, meeting=held, text="Agreed words.", publish=True)
    assert "Winter meeting" in client.get(reverse("voice:meetings")).content.decode()
    html = client.get(reverse("voice:meeting", args=[held.pk])).content.decode()
    assert "Agreed words." in html
    assert "Chelmsford Recovery Space" not in html, "the public does not see where members meet"


def test_members_see_the_agenda_place_and_papers_of_a_coming_meeting(client, commissioner, family_member):
    upcoming = meeting(commissioner, days=14, title="Spring meeting")
    actions.agenda_add(actor=commissioner, meeting=upcoming, title="Welcome")
    actions.paper_add(actor=commissioner, meeting=upcoming, title="Quarterly report", link="https://example.org/q")
    sign_in(client, family_member, with_mfa=False)
    assert client.get(reverse("voice:meeting", args=[upcoming.pk])).status_code == 404
    member(family_member)
    html = client.get(reverse("voice:meeting", args=[upcoming.pk])).content.decode()
    assert "Welcome" in html
    assert "Quarterly report" in html
    assert "Chelmsford Recovery Space" in html


def test_the_log_takes_the_same_number_of_queries_however_long_it_is(
    client, commissioner, person_in_recovery, django_assert_max_num_queries
):
    held = meeting(commissioner)
    for n in range(3):
        item = raised(person_in_recovery, title=f"Request {n}")
        actions.agenda_add(actor=commissioner, meeting=held, item=item)
        actions.decision_record(actor=commissioner, meeting=held, item=item, text="Discussed.")
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("voice:log"))
    for n in range(3, 12):
        item = raised(person_in_recovery, title=f"Request {n}")
        actions.agenda_add(actor=commissioner, meeting=held, item=item)
        actions.decision_record(actor=commissioner, meeting=held, item=item, text="Discussed.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("voice:log"))
    assert "Request 11" in page.content.decode()
