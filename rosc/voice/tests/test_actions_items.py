"""Raising items, answering them, and hiding them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent, Notification
from rosc.voice import actions
from rosc.voice.models import Item, ItemKind, ItemStatus
from rosc.voice.tests.helpers import considered, member, raised

TODAY = timezone.localdate


def test_a_member_raises_an_item_shown_under_their_display_name(person_in_recovery):
    member(person_in_recovery, "Sunrise")
    item = actions.item_raise(actor=person_in_recovery, title=" Evening groups ", detail="Groups end at 5pm.")
    assert (item.kind, item.status, item.title, item.author_name) == (
        ItemKind.REQUEST,
        ItemStatus.RAISED,
        "Evening groups",
        "Sunrise",
    )
    event = AuditEvent.objects.get(action="voice.item_raised")
    assert event.object_id == str(item.pk)
    assert "Evening" not in str(event.details)


def test_someone_who_has_not_joined_cannot_raise_an_item(family_member):
    with pytest.raises(ActionRefused, match="Join Community Voice first"):
        actions.item_raise(actor=family_member, title="A", detail="B")
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    ("title", "detail", "field"),
    [("", "Detail", "title"), ("Title", " ", "detail"), ("T" * 151, "Detail", "title"), ("T", "d" * 2001, "detail")],
)
def test_it_refuses_an_item_without_a_title_or_detail(person_in_recovery, title, detail, field):
    member(person_in_recovery)
    with pytest.raises(ActionRefused) as refused:
        actions.item_raise(actor=person_in_recovery, title=title, detail=detail)
    assert refused.value.field == field
    assert not Item.objects.exists()


def test_a_forum_runner_answers_we_will_with_an_owner_and_date_and_the_author_is_told(commissioner, person_in_recovery):
    item = considered(commissioner, raised(person_in_recovery))
    due = TODAY() + timedelta(days=60)

    actions.item_answer(
        actor=commissioner,
        item=item,
        status=ItemStatus.WE_WILL,
        response="Start an evening group in Harlow.",
        owner="Harlow Recovery Space",
        due_on=due,
        done_on=None,
    )

    item.refresh_from_db()
    assert (item.status, item.owner, item.due_on) == (ItemStatus.WE_WILL, "Harlow Recovery Space", due)
    assert item.answered_at is not None
    assert item.considered_at is not None
    event = AuditEvent.objects.get(action="voice.item_answered")
    assert event.details == {"kind": "request", "from": "under_consideration", "to": "we_will"}
    note = Notification.objects.get(reason="voice_item_answered")
    assert note.to == person_in_recovery.email
    assert "Harlow" not in note.body


def test_a_we_will_later_becomes_we_did_and_keeps_its_due_date(commissioner, person_in_recovery):
    item = considered(commissioner, raised(person_in_recovery))
    due = TODAY() + timedelta(days=10)
    actions.item_answer(
        actor=commissioner, item=item, status="we_will", response="Plan.", owner="Team", due_on=due, done_on=None
    )
    actions.item_answer(
        actor=commissioner, item=item, status="we_did", response="Done.", owner="Team", due_on=None, done_on=TODAY()
    )
    item.refresh_from_db()
    assert (item.status, item.due_on, item.done_on, item.response) == ("we_did", due, TODAY(), "Done.")
    with pytest.raises(ActionRefused, match="final answer"):
        actions.item_answer(
            actor=commissioner, item=item, status="we_cannot", response="No.", owner="T", due_on=None, done_on=None
        )


def test_an_answer_cannot_skip_under_consideration(commissioner, person_in_recovery):
    item = raised(person_in_recovery)
    with pytest.raises(ActionRefused) as refused:
        actions.item_answer(
            actor=commissioner, item=item, status="we_cannot", response="No.", owner="T", due_on=None, done_on=None
        )
    assert refused.value.field == "status"
    item.refresh_from_db()
    assert item.status == ItemStatus.RAISED
    assert not AuditEvent.objects.filter(action="voice.item_answered").exists()


def test_a_we_cannot_needs_a_reason(commissioner, person_in_recovery):
    item = considered(commissioner, raised(person_in_recovery))
    with pytest.raises(ActionRefused) as refused:
        actions.item_answer(
            actor=commissioner, item=item, status="we_cannot", response="", owner="Board", due_on=None, done_on=None
        )
    assert (refused.value.field, refused.value.message) == ("response", "Say why it cannot be done.")


@pytest.mark.parametrize("name", ["keyworker_a", "service_manager", "community_researcher", "person_in_recovery"])
def test_only_forum_runners_answer_items(persona, person_in_recovery, name):
    item = raised(person_in_recovery)
    with pytest.raises(PermissionDenied):
        actions.item_consider(actor=persona(name), item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.RAISED


def test_an_administrator_takes_an_item_into_consideration(administrator, person_in_recovery):
    item = actions.item_consider(actor=administrator, item=raised(person_in_recovery))
    assert item.status == ItemStatus.UNDER_CONSIDERATION
    assert not Notification.objects.filter(reason="voice_item_answered").exists()


def test_hiding_an_item_needs_a_reason_and_is_audited_without_it(commissioner, person_in_recovery):
    item = raised(person_in_recovery)
    with pytest.raises(ActionRefused, match="Say why the item is hidden"):
        actions.item_hide(actor=commissioner, item=item, reason=" ")
    actions.item_hide(actor=commissioner, item=item, reason="It names a member of staff.")
    item.refresh_from_db()
    assert item.is_hidden
    assert item.hidden_by == commissioner
    event = AuditEvent.objects.get(action="voice.item_hidden")
    assert event.details == {"kind": "request", "author_id": person_in_recovery.pk}
    assert "staff" not in str(event.details)
    with pytest.raises(ActionRefused, match="already hidden"):
        actions.item_hide(actor=commissioner, item=item, reason="Again")


def test_a_hidden_item_cannot_be_answered_until_shown_again(commissioner, person_in_recovery):
    item = considered(commissioner, raised(person_in_recovery))
    actions.item_hide(actor=commissioner, item=item, reason="Names someone.")
    with pytest.raises(ActionRefused, match="hidden"):
        actions.item_answer(
            actor=commissioner, item=item, status="we_cannot", response="No.", owner="T", due_on=None, done_on=None
        )
    actions.item_show_again(actor=commissioner, item=item)
    item.refresh_from_db()
    assert not item.is_hidden
    assert item.hidden_reason == ""
    assert AuditEvent.objects.filter(action="voice.item_shown_again").count() == 1


def test_members_cannot_hide_items(person_in_recovery, family_member):
    item = raised(person_in_recovery)
    with pytest.raises(PermissionDenied):
        actions.item_hide(actor=family_member, item=item, reason="I do not like it.")
