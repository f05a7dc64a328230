"""Shared set-up for family support tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from rosc.core.models import Membership, Organisation, OrganisationKind, Role, User
from rosc.family import actions
from rosc.family.models import FamilyGroup, FamilyLink
from rosc.record.models import Goal, GoalAction, LifeDomain, Person


def person_with_account(account: User, *, full_name: str = "Robin Example") -> Person:
    person = Person.objects.create(full_name=full_name, date_of_birth=date(1985, 4, 1), account=account)
    organisation = Organisation.objects.get_or_create(
        slug="plan-owner", defaults={"name": "Plan Owner Service", "kind": OrganisationKind.TREATMENT}
    )[0]
    goal = Goal.objects.create(
        person=person,
        domain=LifeDomain.HOUSING,
        in_own_words="Find a flat near my mum",
        owner_organisation=organisation,
        review_on=date(2030, 1, 1),
    )
    GoalAction.objects.create(goal=goal, description="Fill in the housing form")
    return person


def invite(person: Person, *, categories=("plan",), months: int = 6, email: str = "family@example.com"):
    assert person.account is not None
    return actions.family_invite(
        actor=person.account,
        person=person,
        name="Jo",
        relationship="mum",
        email=email,
        categories=categories,
        months=months,
    )


def linked(person: Person, family_member: User, **kwargs) -> FamilyLink:
    invitation = invite(person, **kwargs)
    return actions.family_invitation_accept(actor=family_member, token=invitation.token)


def family_support_org(slug: str = "family-org") -> Organisation:
    return Organisation.objects.get_or_create(
        slug=slug, defaults={"name": f"Families {slug}", "kind": OrganisationKind.FAMILY_SUPPORT}
    )[0]


def facilitator(
    email: str = "facilitator@example.com", *, role: str = Role.PEER_MENTOR, org: Organisation | None = None
):
    organisation = org or family_support_org()
    user = User.objects.filter(email=email).first() or User.objects.create_user(email, "a long password here")
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


def make_group(runner: User, organisation: Organisation | None = None, **changes) -> FamilyGroup:
    details: dict[str, Any] = {
        "name": "Parents together",
        "where": "Basildon Recovery Space",
        "meets_when": "Tuesdays 7pm",
    }
    details.update(changes)
    return actions.group_create(
        actor=runner, organisation=organisation or family_support_org(), details=actions.GroupDetails(**details)
    )
