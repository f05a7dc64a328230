"""Family groups: family members ask to join and leave; facilitators manage members, sessions and attendance;
service managers see attendance counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from rosc.core.errors import ActionRefused
from rosc.core.models import Role
from rosc.core.testing import sign_in
from rosc.family import actions
from rosc.family.models import Attendance, FamilyGroup, GroupMember, MembershipStatus
from rosc.family.tests.helpers import facilitator, family_support_org, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner():
    return facilitator()


@pytest.fixture
def group(runner):
    return make_group(runner)


def test_a_family_member_asks_to_join_and_the_facilitator_accepts(client, group, runner, family_member):
    sign_in(client, family_member, with_mfa=False)
    assert client.post(reverse("family:group", args=[group.uuid]), {"do": "join"}).status_code == 302
    place = GroupMember.objects.get(group=group, user=family_member)
    assert place.status == MembershipStatus.REQUESTED
    client.logout()
    sign_in(client, runner)
    client.post(reverse("family:run_group", args=[group.uuid]), {"do": "accept", "member": place.pk})
    place.refresh_from_db()
    assert place.status == MembershipStatus.MEMBER


def test_a_member_can_leave(group, runner, family_member):
    place = actions.group_ask_to_join(actor=family_member, group=group)
    actions.group_decide(actor=runner, place=place, decision="accept")
    actions.group_leave(actor=family_member, group=group)
    place.refresh_from_db()
    assert place.status == MembershipStatus.LEFT


def test_asking_twice_is_refused(group, family_member):
    actions.group_ask_to_join(actor=family_member, group=group)
    with pytest.raises(ActionRefused):
        actions.group_ask_to_join(actor=family_member, group=group)


def test_a_closed_group_is_not_listed_to_new_people(client, runner, family_member):
    make_group(runner, name="Full group", taking_new_members=False)
    sign_in(client, family_member, with_mfa=False)
    assert b"Full group" not in client.get(reverse("family:groups")).content


def test_only_staff_of_family_or_peer_support_organisations_set_up_groups(keyworker_a, org_a):
    with pytest.raises(PermissionDenied):
        actions.group_create(
            actor=keyworker_a, organisation=org_a, details=actions.GroupDetails("X", "Online", "Mondays")
        )
    assert not FamilyGroup.objects.exists()


def test_the_group_form_shows_errors_and_saves_nothing(client, runner):
    sign_in(client, runner)
    response = client.post(reverse("family:group_new"), {"name": "", "where": "", "meets_when": ""})
    assert response.status_code == 200
    assert b"Enter the group&#x27;s name." in response.content
    assert not FamilyGroup.objects.exists()


def test_other_staff_cannot_manage_a_group(client, group, peer_mentor, keyworker_a):
    for user in (peer_mentor, keyworker_a):
        sign_in(client, user)
        assert client.get(reverse("family:run_group", args=[group.uuid])).status_code in (403, 404)
        client.logout()


def test_family_members_cannot_reach_facilitator_pages(client, group, family_member):
    sign_in(client, family_member, with_mfa=False)
    assert client.get(reverse("family:run_groups")).status_code == 403
    assert client.get(reverse("family:run_group", args=[group.uuid])).status_code == 403
    assert client.get(reverse("family:attendance")).status_code == 403


def test_attendance_is_recorded_for_members_only(group, runner, family_member, community_member):
    place = actions.group_ask_to_join(actor=family_member, group=group)
    actions.group_decide(actor=runner, place=place, decision="accept")
    meeting = actions.session_add(
        actor=runner, group=group, on=timezone.localdate() - timedelta(days=1), topic="Looking after yourself"
    )
    with pytest.raises(ActionRefused):
        actions.attendance_record(actor=runner, session=meeting, attended=[community_member.pk])
    assert not Attendance.objects.exists()
    actions.attendance_record(actor=runner, session=meeting, attended=[family_member.pk])
    assert Attendance.objects.filter(session=meeting).count() == 1


def test_a_session_date_must_be_given(client, group, runner):
    sign_in(client, runner)
    response = client.post(reverse("family:run_group", args=[group.uuid]), {"do": "add_session", "on": ""})
    assert response.status_code == 200
    assert b"Enter the date of the session." in response.content


def test_the_service_manager_sees_attendance_counts_as_a_chart_and_table(client, group, runner, family_member):
    manager = facilitator("manager.family@example.com", role=Role.SERVICE_MANAGER, org=family_support_org())
    place = actions.group_ask_to_join(actor=family_member, group=group)
    actions.group_decide(actor=runner, place=place, decision="accept")
    meeting = actions.session_add(actor=runner, group=group, on=timezone.localdate() - timedelta(days=2), topic="")
    actions.attendance_record(actor=runner, session=meeting, attended=[family_member.pk])
    sign_in(client, manager)
    page = client.get(reverse("family:attendance")).content.decode()
    assert 'data-value="1"' in page
    assert family_member.email not in page


def test_a_manager_of_another_organisation_sees_nothing_of_this_group(client, group, service_manager):
    sign_in(client, service_manager)
    page = client.get(reverse("family:attendance")).content.decode()
    assert group.name not in page
