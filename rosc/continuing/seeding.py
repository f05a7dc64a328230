"""Essex demo data for continuing care, run by ``manage.py seed_demo_areas``.

Illustrative only: Sam Taylor (from the shared record demo) left treatment at the Mid Essex Drug and
Alcohol Service five weeks ago and is in continuing care by text message. Three calm weekly check-ins
are answered; the fourth, answered late this morning, had strong cravings with low confidence, so an
alert is open for Priya (keyworker) and Marcus (peer mentor). The fifth is due today and waiting: its
link is printed, so the check-in page can be tried. Maya, the service manager, is the duty worker.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rosc.continuing import rules, schedule
from rosc.continuing.actions import _recipients, check_in_url, new_token
from rosc.continuing.models import (
    Alert,
    AlertEvent,
    CheckIn,
    CheckInLink,
    CheckInStatus,
    EventKind,
    Plan,
    PlanChannel,
    ServiceSettings,
)
from rosc.core.models import Organisation, User
from rosc.record.models import Person

MID_ESSEX = "Mid Essex Drug and Alcohol Service"
DEMO_DOMAIN = "demo.openrosc.example"

CALM = {
    "physical_health": 2,
    "sleep_days": 1,
    "low_mood_days": 1,
    "alcohol_days": 0,
    "heavy_drinking_days": 0,
    "drug_days": 0,
    "cravings": 1,
    "confidence": 3,
    "meeting_days": 3,
    "risky_days": 0,
    "work_days": 1,
    "enough_money": True,
    "conflict_days": 0,
    "support_days": 3,
    "satisfaction": 3,
    "wants_contact": False,
}
WEEKS = [
    CALM,
    {**CALM, "cravings": 2, "confidence": 3, "satisfaction": 3, "work_days": 3},
    {**CALM, "cravings": 2, "confidence": 2, "sleep_days": 3, "satisfaction": 2},
    {**CALM, "cravings": 3, "confidence": 1, "sleep_days": 5, "low_mood_days": 3, "satisfaction": 1, "support_days": 1},
]


def at_nine(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))


@transaction.atomic
def seed_demo(stdout: Any) -> None:
    """Load the illustrative demo data of this area (safe to run again)."""
    sam = Person.objects.filter(is_illustrative=True, full_name="Sam Taylor").first()
    service = Organisation.objects.filter(name=MID_ESSEX).first()
    if sam is None or service is None:
        stdout.write("Continuing care demo: skipped (run seed_demo and the shared record demo first).")
        return
    maya = User.objects.filter(email=f"manager@{DEMO_DOMAIN}").first()
    priya = User.objects.filter(email=f"practitioner@{DEMO_DOMAIN}").first()
    settings, _ = ServiceSettings.objects.get_or_create(organisation=service)
    if settings.duty_worker is None and maya is not None:
        settings.duty_worker = maya
        settings.save(update_fields=["duty_worker"])
    if Plan.objects.filter(person=sam).exists():
        stdout.write("Continuing care demo: already loaded.")
        return
    now = timezone.now()
    today = timezone.localdate()
    started = today - timedelta(days=35)
    plan = Plan.objects.create(
        person=sam,
        organisation=service,
        started_on=started,
        discharge_reason="completed_alcohol_free",
        weekly_weeks=settings.weekly_weeks,
        monthly_until_month=settings.monthly_until_month,
        quarterly_until_month=settings.quarterly_until_month,
        link_days=settings.link_days,
        channel=PlanChannel.SMS,
        created_by=priya,
        created_at=now - timedelta(days=29),
        is_illustrative=True,
    )
    sched = plan.schedule()
    last: CheckIn | None = None
    for number, answers in enumerate(WEEKS, start=1):
        item = schedule.due(sched, started, number)
        assert item is not None
        answered_at = (
            now - timedelta(hours=2)
            if number == len(WEEKS)
            else now - timedelta(days=(today - item.due_on).days, hours=-10)
        )
        last = CheckIn.objects.create(
            plan=plan,
            person=sam,
            number=number,
            kind=item.kind,
            due_on=item.due_on,
            status=CheckInStatus.ANSWERED,
            expires_at=now + timedelta(hours=1) if number == len(WEEKS) else answered_at + timedelta(days=3),
            sent_at=at_nine(item.due_on),
            answered_at=answered_at,
            answers=answers,
        )
        CheckInLink.objects.create(check_in=last, token_hash=new_token()[1], expires_at=last.expires_at)
    # The fifth check-in, due today: sent, waiting for answers, with a link the demo can open.
    fifth = schedule.due(sched, started, len(WEEKS) + 1)
    assert fifth is not None
    waiting = CheckIn.objects.create(
        plan=plan,
        person=sam,
        number=fifth.number,
        kind=fifth.kind,
        due_on=fifth.due_on,
        expires_at=now + timedelta(days=plan.link_days),
        sent_at=now,
    )
    token, hashed = new_token()
    CheckInLink.objects.create(check_in=waiting, token_hash=hashed, expires_at=waiting.expires_at)
    following = schedule.due(sched, started, fifth.number + 1)
    plan.next_number = fifth.number + 1
    plan.next_due_on = following.due_on if following else None
    plan.save(update_fields=["next_number", "next_due_on"])
    assert last is not None
    assert last.answered_at is not None
    rule = rules.BY_CODE["cravings_low_confidence"]
    alert = Alert.objects.create(
        person=sam,
        plan=plan,
        check_in=last,
        organisation=service,
        rule_code=rule.code,
        severity=rule.severity,
        raised_at=last.answered_at,
        acknowledge_by=last.answered_at + timedelta(hours=settings.ack_hours(rule.severity)),
    )
    AlertEvent.objects.create(alert=alert, kind=EventKind.RAISED, at=last.answered_at)
    for worker in _recipients([sam.pk], today).get(sam.pk, []):
        AlertEvent.objects.create(alert=alert, kind=EventKind.NOTIFIED, at=last.answered_at, to=worker)
    stdout.write(
        "Continuing care demo: Sam Taylor in continuing care (illustrative) with 4 answered weekly check-ins and "
        f"1 open alert; duty worker set for Mid Essex. Sam's check-in due today: {check_in_url(token)}"
    )
