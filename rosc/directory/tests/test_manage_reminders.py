"""The daily reminder about listings nobody has checked for a while."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conftest import organisation
from rosc.core.models import Membership, Notification, Role
from rosc.directory.models import Service, ServiceStatus

LONG_AGO = timezone.now() - timedelta(days=120)


def make_service(slug="org-a", name="Alcohol drop-in", **fields):
    return Service.objects.create(organisation=organisation(slug), name=name, description="Drop-in.", **fields)


def run(*args):
    out = StringIO()
    call_command("remind_stale_listings", *args, stdout=out)
    return out.getvalue()


def reminders():
    return Notification.objects.filter(reason="listing_stale")


def test_it_queues_one_email_per_manager_listing_their_stale_services(
    service_manager, persona, django_capture_on_commit_callbacks
):
    other_manager = persona("outsider")
    Membership.objects.create(user=other_manager, organisation=organisation("org-a"), role=Role.SERVICE_MANAGER)
    Membership.objects.create(user=service_manager, organisation=organisation("org-b"), role=Role.SERVICE_MANAGER)
    make_service(name="Alcohol drop-in", last_verified_at=LONG_AGO)
    make_service(name="Never checked")
    make_service("org-b", name="Housing advice", last_verified_at=LONG_AGO)
    make_service(name="Checked yesterday", last_verified_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        output = run()
    assert "Queued 2 reminder(s)" in output
    assert len(callbacks) == 2
    mine = reminders().get(recipient=service_manager)
    assert mine.channel == "email"
    assert mine.to == service_manager.email
    assert "Alcohol drop-in" in mine.body
    assert "Never checked" in mine.body
    assert "Housing advice" in mine.body
    assert "Checked yesterday" not in mine.body
    assert "/staff/services/" in mine.body
    theirs = reminders().get(recipient=other_manager)
    assert "Housing advice" not in theirs.body


def test_it_does_not_remind_a_manager_again_within_seven_days(service_manager):
    make_service(last_verified_at=LONG_AGO)
    run()
    assert reminders().count() == 1
    assert "Queued 0 reminder(s)" in run()
    assert reminders().count() == 1


def test_it_reminds_a_manager_again_after_seven_days(service_manager):
    make_service(last_verified_at=LONG_AGO)
    run()
    reminders().update(created_at=timezone.now() - timedelta(days=7, minutes=1))
    run()
    assert reminders().count() == 2


def test_it_sends_nothing_when_every_listing_is_fresh(service_manager):
    make_service(last_verified_at=timezone.now() - timedelta(days=10))
    make_service(name="Gone for good", status=ServiceStatus.DEFUNCT, last_verified_at=LONG_AGO)
    assert "Queued 0 reminder(s)" in run()
    assert not reminders().exists()
    assert mail.outbox == []


def test_it_uses_the_stale_days_setting(service_manager, settings):
    settings.ROSC_LISTING_STALE_DAYS = 7
    make_service(last_verified_at=timezone.now() - timedelta(days=8))
    run()
    assert "more than 7 days" in reminders().get().body


def test_it_leaves_out_people_who_are_not_service_managers(keyworker_a, administrator):
    make_service(last_verified_at=LONG_AGO)
    run()
    assert not reminders().exists()


def test_a_dry_run_queues_nothing(service_manager):
    make_service(last_verified_at=LONG_AGO)
    output = run("--dry-run")
    assert "Would remind manager@example.com about 1 listing(s)" in output
    assert not reminders().exists()
