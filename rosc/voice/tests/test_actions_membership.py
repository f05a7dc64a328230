"""Joining Community Voice under a display name, changing it and leaving."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from rosc.core.errors import ActionRefused
from rosc.core.models import AuditEvent
from rosc.voice import actions
from rosc.voice.models import Member
from rosc.voice.tests.helpers import raised


def test_anyone_signed_in_joins_under_a_display_name_that_differs_from_their_account(person_in_recovery):
    member = actions.member_join(actor=person_in_recovery, display_name="  Sunrise  ")
    assert member.display_name == "Sunrise"
    assert member.is_active
    assert person_in_recovery.display_name != "Sunrise"
    event = AuditEvent.objects.get(action="voice.member_joined")
    assert event.details == {"rejoined": False}
    assert "Sunrise" not in str(event.details)


def test_staff_can_join_too(keyworker_a):
    assert actions.member_join(actor=keyworker_a, display_name="Priya").is_active


def test_an_anonymous_visitor_cannot_join(db):
    with pytest.raises(PermissionDenied):
        actions.member_join(actor=AnonymousUser(), display_name="Ghost")
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the name you want other members to see."),
        ("x" * 41, "Your display name must be 40 characters or fewer."),
        ("sam@example.com", "A display name cannot contain @. Do not use your email address."),
    ],
)
def test_it_refuses_a_bad_display_name(person_in_recovery, name, message):
    with pytest.raises(ActionRefused) as refused:
        actions.member_join(actor=person_in_recovery, display_name=name)
    assert refused.value.message == message
    assert refused.value.field == "display_name"
    assert not Member.objects.exists()


def test_two_members_cannot_share_a_name_whatever_the_case(person_in_recovery, family_member):
    actions.member_join(actor=person_in_recovery, display_name="Sunrise")
    with pytest.raises(ActionRefused, match="Another member uses that name"):
        actions.member_join(actor=family_member, display_name="SUNRISE")
    assert Member.objects.count() == 1


def test_joining_twice_is_refused(person_in_recovery):
    actions.member_join(actor=person_in_recovery, display_name="Sunrise")
    with pytest.raises(ActionRefused, match="already a member"):
        actions.member_join(actor=person_in_recovery, display_name="Other")


def test_renaming_changes_the_name_on_their_items(person_in_recovery):
    item = raised(person_in_recovery)
    actions.member_rename(actor=person_in_recovery, display_name="New name")
    item.refresh_from_db()
    assert item.author_name == "New name"
    assert AuditEvent.objects.get(action="voice.member_renamed").details == {"items_renamed": 1}


def test_renaming_to_a_name_in_use_is_refused(person_in_recovery, family_member):
    actions.member_join(actor=person_in_recovery, display_name="Sunrise")
    actions.member_join(actor=family_member, display_name="Jo")
    with pytest.raises(ActionRefused, match="Another member uses that name"):
        actions.member_rename(actor=family_member, display_name="sunrise")
    assert Member.objects.get(user=family_member).display_name == "Jo"


def test_a_member_leaves_and_their_items_stay_under_their_name(person_in_recovery):
    item = raised(person_in_recovery)
    name = item.author_name
    actions.member_leave(actor=person_in_recovery)
    member = Member.objects.get(user=person_in_recovery)
    assert not member.is_active
    item.refresh_from_db()
    assert item.author_name == name
    with pytest.raises(ActionRefused, match="Join Community Voice first"):
        actions.item_raise(actor=person_in_recovery, title="Another", detail="More.")


def test_a_former_member_can_join_again(person_in_recovery):
    actions.member_join(actor=person_in_recovery, display_name="Sunrise")
    actions.member_leave(actor=person_in_recovery)
    member = actions.member_join(actor=person_in_recovery, display_name="Dawn")
    assert member.is_active
    assert member.display_name == "Dawn"
    assert Member.objects.count() == 1
    assert AuditEvent.objects.filter(action="voice.member_joined").first().details == {"rejoined": True}


def test_leaving_without_being_a_member_is_refused(person_in_recovery):
    with pytest.raises(ActionRefused):
        actions.member_leave(actor=person_in_recovery)
