"""Who sees what: the public log, research reviewed, meetings and items."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from rosc.voice import actions, selectors
from rosc.voice.models import ItemStatus
from rosc.voice.tests.helpers import considered, meeting, member, raised


def answer(runner, item, status="we_cannot", **extra):
    values = {"response": "Not this year.", "owner": "Commissioning team", "due_on": None, "done_on": None} | extra
    return actions.item_answer(actor=runner, item=item, status=status, **values)


def test_the_public_log_shows_requests_once_taken_up_never_hidden_ones(commissioner, person_in_recovery):
    just_raised = raised(person_in_recovery, title="Just raised")
    taken_up = considered(commissioner, raised(person_in_recovery, title="Taken up"))
    answered = answer(commissioner, considered(commissioner, raised(person_in_recovery, title="Answered")))
    hidden = considered(commissioner, raised(person_in_recovery, title="Hidden"))
    actions.item_hide(actor=commissioner, item=hidden, reason="Names someone.")

    shown = set(selectors.log_entries().values_list("title", flat=True))

    assert shown == {"Taken up", "Answered"}
    assert just_raised.title not in shown
    assert list(selectors.log_entries(status="we_cannot")) == [answered]
    assert list(selectors.log_entries(status="raised")) == list(selectors.log_entries()), "raised is not a filter"
    assert taken_up in selectors.log_entries(status="under_consideration")


def test_the_counts_include_raised_requests_but_not_hidden_ones_or_research(
    commissioner, person_in_recovery, community_researcher
):
    raised(person_in_recovery, title="One")
    answer(commissioner, considered(commissioner, raised(person_in_recovery, title="Two")))
    hidden = raised(person_in_recovery, title="Three")
    actions.item_hide(actor=commissioner, item=hidden, reason="Off topic.")
    actions.submit_research_for_review(by=community_researcher, title="R", summary="S", link="https://example.org")

    counts = {row.status: row.count for row in selectors.log_counts()}

    assert counts == {"raised": 1, "under_consideration": 0, "we_will": 0, "we_did": 0, "we_cannot": 1}


def test_research_reviewed_lists_only_reviewed_research(commissioner, community_researcher):
    waiting = actions.submit_research_for_review(by=community_researcher, title="W", summary="S", link="https://a.org")
    done = actions.submit_research_for_review(by=community_researcher, title="D", summary="S", link="https://b.org")
    held = meeting(commissioner)
    actions.agenda_add(actor=commissioner, meeting=held, item=done)
    actions.decision_record(
        actor=commissioner, meeting=held, item=done, text="Useful.", status=ItemStatus.REVIEWED, owner="Forum"
    )
    assert list(selectors.research_reviewed()) == [done]
    assert waiting not in selectors.research_reviewed()


def test_the_public_opens_a_meeting_only_once_its_minutes_are_published(commissioner, family_member):
    held = meeting(commissioner)
    with pytest.raises(Http404):
        selectors.meeting_for(user=AnonymousUser(), meeting_id=held.pk)
    with pytest.raises(Http404):
        selectors.meeting_for(user=family_member, meeting_id=held.pk)
    actions.minutes_save(actor=commissioner, meeting=held, text="Minutes.", publish=True)
    view = selectors.meeting_for(user=AnonymousUser(), meeting_id=held.pk)
    assert view.meeting == held
    assert not view.members_area


def test_members_open_coming_meetings_and_see_who_was_present(commissioner, person_in_recovery):
    me = member(person_in_recovery, "Sunrise")
    upcoming = meeting(commissioner, days=10)
    view = selectors.meeting_for(user=person_in_recovery, meeting_id=upcoming.pk)
    assert view.members_area
    held = meeting(commissioner)
    actions.attendance_record(actor=commissioner, meeting=held, members=[me])
    assert selectors.meeting_for(user=person_in_recovery, meeting_id=held.pk).present == ["Sunrise"]
    coming, past = selectors.meetings_for(person_in_recovery)
    assert (coming, past) == ([upcoming], [held])
    assert selectors.meetings_for(AnonymousUser()) == ([], [])


def test_a_meeting_that_does_not_exist_is_not_found(db):
    with pytest.raises(Http404):
        selectors.meeting_for(user=AnonymousUser(), meeting_id=999)


def test_decisions_about_hidden_items_are_left_off_the_meeting_page(commissioner, person_in_recovery):
    item = raised(person_in_recovery)
    held = meeting(commissioner)
    actions.agenda_add(actor=commissioner, meeting=held, item=item)
    actions.decision_record(actor=commissioner, meeting=held, item=item, text="Discussed.")
    actions.item_hide(actor=commissioner, item=item, reason="Names someone.")
    actions.minutes_save(actor=commissioner, meeting=held, text="Minutes.", publish=True)
    assert selectors.meeting_for(user=AnonymousUser(), meeting_id=held.pk).decisions == []
    assert len(selectors.meeting_for(user=commissioner, meeting_id=held.pk).decisions) == 1


def test_only_members_and_runners_see_every_item(commissioner, person_in_recovery, family_member):
    item = raised(person_in_recovery)
    with pytest.raises(PermissionDenied):
        selectors.items_for_members(actor=family_member)
    assert list(selectors.items_for_members(actor=person_in_recovery)) == [item]
    assert list(selectors.items_for_members(actor=commissioner)) == [item]


def test_the_author_still_sees_their_hidden_item(commissioner, person_in_recovery, family_member):
    item = raised(person_in_recovery)
    member(family_member)
    actions.item_hide(actor=commissioner, item=item, reason="Names someone.")
    assert list(selectors.own_items(actor=person_in_recovery)) == [item]
    assert list(selectors.items_for_members(actor=family_member)) == []


def test_runner_selectors_refuse_everyone_else(person_in_recovery, keyworker_a):
    for user in (person_in_recovery, keyworker_a):
        with pytest.raises(PermissionDenied):
            selectors.items_for_runner(actor=user, filters=selectors.ItemFilters())
        with pytest.raises(PermissionDenied):
            selectors.meetings_for_runner(actor=user)


def test_agenda_candidates_are_items_waiting_that_are_not_on_this_agenda(
    commissioner, person_in_recovery, community_researcher
):
    waiting = raised(person_in_recovery, title="Waiting")
    research = actions.submit_research_for_review(
        by=community_researcher, title="Research", summary="S", link="https://a.org"
    )
    upcoming = meeting(commissioner, days=20)
    on_agenda = raised(person_in_recovery, title="On the agenda")
    actions.agenda_add(actor=commissioner, meeting=upcoming, item=on_agenda)
    answered = answer(commissioner, considered(commissioner, raised(person_in_recovery, title="Answered")))

    candidates = list(selectors.agenda_candidates(actor=commissioner, meeting=upcoming))

    assert candidates == [waiting, research]
    assert answered not in candidates


def test_runner_item_filters(commissioner, person_in_recovery):
    shown = raised(person_in_recovery, title="Shown")
    hidden = raised(person_in_recovery, title="Hidden")
    actions.item_hide(actor=commissioner, item=hidden, reason="Spam.")
    assert list(selectors.items_for_runner(actor=commissioner, filters=selectors.ItemFilters())) == [shown]
    assert list(selectors.items_for_runner(actor=commissioner, filters=selectors.ItemFilters(hidden=True))) == [hidden]
    assert not selectors.items_for_runner(actor=commissioner, filters=selectors.ItemFilters(status="we_did")).exists()
    assert selectors.items_waiting_count(actor=commissioner) == 1


def test_members_for_attendance_include_former_members_who_were_present(commissioner, person_in_recovery):
    me = member(person_in_recovery)
    held = meeting(commissioner)
    actions.attendance_record(actor=commissioner, meeting=held, members=[me])
    actions.member_leave(actor=person_in_recovery)
    assert list(selectors.members_for_attendance(actor=commissioner, meeting=held)) == [me]
    assert list(selectors.members_for_attendance(actor=commissioner, meeting=meeting(commissioner))) == []


def test_next_meeting_is_the_soonest_coming_one(commissioner):
    meeting(commissioner, days=40, title="Later")
    soon = meeting(commissioner, days=5, title="Soon")
    meeting(commissioner, days=-30, title="Past")
    assert selectors.next_meeting() == soon
    assert timezone.now() < soon.starts_at
