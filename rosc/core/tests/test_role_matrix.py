"""docs/roles.md is the contract for who may do what; this test holds the code to it."""

from pathlib import Path

import pytest

from conftest import ORGANISATIONS, PERSONAS, organisation

ROLES_DOC = Path(__file__).resolve().parents[3] / "docs" / "roles.md"

COLUMN_PERSONAS = {
    "Practitioner": "keyworker_a",
    "Service manager": "service_manager",
    "Peer mentor": "peer_mentor",
    "Commissioner": "commissioner",
    "Community researcher": "community_researcher",
    "Information-governance lead": "ig_lead",
    "Administrator": "administrator",
    "Person in recovery": "person_in_recovery",
    "Family member": "family_member",
    "Community member": "community_member",
}
OBJECT_CAPABILITIES = {"core.view_team", "core.manage_team", "directory.edit_service"}


def target_in(capability, organisation):
    """The object a capability is checked against, belonging to ``organisation``."""
    if organisation is None:
        return None
    if capability.startswith("directory."):
        from rosc.directory.models import Service

        return Service.objects.get_or_create(
            organisation=organisation, name=f"Service of {organisation.name}", defaults={"description": "x"}
        )[0]
    return organisation


def read_matrix():
    """The header of the first table, and every row of a table with that same header.

    Each area (directory, shared record, co-production...) keeps its own table under its own
    heading; the descriptive "what it opens" tables have two columns and are not read.
    """
    lines = [line.strip() for line in ROLES_DOC.read_text().splitlines() if line.strip().startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != len(header) or not cells[0].startswith("`") or "." not in cells[0]:
            continue
        capability = cells[0].strip("`")
        assert capability not in rows, f"{capability} is documented twice"
        rows[capability] = dict(zip(header[1:], cells[1:], strict=True))
    return header[1:], rows


def test_it_documents_a_column_for_every_role_and_public_account():
    columns, rows = read_matrix()
    assert columns == list(COLUMN_PERSONAS)
    assert len(rows) >= 7


def test_it_documents_every_capability_the_code_defines():
    import rules

    _, rows = read_matrix()
    assert set(rows) == set(rules.permissions.permissions)


@pytest.mark.django_db
@pytest.mark.parametrize("column", list(COLUMN_PERSONAS))
def test_the_code_allows_exactly_what_the_matrix_says(column):
    _, rows = read_matrix()
    user = __import__("conftest").make_persona(COLUMN_PERSONAS[column])
    spec = PERSONAS[COLUMN_PERSONAS[column]]
    own = organisation(spec.organisation) if spec.organisation else None
    other = organisation(next(slug for slug in ORGANISATIONS if slug != spec.organisation))
    for capability, cells in rows.items():
        expected = cells[column]
        assert expected in {"yes", "no", "own organisation"}, f"{capability}/{column}: unknown cell {expected!r}"
        if capability in OBJECT_CAPABILITIES:
            on_own = bool(own) and user.has_perm(capability, target_in(capability, own))
            on_other = user.has_perm(capability, target_in(capability, other))
            actual = "yes" if on_own and on_other else "own organisation" if on_own else "no"
        else:
            actual = "yes" if user.has_perm(capability) else "no"
        assert actual == expected, f"{column} / {capability}: docs say {expected}, code allows {actual}"


@pytest.mark.django_db
def test_a_superuser_flag_grants_nothing_without_a_role():
    from rosc.core.models import User

    user = User.objects.create_user("super@example.com", "a long password here", is_superuser=True)
    assert not user.has_perm("core.search_audit")
    assert not user.has_perm("core.list_organisations")
