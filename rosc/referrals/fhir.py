"""A referral as FHIR R4, following the UK Core profiles.

One Bundle (type ``collection``) holds:

* ``ServiceRequest`` (UKCore-ServiceRequest): the request itself. ``status``
  says whether the request stands (``active``), ended with an outcome
  (``completed``) or no longer stands (``revoked``: declined, withdrawn or
  passed on); ``category`` is SNOMED CT 3457005 |Patient referral|; ``code``
  carries the directory service's name as text; ``note`` the need;
  ``supportingInfo`` points at the Consent when there is one;
* ``Task`` (UKCore-Task): the receiving service's side of the loop, which
  FHIR's workflow pattern puts in a Task. Its ``status`` (requested,
  received, accepted, rejected, on-hold, in-progress, completed, cancelled)
  follows our states one to one, with our exact state in ``businessStatus``,
  the decline reason in ``statusReason``, the outcome in ``output`` and every
  comment in ``note``;
* ``Patient`` (UKCore-Patient) with the NHS number when the record has one,
  ``Organization`` (UKCore-Organization) for the sender and the receiver,
  ``HealthcareService`` (UKCore-HealthcareService) for the directory service,
  identified by its Open Referral UK id, and ``Consent`` (UKCore-Consent)
  when the referral went with the person's consent. A referral sent under a
  safeguarding or vital-interests exception has no Consent and says so in a
  note.

Our own codes (states, outcomes, decline reasons) use code systems under the
site's address. ``validate`` parses the result with ``fhir.resources``
(R4B models: the resources used here are the same in R4 and R4B), which
checks structure, cardinality and value types. It does not run the UK Core
profile constraints themselves, which need the HL7 validator.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from rosc.referrals import states
from rosc.referrals.models import Basis, EventKind, Referral, ReferralEvent

UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-"
SNOMED = "http://snomed.info/sct"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
PATIENT_REFERRAL = ("3457005", "Patient referral")

# Task.status for each referral state (FHIR R4 TaskStatus).
TASK_STATUS = {
    states.State.SENT: "requested",
    states.State.RECEIVED: "received",
    states.State.ACCEPTED: "accepted",
    states.State.DECLINED: "rejected",
    states.State.WAITING_LIST: "on-hold",
    states.State.IN_PROGRESS: "in-progress",
    states.State.COMPLETED: "completed",
    states.State.WITHDRAWN: "cancelled",
    states.State.REROUTED: "cancelled",
}


def request_status(state: str) -> str:
    """ServiceRequest.status (FHIR R4 RequestStatus) for a referral state."""
    current = states.State(state)
    if current == states.State.COMPLETED:
        return "completed"
    if current in (states.State.DECLINED, states.State.WITHDRAWN, states.State.REROUTED):
        return "revoked"
    return "active"


def _system(name: str) -> str:
    return f"{settings.ROSC_SITE_URL}/fhir/CodeSystem/{name}"


def _identifier_system(name: str) -> str:
    return f"{settings.ROSC_SITE_URL}/fhir/Id/{name}"


def _instant(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _day(value: date) -> str:
    return value.isoformat()


def _urn(value: Any) -> str:
    return f"urn:uuid:{value}"


def _profile(name: str) -> dict[str, Any]:
    return {"profile": [UK_CORE + name]}


def _organisation(organisation: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": str(organisation.uuid),
        "meta": _profile("Organization"),
        "identifier": [{"system": _identifier_system("organisation"), "value": str(organisation.uuid)}],
        "active": True,
        "name": organisation.name,
    }
    if organisation.email:
        resource["telecom"] = [{"system": "email", "value": organisation.email, "use": "work"}]
    return resource


def _patient(person: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(person.uuid),
        "meta": _profile("Patient"),
        "identifier": [{"system": _identifier_system("person"), "value": str(person.uuid)}],
        "name": [{"use": "official", "text": person.full_name}],
    }
    if person.nhs_number:
        resource["identifier"].insert(0, {"system": NHS_NUMBER, "value": person.nhs_number})
    if person.preferred_name:
        resource["name"].append({"use": "usual", "text": person.preferred_name})
    if person.date_of_birth:
        resource["birthDate"] = _day(person.date_of_birth)
    return resource


def _healthcare_service(service: Any, organisation_ref: str) -> dict[str, Any]:
    return {
        "resourceType": "HealthcareService",
        "id": str(service.pk),
        "meta": _profile("HealthcareService"),
        "identifier": [{"system": _identifier_system("oruk-service"), "value": str(service.pk)}],
        "active": service.status == "active",
        "providedBy": {"reference": organisation_ref, "display": service.organisation.name},
        "name": service.name,
    }


def _consent(consent: Any, patient_ref: str, receiver_ref: str, sender_ref: str | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Consent",
        "id": f"consent-{consent.pk}",
        "meta": _profile("Consent"),
        "status": "inactive" if consent.withdrawn_at else "active",
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "patient-privacy",
                    "display": "Privacy Consent",
                }
            ]
        },
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]}],
        "patient": {"reference": patient_ref},
        "dateTime": _instant(consent.given_at),
        "policyRule": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN", "display": "opt-in"}
            ]
        },
        "provision": {
            "type": "permit",
            "period": {
                "start": _instant(consent.given_at),
                "end": _instant(consent.withdrawn_at or consent.expires_at),
            },
            "actor": [
                {
                    "role": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                "code": "IRCP",
                                "display": "information recipient",
                            }
                        ]
                    },
                    "reference": {"reference": receiver_ref},
                }
            ],
            "purpose": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                    "code": "TREAT",
                    "display": "treatment",
                }
            ],
        },
    }
    if sender_ref:
        resource["organization"] = [{"reference": sender_ref}]
    return resource


def _coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"system": _system(system), "code": code, "display": display}


def _note(event: ReferralEvent) -> dict[str, Any]:
    return {"authorString": event.who, "time": _instant(event.at), "text": f"{event.get_kind_display()}: {event.text}"}


def bundle_for(referral: Referral, *, events: Iterable[ReferralEvent]) -> dict[str, Any]:
    """The referral and its history as a FHIR R4 Bundle (a plain dict, validated)."""
    events = list(events)
    ids = {
        "request": _urn(referral.pk),
        "task": _urn(_task_uuid(referral)),
        "patient": _urn(referral.person.uuid),
        "receiver": _urn(referral.receiving_organisation.uuid),
        "service": _urn(referral.service.pk),
    }
    sender = referral.sender_organisation
    if sender is not None:
        ids["sender"] = _urn(sender.uuid)
    state = states.State(referral.state)
    request: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": {**_profile("ServiceRequest"), "lastUpdated": _instant(referral.updated_at)},
        "identifier": [{"system": _identifier_system("referral"), "value": str(referral.pk)}],
        "status": request_status(state),
        "intent": "order",
        "category": [{"coding": [{"system": SNOMED, "code": PATIENT_REFERRAL[0], "display": PATIENT_REFERRAL[1]}]}],
        "priority": "routine",
        "code": {"text": referral.service.name},
        "subject": {"reference": ids["patient"], "display": referral.person.display_name},
        "authoredOn": _instant(referral.sent_at),
        "performer": [
            {"reference": ids["service"], "display": referral.service.name},
            {"reference": ids["receiver"], "display": referral.receiving_organisation.name},
        ],
        "note": [{"time": _instant(referral.sent_at), "text": referral.need}],
    }
    if sender is not None:
        request["requester"] = {"reference": ids["sender"], "display": sender.name}
    else:
        request["requester"] = {"reference": ids["patient"], "display": referral.person.display_name}
    if referral.rerouted_from_id:
        request["replaces"] = [{"reference": _urn(referral.rerouted_from_id)}]
    entries: list[dict[str, Any]] = []
    if referral.consent is not None and referral.basis == Basis.CONSENT:
        ids["consent"] = _urn(_consent_uuid(referral))
        request["supportingInfo"] = [{"reference": ids["consent"], "display": "The person's consent to share"}]
        entries.append(
            {
                "fullUrl": ids["consent"],
                "resource": _consent(referral.consent, ids["patient"], ids["receiver"], ids.get("sender")),
            }
        )
    else:
        request["note"].append(
            {
                "time": _instant(referral.sent_at),
                "text": f"Sent without the person's consent under a {referral.get_basis_display().lower()}: "
                f"{referral.exception_reason}",
            }
        )
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(_task_uuid(referral)),
        "meta": _profile("Task"),
        "identifier": [{"system": "https://tools.ietf.org/html/rfc4122", "value": str(_task_uuid(referral))}],
        "basedOn": [{"reference": ids["request"]}],
        "focus": {"reference": ids["request"]},
        "for": {"reference": ids["patient"]},
        "status": TASK_STATUS[state],
        "businessStatus": {"coding": [_coding("referral-state", state.value, state.label)], "text": state.label},
        "intent": "order",
        "authoredOn": _instant(referral.sent_at),
        "lastModified": _instant(referral.updated_at),
        "owner": {"reference": ids["receiver"], "display": referral.receiving_organisation.name},
    }
    if state in states.AWAITING_RESPONSE:
        # Answer by the end of the deadline day.
        end = datetime.combine(referral.respond_by, time(23, 59, 59), tzinfo=timezone.get_current_timezone())
        task["restriction"] = {"period": {"end": end.isoformat()}}
    if sender is not None:
        task["requester"] = {"reference": ids["sender"], "display": sender.name}
    if referral.decline_reason:
        reason = states.DeclineReason(referral.decline_reason)
        task["statusReason"] = {"coding": [_coding("referral-decline-reason", reason.value, reason.label)]}
    if referral.outcome:
        outcome = states.Outcome(referral.outcome)
        task["output"] = [
            {
                "type": {"text": "Outcome"},
                "valueCodeableConcept": {"coding": [_coding("referral-outcome", outcome.value, outcome.label)]},
            }
        ]
    notes = [_note(event) for event in events if event.text and event.kind != EventKind.SENT]
    if notes:
        task["note"] = notes
    entries = [
        {"fullUrl": ids["request"], "resource": request},
        {"fullUrl": ids["task"], "resource": task},
        {"fullUrl": ids["patient"], "resource": _patient(referral.person)},
        {"fullUrl": ids["receiver"], "resource": _organisation(referral.receiving_organisation)},
        {"fullUrl": ids["service"], "resource": _healthcare_service(referral.service, ids["receiver"])},
        *([{"fullUrl": ids["sender"], "resource": _organisation(sender)}] if sender is not None else []),
        *entries,
    ]
    bundle = {
        "resourceType": "Bundle",
        "id": str(referral.pk),
        "meta": {"lastUpdated": _instant(timezone.now())},
        "identifier": {"system": _identifier_system("referral-export"), "value": f"{referral.pk}-{referral.version}"},
        "type": "collection",
        "timestamp": _instant(timezone.now()),
        "entry": entries,
    }
    validate(bundle)
    return bundle


def _task_uuid(referral: Referral) -> str:
    """A stable id for the referral's Task, derived from the referral's."""
    return str(uuid.uuid5(referral.pk, "task"))


def _consent_uuid(referral: Referral) -> str:
    return str(uuid.uuid5(referral.pk, f"consent-{referral.consent_id}"))


def validate(data: dict[str, Any]) -> Bundle:
    """Parse the Bundle with the FHIR R4B models: raises if anything is malformed."""
    return Bundle.model_validate(data)
