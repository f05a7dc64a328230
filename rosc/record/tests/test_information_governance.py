"""The break-glass review queue and data-protection rights requests."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.core.testing import sign_in
from rosc.record import actions, rights
from rosc.record.access import can_access
from rosc.record.actions import person_erased
from rosc.record.categories import Category
from rosc.record.models import (
    BreakGlass,
    CareTeamMember,
    Consent,
    Disclosure,
    Goal,
    Note,
    Person,
    RightsRequest,
)
from rosc.record.tests.helpers import give_consent, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(org_a):
    person = make_person(org_a, nhs_number="9434765919", email="robin@example.com")
    give_consent(person, organisations=[org_a])
    Goal.objects.create(
        person=person,
        domain="legal",
        in_own_words="Sort out my court date",
        owner_organisation=org_a,
        review_on=timezone.localdate(),
    )
    Note.objects.create(person=person, organisation=org_a, kind="keyworker", text="A note")
    return person


def test_the_ig_lead_reviews_emergency_access_from_the_queue(client, ig_lead, keyworker_a, org_a, org_b):
    person = make_person(org_b)
    emergency = actions.break_glass(
        actor=keyworker_a, person=person, organisation=org_a, reason="Worried about an immediate risk of harm."
    )
    sign_in(client, ig_lead)
    assert "1 waiting" in client.get(reverse("core:dashboard")).content.decode()
    queue = client.get(reverse("record:break_glass_queue")).content.decode()
    assert "Waiting for review (1)" in queue
    url = reverse("record:break_glass_review", kwargs={"emergency_id": emergency.pk})
    page = client.get(url).content.decode()
    assert "Worried about an immediate risk of harm." in page
    assert person.full_name not in page
    assert "Select whether the access was justified." in client.post(url, {}).content.decode()
    client.post(url, {"outcome": "justified", "note": ""})
    emergency.refresh_from_db()
    assert emergency.review == "justified"
    assert emergency.reviewed_by == ig_lead
    assert "Waiting for review (0)" in client.get(reverse("record:break_glass_queue")).content.decode()


def test_only_the_ig_lead_sees_the_queue(client, persona):
    for name in ("administrator", "keyworker_a", "service_manager", "commissioner"):
        sign_in(client, persona(name))
        assert client.get(reverse("record:break_glass_queue")).status_code == 403, name


def test_rights_requests_are_opened_by_exact_identifiers(client, administrator, shared):
    sign_in(client, administrator)
    url = reverse("record:rights_new")
    bad = client.post(url, {"kind": "access", "received_on": "2999-01-01", "nhs_number": "9990000018"}).content.decode()
    assert "cannot be in the future" in bad
    none = client.post(
        url, {"kind": "access", "received_on": timezone.localdate().isoformat(), "nhs_number": "9990000018"}
    ).content.decode()
    assert "No single record matches" in none
    response = client.post(
        url,
        {
            "kind": "access",
            "received_on": timezone.localdate().isoformat(),
            "nhs_number": "9434765919",
            "details": "A copy please",
        },
    )
    opened = RightsRequest.objects.get()
    assert response["Location"] == reverse("record:rights_detail", kwargs={"request_id": opened.pk})
    assert opened.person == shared
    assert opened.opened_by == administrator


def test_an_access_request_exports_everything_as_json_and_a_page(client, ig_lead, shared):
    opened = rights.open_rights_request(actor=ig_lead, person=shared, kind="access", received_on=None)
    sign_in(client, ig_lead)
    data = json.loads(
        client.get(reverse("record:rights_export", kwargs={"request_id": opened.pk, "fmt": "json"})).content
    )
    assert data["person"]["nhs_number"] == "9434765919"
    assert data["plan"][0]["goal"] == "Sort out my court date"
    assert data["notes"][0]["text"] == "A note"
    assert data["consents"][0]["organisations"] == ["Organisation A Treatment"]
    page = client.get(reverse("record:rights_export", kwargs={"request_id": opened.pk, "fmt": "html"})).content.decode()
    assert "Sort out my court date" in page
    assert AuditEvent.objects.filter(action="record.exported").count() == 2
    logged = set(Disclosure.objects.filter(person=shared, viewer=ig_lead).values_list("category", flat=True))
    assert logged == {"identity", "contact", "plan", "referrals", "outcomes", "notes"}
    client.post(
        reverse("record:rights_detail", kwargs={"request_id": opened.pk}),
        {"status": "done", "outcome": "Sent by secure email."},
    )
    opened.refresh_from_db()
    assert opened.status == "done"
    assert opened.handled_by == ig_lead


def test_closing_a_request_needs_an_outcome(client, ig_lead, shared):
    opened = rights.open_rights_request(actor=ig_lead, person=shared, kind="access", received_on=None)
    sign_in(client, ig_lead)
    page = client.post(reverse("record:rights_detail", kwargs={"request_id": opened.pk}), {"status": "done"})
    assert "Enter what was done, or why it was refused." in page.content.decode()
    opened.refresh_from_db()
    assert opened.status == "open"


def test_rectification_corrects_details_on_that_kind_of_request_only(client, administrator, shared):
    access = rights.open_rights_request(actor=administrator, person=shared, kind="access", received_on=None)
    sign_in(client, administrator)
    form = {
        "full_name": "Robyn Example",
        "date_of_birth": "1985-04-01",
        "email": "robin@example.com",
        "nhs_number": "9434765919",
    }
    client.post(reverse("record:rights_rectify", kwargs={"request_id": access.pk}), form)
    shared.refresh_from_db()
    assert shared.full_name == "Robin Example"
    fix = rights.open_rights_request(actor=administrator, person=shared, kind="rectification", received_on=None)
    client.post(reverse("record:rights_rectify", kwargs={"request_id": fix.pk}), form)
    shared.refresh_from_db()
    assert shared.full_name == "Robyn Example"
    assert AuditEvent.objects.get(action="record.person_rectified").details == {"fields": ["full_name"]}


def test_restriction_closes_the_record_to_everyone_until_lifted(client, ig_lead, keyworker_a, shared):
    opened = rights.open_rights_request(actor=ig_lead, person=shared, kind="restriction", received_on=None)
    sign_in(client, ig_lead)
    url = reverse("record:rights_restrict", kwargs={"request_id": opened.pk})
    client.post(url, {"restrict": "1"})
    shared.refresh_from_db()
    assert shared.restricted_at is not None
    assert not can_access(keyworker_a, shared, Category.PLAN)
    client.post(url, {"restrict": "0"})
    shared.refresh_from_db()
    assert shared.restricted_at is None
    assert can_access(keyworker_a, shared, Category.PLAN)


def test_erasure_deletes_everything_but_an_empty_row_and_tells_other_areas(client, administrator, keyworker_a, shared):
    heard = []
    person_erased.connect(lambda sender, person, **kw: heard.append(person.pk), weak=False, dispatch_uid="test-erase")
    try:
        actions.break_glass(
            actor=keyworker_a,
            person=shared,
            organisation=shared.care_team.get().organisation,
            reason="Testing that erasure removes emergency access too.",
        )
        Disclosure.objects.create(person=shared, category="plan", purpose="x")
        opened = rights.open_rights_request(
            actor=administrator, person=shared, kind="erasure", received_on=None, details="Please delete my record"
        )
        sign_in(client, administrator)
        url = reverse("record:rights_erase", kwargs={"request_id": opened.pk})
        assert "Confirm that you understand" in client.post(url, {}).content.decode()
        client.post(url, {"confirm": "on"})
    finally:
        person_erased.disconnect(dispatch_uid="test-erase")
    shared.refresh_from_db()
    assert shared.erased_at is not None
    assert shared.full_name == ""
    assert shared.nhs_number == ""
    for model in (CareTeamMember, Consent, Goal, Note, Disclosure, BreakGlass):
        assert not model.objects.filter(person=shared).exists(), model.__name__
    opened.refresh_from_db()
    assert opened.status == "done"
    assert opened.details == ""
    assert heard == [shared.pk]
    assert Person.objects.current().count() == 0


def test_only_rights_handlers_reach_rights_pages(client, persona, shared):
    opened = RightsRequest.objects.create(person=shared, kind="access")
    for name in ("keyworker_a", "service_manager", "commissioner", "peer_mentor"):
        sign_in(client, persona(name))
        for url in (
            reverse("record:rights_list"),
            reverse("record:rights_detail", kwargs={"request_id": opened.pk}),
            reverse("record:rights_export", kwargs={"request_id": opened.pk, "fmt": "json"}),
        ):
            assert client.get(url).status_code == 403, (name, url)


def test_requests_are_answered_within_a_month(shared):
    opened = RightsRequest(person=shared, kind="access", received_on=timezone.localdate())
    assert opened.due_on == timezone.localdate() + timedelta(days=30)
