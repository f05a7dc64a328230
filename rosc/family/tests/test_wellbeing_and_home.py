"""A family member's own wellbeing check-ins, reminders and home page."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rosc.core.models import Notification
from rosc.core.testing import sign_in
from rosc.family import actions
from rosc.family.tests.helpers import facilitator, linked, make_group, person_with_account
from rosc.outcomes.actions import record_measurement
from rosc.outcomes.models import Measurement

pytestmark = pytest.mark.django_db
ANSWERS = {"life_satisfaction": "7", "worthwhile": "8", "happiness": "6", "anxiety": "3"}


def test_a_family_member_fills_in_a_check_in(client, family_member):
    sign_in(client, family_member, with_mfa=False)
    response = client.post(reverse("family:checkin"), ANSWERS)
    assert response.status_code == 302
    measurement = Measurement.objects.get(family_member=family_member)
    assert measurement.via == "family"
    assert measurement.answers == {"life_satisfaction": 7, "worthwhile": 8, "happiness": 6, "anxiety": 3}


def test_a_missing_answer_is_shown_and_nothing_is_saved(client, family_member):
    sign_in(client, family_member, with_mfa=False)
    response = client.post(reverse("family:checkin"), {**ANSWERS, "anxiety": ""})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Choose a number from 0 to 10 for this question." in response.content
    assert not Measurement.objects.exists()


def test_the_wellbeing_page_shows_four_separate_lines_and_a_matching_table(client, family_member):
    for days, value in ((60, 4), (30, 6)):
        record_measurement(
            actor=family_member,
            instrument="ons4",
            answers={"life_satisfaction": value, "worthwhile": value + 1, "happiness": value, "anxiety": 9 - value},
            family_member=family_member,
            via="family",
            taken_at=timezone.now() - timedelta(days=days),
        )
    sign_in(client, family_member, with_mfa=False)
    page = client.get(reverse("family:wellbeing")).content.decode()
    for label in ("Life satisfaction", "Worthwhile", "Happiness", "Anxiety"):
        assert f'data-series="{label}"' in page
    assert page.count('class="rosc-chart__point"') == 8
    assert "Total" not in page


def test_someone_elses_check_ins_never_show(client, family_member, community_member):
    record_measurement(
        actor=community_member,
        instrument="ons4",
        answers={"life_satisfaction": 2},
        family_member=community_member,
        via="family",
    )
    sign_in(client, family_member, with_mfa=False)
    page = client.get(reverse("family:wellbeing")).content.decode()
    assert "rosc-chart__point" not in page


def test_staff_cannot_use_family_pages(client, keyworker_a):
    sign_in(client, keyworker_a)
    for name in ("home", "wellbeing", "checkin", "reminders", "groups", "share"):
        assert client.get(reverse(f"family:{name}")).status_code == 403


def test_monthly_reminders_go_once_and_only_to_people_who_asked(family_member, community_member):
    actions.family_reminder_set(actor=family_member, monthly_reminder=True)
    actions.family_reminder_set(actor=community_member, monthly_reminder=False)
    call_command("remind_family_checkins", stdout=io.StringIO())
    call_command("remind_family_checkins", stdout=io.StringIO())
    sent = Notification.objects.filter(reason="family.checkin_reminder")
    assert [n.to for n in sent] == [family_member.email]
    assert "wellbeing" in sent[0].body


def test_no_reminder_after_a_recent_check_in(family_member):
    actions.family_reminder_set(actor=family_member, monthly_reminder=True)
    record_measurement(
        actor=family_member,
        instrument="ons4",
        answers={"life_satisfaction": 5},
        family_member=family_member,
        via="family",
    )
    call_command("remind_family_checkins", stdout=io.StringIO())
    assert not Notification.objects.filter(reason="family.checkin_reminder").exists()


def test_the_reminder_form_saves_the_choice(client, family_member):
    sign_in(client, family_member, with_mfa=False)
    assert client.post(reverse("family:reminders"), {}).status_code == 200
    assert client.post(reverse("family:reminders"), {"monthly_reminder": "yes"}).status_code == 302
    assert family_member.family_preference.monthly_reminder


def _home_queries(client):
    client.get(reverse("family:home"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("family:home"))
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_home_page_runs_the_same_number_of_queries_whatever_the_data(client, family_member, persona):
    sign_in(client, family_member, with_mfa=False)
    runner = facilitator()
    from rosc.core.models import User

    owner = User.objects.create_user("relative0@example.com", "a long password here")
    linked(person_with_account(owner, full_name="Relative 0"), family_member, email=family_member.email)
    actions.group_ask_to_join(actor=family_member, group=make_group(runner, name="Group 0"))
    record_measurement(
        actor=family_member, instrument="ons4", answers={"happiness": 5}, family_member=family_member, via="family"
    )
    small = _home_queries(client)
    for number in range(1, 6):
        owner = User.objects.create_user(f"relative{number}@example.com", "a long password here")
        linked(person_with_account(owner, full_name=f"Relative {number}"), family_member, email=family_member.email)
        actions.group_ask_to_join(actor=family_member, group=make_group(runner, name=f"Group {number}"))
        record_measurement(
            actor=family_member, instrument="ons4", answers={"happiness": 5}, family_member=family_member, via="family"
        )
    large = _home_queries(client)
    assert large == small


def test_the_account_home_links_family_members_and_people_in_recovery(client, family_member, person_in_recovery):
    sign_in(client, family_member, with_mfa=False)
    assert reverse("family:home").encode() in client.get(reverse("core:dashboard")).content
    client.logout()
    person_with_account(person_in_recovery)
    sign_in(client, person_in_recovery, with_mfa=False)
    page = client.get(reverse("core:dashboard")).content
    assert b"Share your progress with someone close to you" in page
