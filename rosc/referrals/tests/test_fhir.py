"""The FHIR R4 export: a Bundle with a UK Core ServiceRequest that validates."""

import pytest
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from rosc.referrals import actions, fhir, states
from rosc.referrals.models import Basis
from rosc.referrals.selectors import events_of
from rosc.referrals.tests.helpers import person_in_team, send

pytestmark = pytest.mark.django_db


def resources(bundle):
    return {entry["resource"]["resourceType"]: entry["resource"] for entry in bundle["entry"]}


def test_a_referral_exports_as_a_valid_bundle_with_uk_core_profiles(keyworker_a):
    person = person_in_team("org-a", consent_to=["org-b"], nhs_number="9434765919", preferred_name="Rob")
    referral = send(keyworker_a, person=person)

    bundle = fhir.bundle_for(referral, events=events_of(referral))

    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    found = resources(bundle)
    assert set(found) == {"ServiceRequest", "Task", "Patient", "Organization", "HealthcareService", "Consent"}
    request = found["ServiceRequest"]
    assert request["meta"]["profile"] == ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"]
    assert request["status"] == "active"
    assert request["intent"] == "order"
    assert request["category"][0]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "3457005",
        "display": "Patient referral",
    }
    assert request["subject"]["reference"] == f"urn:uuid:{person.uuid}"
    assert request["requester"]["display"] == "Organisation A Treatment"
    assert request["supportingInfo"][0]["reference"].startswith("urn:uuid:")
    assert request["note"][0]["text"] == referral.need
    patient = found["Patient"]
    assert patient["identifier"][0] == {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}
    assert patient["birthDate"] == "1985-04-01"
    consent = found["Consent"]
    assert (
        consent["provision"]["actor"][0]["reference"]["reference"] == f"urn:uuid:{referral.receiving_organisation.uuid}"
    )
    task = found["Task"]
    assert task["status"] == "requested"
    assert task["businessStatus"]["coding"][0]["code"] == "sent"
    assert "restriction" in task
    organisations = [e["resource"]["name"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Organization"]
    assert sorted(organisations) == ["Organisation A Treatment", "Organisation B Housing"]
    every_url = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(every_url) == len(set(every_url))


def test_a_completed_referral_carries_its_outcome_and_comments(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    actions.referral_accept(actor=keyworker_b, referral_id=referral.pk, seen_version=None)
    actions.referral_comment(actor=keyworker_a, referral_id=referral.pk, text="Thanks for taking them on.")
    done = actions.referral_complete(actor=keyworker_b, referral_id=referral.pk, seen_version=None, outcome="got_help")

    found = resources(fhir.bundle_for(done, events=events_of(done)))

    assert found["ServiceRequest"]["status"] == "completed"
    assert found["Task"]["status"] == "completed"
    assert found["Task"]["output"][0]["valueCodeableConcept"]["coding"][0]["code"] == "got_help"
    assert any("Thanks for taking them on." in note["text"] for note in found["Task"]["note"])
    assert "restriction" not in found["Task"]


def test_a_declined_referral_is_revoked_with_the_reason(keyworker_a, keyworker_b):
    referral = send(keyworker_a)
    actions.referral_receive(actor=keyworker_b, referral_id=referral.pk)
    declined = actions.referral_decline(
        actor=keyworker_b, referral_id=referral.pk, seen_version=None, reason="not_eligible", explanation="Age."
    )
    found = resources(fhir.bundle_for(declined, events=events_of(declined)))
    assert found["ServiceRequest"]["status"] == "revoked"
    assert found["Task"]["status"] == "rejected"
    assert found["Task"]["statusReason"]["coding"][0]["code"] == "not_eligible"


def test_a_referral_under_an_exception_has_no_consent_and_says_why(keyworker_a):
    referral = send(
        keyworker_a,
        person=person_in_team("org-a"),
        basis=Basis.SAFEGUARDING,
        exception_reason="Risk of harm tonight, could not reach them.",
    )
    bundle = fhir.bundle_for(referral, events=events_of(referral))
    found = resources(bundle)
    assert "Consent" not in found
    assert "supportingInfo" not in found["ServiceRequest"]
    assert "safeguarding exception" in found["ServiceRequest"]["note"][1]["text"]


@pytest.mark.parametrize("state", list(states.State))
def test_every_state_maps_to_fhir_statuses(state):
    assert fhir.request_status(state) in {"active", "completed", "revoked"}
    assert fhir.TASK_STATUS[state] in {
        "requested",
        "received",
        "accepted",
        "rejected",
        "on-hold",
        "in-progress",
        "completed",
        "cancelled",
    }


def test_the_validator_rejects_a_broken_bundle():
    with pytest.raises(ValidationError):
        fhir.validate(
            {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [{"resource": {"resourceType": "ServiceRequest"}}],
            }
        )
