"""Plan review reminders, retention and demo data."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from rosc.core.models import AuditEvent, Notification
from rosc.record.conf import retention_days
from rosc.record.models import (
    CareTeamMember,
    Consent,
    Disclosure,
    Goal,
    Note,
    Person,
    PlanReviewReminder,
)
from rosc.record.reminders import send_plan_review_reminders
from rosc.record.tests.helpers import give_consent, make_person

pytestmark = pytest.mark.django_db


def test_owners_are_reminded_once_per_review_date(keyworker_a, service_manager, org_a):
    person = make_person(org_a)
    CareTeamMember.objects.filter(person=person).update(worker=keyworker_a)
    due = Goal.objects.create(
        person=person,
        domain="housing",
        in_own_words="x",
        owner_organisation=org_a,
        review_on=timezone.localdate() + timedelta(days=1),
    )
    Goal.objects.create(
        person=person,
        domain="legal",
        in_own_words="y",
        owner_organisation=org_a,
        review_on=timezone.localdate() + timedelta(days=30),
    )
    Goal.objects.create(
        person=person,
        domain="family",
        in_own_words="z",
        owner_organisation=org_a,
        review_on=timezone.localdate(),
        status="achieved",
    )
    assert send_plan_review_reminders().goals == 1
    assert send_plan_review_reminders().goals == 0
    note = Notification.objects.get(reason="plan_review_due")
    assert note.recipient == keyworker_a
    assert "Robin" not in note.body
    assert str(person.uuid) in note.body
    assert PlanReviewReminder.objects.get().goal == due
    due.review_on = timezone.localdate() + timedelta(days=2)
    due.save()
    assert send_plan_review_reminders().goals == 1, "a new review date is reminded again"


def test_without_a_named_worker_the_service_managers_are_reminded(service_manager, org_a):
    person = make_person(org_a)
    Goal.objects.create(
        person=person, domain="housing", in_own_words="x", owner_organisation=org_a, review_on=timezone.localdate()
    )
    send_plan_review_reminders()
    assert Notification.objects.get(reason="plan_review_due").recipient == service_manager


def test_the_command_has_a_dry_run(keyworker_a, org_a):
    person = make_person(org_a)
    Goal.objects.create(
        person=person,
        domain="housing",
        in_own_words="x",
        owner_worker=keyworker_a,
        owner_organisation=org_a,
        review_on=timezone.localdate(),
    )
    out = StringIO()
    call_command("remind_plan_reviews", "--dry-run", stdout=out)
    assert "Would remind the owners of 1 goal(s)" in out.getvalue()
    assert not Notification.objects.exists()
    call_command("remind_plan_reviews", stdout=StringIO())
    assert Notification.objects.filter(reason="plan_review_due").count() == 1


def test_the_task_reminds_too(keyworker_a, org_a):
    from rosc.record.tasks import remind_plan_reviews

    person = make_person(org_a)
    Goal.objects.create(
        person=person, domain="housing", in_own_words="x", owner_worker=keyworker_a, review_on=timezone.localdate()
    )
    assert remind_plan_reviews.call() == 1


def old(days):
    return timezone.now() - timedelta(days=days)


@override_settings(
    ROSC_RECORD_RETENTION_DAYS={"note": 100, "disclosure": 100, "ended_consent": 100, "closed_record": 200}
)
def test_retention_removes_only_what_is_past_its_period(org_a):
    kept = make_person(org_a, full_name="Still Supported")
    Note.objects.create(person=kept, organisation=org_a, kind="contact", text="new")
    Note.objects.create(person=kept, organisation=org_a, kind="contact", text="old", created_at=old(101))
    Disclosure.objects.create(person=kept, category="plan", purpose="x", at=old(101))
    give_consent(kept, organisations=[org_a], given_at=old(300), days=-150)
    live = give_consent(kept, organisations=[org_a])
    closed = make_person(org_a, full_name="Long Gone")
    Person.objects.filter(pk=closed.pk).update(created_at=old(900))
    CareTeamMember.objects.filter(person=closed).update(started=(old(900)).date(), ended=(old(300)).date())
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Notes older than 100 days: 1" in out.getvalue()
    assert Note.objects.count() == 2
    call_command("apply_retention", stdout=out)
    assert list(Note.objects.values_list("text", flat=True)) == ["new"]
    assert not Disclosure.objects.filter(at__lt=old(100)).exists()
    assert list(Consent.objects.all()) == [live]
    closed.refresh_from_db()
    kept.refresh_from_db()
    assert closed.erased_at is not None
    assert closed.full_name == ""
    assert kept.erased_at is None
    assert "Notes: 1/1 removed" in out.getvalue()
    assert AuditEvent.objects.filter(action="record.retention_applied").exists()
    assert AuditEvent.objects.filter(action="record.person_erased", purpose="retention").count() == 1


def test_retention_settings_are_checked():
    with (
        override_settings(ROSC_RECORD_RETENTION_DAYS={"notes": 100}),
        pytest.raises(ImproperlyConfigured, match="unknown record types"),
    ):
        retention_days()
    with override_settings(ROSC_RECORD_RETENTION_DAYS={"note": 2}), pytest.raises(ImproperlyConfigured, match="30 or"):
        retention_days()


def test_demo_data_loads_once_and_is_labelled_illustrative():
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    out = StringIO()
    from rosc.record.seeding import seed_demo

    seed_demo(out)
    seed_demo(out)
    assert "4 illustrative people" in out.getvalue()
    assert "already loaded" in out.getvalue()
    assert Person.objects.count() == 4
    assert not Person.objects.filter(is_illustrative=False).exists()
    sam = Person.objects.get(full_name="Sam Taylor")
    assert sam.account is not None
    assert sam.care_team.count() == 4
    assert sam.goals.count() == 3
