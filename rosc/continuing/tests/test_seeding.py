"""The continuing-care demo: Sam in continuing care with answered check-ins, one open alert, a duty worker."""

from io import StringIO

import pytest
from django.core.management import call_command

from rosc.continuing import seeding
from rosc.continuing.models import Alert, AlertStatus, CheckIn, Plan, ServiceSettings
from rosc.core.management.commands.seed_demo import demo_email

pytestmark = pytest.mark.django_db


def load():
    out = StringIO()
    seeding.seed_demo(out)
    return out.getvalue()


def test_it_skips_politely_without_the_record_demo():
    assert "skipped" in load()
    assert not Plan.objects.exists()


def test_it_loads_sam_once_with_an_open_alert_and_a_duty_worker():
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    from rosc.record import seeding as record_seeding

    record_seeding.seed_demo(StringIO())
    out = load()
    assert "Sam Taylor in continuing care" in out
    plan = Plan.objects.get()
    link = out.split("Sam's check-in due today: ")[1].strip()
    token = link.split("/check-in/")[1].strip("/")
    from rosc.continuing.actions import usable_check_in

    assert usable_check_in(token).number == 5
    assert plan.person.full_name == "Sam Taylor"
    assert plan.is_illustrative
    assert CheckIn.objects.filter(plan=plan, status="answered").count() == 4
    alert = Alert.objects.get()
    assert alert.status == AlertStatus.OPEN
    assert alert.rule_code == "cravings_low_confidence"
    assert not alert.overdue()
    duty = ServiceSettings.objects.get(organisation=plan.organisation).duty_worker
    assert duty is not None
    assert duty.email == demo_email("manager")
    assert set(alert.events.filter(kind="notified").values_list("to__email", flat=True)) == {
        demo_email("practitioner"),
        demo_email("mentor"),
    }
    assert "already loaded" in load()
    assert Plan.objects.count() == 1
    assert Alert.objects.count() == 1
