"""Staff pages: a person's continuing care, starting a plan, the alert inbox and one alert, settings."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_persona, organisation
from rosc.continuing import actions
from rosc.continuing.models import AlertEvent, AlertStatus, EventKind, Plan, ServiceSettings
from rosc.continuing.tests.helpers import CALM, at, person_in_care, start_plan, token_from_outbox, worker
from rosc.core.audit import AuditEvent
from rosc.core.testing import sign_in
from rosc.directory.models import Service
from rosc.record.categories import Category
from rosc.record.models import Disclosure
from rosc.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert():
    person = person_in_care()
    start_plan(person, started_on=timezone.localdate() - timedelta(days=7))
    actions.run_continuing_care(now=at(timezone.localdate()))
    answers = {**CALM, "risky_days": "5", "wants_contact": "yes"}
    found = actions.check_in_answer(token=token_from_outbox(), answers=answers).alerts
    return next(a for a in found if a.rule_code == "contact_me")


def as_(client, name):
    return sign_in(client, make_persona(name))


# --- A person's continuing care -----------------------------------------------------------------


def test_the_keyworker_sees_the_plan_answers_and_chart(client, alert):
    as_(client, "keyworker_a")
    response = client.get(reverse("continuing:person", kwargs={"person_id": alert.person.uuid}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Weekly for 12 weeks" in html
    assert "<svg" in html
    assert "Cravings" in html
    assert "5 to 7 days" in html  # the risky answer, in the answers table
    assert Disclosure.objects.filter(person=alert.person, category=Category.OUTCOMES).exists()


@pytest.mark.parametrize("persona", ["keyworker_b", "peer_mentor"])
def test_workers_without_outcomes_access_get_no_record(client, alert, persona):
    as_(client, persona)
    response = client.get(reverse("continuing:person", kwargs={"person_id": alert.person.uuid}))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("persona", ["person_in_recovery", "outsider", "commissioner"])
def test_people_without_the_capability_are_refused(client, alert, persona):
    sign_in(client, make_persona(persona), with_mfa=persona == "commissioner")
    assert client.get(reverse("continuing:person", kwargs={"person_id": alert.person.uuid})).status_code == 403
    assert client.get(reverse("continuing:alerts")).status_code == 403


def test_starting_a_plan_on_discharge(client):
    person = person_in_care()
    as_(client, "keyworker_a")
    start_url = reverse("continuing:start", kwargs={"person_id": person.uuid})
    page = client.get(start_url).content.decode()
    assert "Treatment completed: drug free" in page
    assert "Incomplete: died" in page
    response = client.post(
        start_url,
        {
            "why": "completed_alcohol_free",
            "started_on": timezone.localdate().isoformat(),
            "channel": "email",
            "person_agreed": "on",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(person=person)
    assert plan.discharge_reason == "completed_alcohol_free"
    assert plan.weekly_weeks == 12
    assert AuditEvent.objects.filter(action="continuing.plan_start").exists()


def test_starting_a_plan_with_bad_input_says_what_is_wrong_and_saves_nothing(client):
    person = person_in_care(phone="")
    as_(client, "keyworker_a")
    start_url = reverse("continuing:start", kwargs={"person_id": person.uuid})
    response = client.post(start_url, {"why": "died", "started_on": "not a date", "channel": "sms"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a real date" in html
    assert "Confirm that they agreed" in html
    assert "Select how check-in links should be sent, from the ways shown" in html
    assert "Select a valid choice" not in html
    response = client.post(
        start_url,
        {"why": "died", "started_on": timezone.localdate().isoformat(), "channel": "email", "person_agreed": "on"},
    )
    assert "cannot start after this discharge reason" in response.content.decode()
    assert not Plan.objects.exists()


def test_pause_restart_and_end(client):
    plan = start_plan()
    as_(client, "keyworker_a")
    for change, status in (("pause", "paused"), ("resume", "active"), ("end", "ended")):
        client.post(reverse("continuing:plan_change", kwargs={"person_id": plan.person.uuid, "change": change}))
        plan.refresh_from_db()
        assert plan.status == status


# --- Alerts -------------------------------------------------------------------------------------


def test_the_inbox_lists_alerts_for_keyworker_and_mentor_not_for_others(client, alert):
    as_(client, "keyworker_a")
    assert "Robin Example" in client.get(reverse("continuing:alerts")).content.decode()
    client.logout()
    as_(client, "peer_mentor")
    assert "Robin Example" in client.get(reverse("continuing:alerts")).content.decode()
    client.logout()
    as_(client, "keyworker_b")
    assert "Robin Example" not in client.get(reverse("continuing:alerts")).content.decode()


def test_the_keyworker_sees_the_answers_and_the_mentor_only_the_alert(client, alert):
    alert_url = reverse("continuing:alert", kwargs={"alert_id": alert.uuid})
    as_(client, "keyworker_a")
    html = client.get(alert_url).content.decode()
    assert "Their answers" in html
    assert "5 to 7 days" in html
    client.logout()
    as_(client, "peer_mentor")
    html = client.get(alert_url).content.decode()
    assert "They asked for someone to contact them." in html
    assert "Their answers" not in html
    assert "5 to 7 days" not in html
    client.logout()
    as_(client, "keyworker_b")
    assert client.get(alert_url).status_code == 404


def test_the_mentor_picks_up_records_contact_and_closes(client, alert):
    as_(client, "peer_mentor")
    kwargs = {"alert_id": alert.uuid}
    client.post(reverse("continuing:alert_acknowledge", kwargs=kwargs))
    response = client.post(
        reverse("continuing:alert_contact", kwargs=kwargs),
        {"how": "phone", "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "note": "Chatted."},
    )
    assert response.status_code == 302
    client.post(reverse("continuing:alert_outcome", kwargs=kwargs), {"outcome": "supported"})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
    kinds = list(AlertEvent.objects.filter(alert=alert).values_list("kind", flat=True))
    assert kinds[-3:] == [EventKind.ACKNOWLEDGED, EventKind.CONTACT, EventKind.OUTCOME]
    history = client.get(reverse("continuing:alert", kwargs=kwargs)).content.decode()
    assert "phone call" in history
    assert "Talked it through" in history


def test_bad_contact_input_is_reported_and_nothing_saved(client, alert):
    as_(client, "keyworker_a")
    kwargs = {"alert_id": alert.uuid}
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("continuing:alert_contact", kwargs=kwargs), {"how": "phone", "happened_at": future})
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    response = client.post(reverse("continuing:alert_contact", kwargs=kwargs), {"happened_at": "yesterday"})
    html = response.content.decode()
    assert "Select how you contacted them" in html
    assert "Enter a date and time" in html
    assert not AlertEvent.objects.filter(alert=alert, kind=EventKind.CONTACT).exists()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_the_keyworker_refers_back_into_treatment_from_the_alert(client, alert):
    service = Service.objects.create(organisation=organisation("org-a"), name="Community treatment", description="x")
    as_(client, "keyworker_a")
    html = client.get(reverse("continuing:alert", kwargs={"alert_id": alert.uuid})).content.decode()
    assert "Refer them back into treatment" in html
    refer_url = reverse("continuing:alert_refer", kwargs={"alert_id": alert.uuid})
    assert "Say what they need" in client.post(refer_url, {"service": str(service.pk)}).content.decode()
    response = client.post(refer_url, {"service": str(service.pk), "need": "Wants to restart treatment."})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.person == alert.person
    assert referral.service == service
    assert AlertEvent.objects.filter(alert=alert, kind=EventKind.REFERRAL).exists()


def test_the_mentor_cannot_refer(client, alert):
    as_(client, "peer_mentor")
    assert client.get(reverse("continuing:alert_refer", kwargs={"alert_id": alert.uuid})).status_code == 403


# --- Settings -----------------------------------------------------------------------------------


def settings_data(**changes):
    data = {
        "weekly_weeks": "8",
        "monthly_until_month": "12",
        "quarterly_until_month": "24",
        "link_days": "5",
        "ack_hours_urgent": "1",
        "ack_hours_high": "12",
        "ack_hours_routine": "48",
        "duty_worker": "",
        "use_after_abstinence__clean_check_ins": "2",
        "cravings_low_confidence__cravings_at_least": "3",
        "cravings_low_confidence__confidence_at_most": "1",
        "risky_situations__days_at_least": "3",
        "family_conflict__days_at_least": "1",
        "missed_in_a_row__missed": "2",
    }
    return {**data, **changes}


def test_a_manager_sets_the_schedule_duty_worker_and_rules(client):
    duty = worker("duty@example.com", "org-a")
    as_(client, "service_manager")
    settings_url = reverse("continuing:settings", kwargs={"slug": "org-a"})
    assert client.get(reverse("continuing:settings_list"))["Location"] == settings_url
    assert "Duty worker" in client.get(settings_url).content.decode()
    response = client.post(settings_url, settings_data(duty_worker=str(duty.pk)))
    assert response.status_code == 302
    saved = ServiceSettings.objects.get(organisation=organisation("org-a"))
    assert saved.weekly_weeks == 8
    assert saved.duty_worker == duty
    assert saved.ack_hours_urgent == 1
    assert saved.rule_parameters["family_conflict"] == {"days_at_least": 1}
    plan = start_plan()
    assert plan.weekly_weeks == 8
    assert plan.link_days == 5


def test_bad_settings_are_reported_and_nothing_saved(client):
    outsider_worker = worker("elsewhere@example.com", "org-b")
    as_(client, "service_manager")
    settings_url = reverse("continuing:settings", kwargs={"slug": "org-a"})
    response = client.post(settings_url, settings_data(weekly_weeks="0", link_days="x"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "the number must be 1 or more" in html
    assert "Enter a whole number" in html
    response = client.post(settings_url, settings_data(duty_worker=str(outsider_worker.pk)))
    assert response.status_code == 400
    response = client.post(settings_url, settings_data(monthly_until_month="30", quarterly_until_month="24"))
    assert "Recovery check-ups must end after the monthly check-ins" in response.content.decode()
    assert not ServiceSettings.objects.exists()


@pytest.mark.parametrize("persona", ["keyworker_a", "peer_mentor"])
def test_only_managers_reach_settings(client, persona):
    as_(client, persona)
    assert client.get(reverse("continuing:settings", kwargs={"slug": "org-a"})).status_code == 403


def test_a_manager_of_another_service_is_refused(client):
    organisation("org-a")
    worker("manager.b@example.com", "org-b", role="service_manager")
    from rosc.core.models import User

    sign_in(client, User.objects.get(email="manager.b@example.com"))
    assert client.get(reverse("continuing:settings", kwargs={"slug": "org-a"})).status_code == 403


# --- The person, signed in ----------------------------------------------------------------------


def test_the_person_sees_their_schedule_and_can_stop_it(client):
    account = make_persona("person_in_recovery")
    plan = start_plan(person_in_care(account=account))
    sign_in(client, account, with_mfa=False)
    html = client.get(reverse("continuing:mine")).content.decode()
    assert "Coming up" in html
    assert "weekly check-in" in html
    client.post(reverse("continuing:mine"))
    plan.refresh_from_db()
    assert plan.status == "ended"
    assert plan.ended_by_person


def test_someone_without_a_plan_is_told_so(client):
    sign_in(client, make_persona("family_member"), with_mfa=False)
    assert "You do not have check-ins" in client.get(reverse("continuing:mine")).content.decode()


def test_the_home_page_links_to_check_ins_only_for_someone_with_a_plan(client):
    account = make_persona("person_in_recovery")
    sign_in(client, account, with_mfa=False)
    assert "Your check-ins" not in client.get(reverse("core:dashboard")).content.decode()
    start_plan(person_in_care(account=account))
    assert "Your check-ins" in client.get(reverse("core:dashboard")).content.decode()


def test_the_staff_home_links_to_alerts_and_settings(client):
    as_(client, "service_manager")
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Check-in alerts" in html
    assert "Continuing-care settings" in html
