"""The pages where administrators and commissioners run the forum."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.voice import actions
from rosc.voice.models import AgendaItem, Attendance, Decision, ItemStatus, Meeting, MinutesStatus, Paper
from rosc.voice.tests.helpers import considered, meeting, member, raised


@pytest.fixture
def runner(client, commissioner):
    sign_in(client, commissioner)
    return client


def test_the_staff_home_links_forum_runners_to_run_the_forum(runner):
    html = runner.get(reverse("core:dashboard")).content.decode()
    assert reverse("voice:run") in html


def test_the_staff_home_of_other_staff_offers_only_taking_part(client, keyworker_a):
    sign_in(client, keyworker_a)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("voice:run") not in html
    assert reverse("voice:items") in html


def test_a_commissioner_schedules_a_meeting_through_the_form(runner):
    assert runner.get(reverse("voice:meeting_new")).status_code == 200
    response = runner.post(
        reverse("voice:meeting_new"),
        {
            "title": "Summer meeting",
            "starts_on": "2031-06-12",
            "starts_at_time": "18:30",
            "mode": "hybrid",
            "place": "Basildon Recovery Space",
        },
    )
    scheduled = Meeting.objects.get()
    assert response["Location"] == reverse("voice:meeting_manage", args=[scheduled.pk])
    local = timezone.localtime(scheduled.starts_at)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == ("2031-06-12", "18:30")


def test_a_meeting_with_bad_details_shows_errors_and_is_not_scheduled(runner):
    page = runner.post(
        reverse("voice:meeting_new"),
        {"title": "", "starts_on": "2031-02-30", "starts_at_time": "25:00", "mode": "", "place": ""},
    )
    html = page.content.decode()
    assert page.status_code == 200
    for message in [
        "Enter a name for the meeting",
        "Enter a real date, for example 2026-03-27.",
        "Enter a time on the 24-hour clock, like 18:30.",
        "Choose how people take part.",
        "Say where the meeting is, or how to join it online.",
    ]:
        assert message in html
    assert not Meeting.objects.exists()


def test_changing_a_meeting(runner, commissioner):
    current = meeting(commissioner, days=10)
    page = runner.get(reverse("voice:meeting_edit", args=[current.pk]))
    assert 'value="Spring meeting"' in page.content.decode()
    local = timezone.localtime(current.starts_at)
    runner.post(
        reverse("voice:meeting_edit", args=[current.pk]),
        {
            "title": "Spring meeting (moved)",
            "starts_on": local.date().isoformat(),
            "starts_at_time": "10:00",
            "mode": "online",
            "place": "Online",
        },
    )
    current.refresh_from_db()
    assert current.title == "Spring meeting (moved)"
    assert current.mode == "online"


def test_the_manage_page_offers_waiting_items_and_adds_one_to_the_agenda(runner, commissioner, person_in_recovery):
    item = raised(person_in_recovery, title="Evening groups")
    upcoming = meeting(commissioner, days=7)
    html = runner.get(reverse("voice:meeting_manage", args=[upcoming.pk])).content.decode()
    assert "Evening groups" in html
    assert "Waiting for the forum" in html

    runner.post(reverse("voice:agenda_add", args=[upcoming.pk]), {"item": item.pk})

    item.refresh_from_db()
    assert item.status == ItemStatus.UNDER_CONSIDERATION
    assert AgendaItem.objects.get().item == item
    again = runner.post(reverse("voice:agenda_add", args=[upcoming.pk]), {"item": item.pk}, follow=True)
    assert "already on this meeting" in again.content.decode()
    assert AgendaItem.objects.count() == 1


def test_other_agenda_items_by_title_with_a_clear_error(runner, commissioner):
    upcoming = meeting(commissioner, days=7)
    page = runner.post(reverse("voice:agenda_add", args=[upcoming.pk]), {"title": ""})
    assert page.status_code == 200
    assert "Enter what the agenda item is about." in page.content.decode()
    assert not AgendaItem.objects.exists()
    runner.post(reverse("voice:agenda_add", args=[upcoming.pk]), {"title": "Welcome"})
    entry = AgendaItem.objects.get()
    assert entry.title == "Welcome"
    runner.post(reverse("voice:agenda_remove", args=[entry.pk]))
    assert not AgendaItem.objects.exists()


def test_a_missing_item_id_is_not_found(runner, commissioner):
    upcoming = meeting(commissioner, days=7)
    assert runner.post(reverse("voice:agenda_add", args=[upcoming.pk]), {"item": "abc"}).status_code == 404


def test_adding_and_removing_papers(runner, commissioner):
    upcoming = meeting(commissioner, days=7)
    url = reverse("voice:paper_add", args=[upcoming.pk])
    assert runner.get(url).status_code == 200
    bad = runner.post(url, {"title": "Report", "link": "javascript:alert(1)"})
    assert "Enter a link in the right format" in bad.content.decode()
    assert not Paper.objects.exists()
    runner.post(url, {"title": "Report", "link": "example.org/report"})
    paper = Paper.objects.get()
    assert paper.link == "https://example.org/report"
    runner.post(reverse("voice:paper_remove", args=[paper.pk]))
    assert not Paper.objects.exists()


def test_recording_attendance(runner, commissioner, person_in_recovery, family_member):
    held = meeting(commissioner)
    a, b = member(person_in_recovery, "Sunrise"), member(family_member, "Jo")
    html = runner.get(reverse("voice:attendance", args=[held.pk])).content.decode()
    assert "Sunrise" in html
    assert "Jo" in html
    runner.post(reverse("voice:attendance", args=[held.pk]), {"members": [a.pk]})
    assert list(Attendance.objects.values_list("member_id", flat=True)) == [a.pk]
    bad = runner.post(reverse("voice:attendance", args=[held.pk]), {"members": ["999999"]})
    assert "There is a problem" in bad.content.decode()
    assert list(Attendance.objects.values_list("member_id", flat=True)) == [a.pk]
    assert b.pk


def test_attendance_before_the_meeting_is_refused_with_a_message(runner, commissioner, person_in_recovery):
    upcoming = meeting(commissioner, days=3)
    a = member(person_in_recovery)
    page = runner.post(reverse("voice:attendance", args=[upcoming.pk]), {"members": [a.pk]})
    assert "once the meeting has started" in page.content.decode()
    assert not Attendance.objects.exists()


def test_writing_and_publishing_minutes(runner, commissioner):
    held = meeting(commissioner)
    url = reverse("voice:minutes", args=[held.pk])
    assert runner.get(url).status_code == 200
    runner.post(url, {"minutes": "Draft.", "draft": "1"})
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.DRAFT
    page = runner.post(url, {"minutes": "", "publish": "1"})
    assert "Write the minutes before publishing them." in page.content.decode()
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.DRAFT
    runner.post(url, {"minutes": "Agreed.", "publish": "1"})
    held.refresh_from_db()
    assert held.minutes_published
    assert held.minutes == "Agreed."


def test_recording_a_decision_that_answers_an_item(runner, commissioner, person_in_recovery):
    held = meeting(commissioner)
    item = considered(commissioner, raised(person_in_recovery, title="Evening groups"), at=held)
    url = reverse("voice:decision_new", args=[held.pk])
    assert "Evening groups" in runner.get(url).content.decode()
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    runner.post(
        url,
        {
            "item": item.pk,
            "text": "Start an evening group.",
            "status": "we_will",
            "owner": "Harlow Recovery Space",
            "due_on": due,
        },
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.WE_WILL
    assert item.owner == "Harlow Recovery Space"
    assert Decision.objects.get().item == item


def test_a_decision_form_with_missing_answer_details_lists_every_problem(runner, commissioner, person_in_recovery):
    held = meeting(commissioner)
    item = considered(commissioner, raised(person_in_recovery), at=held)
    page = runner.post(
        reverse("voice:decision_new", args=[held.pk]), {"item": item.pk, "text": "Yes.", "status": "we_will"}
    )
    html = page.content.decode()
    assert "Say who is responsible" in html
    assert "Enter the date it will be done by." in html
    assert not Decision.objects.exists()
    page = runner.post(reverse("voice:decision_new", args=[held.pk]), {"item": "", "text": "", "status": "we_did"})
    html = page.content.decode()
    assert "Say what the meeting decided." in html
    assert not Decision.objects.exists()


def test_answering_an_item_between_meetings(runner, commissioner, person_in_recovery):
    item = considered(commissioner, raised(person_in_recovery))
    url = reverse("voice:run_item", args=[item.pk])
    assert "We cannot" in runner.get(url).content.decode()
    page = runner.post(url, {"status": "we_did", "response": "", "owner": "", "done_on": ""})
    html = page.content.decode()
    assert "Say what was done." in html
    assert "Enter the date it was done." in html
    runner.post(
        url, {"status": "we_did", "response": "Opened.", "owner": "Team", "done_on": timezone.localdate().isoformat()}
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.WE_DID
    assert "final answer" in runner.get(url).content.decode()
    assert runner.post(url, {"status": "we_cannot", "response": "x", "owner": "y"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.WE_DID


def test_hiding_and_showing_an_item_again(runner, commissioner, person_in_recovery):
    item = raised(person_in_recovery)
    url = reverse("voice:item_hide", args=[item.pk])
    assert runner.get(url).status_code == 200
    page = runner.post(url, {"reason": ""})
    assert "Say why the item is hidden." in page.content.decode()
    item.refresh_from_db()
    assert not item.is_hidden
    runner.post(url, {"reason": "Names a worker."})
    item.refresh_from_db()
    assert item.is_hidden
    assert item.hidden_reason == "Names a worker."
    html = runner.get(reverse("voice:run_items"), {"hidden": "on"}).content.decode()
    assert item.title in html
    runner.post(reverse("voice:item_show", args=[item.pk]))
    item.refresh_from_db()
    assert not item.is_hidden
    assert AuditEvent.objects.filter(action__in=["voice.item_hidden", "voice.item_shown_again"]).count() == 2


def test_the_items_list_filters(runner, commissioner, person_in_recovery, community_researcher):
    raised(person_in_recovery, title="A request")
    actions.submit_research_for_review(by=community_researcher, title="A finding", summary="S", link="https://a.org")
    html = runner.get(reverse("voice:run_items"), {"kind": "research"}).content.decode()
    assert "A finding" in html
    assert "A request" not in html
    bad = runner.get(reverse("voice:run_items"), {"status": "nope"})
    assert bad.status_code == 200
    assert "There is a problem" in bad.content.decode()


def test_the_run_page_counts_items_waiting(runner, person_in_recovery):
    raised(person_in_recovery)
    html = runner.get(reverse("voice:run")).content.decode()
    assert "1 item waiting for an answer" in html


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, commissioner):
    sign_in(client, commissioner, with_mfa=False)
    assert client.get(reverse("voice:run"))["Location"] == reverse("core:mfa_required")
