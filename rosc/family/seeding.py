"""Essex demo data for family support, run by ``manage.py seed_demo_areas``. All illustrative.

Builds on the core demo users and the shared record demo: Jo (Sam's mother) sees
Sam's plan under the purpose-specific consent the record demo recorded for her,
has a few wellbeing check-ins, and belongs to a family group run by Essex
Families in Recovery, whose illustrative service manager Fran facilitates it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rosc.core.management.commands.seed_demo import DEMO_PASSWORD, demo_email
from rosc.core.models import Membership, Organisation, Role, User
from rosc.family.models import Attendance, FamilyGroup, FamilyLink, GroupMember, GroupSession, MembershipStatus
from rosc.record.models import Consent, ConsentKind, Person

FAMILIES = "Essex Families in Recovery"
GROUP_NAME = "Basildon family support group (illustrative)"
ONS4_DEMO = [(120, (4, 5, 3, 8)), (90, (5, 5, 4, 7)), (60, (5, 6, 6, 6)), (30, (6, 7, 6, 5)), (7, (7, 7, 7, 4))]
TOPICS = ["Looking after yourself", "Talking without blame", "Setting boundaries", "When things go wrong", "Hope"]


def _user(local: str) -> User | None:
    return User.objects.filter(email=demo_email(local)).first()


def _illustrative_user(local: str, name: str, **fields: Any) -> User:
    user = User.objects.filter(email=demo_email(local)).first()
    if user is None:
        user = User.objects.create_user(demo_email(local), DEMO_PASSWORD, display_name=name, **fields)
    return user


def _link_jo_to_sam(jo: User, stdout: Any) -> None:
    sam = Person.objects.filter(account__email=demo_email("person"), is_illustrative=True).first()
    consent = (
        Consent.objects.filter(person=sam, kind=ConsentKind.SPECIFIC, recipient_description__icontains="Jo")
        .order_by("-given_at")
        .first()
        if sam
        else None
    )
    if sam is None or consent is None:
        stdout.write("Family support demo: Jo's link to Sam skipped (run the shared record demo first).")
        return
    FamilyLink.objects.get_or_create(
        person=sam,
        family_member=jo,
        defaults={
            "name": "Jo",
            "relationship": "mother",
            "consent": consent,
            "invited_at": consent.given_at,
            "invitation_expires_at": consent.given_at + timedelta(days=14),
            "accepted_at": consent.given_at + timedelta(hours=3),
            "created_by": sam.account,
            "is_illustrative": True,
        },
    )


def _check_ins(jo: User) -> None:
    from rosc.outcomes.instruments import ONS4, score
    from rosc.outcomes.models import Measurement

    if Measurement.objects.filter(family_member=jo).exists():
        return
    now = timezone.now()
    for days, values in ONS4_DEMO:
        answers = dict(zip(ONS4.keys, values, strict=True))
        Measurement.objects.create(
            instrument="ons4",
            version=ONS4.version,
            family_member=jo,
            answers=answers,
            scores=score("ons4", answers),
            taken_at=now - timedelta(days=days),
            recorded_by=jo,
            via="family",
        )


def _group(jo: User) -> None:
    families = Organisation.objects.filter(name=FAMILIES).first()
    if families is None or FamilyGroup.objects.filter(name=GROUP_NAME).exists():
        return
    fran = _illustrative_user("family.worker", "Fran (family support worker)")
    Membership.objects.get_or_create(user=fran, organisation=families, role=Role.SERVICE_MANAGER)
    group = FamilyGroup.objects.create(
        organisation=families,
        name=GROUP_NAME,
        description="A friendly group for parents, partners and other family members. Come as you are.",
        where="Basildon Recovery Space",
        meets_when="Every other Tuesday, 7pm to 8:30pm",
        created_by=fran,
        is_illustrative=True,
    )
    group.facilitators.add(fran)
    others = [
        _illustrative_user(f"family.{n}", f"Family member {n} (illustrative)", public_role="family_member")
        for n in (2, 3, 4, 5)
    ]
    now = timezone.now()
    for user in [jo, *others]:
        GroupMember.objects.create(
            group=group, user=user, status=MembershipStatus.MEMBER, decided_at=now - timedelta(days=80), decided_by=fran
        )
    today = timezone.localdate()
    came_by_session = [[jo, *others[:2]], [jo, *others[:3]], [*others], [jo, *others]]
    for index, came in enumerate(came_by_session):
        session = GroupSession.objects.create(
            group=group,
            on=today - timedelta(days=14 * (len(came_by_session) - index)),
            topic=TOPICS[index],
            created_by=fran,
            attendance_recorded_at=now,
        )
        Attendance.objects.bulk_create([Attendance(session=session, user=user) for user in came])
    GroupSession.objects.create(group=group, on=today + timedelta(days=5), topic=TOPICS[-1], created_by=fran)


def seed_demo(stdout: Any) -> None:
    """Load the illustrative demo data of this area (safe to run again)."""
    jo = _user("family")
    if jo is None:
        stdout.write("Family support demo: skipped (run seed_demo first for the demo users).")
        return
    with transaction.atomic():
        _link_jo_to_sam(jo, stdout)
        _check_ins(jo)
        _group(jo)
    stdout.write("Family support demo: Jo's link to Sam, her wellbeing check-ins and a family group (illustrative).")
