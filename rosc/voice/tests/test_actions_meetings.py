"""Meetings: scheduling, agenda, papers, attendance, minutes and decisions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent, Notification
from rosc.voice import actions
from rosc.voice.models import AgendaItem, Attendance, Decision, ItemStatus, Meeting, MinutesStatus, Paper
from rosc.voice.tests.helpers import meeting, member, raised


def test_a_commissioner_schedules_a_meeting(commissioner):
    scheduled = meeting(commissioner, days=30)
    assert Meeting.objects.get() == scheduled
    assert not scheduled.has_started
    assert AuditEvent.objects.get(action="voice.meeting_scheduled").details == {"mode": "hybrid"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"starts_at": None}, "starts_on"),
        ({"mode": "carrier pigeon"}, "mode"),
        ({"place": ""}, "place"),
    ],
)
def test_it_refuses_a_meeting_with_missing_details(commissioner, fields, field):
    values = {"title": "Summer", "starts_at": timezone.now(), "mode": "online", "place": "Online"} | fields
    with pytest.raises(ActionRefused) as refused:
        actions.meeting_schedule(actor=commissioner, **values)
    assert refused.value.field == field
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("name", ["keyworker_a", "peer_mentor", "community_researcher", "ig_lead", "community_member"])
def test_only_administrators_and_commissioners_schedule_meetings(persona, name):
    with pytest.raises(PermissionDenied):
        actions.meeting_schedule(
            actor=persona(name), title="Summer", starts_at=timezone.now(), mode="online", place="Online"
        )


def test_updating_a_meeting_audits_which_fields_changed(administrator):
    scheduled = meeting(administrator, days=5)
    actions.meeting_update(
        actor=administrator,
        meeting=scheduled,
        title="Spring meeting",
        starts_at=scheduled.starts_at,
        mode="online",
        place="Online",
    )
    assert AuditEvent.objects.get(action="voice.meeting_updated").details == {"fields": ["mode", "place"]}


def test_adding_a_raised_item_to_the_agenda_takes_it_into_consideration(commissioner, person_in_recovery):
    item = raised(person_in_recovery)
    upcoming = meeting(commissioner, days=7)
    entry = actions.agenda_add(actor=commissioner, meeting=upcoming, item=item)
    item.refresh_from_db()
    assert entry.title == item.title
    assert entry.position == 1
    assert item.status == ItemStatus.UNDER_CONSIDERATION
    assert item.considered_at
    with pytest.raises(ActionRefused, match="already on this meeting"):
        actions.agenda_add(actor=commissioner, meeting=upcoming, item=item)
    other = actions.agenda_add(actor=commissioner, meeting=upcoming, title="Update from the Recovery Fund")
    assert other.position == 2
    assert other.item is None


def test_an_agenda_item_needs_a_title(commissioner):
    with pytest.raises(ActionRefused):
        actions.agenda_add(actor=commissioner, meeting=meeting(commissioner), title="  ")
    assert not AgendaItem.objects.exists()


def test_a_hidden_item_cannot_go_on_the_agenda(commissioner, person_in_recovery):
    item = raised(person_in_recovery)
    actions.item_hide(actor=commissioner, item=item, reason="Names a member of staff.")
    with pytest.raises(ActionRefused, match="hidden"):
        actions.agenda_add(actor=commissioner, meeting=meeting(commissioner), item=item)


def test_removing_from_the_agenda_is_refused_once_a_decision_is_recorded(commissioner, person_in_recovery):
    item = raised(person_in_recovery)
    held = meeting(commissioner)
    entry = actions.agenda_add(actor=commissioner, meeting=held, item=item)
    actions.decision_record(actor=commissioner, meeting=held, item=item, text="Ask the providers.")
    with pytest.raises(ActionRefused, match="stays on the agenda"):
        actions.agenda_remove(actor=commissioner, entry=entry)
    other = actions.agenda_add(actor=commissioner, meeting=held, title="Any other business")
    actions.agenda_remove(actor=commissioner, entry=other)
    assert list(AgendaItem.objects.values_list("pk", flat=True)) == [entry.pk]


def test_papers_are_links_and_only_web_links(commissioner):
    upcoming = meeting(commissioner, days=3)
    paper = actions.paper_add(
        actor=commissioner, meeting=upcoming, title="Quarterly report", link="https://example.org/report.pdf"
    )
    for bad in ["javascript:alert(1)", "not a link", "file:///etc/passwd", ""]:
        with pytest.raises(ActionRefused) as refused:
            actions.paper_add(actor=commissioner, meeting=upcoming, title="Bad", link=bad)
        assert refused.value.field == "link"
    actions.paper_remove(actor=commissioner, paper=paper)
    assert not Paper.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="voice.paper_").count() == 2


def test_attendance_replaces_the_earlier_record(commissioner, person_in_recovery, family_member, community_member):
    held = meeting(commissioner)
    a, b, c = (member(u) for u in (person_in_recovery, family_member, community_member))
    assert actions.attendance_record(actor=commissioner, meeting=held, members=[a, b]) == 2
    assert actions.attendance_record(actor=commissioner, meeting=held, members=[b, c]) == 2
    assert set(Attendance.objects.values_list("member_id", flat=True)) == {b.pk, c.pk}
    assert AuditEvent.objects.filter(action="voice.attendance_recorded").first().details == {
        "present": 2,
        "added": 1,
        "removed": 1,
    }


def test_attendance_waits_for_the_meeting(commissioner, person_in_recovery):
    with pytest.raises(ActionRefused, match="once the meeting has started"):
        actions.attendance_record(
            actor=commissioner, meeting=meeting(commissioner, days=2), members=[member(person_in_recovery)]
        )


def test_minutes_go_from_draft_to_published_and_can_be_corrected(commissioner):
    held = meeting(commissioner)
    held = actions.minutes_save(actor=commissioner, meeting=held, text="Draft notes.")
    assert held.minutes_status == MinutesStatus.DRAFT
    assert held.minutes_published_at is None
    held = actions.minutes_save(actor=commissioner, meeting=held, text="Agreed notes.", publish=True)
    assert held.minutes_published
    assert held.minutes_published_at
    first_published = held.minutes_published_at
    held = actions.minutes_save(actor=commissioner, meeting=held, text="Agreed notes, corrected.")
    assert held.minutes_published
    assert held.minutes_published_at == first_published
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="voice.minutes").order_by("id")] == [
        "voice.minutes_saved",
        "voice.minutes_published",
        "voice.minutes_saved",
    ]


def test_minutes_cannot_be_published_empty_or_before_the_meeting(commissioner):
    with pytest.raises(ActionRefused, match="Write the minutes"):
        actions.minutes_save(actor=commissioner, meeting=meeting(commissioner), text=" ", publish=True)
    with pytest.raises(ActionRefused, match="once the meeting has taken place"):
        actions.minutes_save(actor=commissioner, meeting=meeting(commissioner, days=3), text="Notes", publish=True)
    assert not Meeting.objects.filter(minutes_status=MinutesStatus.PUBLISHED).exists()


def test_a_decision_gives_an_agenda_item_its_answer(commissioner, person_in_recovery):
    item = raised(person_in_recovery)
    held = meeting(commissioner)
    actions.agenda_add(actor=commissioner, meeting=held, item=item)
    due = timezone.localdate() + timedelta(days=90)

    decision = actions.decision_record(
        actor=commissioner,
        meeting=held,
        item=item,
        text="Start an evening group in Harlow.",
        status=ItemStatus.WE_WILL,
        owner="Harlow Recovery Space",
        due_on=due,
    )

    item.refresh_from_db()
    assert decision.status == ItemStatus.WE_WILL
    assert (item.status, item.response, item.owner, item.due_on) == (
        ItemStatus.WE_WILL,
        "Start an evening group in Harlow.",
        "Harlow Recovery Space",
        due,
    )
    assert AuditEvent.objects.get(action="voice.decision_recorded").details == {
        "meeting_id": held.pk,
        "item_id": item.pk,
        "to": "we_will",
    }
    assert Notification.objects.filter(reason="voice_item_answered", recipient=person_in_recovery).count() == 1


def test_a_decision_about_an_item_not_on_the_agenda_is_refused(commissioner, person_in_recovery):
    item = raised(person_in_recovery)
    with pytest.raises(ActionRefused, match="from this meeting's agenda"):
        actions.decision_record(actor=commissioner, meeting=meeting(commissioner), item=item, text="Yes.")
    assert not Decision.objects.exists()


def test_a_bad_answer_in_a_decision_saves_nothing(commissioner, person_in_recovery):
    item = raised(person_in_recovery)
    held = meeting(commissioner)
    actions.agenda_add(actor=commissioner, meeting=held, item=item)
    with pytest.raises(ActionRefused) as refused:
        actions.decision_record(actor=commissioner, meeting=held, item=item, text="We will.", status="we_will")
    assert refused.value.field == "owner"
    assert not Decision.objects.exists()
    item.refresh_from_db()
    assert item.status == ItemStatus.UNDER_CONSIDERATION


def test_decisions_wait_for_the_meeting_and_answers_need_an_item(commissioner):
    with pytest.raises(ActionRefused, match="once the meeting has started"):
        actions.decision_record(actor=commissioner, meeting=meeting(commissioner, days=1), text="Yes.")
    with pytest.raises(ActionRefused, match="Choose the item"):
        actions.decision_record(actor=commissioner, meeting=meeting(commissioner), text="Yes.", status="we_did")
    general = actions.decision_record(actor=commissioner, meeting=meeting(commissioner), text="Meet in Basildon next.")
    assert general.item is None


def test_research_is_reviewed_by_a_decision(commissioner, community_researcher):
    item = actions.submit_research_for_review(
        by=community_researcher, title="Families after detox", summary="Findings.", link="https://example.org/r"
    )
    held = meeting(commissioner)
    actions.agenda_add(actor=commissioner, meeting=held, item=item)
    actions.decision_record(
        actor=commissioner,
        meeting=held,
        item=item,
        text="Share with the detox team.",
        status=ItemStatus.REVIEWED,
        owner="Community Voice",
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED
