"""Essex demo data for closed-loop referrals: a few illustrative referrals between the
demo organisations' services, in different states, for the illustrative people of the
shared record. Runs after the record's demo data; idempotent (it does nothing once any
illustrative person has a referral).

Histories are written as they would have happened over the past weeks, so the pages
show realistic dates; nothing is sent by email or text message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rosc.core.management.commands.seed_demo import demo_email
from rosc.core.models import Organisation, User
from rosc.directory.models import Service
from rosc.record.access import record_disclosure
from rosc.record.actions import ConsentTerms, record_consent
from rosc.record.categories import Category
from rosc.record.consent import consent_covers
from rosc.record.models import ConsentGivenHow, ConsentKind, DisclosureHow, Person
from rosc.referrals import states
from rosc.referrals.deadlines import respond_by_for
from rosc.referrals.models import Basis, EventKind, Referral, ReferralEvent, Source

MID_ESSEX = "Mid Essex Drug and Alcohol Service"
SOUTH_ESSEX = "South Essex Treatment Partnership"
PEERS = "Essex Peer Mentors"
HOUSING = "Open Door Housing Essex"
WORK = "Pathways to Work Essex"
FAMILIES = "Essex Families in Recovery"
MINDS = "Essex Minds Together"
CHELMSFORD_SPACE = "Chelmsford Recovery Space"


@dataclass(frozen=True)
class Step:
    kind: str
    days_ago: float
    who: str
    organisation: Organisation | None
    text: str = ""
    actor: User | None = None


def _ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def _user(local: str) -> User | None:
    return User.objects.filter(email=demo_email(local)).first()


def _service(organisation: str, name: str) -> Service | None:
    return Service.objects.filter(organisation__name=organisation, name=name).select_related("organisation").first()


def _referral(
    *,
    person: Person,
    service: Service,
    sender_organisation: Organisation | None,
    sender: User | None,
    sender_label: str,
    need: str,
    sent_days_ago: float,
    steps: list[Step],
    basis: str = Basis.CONSENT,
    exception_reason: str = "",
    rerouted_from: Referral | None = None,
    **fields: Any,
) -> Referral:
    """A referral and its history, following the state machine step by step."""
    sent_at = _ago(sent_days_ago)
    consent = consent_covers(person, service.organisation, Category.REFERRALS, at=sent_at)
    referral = Referral.objects.create(
        person=person,
        service=service,
        receiving_organisation=service.organisation,
        source=Source.SERVICE if sender_organisation else Source.SELF,
        sender_organisation=sender_organisation,
        sender=sender,
        sender_label=sender_label,
        need=need,
        basis=basis if consent is None else Basis.CONSENT,
        consent=consent,
        exception_reason=exception_reason if consent is None else "",
        ig_review_needed=consent is None,
        sent_at=sent_at,
        respond_by=respond_by_for(sent_at),
        rerouted_from=rerouted_from,
        updated_at=sent_at,
        **fields,
    )
    ReferralEvent.objects.create(
        referral=referral,
        at=sent_at,
        kind=EventKind.SENT,
        actor=sender,
        actor_label=sender_label,
        organisation=sender_organisation,
        to_state=states.State.SENT,
        version=1,
        text=f"Passed on from {rerouted_from.service.name}." if rerouted_from else "",
    )
    record_disclosure(
        person,
        None,
        service.organisation,
        Category.REFERRALS,
        "referral sent" if consent else f"referral sent without consent ({basis})",
        how=DisclosureHow.SHARED,
        consent=consent,
        at=sent_at,
    )
    state = states.State.SENT
    version = 1
    for step in steps:
        at = _ago(step.days_ago)
        event = ReferralEvent(
            referral=referral,
            at=at,
            kind=step.kind,
            actor=step.actor,
            actor_label=step.who,
            organisation=step.organisation,
            text=step.text,
        )
        if step.kind != EventKind.COMMENT:
            party = states.Party.SENDER if step.kind == EventKind.WITHDRAWN else states.Party.RECEIVER
            if step.kind == EventKind.REROUTED and step.organisation == sender_organisation:
                party = states.Party.SENDER
            new_state = states.transition(state, step.kind, party)
            version += 1
            event.from_state, event.to_state, event.version = state.value, new_state.value, version
            if step.kind == EventKind.RECEIVED:
                referral.received_at = at
            if state in states.AWAITING_RESPONSE and new_state not in states.AWAITING_RESPONSE:
                referral.responded_at = at
            if new_state in states.CLOSED:
                referral.closed_at = at
            if step.kind == EventKind.ACCEPTED:
                referral.receiver = step.actor
            state = new_state
        event.save()
        referral.updated_at = at
    referral.state = state.value
    referral.version = version
    referral.save()
    return referral


@transaction.atomic
def seed_demo(stdout: Any) -> None:
    if Referral.objects.filter(person__is_illustrative=True).exists():
        stdout.write("Referrals demo: already loaded.")
        return
    people = {p.full_name: p for p in Person.objects.filter(is_illustrative=True)}
    organisations = {
        o.name: o
        for o in Organisation.objects.filter(
            name__in=[MID_ESSEX, SOUTH_ESSEX, PEERS, HOUSING, WORK, FAMILIES, MINDS, CHELMSFORD_SPACE]
        )
    }
    services = {
        "housing": _service(HOUSING, "Supported housing for people in recovery"),
        "buddies": _service(PEERS, "Recovery buddies after detox or rehab"),
        "space": _service(CHELMSFORD_SPACE, CHELMSFORD_SPACE),
        "cv": _service(WORK, "CV and interview help"),
        "families": _service(FAMILIES, "Family support group"),
        "detox": _service(MID_ESSEX, "Alcohol detox at home"),
        "dual": _service(MINDS, "Co-existing mental health and substance use team"),
    }
    priya, ben = _user("practitioner"), _user("practitioner.b")
    needed_people = {"Sam Taylor", "Lee Morgan", "Chris Hughes", "Aisha Khan"}
    if not needed_people <= set(people) or len(organisations) < 8 or None in services.values() or not priya or not ben:
        stdout.write("Referrals demo: skipped (run seed_demo, seed_directory and the shared record's demo first).")
        return
    sam, lee, chris, aisha = (people[name] for name in ("Sam Taylor", "Lee Morgan", "Chris Hughes", "Aisha Khan"))
    mid, south = organisations[MID_ESSEX], organisations[SOUTH_ESSEX]
    s = {key: value for key, value in services.items() if value is not None}

    # Sam agreed (to Priya) that referrals may go to housing, peer support and the recovery space.
    record_consent(
        actor=priya,
        person=sam,
        terms=ConsentTerms(
            kind=ConsentKind.CARE_COORDINATION,
            categories=[Category.REFERRALS],
            expires_at=timezone.now() + timedelta(days=365),
            given_how=ConsentGivenHow.VERBAL,
            organisations=[organisations[HOUSING], organisations[PEERS], organisations[CHELMSFORD_SPACE]],
            given_at=_ago(25),
        ),
    )
    made = []
    # 1. Sam to supported housing: nobody has answered, so it is overdue.
    made.append(
        _referral(
            person=sam,
            service=s["housing"],
            sender_organisation=mid,
            sender=priya,
            sender_label=str(priya),
            need="Sam is sofa-surfing with a friend and needs a stable place to stay while finishing SHARP. "
            "Sam would like somewhere near Chelmsford, close to their mum.",
            sent_days_ago=6,
            steps=[],
            tell_person_by_sms=True,
        )
    )
    # 2. Sam to recovery buddies: declined (not eligible) and passed on by Priya to the recovery space.
    buddies = _referral(
        person=sam,
        service=s["buddies"],
        sender_organisation=mid,
        sender=priya,
        sender_label=str(priya),
        need="Sam would like to meet other people in recovery outside treatment sessions.",
        sent_days_ago=20,
        steps=[
            Step(EventKind.RECEIVED, 19.8, "Duty worker (illustrative)", organisations[PEERS]),
            Step(
                EventKind.DECLINED,
                19,
                "Duty worker (illustrative)",
                organisations[PEERS],
                "Not eligible for this service. Recovery buddies are for people leaving detox or rehab. "
                "Chelmsford Recovery Space runs open groups that would suit Sam.",
            ),
            Step(
                EventKind.REROUTED,
                18,
                str(priya),
                mid,
                "Passed on to Chelmsford Recovery Space (Chelmsford Recovery Space). As suggested.",
                actor=priya,
            ),
        ],
        decline_reason="not_eligible",
    )
    made.append(buddies)
    # 3. ... the recovery space accepted and Sam has started going.
    made.append(
        _referral(
            person=sam,
            service=s["space"],
            sender_organisation=mid,
            sender=priya,
            sender_label=str(priya),
            need=buddies.need,
            sent_days_ago=18,
            rerouted_from=buddies,
            steps=[
                Step(EventKind.RECEIVED, 17.5, "Space coordinator (illustrative)", organisations[CHELMSFORD_SPACE]),
                Step(
                    EventKind.ACCEPTED,
                    17,
                    "Space coordinator (illustrative)",
                    organisations[CHELMSFORD_SPACE],
                    "Sam is welcome at the Thursday evening group.",
                ),
                Step(EventKind.STARTED, 10, "Space coordinator (illustrative)", organisations[CHELMSFORD_SPACE]),
                Step(
                    EventKind.COMMENT,
                    9,
                    str(priya),
                    mid,
                    "Thank you. Sam says the first evening went well.",
                    actor=priya,
                ),
            ],
            tell_person_by_sms=True,
        )
    )
    # 4. Chris to CV and interview help: completed, got help.
    made.append(
        _referral(
            person=chris,
            service=s["cv"],
            sender_organisation=mid,
            sender=priya,
            sender_label=str(priya),
            need="Chris wants to get back to work on building sites and needs help with a CV and a CSCS card.",
            sent_days_ago=30,
            steps=[
                Step(EventKind.RECEIVED, 29.7, "Employment adviser (illustrative)", organisations[WORK]),
                Step(EventKind.ACCEPTED, 29, "Employment adviser (illustrative)", organisations[WORK]),
                Step(
                    EventKind.WAIT_LISTED,
                    29,
                    "Employment adviser (illustrative)",
                    organisations[WORK],
                    "The next course starts in two weeks.",
                ),
                Step(EventKind.STARTED, 14, "Employment adviser (illustrative)", organisations[WORK]),
                Step(
                    EventKind.COMPLETED,
                    2,
                    "Employment adviser (illustrative)",
                    organisations[WORK],
                    "Outcome: Got help. Chris has a CV, a CSCS card course place and an interview next week.",
                ),
            ],
            outcome="got_help",
        )
    )
    # 5. Lee to the family support group: on the waiting list.
    made.append(
        _referral(
            person=lee,
            service=s["families"],
            sender_organisation=south,
            sender=ben,
            sender_label=str(ben),
            need="Lee wants support to rebuild things with his children; his partner may join too.",
            sent_days_ago=9,
            steps=[
                Step(EventKind.RECEIVED, 8.5, "Family worker (illustrative)", organisations[FAMILIES]),
                Step(EventKind.ACCEPTED, 8, "Family worker (illustrative)", organisations[FAMILIES]),
                Step(
                    EventKind.WAIT_LISTED,
                    8,
                    "Family worker (illustrative)",
                    organisations[FAMILIES],
                    "The next Basildon group starts in January.",
                ),
            ],
        )
    )
    # 6. Chris to Mid Essex alcohol detox at home, from his employment adviser: new in Priya and Maya's inbox.
    made.append(
        _referral(
            person=chris,
            service=s["detox"],
            sender_organisation=organisations[WORK],
            sender=None,
            sender_label="Employment adviser (illustrative)",
            need="Chris would like help to stop drinking before he starts work; he asked about detox at home.",
            sent_days_ago=0.2,
            steps=[],
        )
    )
    # 7. Aisha: Ben sent a referral under the vital-interests exception (her consent had run out).
    made.append(
        _referral(
            person=aisha,
            service=s["dual"],
            sender_organisation=south,
            sender=ben,
            sender_label=str(ben),
            need="Urgent assessment: overdose risk with low mood, seen in A&E last night.",
            sent_days_ago=1,
            basis=Basis.VITAL_INTERESTS,
            exception_reason="A&E called us about a serious overdose risk; Aisha could not be asked and her "
            "consent has run out. Waiting could put her life at risk.",
            steps=[],
        )
    )
    states_made = sorted({referral.get_state_display().lower() for referral in made})
    stdout.write(f"Referrals demo: {len(made)} illustrative referrals ({', '.join(states_made)}).")
