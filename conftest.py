"""Fixed personas shared by every test in Open ROSC.

Each persona is a fixture returning a saved user; ``persona(name)`` builds any
of them by name. Staff personas hold their role in a named organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from rosc.core.models import Membership, Organisation, OrganisationKind, PublicRole, Role, User

PASSWORD = "correct horse battery staple"

# Property tests check results, not speed: speed is measured by the benchmarks
# under bench/. Without a deadline they cannot fail because the machine is busy.
hypothesis_settings.register_profile("rosc", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("rosc")


@dataclass(frozen=True)
class PersonaSpec:
    email: str
    public_role: str = ""
    organisation: str = ""
    role: str = ""


ORGANISATIONS = {
    "org-a": ("Organisation A Treatment", OrganisationKind.TREATMENT),
    "org-b": ("Organisation B Housing", OrganisationKind.HOUSING),
    "commissioning": ("County Commissioning", OrganisationKind.COMMISSIONER),
    "community": ("Community Voice", OrganisationKind.COMMUNITY),
    "peers": ("Peer Mentors Charity", OrganisationKind.PEER_SUPPORT),
    "platform": ("Platform Team", OrganisationKind.COMMUNITY),
}

PERSONAS: dict[str, PersonaSpec] = {
    "family_member": PersonaSpec("family@example.com", public_role=PublicRole.FAMILY_MEMBER),
    "person_in_recovery": PersonaSpec("person@example.com", public_role=PublicRole.PERSON_IN_RECOVERY),
    "community_member": PersonaSpec("community@example.com", public_role=PublicRole.COMMUNITY_MEMBER),
    "outsider": PersonaSpec("outsider@example.com"),
    "peer_mentor": PersonaSpec("mentor@example.com", organisation="peers", role=Role.PEER_MENTOR),
    "keyworker_a": PersonaSpec("keyworker.a@example.com", organisation="org-a", role=Role.PRACTITIONER),
    "keyworker_b": PersonaSpec("keyworker.b@example.com", organisation="org-b", role=Role.PRACTITIONER),
    "service_manager": PersonaSpec("manager@example.com", organisation="org-a", role=Role.SERVICE_MANAGER),
    "commissioner": PersonaSpec("commissioner@example.com", organisation="commissioning", role=Role.COMMISSIONER),
    "community_researcher": PersonaSpec(
        "researcher@example.com", organisation="community", role=Role.COMMUNITY_RESEARCHER
    ),
    "ig_lead": PersonaSpec("ig@example.com", organisation="platform", role=Role.IG_LEAD),
    "administrator": PersonaSpec("admin@example.com", organisation="platform", role=Role.ADMINISTRATOR),
}

STAFF_PERSONAS = [name for name, spec in PERSONAS.items() if spec.role]
PUBLIC_PERSONAS = [name for name, spec in PERSONAS.items() if not spec.role]


def organisation(slug: str) -> Organisation:
    name, kind = ORGANISATIONS[slug]
    found, _ = Organisation.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    return found


def make_persona(name: str) -> User:
    spec = PERSONAS[name]
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = User.objects.create_user(spec.email, PASSWORD, public_role=spec.public_role, display_name=name)
    if spec.role:
        Membership.objects.get_or_create(user=user, organisation=organisation(spec.organisation), role=spec.role)
    return user


@pytest.fixture
def persona(db: None) -> Callable[[str], User]:
    return make_persona


@pytest.fixture
def org_a(db: None) -> Organisation:
    return organisation("org-a")


@pytest.fixture
def org_b(db: None) -> Organisation:
    return organisation("org-b")


def _fixture(name: str) -> Callable[..., User]:
    @pytest.fixture(name=name)
    def _persona(db: None) -> User:
        return make_persona(name)

    return _persona


for _name in PERSONAS:
    globals()[f"_persona_{_name}"] = _fixture(_name)
