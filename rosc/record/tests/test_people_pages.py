"""Adding, finding and opening people; care team and consent pages; emergency access."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from rosc.core.models import AuditEvent, Notification
from rosc.core.testing import sign_in
from rosc.record.models import BreakGlass, CareTeamMember, Consent, Disclosure, Person
from rosc.record.tests.helpers import give_consent, make_person

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "full_name": "Robin Example",
    "date_of_birth": "1990-04-01",
    "nhs_number": "943 476 5919",
    "categories": ["contact", "plan", "notes"],
    "organisation_kinds": ["housing"],
    "given_how": "written",
}


def expires(days=200):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_a_practitioner_adds_a_person_with_their_consent_and_sees_the_record(client, keyworker_a, org_a):
    sign_in(client, keyworker_a)
    response = client.post(reverse("record:person_create"), {**NEW_PERSON, "expires_on": expires()})
    person = Person.objects.get()
    assert response["Location"] == reverse("record:person", kwargs={"person_id": person.uuid})
    consent = Consent.objects.get(person=person)
    assert list(consent.recipient_organisations.all()) == [org_a]
    assert consent.recipient_kinds == ["housing"]
    page = client.get(response["Location"]).content.decode()
    assert "Robin Example" in page
    assert "9434765919" in page


def test_adding_a_person_with_bad_answers_shows_every_problem_and_saves_nothing(client, keyworker_a):
    sign_in(client, keyworker_a)
    response = client.post(
        reverse("record:person_create"),
        {"full_name": "", "nhs_number": "123", "date_of_birth": "soon", "expires_on": "2001-01-01"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in (
        "Enter their full name.",
        "Enter a valid NHS number",
        "Enter a real date",
        "Select at least one kind of information",
        "Select how they gave their consent.",
        "The date consent ends must be today or in the future.",
    ):
        assert message in page, message
    assert not Person.objects.exists()


def test_only_workers_may_add_people(client, persona):
    for name in ("peer_mentor", "commissioner", "ig_lead", "administrator"):
        sign_in(client, persona(name))
        assert client.get(reverse("record:person_create")).status_code == 403, name


def test_find_shows_only_records_the_worker_may_open(client, keyworker_a, keyworker_b, org_a):
    person = make_person(org_a, nhs_number="9434765919")
    give_consent(person, organisations=[org_a])
    sign_in(client, keyworker_b)
    page = client.get(reverse("record:find"), {"nhs_number": "9434765919"}).content.decode()
    assert "Robin Example" not in page
    assert "No record that your organisation is part of matches" in page
    sign_in(client, keyworker_a)
    page = client.get(
        reverse("record:find"), {"full_name": "robin example", "date_of_birth": "1985-04-01"}
    ).content.decode()
    assert reverse("record:person", kwargs={"person_id": person.uuid}) in page
    assert AuditEvent.objects.filter(action="record.searched").count() == 2


def test_find_needs_exact_identifiers(client, keyworker_a):
    sign_in(client, keyworker_a)
    page = client.get(reverse("record:find"), {"full_name": "Robin"}).content.decode()
    assert "Enter their NHS number, or their full name and date of birth." in page


def test_another_organisations_record_answers_404_on_every_page(client, keyworker_b, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a])
    sign_in(client, keyworker_b)
    for name in ("person", "person_edit", "send_link", "plan", "goal_new", "team", "notes", "timeline"):
        assert client.get(reverse(f"record:{name}", kwargs={"person_id": person.uuid})).status_code == 404, name
    assert (
        client.get(reverse("record:consent_new", kwargs={"person_id": person.uuid, "kind": "care"})).status_code == 404
    )
    assert not Disclosure.objects.filter(viewer=keyworker_b).exists()


def test_the_team_page_opens_without_consent_for_the_care_team_and_logs_the_name_seen(client, keyworker_a, org_a):
    person = make_person(org_a)
    sign_in(client, keyworker_a)
    response = client.get(reverse("record:team", kwargs={"person_id": person.uuid}))
    assert response.status_code == 200
    assert "Record consent to share with the care team" in response.content.decode()
    assert Disclosure.objects.get(person=person).category == "identity"
    assert client.get(reverse("record:plan", kwargs={"person_id": person.uuid})).status_code == 404


def test_recording_consent_on_the_page_opens_the_record(client, keyworker_a, org_a):
    person = make_person(org_a)
    sign_in(client, keyworker_a)
    url = reverse("record:consent_new", kwargs={"person_id": person.uuid, "kind": "care"})
    bad = client.post(url, {"categories": ["plan"], "given_how": "verbal", "expires_on": expires()})
    assert "Select at least one organisation or kind of service" in bad.content.decode()
    client.post(
        url, {"organisations": [str(org_a.pk)], "categories": ["plan"], "given_how": "verbal", "expires_on": expires()}
    )
    assert client.get(reverse("record:plan", kwargs={"person_id": person.uuid})).status_code == 200


def test_a_purpose_specific_consent_is_recorded_with_who_and_why(client, keyworker_a, org_a):
    person = make_person(org_a)
    sign_in(client, keyworker_a)
    url = reverse("record:consent_new", kwargs={"person_id": person.uuid, "kind": "specific"})
    bad = client.post(url, {"categories": ["plan"], "given_how": "written", "expires_on": expires()}).content.decode()
    assert "Enter who the information may be shared with." in bad
    assert "Enter what the information may be used for." in bad
    client.post(
        url,
        {
            "recipient_description": "Their employer",
            "purpose": "Phased return to work",
            "categories": ["plan"],
            "given_how": "written",
            "expires_on": expires(),
        },
    )
    consent = Consent.objects.get(person=person)
    assert (consent.kind, consent.recipient_description) == ("specific", "Their employer")


def test_a_worker_records_a_withdrawal_and_access_ends_at_once(client, keyworker_a, org_a):
    person = make_person(org_a)
    consent = give_consent(person, organisations=[org_a])
    sign_in(client, keyworker_a)
    client.post(reverse("record:consent_withdraw", kwargs={"person_id": person.uuid, "consent_id": consent.pk}))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_by == keyworker_a
    assert client.get(reverse("record:plan", kwargs={"person_id": person.uuid})).status_code == 404


def test_the_team_page_adds_family_and_refuses_bad_input(client, keyworker_a, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a])
    sign_in(client, keyworker_a)
    url = reverse("record:team", kwargs={"person_id": person.uuid})
    bad = client.post(url, {"role": "family", "organisation": str(org_a.pk)}).content.decode()
    assert "Enter the family member" in bad
    assert "Leave the organisation empty" in bad
    bad = client.post(url, {"role": "peer_mentor", "organisation": str(org_a.pk)}).content.decode()
    assert "Enter the peer mentor" in bad
    client.post(url, {"role": "family", "name": "Jo", "relationship": "mother"})
    assert CareTeamMember.objects.filter(person=person, name="Jo").exists()


def test_the_worker_edits_contact_details_with_validation(client, keyworker_a, org_a):
    person = make_person(org_a)
    give_consent(person, organisations=[org_a])
    sign_in(client, keyworker_a)
    url = reverse("record:person_edit", kwargs={"person_id": person.uuid})
    bad = client.post(url, {"full_name": "Robin Example", "date_of_birth": "1985-04-01", "email": "nope"})
    assert "right format" in bad.content.decode()
    client.post(url, {"full_name": "Robin Example", "date_of_birth": "1985-04-01", "phone": "07700 900123"})
    person.refresh_from_db()
    assert person.phone == "07700 900123"
    event = AuditEvent.objects.get(action="record.person_updated")
    assert event.details == {"fields": ["phone"]}


def test_sending_the_own_view_link_needs_an_address_and_says_nothing_sensitive(client, keyworker_a, org_a):
    person = make_person(org_a, email="robin@example.com")
    give_consent(person, organisations=[org_a])
    sign_in(client, keyworker_a)
    url = reverse("record:send_link", kwargs={"person_id": person.uuid})
    assert "no phone number" in client.post(url, {"channel": "sms"}).content.decode()
    client.post(url, {"channel": "email"})
    note = Notification.objects.get(reason="record_own_view_link")
    assert note.to == "robin@example.com"
    assert "/care/my-record/link/" in note.body
    assert "Robin" not in note.body


def test_emergency_access_from_the_page(client, keyworker_a, ig_lead, org_b):
    person = make_person(org_b, nhs_number="9434765919")
    sign_in(client, keyworker_a)
    url = reverse("record:emergency")
    bad = client.post(
        url, {"nhs_number": "9990000018", "reason": "Someone may be at risk of harm tonight.", "hours": "4"}
    )
    assert "No single record matches" in bad.content.decode()
    short = client.post(url, {"nhs_number": "9434765919", "reason": "worry", "hours": "4"})
    assert "Say what the safeguarding concern is" in short.content.decode()
    assert not BreakGlass.objects.exists()
    response = client.post(
        url, {"nhs_number": "9434765919", "reason": "Someone may be at risk of harm tonight.", "hours": "4"}
    )
    assert response["Location"] == reverse("record:person", kwargs={"person_id": person.uuid})
    page = client.get(response["Location"]).content.decode()
    assert "You are using emergency access" in page
    assert Disclosure.objects.filter(person=person, break_glass__isnull=False).exists()
    assert len(mail.outbox) == 0  # queued to the task worker, not sent inline
    assert Notification.objects.filter(recipient=ig_lead, reason="break_glass_review").exists()


def test_sharing_under_a_purpose_specific_consent_is_logged_for_the_person(client, keyworker_a, org_a):
    from rosc.record.models import ConsentKind

    person = make_person(org_a)
    give_consent(person, organisations=[org_a])
    specific = give_consent(
        person,
        kind=ConsentKind.SPECIFIC,
        categories=["plan"],
        recipient_description="Their employer",
        purpose="Phased return to work",
    )
    sign_in(client, keyworker_a)
    url = reverse("record:consent_shared", kwargs={"person_id": person.uuid, "consent_id": specific.pk})
    page = client.get(url).content.decode()
    assert "do not share further." in page
    assert "Select what you shared." in client.post(url, {}).content.decode()
    assert "Select a valid choice" in client.post(url, {"categories": ["notes"]}).content.decode()
    client.post(url, {"categories": ["plan"]})
    shared = Disclosure.objects.get(person=person, how="shared")
    assert (shared.recipient_description, shared.category, shared.consent) == ("Their employer", "plan", specific)
    specific.withdrawn_at = timezone.now()
    specific.save()
    assert client.get(url).status_code == 404
