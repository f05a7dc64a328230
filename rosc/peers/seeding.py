"""Essex demo data for peer mentoring, run by ``manage.py seed_demo_areas``.

Everything here is illustrative: a coordinator at Essex Peer Mentors, Marcus and ten other mentors with
varied profiles and checks (one DBS check expired, one running out soon), supervision, three illustrative
people on the waiting list, and two sessions Marcus logged with Sam (whom the record demo makes his mentee).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rosc.core.management.commands.seed_demo import DEMO_PASSWORD, demo_email
from rosc.core.models import Membership, Organisation, Role, User
from rosc.peers.models import CheckKind, MentorCheck, MentorProfile, MentorRequest, PeerSession, SupervisionSession
from rosc.record.categories import Category
from rosc.record.models import CATEGORY_FIELDS, CareTeamMember, Consent, ConsentGivenHow, ConsentKind, Person, TeamRole

PEERS = "Essex Peer Mentors"
MID_ESSEX = "Mid Essex Drug and Alcohol Service"

# (local part, display name, substances, languages, gender, areas, in person, online, slots, capacity, dbs days left)
MENTORS: list[tuple[str, str, list[str], str, str, str, bool, bool, list[str], int, int]] = [
    (
        "mentor",
        "Marcus (peer mentor)",
        ["alcohol", "cocaine"],
        "English",
        "man",
        "Chelmsford, Maldon",
        True,
        True,
        ["mon_pm", "wed_pm", "sat_am"],
        3,
        400,
    ),
    (
        "mentor.dee",
        "Dee (illustrative mentor)",
        ["opioids"],
        "English",
        "woman",
        "Basildon, Castle Point",
        True,
        False,
        ["tue_am", "thu_am"],
        2,
        300,
    ),
    (
        "mentor.kasia",
        "Kasia (illustrative mentor)",
        ["alcohol"],
        "English, Polish",
        "woman",
        "Colchester",
        True,
        True,
        ["mon_eve", "thu_eve"],
        3,
        500,
    ),
    (
        "mentor.jon",
        "Jon (illustrative mentor)",
        ["cannabis", "stimulants"],
        "English",
        "man",
        "Harlow",
        True,
        True,
        ["fri_pm", "sat_pm"],
        2,
        20,
    ),
    (
        "mentor.amir",
        "Amir (illustrative mentor)",
        ["opioids", "benzodiazepines"],
        "English, Urdu",
        "man",
        "Southend-on-Sea, Rochford",
        True,
        True,
        ["tue_pm", "wed_eve"],
        2,
        250,
    ),
    (
        "mentor.lou",
        "Lou (illustrative mentor)",
        ["alcohol", "gambling"],
        "English",
        "non_binary",
        "",
        False,
        True,
        ["mon_am", "tue_am", "wed_am"],
        4,
        600,
    ),
    (
        "mentor.grace",
        "Grace (illustrative mentor)",
        ["alcohol"],
        "English",
        "woman",
        "Chelmsford, Braintree",
        True,
        True,
        ["wed_pm", "sat_am"],
        2,
        -10,
    ),
    (
        "mentor.tom",
        "Tom (illustrative mentor)",
        ["cocaine"],
        "English",
        "man",
        "Thurrock",
        True,
        False,
        ["thu_pm", "fri_pm"],
        1,
        350,
    ),
    (
        "mentor.ana",
        "Ana (illustrative mentor)",
        ["alcohol", "opioids"],
        "English, Portuguese",
        "woman",
        "Colchester, Tendring",
        True,
        True,
        ["sun_pm"],
        2,
        450,
    ),
    (
        "mentor.rich",
        "Rich (illustrative mentor)",
        ["stimulants"],
        "English",
        "man",
        "Epping Forest, Harlow",
        True,
        True,
        ["sat_am", "sun_am"],
        2,
        280,
    ),
    (
        "mentor.bea",
        "Bea (illustrative mentor)",
        ["benzodiazepines"],
        "English",
        "woman",
        "Brentwood",
        True,
        True,
        ["tue_eve"],
        1,
        380,
    ),
]

# (full name, area, substances, gender preference, online ok, slots, nhs number)
WAITING: list[tuple[str, str, list[str], str, bool, list[str], str]] = [
    ("Jordan Ellis", "Chelmsford", ["alcohol"], "", True, ["wed_pm"], "9990000107"),
    ("Megan Price", "Colchester", ["alcohol"], "woman", False, ["thu_eve"], "9990000115"),
    ("Daniel Okoro", "Harlow", ["stimulants"], "man", True, ["sat_am"], "9990000123"),
]


def _user(local: str, display: str) -> User:
    user = User.objects.filter(email=demo_email(local)).first()
    if user is None:
        user = User.objects.create_user(demo_email(local), DEMO_PASSWORD, display_name=display)
    return user


@transaction.atomic
def seed_demo(stdout: Any) -> None:
    """Load the illustrative demo data of this area (safe to run again)."""
    peers = Organisation.objects.filter(name=PEERS).first()
    mid = Organisation.objects.filter(name=MID_ESSEX).first()
    if peers is None or mid is None:
        stdout.write("Peer mentoring demo: skipped (run seed_demo first for the organisations).")
        return
    if MentorProfile.objects.filter(organisation=peers, is_illustrative=True).exists():
        stdout.write("Peer mentoring demo: already loaded.")
        return
    today = timezone.localdate()
    coordinator = _user("peer.coordinator", "Nadia (peer mentoring coordinator, illustrative)")
    Membership.objects.get_or_create(user=coordinator, organisation=peers, role=Role.SERVICE_MANAGER)
    profiles: dict[str, MentorProfile] = {}
    for index, (
        local,
        display,
        substances,
        languages,
        gender,
        areas,
        in_person,
        online,
        slots,
        capacity,
        dbs,
    ) in enumerate(MENTORS, start=1):
        user = _user(local, display)
        Membership.objects.get_or_create(user=user, organisation=peers, role=Role.PEER_MENTOR)
        profile = MentorProfile.objects.create(
            user=user,
            organisation=peers,
            lived_experience="Illustrative: in recovery for several years; happy to talk about what helped.",
            substances=substances,
            languages=languages,
            gender=gender,
            areas=areas,
            in_person=in_person,
            online=online,
            availability=slots,
            capacity=capacity,
            supervisor=coordinator,
            is_illustrative=True,
        )
        MentorCheck.objects.create(
            profile=profile,
            kind=CheckKind.DBS,
            completed_on=today - timedelta(days=1095 - dbs) if dbs < 1095 else today - timedelta(days=30),
            expires_on=today + timedelta(days=dbs),
            recorded_by=coordinator,
        )
        for kind in (CheckKind.SAFEGUARDING, CheckKind.FOUNDATION):
            MentorCheck.objects.create(
                profile=profile, kind=kind, completed_on=today - timedelta(days=200 + index), recorded_by=coordinator
            )
        if index % 3 == 0:
            MentorCheck.objects.create(
                profile=profile,
                kind=CheckKind.NALOXONE,
                completed_on=today - timedelta(days=90),
                expires_on=today + timedelta(days=640),
                recorded_by=coordinator,
            )
        SupervisionSession.objects.create(
            profile=profile,
            supervisor=coordinator,
            held_on=today - timedelta(days=14 + index),
            minutes=60,
            covered="Illustrative: boundaries and self-care.",
            next_on=today + timedelta(days=28 - index),
        )
        profiles[local] = profile
    priya = User.objects.filter(email=demo_email("practitioner")).first()
    for full_name, area, substances, preference, online_ok, slots, nhs in WAITING:
        person = Person.objects.filter(nhs_number=nhs).first() or Person.objects.create(
            full_name=full_name, area=area, nhs_number=nhs, created_by=priya, is_illustrative=True
        )
        CareTeamMember.objects.get_or_create(
            person=person, organisation=mid, role=TeamRole.KEYWORKER,
            defaults={"worker": priya, "started": today - timedelta(days=40)},
        )  # fmt: skip
        for recipients, categories in (([mid], list(Category)), ([peers], [Category.CONTACT, Category.PLAN])):
            consent = Consent.objects.create(
                person=person,
                kind=ConsentKind.CARE_COORDINATION,
                given_how=ConsentGivenHow.WRITTEN,
                given_at=timezone.now() - timedelta(days=20),
                expires_at=timezone.now() + timedelta(days=365),
                recorded_by=priya,
                **{CATEGORY_FIELDS[Category(c)]: True for c in categories},
            )
            consent.recipient_organisations.set(recipients)
        MentorRequest.objects.get_or_create(
            person=person,
            organisation=peers,
            status="open",
            defaults={
                "requested_by": priya,
                "requested_by_organisation": mid,
                "substances": substances,
                "gender_preference": preference,
                "area": area,
                "online_ok": online_ok,
                "availability": slots,
                "languages": "English",
            },
        )
    sessions = 0
    marcus = profiles["mentor"].user
    sam = Person.objects.filter(full_name="Sam Taylor", is_illustrative=True).first()
    if sam is not None and CareTeamMember.objects.active().filter(person=sam, worker=marcus).exists():
        for days, mode, minutes, topics, steps in (
            (21, "in_person", 60, ["wellbeing", "mutual_aid"], "Sam will try the Saturday SMART group."),
            (7, "phone", 30, ["cravings"], "Use the hard-days plan; text Marcus on Friday."),
        ):
            PeerSession.objects.create(
                person=sam, mentor=marcus, mentor_label=str(profiles["mentor"]), organisation=peers,
                held_on=today - timedelta(days=days), mode=mode, minutes=minutes, topics=topics, next_steps=steps,
            )  # fmt: skip
            sessions += 1
    stdout.write(
        f"Peer mentoring demo: {len(MENTORS)} illustrative mentors (one DBS check expired), a coordinator "
        f"({demo_email('peer.coordinator')}), {len(WAITING)} people waiting, {sessions} sessions with Sam."
    )
