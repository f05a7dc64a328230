"""The person's check-in pages, from a link, without signing in."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_persona
from rosc.continuing import actions
from rosc.continuing.models import Alert, CheckIn, CheckInStatus, Plan, PlanStatus
from rosc.continuing.tests.helpers import CALM, at, person_in_care, start_plan, token_from_outbox
from rosc.core.models import Notification, NotificationStatus
from rosc.core.notifications import notification_deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def token():
    start_plan(person_in_care(), started_on=timezone.localdate() - timedelta(days=7))
    actions.run_continuing_care(now=at(timezone.localdate()))
    return token_from_outbox()


def url(name, token):
    return reverse(f"continuing:{name}", kwargs={"token": token})


def test_it_shows_one_page_of_questions_with_help_now_and_no_caching(client, token):
    response = client.get(url("check_in", token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Think about the last 7 days" in html
    assert html.count("I need help now") == 2
    assert html.count('type="radio"') > 40
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "Robin" not in html  # no name on a page someone else may see over their shoulder


def test_it_saves_answers_and_thanks_the_person(client, token):
    response = client.post(url("check_in", token), {**CALM, "wants_contact": "yes"})
    assert response.status_code == 302
    assert response["Location"] == url("check_in_done", token)
    check_in = CheckIn.objects.get()
    assert check_in.status == CheckInStatus.ANSWERED
    assert check_in.answers["wants_contact"] is True
    done = client.get(url("check_in_done", token))
    assert "Someone from your support team will contact you" in done.content.decode()
    assert Alert.objects.get().rule_code == "contact_me"


def test_a_missing_answer_is_reported_and_nothing_is_saved(client, token):
    partial = {k: v for k, v in CALM.items() if k != "cravings"}
    response = client.post(url("check_in", token), partial)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Answer the question: How strong were your cravings" in html
    assert CheckIn.objects.get().status == CheckInStatus.OPEN


def test_a_made_up_answer_is_refused(client, token):
    response = client.post(url("check_in", token), {**CALM, "drug_days": "9"})
    assert "There is a problem" in response.content.decode()
    assert CheckIn.objects.get().status == CheckInStatus.OPEN


def test_a_used_link_says_so_kindly_and_offers_a_new_one(client, token):
    client.post(url("check_in", token), CALM)
    response = client.get(url("check_in", token))
    assert response.status_code == 410
    html = response.content.decode()
    assert "You have already answered this check-in" in html
    assert "Send me a new link" in html
    assert "robin@example.com" not in html


def test_an_expired_link_says_so_kindly_and_a_new_link_goes_to_the_contact_on_record(client, token):
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=8)):
        response = client.get(url("check_in", token))
    html = response.content.decode()
    assert response.status_code == 410
    assert "This link has run out" in html
    assert "Send me a new link" in html
    sent = client.post(url("check_in_new_link", token))
    assert sent.status_code == 200
    assert "We have sent you a new link" in sent.content.decode()
    assert "robin@example.com" not in sent.content.decode()
    new_token = token_from_outbox()
    assert new_token != token
    assert Notification.objects.filter(reason="continuing.check_in_link").last().to == "robin@example.com"
    assert client.get(url("check_in", new_token)).status_code == 200
    # Asking again straight away does not send another message.
    again = client.post(url("check_in_new_link", token))
    assert "a few minutes ago" in again.content.decode()
    assert Notification.objects.filter(reason="continuing.check_in_link").count() == 2


def test_after_answering_a_new_link_brings_the_next_check_in_forward(client, token):
    client.post(url("check_in", token), CALM)
    client.post(url("check_in_new_link", token))
    assert list(CheckIn.objects.values_list("number", "status")) == [(1, "answered"), (2, "open")]
    assert Plan.objects.get().next_number == 3


def test_a_link_that_does_not_exist_says_so_without_a_resend_button(client):
    response = client.get(url("check_in", "not-a-real-token"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find this check-in" in html
    assert "Send me a new link" not in html
    assert "I need help now" in html


def test_help_now_shows_crisis_routes_at_once_and_tells_the_team_once(client, token):
    response = client.post(url("check_in_help", token))
    html = response.content.decode()
    assert response.status_code == 200
    for route in ("999", "NHS 111", "116 123"):
        assert route in html
    assert "We have also told your support team" in html
    client.post(url("check_in_help", token))
    alert = Alert.objects.get()
    assert alert.rule_code == "help_now"
    assert alert.severity == "urgent"
    told = Notification.objects.filter(reason="continuing.alert")
    assert told.count() == 2  # keyworker and peer mentor, once
    assert all("help" not in n.body.lower().split("severity")[0] for n in told)


def test_help_now_works_from_an_expired_link_and_without_any_link(client, token):
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=30)):
        response = client.post(url("check_in_help", token))
    assert "116 123" in response.content.decode()
    assert Alert.objects.filter(rule_code="help_now").exists()
    assert "116 123" in client.get(reverse("continuing:help_now")).content.decode()


def test_help_now_still_shows_the_routes_if_raising_the_alert_fails(client, token):
    with mock.patch.object(actions, "_raise_alerts", side_effect=RuntimeError("database trouble")):
        response = client.post(url("check_in_help", token))
    assert response.status_code == 200
    assert "116 123" in response.content.decode()


def _deliverer(**kwargs):
    task = mock.Mock()
    task.enqueue.side_effect = kwargs.get("side_effect", lambda pk: notification_deliver(pk))
    return mock.patch("rosc.core.tasks.deliver_notification", task)


@pytest.mark.django_db(transaction=True)
def test_answers_are_saved_even_when_delivering_the_alert_fails(client, token):
    with mock.patch("rosc.core.notifications._send", side_effect=ConnectionError("mail server down")), _deliverer():
        response = client.post(url("check_in", token), {**CALM, "risky_days": "5"})
    assert response.status_code == 302
    assert CheckIn.objects.get().status == CheckInStatus.ANSWERED
    alert_messages = Notification.objects.filter(reason="continuing.alert")
    assert alert_messages.count() == 2
    assert all(n.status == NotificationStatus.RETRYING for n in alert_messages)


@pytest.mark.django_db(transaction=True)
def test_answers_are_saved_even_when_the_task_queue_is_down(client, token):
    with _deliverer(side_effect=ConnectionError("queue down")):
        response = client.post(url("check_in", token), {**CALM, "wants_contact": "yes"})
    assert response.status_code == 302
    assert CheckIn.objects.get().status == CheckInStatus.ANSWERED
    assert Notification.objects.filter(reason="continuing.alert", status=NotificationStatus.QUEUED).count() == 2


def test_the_person_can_stop_from_the_link(client, token):
    page = client.get(url("check_in_stop", token))
    assert "for as long as you want them" in page.content.decode()
    response = client.post(url("check_in_stop", token))
    assert "Your check-ins have stopped" in response.content.decode()
    plan = Plan.objects.get()
    assert plan.status == PlanStatus.ENDED
    assert plan.ended_by_person
    assert CheckIn.objects.get().status == CheckInStatus.CANCELLED
    assert "Your check-ins have stopped" in client.get(url("check_in", token)).content.decode()


def test_a_quarterly_check_up_asks_about_going_back_into_treatment(client):
    plan = start_plan(person_in_care())
    CheckIn.objects.create(
        plan=plan,
        person=plan.person,
        number=23,
        kind="quarterly",
        due_on=timezone.localdate(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    from rosc.continuing.tests.helpers import fresh_link

    token = fresh_link(CheckIn.objects.get())
    html = client.get(url("check_in", token)).content.decode()
    assert "Your recovery check-up" in html
    assert "getting back into treatment" in html
    assert "BARC-10" in html
    assert "I am making good progress on my recovery journey." in html
    # Without the BARC-10 answers nothing is saved.
    response = client.post(url("check_in", token), {**CALM, "wants_treatment": "yes"})
    assert "Say how much you agree" in response.content.decode()
    assert CheckIn.objects.get().status == CheckInStatus.OPEN
    barc = {f"barc10_q{n}": "5" for n in range(1, 11)}
    response = client.post(url("check_in", token), {**CALM, **barc, "wants_treatment": "yes"})
    assert response.status_code == 302
    assert Alert.objects.get().rule_code == "back_to_treatment"
    from rosc.outcomes.models import Measurement

    measurement = Measurement.objects.get(person=plan.person)
    assert measurement.instrument == "barc10"
    assert measurement.via == "check_in"
    assert measurement.scores["total"] == 50
    assert CheckIn.objects.get().answers["barc10_measurement"] == str(measurement.uuid)
    assert make_persona("keyworker_a")  # the keyworker can refer back: see test_views_staff
