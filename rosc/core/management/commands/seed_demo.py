"""Load the Essex demo organisations and one demo user per role.

Running it again changes nothing: organisations and users are matched by
slug and email, and existing passwords are left alone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from rosc.core.models import Membership, Organisation, OrganisationKind, PublicRole, Role, User

DEMO_PASSWORD = "essex-demo-recovery"
DEMO_DOMAIN = "demo.openrosc.example"

# Named in the brief: real places in the Essex recovery system.
NAMED = [
    (
        "Chelmsford Recovery Space",
        OrganisationKind.RECOVERY_COMMUNITY,
        "Chelmsford",
        "One of six Essex recovery spaces: a welcoming community hub for people in recovery and their families.",
    ),
    (
        "Basildon Recovery Space",
        OrganisationKind.RECOVERY_COMMUNITY,
        "Basildon",
        "Family-centred recovery space, reflecting high levels of parental substance misuse locally.",
    ),
    (
        "Colchester Recovery Space",
        OrganisationKind.RECOVERY_COMMUNITY,
        "Colchester",
        "Supports a large student population, with a focus on alcohol problems in university settings.",
    ),
    (
        "Harlow Recovery Space",
        OrganisationKind.RECOVERY_COMMUNITY,
        "Harlow",
        "One of six Essex recovery spaces, offering peer support and activities.",
    ),
    (
        "Rayleigh Recovery Space",
        OrganisationKind.RECOVERY_COMMUNITY,
        "Rayleigh",
        "One of six Essex recovery spaces, offering peer support and activities.",
    ),
    (
        "Thurrock Recovery Space",
        OrganisationKind.RECOVERY_COMMUNITY,
        "Thurrock",
        "Works with local employers on pathways into work.",
    ),
    (
        "The Crystal Centre",
        OrganisationKind.INPATIENT_DETOX,
        "Chelmsford",
        "The first inpatient drug and alcohol detox in the East of England: specialist doctors, nurses, psychologists "
        "and occupational therapists, for adults including those with co-existing physical or mental health "
        "conditions.",
    ),
]

# Made up for the demonstration; shown as "Illustrative" in the product.
ILLUSTRATIVE = [
    (
        "Mid Essex Drug and Alcohol Service",
        OrganisationKind.TREATMENT,
        "Chelmsford",
        "Community treatment: assessment, prescribing, keyworking and the SHARP nine-week programme.",
    ),
    (
        "South Essex Treatment Partnership",
        OrganisationKind.TREATMENT,
        "Basildon",
        "Community treatment with hybrid outpatient programmes: online workshops and face-to-face counselling.",
    ),
    (
        "Essex Peer Mentors",
        OrganisationKind.PEER_SUPPORT,
        "",
        "Peer mentors with lived experience, including mentors placed in Jobcentres.",
    ),
    (
        "Essex Minds Together",
        OrganisationKind.MENTAL_HEALTH,
        "Colchester",
        "Talking therapies and support for people with co-existing mental health needs.",
    ),
    (
        "Open Door Housing Essex",
        OrganisationKind.HOUSING,
        "Harlow",
        "Supported housing and help for people with no stable home.",
    ),
    (
        "Pathways to Work Essex",
        OrganisationKind.EMPLOYMENT,
        "Thurrock",
        "Employment and training support, working with local employers.",
    ),
    (
        "Essex Families in Recovery",
        OrganisationKind.FAMILY_SUPPORT,
        "Basildon",
        "Support for parents, partners and children affected by someone else's drinking or drug use.",
    ),
    (
        "Essex Recovery Commissioning Partnership",
        OrganisationKind.COMMISSIONER,
        "",
        "Council and ICB commissioners of drug and alcohol services.",
    ),
    (
        "Essex Community Voice",
        OrganisationKind.COMMUNITY,
        "",
        "The recovery community's forum and community researchers.",
    ),
    (
        "Open ROSC Essex Platform Team",
        OrganisationKind.COMMUNITY,
        "",
        "Runs the platform: accounts, organisations and information governance.",
    ),
]

# (email local part, display name, public role, [(organisation name, role)])
PEOPLE: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("practitioner", "Priya (keyworker)", "", [("Mid Essex Drug and Alcohol Service", Role.PRACTITIONER)]),
    ("practitioner.b", "Ben (keyworker)", "", [("South Essex Treatment Partnership", Role.PRACTITIONER)]),
    ("manager", "Maya (service manager)", "", [("Mid Essex Drug and Alcohol Service", Role.SERVICE_MANAGER)]),
    ("mentor", "Marcus (peer mentor)", "", [("Essex Peer Mentors", Role.PEER_MENTOR)]),
    ("peer.coordinator", "Nadia (peer mentoring coordinator)", "", [("Essex Peer Mentors", Role.SERVICE_MANAGER)]),
    ("family.worker", "Fran (family support worker)", "", [("Essex Families in Recovery", Role.SERVICE_MANAGER)]),
    ("commissioner", "Clare (commissioner)", "", [("Essex Recovery Commissioning Partnership", Role.COMMISSIONER)]),
    ("researcher", "Rosa (community researcher)", "", [("Essex Community Voice", Role.COMMUNITY_RESEARCHER)]),
    ("ig.lead", "Imran (information governance)", "", [("Open ROSC Essex Platform Team", Role.IG_LEAD)]),
    ("admin", "Ada (administrator)", "", [("Open ROSC Essex Platform Team", Role.ADMINISTRATOR)]),
    ("person", "Sam", PublicRole.PERSON_IN_RECOVERY, []),
    ("family", "Jo", PublicRole.FAMILY_MEMBER, []),
    ("community", "Alex", PublicRole.COMMUNITY_MEMBER, []),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)


class Command(BaseCommand):
    help = "Load the Essex demo organisations and one demo user per role (safe to run again)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo sign-ins.")
        parser.add_argument("--logins-only", action="store_true", help="Only print the demo sign-ins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins_only"]:
            self.print_logins()
            return
        self.load()
        if not options["quiet_logins"]:
            self.print_logins()

    @transaction.atomic
    def load(self) -> None:
        created_orgs = 0
        organisations: dict[str, Organisation] = {}
        entries = [(*row, False) for row in NAMED] + [(*row, True) for row in ILLUSTRATIVE]
        for index, (name, kind, area, description, illustrative) in enumerate(entries, start=1):
            organisation, created = Organisation.objects.get_or_create(
                slug=_slug(name),
                defaults={
                    "name": name,
                    "kind": kind,
                    "area": area,
                    "description": description,
                    "is_illustrative": illustrative,
                },
            )
            created_orgs += created
            organisations[name] = organisation
            self.progress("Organisations", index, len(entries))
        created_users = 0
        for index, (local, display_name, public_role, roles) in enumerate(PEOPLE, start=1):
            user = User.objects.filter(email=demo_email(local)).first()
            if user is None:
                user = User.objects.create_user(
                    demo_email(local), DEMO_PASSWORD, display_name=display_name, public_role=public_role
                )
                created_users += 1
            for org_name, role in roles:
                Membership.objects.get_or_create(user=user, organisation=organisations[org_name], role=role)
            self.progress("Demo users", index, len(PEOPLE))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {created_orgs} organisation(s) and {created_users} user(s) added "
                f"({len(entries)} organisations and {len(PEOPLE)} demo users in all)."
            )
        )

    def progress(self, label: str, done: int, total: int) -> None:
        """A progress line that rewrites itself on a terminal, and prints once when piped."""
        if self.stdout.isatty():
            self.stdout.write(f"\r{label} {done}/{total}", ending="\n" if done == total else "")
        elif done == total:
            self.stdout.write(f"{label} {done}/{total}")

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
        for local, _display_name, public_role, roles in PEOPLE:
            what = ", ".join(f"{Role(role).label} at {org}" for org, role in roles) or PublicRole(public_role).label
            self.stdout.write(f"  {demo_email(local):<40} {what}")
        if settings.ROSC_DEMO:
            self.stdout.write("Demo mode is on: staff may skip two-step verification.")
        else:
            self.stdout.write("Staff accounts must set up two-step verification at first sign-in.")
