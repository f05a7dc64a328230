"""Essex demo data for the shared recovery record: a few illustrative people
(not real people) with care teams across the demo organisations, consents,
plans and notes. Idempotent: a person is matched by their illustrative NHS
number, so running it again changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rosc.core.management.commands.seed_demo import demo_email
from rosc.core.models import Organisation, OrganisationKind, User
from rosc.record.categories import Category
from rosc.record.models import (
    CATEGORY_FIELDS,
    BreakGlass,
    CareTeamMember,
    Consent,
    ConsentGivenHow,
    ConsentKind,
    ConsentRecipientKind,
    Goal,
    GoalAction,
    GoalUpdate,
    Note,
    NoteKind,
    Person,
    RightsRequest,
    TeamRole,
)

MID_ESSEX = "Mid Essex Drug and Alcohol Service"
SOUTH_ESSEX = "South Essex Treatment Partnership"
PEERS = "Essex Peer Mentors"
MINDS = "Essex Minds Together"
HOUSING = "Open Door Housing Essex"
WORK = "Pathways to Work Essex"
FAMILIES = "Essex Families in Recovery"

# Illustrative NHS numbers: valid check digits, in the 999 range never issued to real people.
PEOPLE: list[dict[str, Any]] = [
    {
        "nhs_number": "9990000018",
        "full_name": "Sam Taylor",
        "preferred_name": "Sam",
        "date_of_birth": date(1988, 5, 14),
        "pronouns": "they/them",
        "area": "Chelmsford",
        "email": "person@demo.openrosc.example",
        "phone": "07700 900123",
        "contact_notes": "Texts are best. No calls before 10am.",
        "account": "person",
    },
    {
        "nhs_number": "9990000026",
        "full_name": "Lee Morgan",
        "date_of_birth": date(1979, 11, 2),
        "pronouns": "he/him",
        "area": "Basildon",
        "phone": "07700 900456",
    },
    {
        "nhs_number": "9990000034",
        "full_name": "Aisha Khan",
        "date_of_birth": date(2001, 2, 27),
        "pronouns": "she/her",
        "area": "Colchester",
        "email": "aisha.khan@example.com",
    },
    {
        "nhs_number": "9990000042",
        "full_name": "Chris Hughes",
        "date_of_birth": date(1992, 8, 9),
        "pronouns": "he/him",
        "area": "Thurrock",
        "language": "Polish",
        "phone": "07700 900789",
    },
]


def _user(local: str) -> User | None:
    return User.objects.filter(email=demo_email(local)).first()


def _team(person: Person, organisation: Organisation, role: str, *, worker: User | None = None, days: int = 90) -> None:
    CareTeamMember.objects.create(
        person=person,
        organisation=organisation,
        worker=worker,
        role=role,
        started=timezone.localdate() - timedelta(days=days),
    )


def _consent(
    person: Person,
    *,
    organisations: list[Organisation] = (),  # type: ignore[assignment]
    kinds: list[str] = (),  # type: ignore[assignment]
    categories: list[str],
    given_days_ago: int,
    lasts_days: int,
    recorded_by: User | None,
    how: str = ConsentGivenHow.WRITTEN,
    kind: str = ConsentKind.CARE_COORDINATION,
    **extra: Any,
) -> Consent:
    now = timezone.now()
    consent = Consent.objects.create(
        person=person,
        kind=kind,
        given_at=now - timedelta(days=given_days_ago),
        expires_at=now - timedelta(days=given_days_ago) + timedelta(days=lasts_days),
        given_how=how,
        recorded_by=recorded_by,
        **{CATEGORY_FIELDS[Category(c)]: True for c in categories},
        **extra,
    )
    if organisations:
        consent.recipient_organisations.set(organisations)
    ConsentRecipientKind.objects.bulk_create([ConsentRecipientKind(consent=consent, kind=k) for k in kinds])
    return consent


def _goal(
    person: Person,
    domain: str,
    words: str,
    *,
    owner: Organisation,
    worker: User | None = None,
    review_in_days: int,
    steps: list[tuple[str, str, bool]] = (),  # type: ignore[assignment]
    updates: list[tuple[int, str, User | None]] = (),  # type: ignore[assignment]
) -> Goal:
    goal = Goal.objects.create(
        person=person,
        domain=domain,
        in_own_words=words,
        owner_organisation=owner,
        owner_worker=worker,
        review_on=timezone.localdate() + timedelta(days=review_in_days),
        created_by=worker,
    )
    for description, who, done in steps:
        GoalAction.objects.create(
            goal=goal,
            description=description,
            who=who,
            done_on=timezone.localdate() - timedelta(days=5) if done else None,
            due_on=None if done else timezone.localdate() + timedelta(days=21),
        )
    for days_ago, text, author in updates:
        GoalUpdate.objects.create(
            goal=goal,
            author=author,
            author_label=str(author) if author else "",
            organisation=owner,
            text=text,
            at=timezone.now() - timedelta(days=days_ago),
        )
    return goal


def _ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


@transaction.atomic
def seed_demo(stdout: Any) -> None:
    if Person.objects.filter(is_illustrative=True).exists():
        stdout.write("Shared record demo: already loaded.")
        return
    orgs = {
        org.name: org
        for org in Organisation.objects.filter(name__in=[MID_ESSEX, SOUTH_ESSEX, PEERS, MINDS, HOUSING, WORK, FAMILIES])
    }
    if len(orgs) < 7:
        stdout.write("Shared record demo: skipped (run seed_demo first for the organisations).")
        return
    priya, ben, maya, marcus = _user("practitioner"), _user("practitioner.b"), _user("manager"), _user("mentor")
    sam_account = _user("person")
    people: dict[str, Person] = {}
    for spec in PEOPLE:
        fields = {k: v for k, v in spec.items() if k != "account"}
        account = sam_account if spec.get("account") == "person" else None
        if account is not None and Person.objects.filter(account=account).exists():
            account = None
        people[spec["full_name"]] = Person.objects.create(
            **fields, account=account, created_by=priya, is_illustrative=True, created_at=_ago(120)
        )
    all_categories = [c.value for c in Category]

    # Sam: treatment, a peer mentor, housing and their mother Jo.
    sam = people["Sam Taylor"]
    _team(sam, orgs[MID_ESSEX], TeamRole.KEYWORKER, worker=priya, days=110)
    _team(sam, orgs[PEERS], TeamRole.PEER_MENTOR, worker=marcus, days=60)
    _team(sam, orgs[HOUSING], TeamRole.SERVICE, days=30)
    CareTeamMember.objects.create(
        person=sam,
        role=TeamRole.FAMILY,
        name="Jo",
        relationship="mother",
        started=timezone.localdate() - timedelta(days=100),
    )
    _consent(
        sam,
        organisations=[orgs[MID_ESSEX]],
        categories=all_categories,
        given_days_ago=110,
        lasts_days=365,
        recorded_by=priya,
    )
    _consent(
        sam,
        organisations=[orgs[PEERS]],
        kinds=[OrganisationKind.HOUSING],
        categories=[Category.CONTACT, Category.PLAN],
        given_days_ago=60,
        lasts_days=365,
        recorded_by=priya,
        how=ConsentGivenHow.VERBAL,
    )
    _consent(
        sam,
        kind=ConsentKind.SPECIFIC,
        recipient_description="Their mother, Jo",
        purpose="So Jo can support Sam's plan at home",
        categories=[Category.PLAN],
        given_days_ago=90,
        lasts_days=180,
        recorded_by=priya,
    )
    _goal(
        sam,
        "substance_use",
        "I want to stay off alcohol and get through Christmas sober.",
        owner=orgs[MID_ESSEX],
        worker=priya,
        review_in_days=14,
        steps=[
            ("Finish the SHARP nine-week programme", "Sam, with Priya", True),
            ("Plan who to call on hard days", "Sam and Marcus", False),
        ],
        updates=[
            (40, "Sam finished week six of SHARP and is attending every session.", priya),
            (7, "Met for coffee; Sam is using the hard-days plan.", marcus),
        ],
    )
    _goal(
        sam,
        "housing",
        "I want a place of my own, near my mum.",
        owner=orgs[HOUSING],
        review_in_days=30,
        steps=[("Complete the supported housing application", "Housing worker", False)],
    )
    _goal(
        sam,
        "community",
        "I'd like to volunteer at the recovery space.",
        owner=orgs[PEERS],
        worker=marcus,
        review_in_days=45,
        steps=[("Visit Chelmsford Recovery Space together", "Marcus", True)],
    )
    Note.objects.create(
        person=sam,
        organisation=orgs[MID_ESSEX],
        author=priya,
        author_label=str(priya),
        kind=NoteKind.KEYWORKER,
        text="Keyworking session: reviewed SHARP progress and sleep.",
        happened_on=timezone.localdate() - timedelta(days=12),
    )
    Note.objects.create(
        person=sam,
        organisation=orgs[MID_ESSEX],
        author=priya,
        author_label=str(priya),
        kind=NoteKind.COUNSELLING,
        text="Counselling session notes (illustrative).",
        happened_on=timezone.localdate() - timedelta(days=5),
    )

    # Lee: South Essex treatment and family support; an access request waiting.
    lee = people["Lee Morgan"]
    _team(lee, orgs[SOUTH_ESSEX], TeamRole.KEYWORKER, worker=ben, days=200)
    _team(lee, orgs[FAMILIES], TeamRole.SERVICE, days=150)
    _consent(
        lee,
        organisations=[orgs[SOUTH_ESSEX]],
        kinds=[OrganisationKind.FAMILY_SUPPORT],
        categories=all_categories,
        given_days_ago=200,
        lasts_days=540,
        recorded_by=ben,
    )
    _goal(
        lee,
        "family",
        "I want my kids to feel safe with me again.",
        owner=orgs[FAMILIES],
        review_in_days=20,
        steps=[("Join the Basildon family group", "Lee", False)],
    )
    _goal(
        lee,
        "substance_use",
        "Keep going with my script and cut down on weekends.",
        owner=orgs[SOUTH_ESSEX],
        worker=ben,
        review_in_days=-3,
    )
    RightsRequest.objects.create(
        person=lee,
        kind="access",
        details="Would like a copy of everything held.",
        received_on=timezone.localdate() - timedelta(days=4),
        opened_by=_user("ig.lead"),
    )

    # Aisha: consent ran out, so Mid Essex sees only her name until she gives it again;
    # South Essex used emergency access, waiting for review.
    aisha = people["Aisha Khan"]
    _team(aisha, orgs[MID_ESSEX], TeamRole.PRACTITIONER, days=400)
    _team(aisha, orgs[MINDS], TeamRole.SERVICE, days=380)
    _consent(
        aisha,
        organisations=[orgs[MID_ESSEX], orgs[MINDS]],
        categories=all_categories,
        given_days_ago=400,
        lasts_days=390,
        recorded_by=maya,
    )
    _goal(aisha, "mental_health", "Feel less anxious at uni.", owner=orgs[MINDS], review_in_days=-40)
    if ben is not None:
        BreakGlass.objects.create(
            person=aisha,
            user=ben,
            organisation=orgs[SOUTH_ESSEX],
            reason="Called by A&E: she gave our service as her contact and they are worried about an overdose risk.",
            started_at=_ago(1),
            expires_at=_ago(1) + timedelta(hours=4),
        )

    # Chris: treatment and employment; a review is overdue.
    chris = people["Chris Hughes"]
    _team(chris, orgs[MID_ESSEX], TeamRole.KEYWORKER, worker=priya, days=70)
    _team(chris, orgs[WORK], TeamRole.SERVICE, days=40)
    _consent(
        chris,
        organisations=[orgs[MID_ESSEX], orgs[WORK]],
        categories=[Category.CONTACT, Category.PLAN, Category.REFERRALS],
        given_days_ago=70,
        lasts_days=365,
        recorded_by=priya,
    )
    _goal(
        chris,
        "money_and_work",
        "Get back into work on the building sites.",
        owner=orgs[WORK],
        review_in_days=-2,
        steps=[("CSCS card course", "Pathways to Work", False)],
    )
    stdout.write(f"Shared record demo: {len(people)} illustrative people with care teams, consents and plans.")
