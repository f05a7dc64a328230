"""A kept pathway: its private link, printing, sending the link, and ending it."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from rosc.core.models import AuditEvent, Notification, NotificationStatus
from rosc.frontdoor import actions
from rosc.frontdoor.answers import Answers
from rosc.frontdoor.models import Pathway
from rosc.frontdoor.tests.conftest import make_pathway

pytestmark = pytest.mark.django_db


def test_the_plan_shows_each_step_with_services_their_reasons_and_what_to_do_today(client, directory):
    token = make_pathway(client)

    response = client.get(f"/get-help/pathway/{token}/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "Help for your son or daughter, and for you" in text
    assert text.index("Treatment and support for your son or daughter") < text.index("Support for you")
    assert "Opiate clinic" in text
    assert "Helps with heroin and other opioids" in text
    assert "Why we chose it" in text
    assert "What you can do today" in text
    assert "Your nearest recovery space" in text
    assert 'media="print"' in text
    assert "frontdoor/print.css" in text
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_the_link_works_without_the_session_that_made_it(client, directory):
    token = make_pathway(client)

    other = Client().get(f"/get-help/pathway/{token}/")

    assert other.status_code == 200
    assert "Opiate clinic" in other.content.decode()
    assert "Change your answers" not in other.content.decode(), "only the session that made it can change it"


@pytest.mark.parametrize("token", ["not-a-real-token-but-long-enough-to-look-like-one", "short", "a" * 101, "%3Cb%3E"])
def test_an_unknown_or_malformed_link_explains_itself(client, directory, token):
    response = client.get(f"/get-help/pathway/{token}/")

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_an_expired_plan_is_gone(client, directory):
    token = make_pathway(client)
    Pathway.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(f"/get-help/pathway/{token}/").status_code == 404


def test_the_token_is_stored_only_as_its_hash(client, directory):
    token = make_pathway(client)

    assert Pathway.objects.get().token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert Pathway.objects.get().expires_at > timezone.now() + timedelta(days=89)


def test_ending_a_plan_deletes_it_and_the_link_stops_working(client, directory):
    token = make_pathway(client)

    confirm = client.get(f"/get-help/pathway/{token}/delete/")
    ended = client.post(f"/get-help/pathway/{token}/delete/")

    assert "Are you sure you want to delete your plan?" in confirm.content.decode()
    assert ended["Location"] == "/get-help/deleted/"
    assert not Pathway.objects.exists()
    assert client.get(f"/get-help/pathway/{token}/").status_code == 404
    event = AuditEvent.objects.get(action="frontdoor.pathway_ended")
    assert event.ip_address is None, "the audit log does not tie a computer to someone's answers"


def test_it_emails_the_link_once_and_forgets_the_address_after_sending(client, directory):
    token = make_pathway(client)

    response = client.post(
        f"/get-help/pathway/{token}/send/", {"channel": "email", "email": "jo@example.com"}, follow=True
    )

    notification = Notification.objects.get(reason=actions.LINK_REASON)
    assert "We have sent the link" in response.content.decode()
    assert notification.to == "jo@example.com"
    assert f"/get-help/pathway/{token}/" in notification.body
    assert actions.pathway_link_forget(notification.pk) == "waiting", "not sent yet: keep it for delivery"
    Notification.objects.filter(pk=notification.pk).update(status=NotificationStatus.SENT)
    assert actions.pathway_link_forget(notification.pk) == "forgotten"
    notification.refresh_from_db()
    assert notification.to == actions.FORGOTTEN_TO
    assert token not in notification.body
    assert mail.outbox == [], "delivery is the task worker's job"


def test_it_texts_the_link_to_a_uk_mobile(client, directory):
    token = make_pathway(client)

    client.post(f"/get-help/pathway/{token}/send/", {"channel": "sms", "mobile": "07700 900 982"})

    notification = Notification.objects.get(reason=actions.LINK_REASON)
    assert notification.channel == "sms"
    assert notification.to == "07700900982"
    assert len(notification.body) < 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select email or text message"),
        ({"channel": "email"}, "Enter the email address to send the link to"),
        ({"channel": "email", "email": "not an email"}, "Enter an email address in the right format"),
        ({"channel": "sms", "mobile": "01632 960 001"}, "Enter a UK mobile number"),
        ({"channel": "sms", "mobile": "9" * 31}, "Enter a UK mobile number"),
    ],
)
def test_it_explains_a_bad_address_and_sends_nothing(client, directory, data, message):
    token = make_pathway(client)

    response = client.post(f"/get-help/pathway/{token}/send/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Notification.objects.filter(reason=actions.LINK_REASON).exists()


def test_one_plan_cannot_be_sent_to_everyone(client, directory, settings):
    settings.ROSC_FRONTDOOR_LINK_LIMIT = "100/h"
    token = make_pathway(client)
    for number in range(actions.MAX_LINKS_PER_PATHWAY):
        client.post(f"/get-help/pathway/{token}/send/", {"channel": "email", "email": f"a{number}@example.com"})

    refused = client.post(f"/get-help/pathway/{token}/send/", {"channel": "email", "email": "more@example.com"})

    assert "sent too many times" in refused.content.decode()
    assert Notification.objects.filter(reason=actions.LINK_REASON).count() == actions.MAX_LINKS_PER_PATHWAY


def test_sending_links_is_rate_limited(client, directory, settings):
    settings.ROSC_FRONTDOOR_LINK_LIMIT = "1/h"
    token = make_pathway(client)
    client.post(f"/get-help/pathway/{token}/send/", {"channel": "email", "email": "a@example.com"})

    refused = client.post(f"/get-help/pathway/{token}/send/", {"channel": "email", "email": "b@example.com"})

    assert refused.status_code == 429
    assert Notification.objects.filter(reason=actions.LINK_REASON).count() == 1


def test_the_purge_deletes_expired_plans_and_forgets_sent_addresses(directory):
    kept, token = actions.pathway_keep(answers=Answers(who="me"))
    old, _ = actions.pathway_keep(answers=Answers(who="me"))
    Pathway.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    sent = actions.pathway_send_link(pathway=kept, token=token, channel="email", to="jo@example.com")
    Notification.objects.filter(pk=sent.pk).update(
        status=NotificationStatus.SENT, created_at=timezone.now() - timedelta(minutes=5)
    )

    deleted, forgotten = actions.pathways_purge()

    assert (deleted, forgotten) == (1, 1)
    assert list(Pathway.objects.all()) == [kept]
    assert Notification.objects.get(pk=sent.pk).to == actions.FORGOTTEN_TO


def test_the_purge_command_reports_what_it_did(directory):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("purge_pathways", stdout=out)

    assert "0 expired pathways deleted; 0 link messages cleared of their address." in out.getvalue()
