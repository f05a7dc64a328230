"""Who may do what with a person's record: a matrix generated over roles x
organisations x consent states x record categories x actions.

The expected answer comes from the rule as the access decision record states
it (``expected_view`` below, written independently of ``rosc.record.access``),
and every cell is checked against the code, both through the functions other
areas call and through the pages a browser would open.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS, make_persona, organisation
from rosc.core.testing import sign_in
from rosc.record import actions
from rosc.record.access import can_access, can_edit, can_export, can_refer
from rosc.record.categories import Category
from rosc.record.models import BreakGlass, CareTeamMember, Disclosure, TeamRole
from rosc.record.tests.helpers import give_consent, make_person

ROLES = {
    "practitioner": "keyworker_a",
    "service_manager": "service_manager",
    "peer_mentor": "peer_mentor",
    "commissioner": "commissioner",
    "community_researcher": "community_researcher",
    "ig_lead": "ig_lead",
    "administrator": "administrator",
    "person_in_recovery": "person_in_recovery",
    "outsider": "outsider",
}
# own: the role's organisation is in the care team (a peer mentor as the person's named mentor) and the
#      consent names it;
# other: only another organisation is in the care team, and the consent names that other organisation;
# not_in_team: only another organisation is in the care team, though the consent names the role's organisation.
RELATIONS = ("own", "other", "not_in_team")
# none; live (every category); expired; withdrawn (live, then withdrawn during the test);
# not_covering (live, but covering outcomes only); break_glass (no consent, a live emergency access).
CONSENT_STATES = ("none", "live", "expired", "withdrawn", "not_covering", "break_glass")
ACTIONS = ("view", "edit", "refer", "export")
WORKERS = {"practitioner", "service_manager"}
PEER_CATEGORIES = {Category.CONTACT, Category.PLAN}
CASELOAD_ROLES = WORKERS | {"peer_mentor"}


def expected_view(role: str, relation: str, state: str, category: str) -> bool:
    if state == "break_glass":
        return role in WORKERS
    covered = state == "live" or (state == "not_covering" and category == Category.OUTCOMES)
    if not covered or relation != "own":
        return False
    if role in WORKERS:
        return True
    return role == "peer_mentor" and category in PEER_CATEGORIES


def expected(action: str, role: str, relation: str, state: str, category: str) -> bool:
    if action == "view":
        return expected_view(role, relation, state, category)
    if action == "edit":
        return role in WORKERS and expected_view(role, relation, state, category)
    if action == "refer":
        return role in WORKERS and expected_view(role, relation, state, Category.REFERRALS)
    return role in {"ig_lead", "administrator"}


def actual(action: str, user, person, category: str) -> bool:
    if action == "view":
        return can_access(user, person, category)
    if action == "edit":
        return can_edit(user, person, category)
    if action == "refer":
        return can_refer(user, person)
    return can_export(user, person)


def build(role: str, relation: str, state: str):
    user = make_persona(ROLES[role])
    spec = PERSONAS[ROLES[role]]
    own = organisation(spec.organisation) if spec.organisation else None
    other = organisation("org-b")
    person = make_person(*([other] if relation != "own" or own is None else []))
    if relation == "own" and own is not None:
        if role == "peer_mentor":
            CareTeamMember.objects.create(
                person=person,
                organisation=own,
                worker=user,
                role=TeamRole.PEER_MENTOR,
                started=timezone.localdate() - timedelta(days=10),
            )
        else:
            CareTeamMember.objects.create(
                person=person,
                organisation=own,
                role=TeamRole.KEYWORKER,
                started=timezone.localdate() - timedelta(days=10),
            )
    named = [own if relation in ("own", "not_in_team") and own is not None else other]
    consent = None
    if state in ("live", "withdrawn"):
        consent = give_consent(person, organisations=named)
    elif state == "expired":
        give_consent(person, organisations=named, given_at=timezone.now() - timedelta(days=400), days=-1)
    elif state == "not_covering":
        give_consent(person, organisations=named, categories=[Category.OUTCOMES])
    elif state == "break_glass":
        BreakGlass.objects.create(
            person=person,
            user=user,
            organisation=own or other,
            reason="Safeguarding concern for the test.",
            expires_at=timezone.now() + timedelta(hours=4),
        )
    return user, person, consent


SCENARIOS = [(role, relation, state) for role in ROLES for relation in RELATIONS for state in CONSENT_STATES]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relation", "state"), SCENARIOS)
def test_exactly_who_may_do_what(client, role, relation, state):
    user, person, consent = build(role, relation, state)
    if state == "withdrawn":
        live = {c: can_access(user, person, c) for c in Category}
        assert live == {c: expected_view(role, relation, "live", c) for c in Category}
        actions.withdraw_consent(actor=None, consent=consent)
    problems = []
    for category in Category:
        for action in ACTIONS:
            want = expected(action, role, relation, state, category)
            got = actual(action, user, person, category)
            if want != got:
                problems.append(f"{action} {category.value}: expected {want}, code says {got}")
    assert not problems, f"{role} / {relation} / {state}: " + "; ".join(problems)

    # The same answer through the pages: the plan and notes addresses open, or answer 404
    # (403 for roles that never work with records), and only an allowed read is logged.
    sign_in(client, user, with_mfa=bool(PERSONAS[ROLES[role]].role))
    for name, category in (("record:plan", Category.PLAN), ("record:notes", Category.NOTES)):
        response = client.get(reverse(name, kwargs={"person_id": person.uuid}))
        allowed = expected_view(role, relation, state, category)
        want = 200 if allowed else 404 if role in CASELOAD_ROLES else 403
        assert response.status_code == want, f"{role} / {relation} / {state}: {name} answered {response.status_code}"
        logged = Disclosure.objects.filter(person=person, viewer=user, category=category).count()
        assert logged == (1 if allowed else 0)


def test_the_matrix_covers_every_combination():
    assert len(SCENARIOS) * len(Category) * len(ACTIONS) == 9 * 3 * 6 * 5 * 4
