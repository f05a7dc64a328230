"""Asking for support from a pathway: a record, a consent for exactly the services chosen, one referral each."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from rosc.core.models import AuditEvent, Notification
from rosc.frontdoor import actions
from rosc.frontdoor.answers import Answers
from rosc.frontdoor.models import SupportRequest
from rosc.frontdoor.tests.conftest import make_pathway
from rosc.record.categories import Category
from rosc.record.models import Consent, ConsentGivenHow, CreatedVia, Person
from rosc.referrals.models import Referral, Source, State

pytestmark = pytest.mark.django_db

TEXT_AFTER_SIX = {"method": "text", "phone": "07700 900 982", "times": ["evenings"], "voicemail": "no", "letters": "no"}


def service_ids(client, token):
    page = client.get(f"/get-help/pathway/{token}/ask/").content.decode()
    return dict(re.findall(r'value="([0-9a-f]{32})".*?govuk-checkboxes__label" for="[^"]+">([^<]+)<', page, re.S))


def fill_request(client, token, names, *, contact=None, name="Jo Example"):
    chosen = [sid for sid, label in service_ids(client, token).items() if label in names]
    assert len(chosen) == len(names), service_ids(client, token)
    assert client.post(f"/get-help/pathway/{token}/ask/", {"services": chosen}).status_code == 302
    assert client.post(f"/get-help/pathway/{token}/ask/your-name/", {"name": name}).status_code == 302
    response = client.post(f"/get-help/pathway/{token}/ask/contact/", contact or TEXT_AFTER_SIX)
    assert response.status_code == 302, response.content.decode()[:2000]
    check = client.get(f"/get-help/pathway/{token}/ask/check/").content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', check).group(1), check


def send(client, token, form_token):
    return client.post(f"/get-help/pathway/{token}/ask/check/", {"form_token": form_token, "agree": "on"})


def test_a_family_member_asks_two_services_and_each_gets_a_referral_with_her_preferences(client, directory):
    token = make_pathway(client)
    form_token, check = fill_request(client, token, ["Town Recovery Space", "Family support group"])

    response = send(client, token, form_token)

    assert "Families Together" in check, "the check page names who gets it"
    assert "Town Recovery Space" in check
    assert "Text message only, to 07700900982." in check
    person = Person.objects.get()
    assert person.created_via == CreatedVia.FRONT_DOOR
    assert person.full_name == "Jo Example"
    assert person.phone == "07700900982"
    assert "Only evenings after 6pm" in person.contact_notes
    consent = Consent.objects.get(person=person)
    assert consent.given_how == ConsentGivenHow.ONLINE
    assert {o.slug for o in consent.recipient_organisations.all()} == {"families", "town-space"}
    assert set(consent.categories) == {Category.REFERRALS, Category.CONTACT}
    referrals = Referral.objects.filter(person=person)
    assert {r.service.name for r in referrals} == {"Town Recovery Space", "Family support group"}
    for referral in referrals:
        assert referral.source == Source.SELF
        assert referral.state == State.SENT
        assert referral.consent == consent
        assert "Text message only, to 07700900982. Only evenings after 6pm." in referral.need
        assert "Do not leave a voicemail. Do not send letters." in referral.need
        assert "asking for support for themselves" in referral.need
    status = client.get(response["Location"])
    assert response["Location"].startswith("/get-help/requests/")
    assert "Request sent" in status.content.decode()
    assert "Town Recovery Space" in status.content.decode()
    text = Notification.objects.get(reason=actions.REQUEST_REASON)
    assert text.channel == "sms"
    assert text.to == "07700900982"
    assert response["Location"] in text.body


def test_the_same_form_sent_twice_makes_one_set_of_referrals(client, directory):
    token = make_pathway(client)
    form_token, _ = fill_request(client, token, ["Town Recovery Space", "Family support group"])

    first = send(client, token, form_token)
    again = send(client, token, form_token)

    assert Referral.objects.count() == 2
    assert SupportRequest.objects.count() == 1
    assert again["Location"] == first["Location"]


def test_the_action_refuses_a_form_token_it_has_seen_even_from_another_session(directory):
    from rosc.directory.models import Service

    services = list(Service.objects.filter(name__in=["Town Recovery Space"]))
    contact = actions.ContactPreferences(method="none")
    actions.support_request_send(
        form_token="x" * 43, answers=Answers(who="me"), services=services, name="Sam", contact=contact, for_asker=False
    )

    with pytest.raises(actions.RequestAlreadySent):
        actions.support_request_send(
            form_token="x" * 43,
            answers=Answers(who="me"),
            services=services,
            name="Sam",
            contact=contact,
            for_asker=False,
        )
    assert Referral.objects.count() == 1


def test_a_stale_or_forged_form_token_sends_nothing(client, directory):
    token = make_pathway(client)
    fill_request(client, token, ["Town Recovery Space"])

    response = send(client, token, "forged-token-" + "y" * 30)

    assert response.status_code == 200
    assert "nothing was sent" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_family_member_is_offered_only_support_for_herself(client, directory):
    token = make_pathway(client)

    offered = set(service_ids(client, token).values())

    assert "Opiate clinic" not in offered, "her son asks for his own treatment, with his own consent"
    assert {"Town Recovery Space", "Family support group"} <= offered
    assert "Recovery meeting" not in offered, "a self-run meeting has no one to answer a request"


def test_someone_asking_for_themselves_can_ask_a_treatment_service(client, directory):
    token = make_pathway(client, who={"who": "me"})

    assert "Opiate clinic" in service_ids(client, token).values()


def test_a_professional_is_pointed_to_referrals_instead(client, directory):
    token = make_pathway(client, who={"who": "professional"})

    plan = client.get(f"/get-help/pathway/{token}/").content.decode()
    ask = client.get(f"/get-help/pathway/{token}/ask/").content.decode()

    assert f"/get-help/pathway/{token}/ask/" not in plan
    assert "sign in to make a referral" in ask


def test_do_not_contact_me_keeps_no_phone_or_email(client, directory):
    token = make_pathway(client)
    form_token, check = fill_request(
        client, token, ["Family support group"], contact={"method": "none", "phone": "07700 900 982"}
    )

    send(client, token, form_token)

    person = Person.objects.get()
    assert "Do not contact them: they will get in touch with you themselves." in check
    assert person.phone == ""
    assert person.email == ""
    assert "Do not contact them" in Referral.objects.get().need
    assert not Notification.objects.filter(reason=actions.REQUEST_REASON).exists()


@pytest.mark.parametrize(
    ("page", "data", "message"),
    [
        ("", {}, "Select at least one service"),
        ("", {"services": ["0" * 32]}, "Select services from the list"),
        ("your-name/", {"name": "   "}, "Enter your name"),
        ("your-name/", {"name": "J" * 201}, "Enter a name of 200 characters or fewer"),
        ("your-name/", {"name": "Jo\x07"}, "Enter your name using letters, spaces and punctuation"),
        ("contact/", {}, "Select how the services should get in touch"),
        ("contact/", {"method": "text", "phone": "01632 960 001"}, "Enter a UK mobile number"),
        ("contact/", {"method": "call"}, "Enter the phone number to use"),
        ("contact/", {"method": "email", "email": "jo at example"}, "Enter an email address in the right format"),
    ],
)
def test_it_explains_each_problem_and_sends_nothing(client, directory, page, data, message):
    token = make_pathway(client)
    fill_request(client, token, ["Family support group"])

    response = client.post(f"/get-help/pathway/{token}/ask/{page}", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Referral.objects.exists()


def test_it_needs_the_agreement_ticked(client, directory):
    token = make_pathway(client)
    form_token, _ = fill_request(client, token, ["Family support group"])

    response = client.post(f"/get-help/pathway/{token}/ask/check/", {"form_token": form_token})

    assert "Tick the box to agree" in response.content.decode()
    assert not Person.objects.exists()


def test_it_starts_at_the_beginning_when_steps_are_missing(client, directory):
    token = make_pathway(client)

    assert client.get(f"/get-help/pathway/{token}/ask/your-name/")["Location"].endswith("/ask/")
    assert client.get(f"/get-help/pathway/{token}/ask/check/")["Location"].endswith("/ask/")


def test_requests_are_rate_limited(client, directory, settings):
    settings.ROSC_FRONTDOOR_REQUEST_LIMIT = "1/h"
    token = make_pathway(client)
    form_token, _ = fill_request(client, token, ["Family support group"])
    send(client, token, form_token)
    form_token, _ = fill_request(client, token, ["Town Recovery Space"])

    refused = send(client, token, form_token)

    assert refused.status_code == 429
    assert Referral.objects.count() == 1


def test_an_unknown_status_link_explains_itself(client):
    response = Client().get("/get-help/requests/" + "z" * 43 + "/")

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_the_status_link_works_from_another_browser_and_is_audited(client, directory):
    token = make_pathway(client)
    form_token, _ = fill_request(client, token, ["Family support group"])
    location = send(client, token, form_token)["Location"]

    other = Client().get(location)

    assert other.status_code == 200
    assert "Your request for support" in other.content.decode()
    assert "Sent" in other.content.decode()
    assert AuditEvent.objects.filter(action="referral.own_list_read").exists()


def test_erasing_the_record_forgets_the_request(client, directory):
    from rosc.record.actions import person_erased

    token = make_pathway(client)
    form_token, _ = fill_request(client, token, ["Family support group"])
    location = send(client, token, form_token)["Location"]

    person_erased.send(sender=Person, person=Person.objects.get(), actor=None)

    assert not SupportRequest.objects.exists()
    assert client.get(location).status_code == 404


def test_someone_signed_in_has_the_record_linked_to_their_account_and_sees_the_referrals(
    client, directory, family_member
):
    from rosc.core.testing import sign_in

    sign_in(client, family_member, with_mfa=False)
    token = make_pathway(client)
    form_token, _ = fill_request(client, token, ["Family support group"])

    send(client, token, form_token)

    person = Person.objects.get()
    assert person.account == family_member
    mine = client.get("/referrals/mine/")
    assert "Family support group" in mine.content.decode()


def test_someone_signed_in_with_a_record_asks_with_that_record(client, directory, person_in_recovery):
    from rosc.core.testing import sign_in

    existing = Person.objects.create(full_name="Sam Existing", account=person_in_recovery)
    sign_in(client, person_in_recovery, with_mfa=False)
    token = make_pathway(client, who={"who": "me"})
    form_token, _ = fill_request(client, token, ["Opiate clinic"])

    send(client, token, form_token)

    assert list(Person.objects.all()) == [existing]
    assert Referral.objects.get().person == existing
    assert Consent.objects.get().person == existing


def test_names_in_any_alphabet_are_fine(client, directory):
    token = make_pathway(client)
    form_token, check = fill_request(client, token, ["Family support group"], name="Zoë Ó Briain-Łukasz 李")

    send(client, token, form_token)

    assert "Zoë Ó Briain-Łukasz 李" in check
    assert Person.objects.get().full_name == "Zoë Ó Briain-Łukasz 李"
