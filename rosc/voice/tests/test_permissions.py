"""The two Community Voice capabilities, beyond the role matrix in docs/roles.md."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from rosc.core.models import Membership, Role
from rosc.core.permissions import forget_roles
from rosc.voice import selectors


def test_visitors_who_are_not_signed_in_can_neither_take_part_nor_run_the_forum(db):
    visitor = AnonymousUser()
    assert not visitor.has_perm("voice.take_part")
    assert not visitor.has_perm("voice.run_forum")


@pytest.mark.parametrize("name", ["outsider", "family_member", "keyworker_b", "ig_lead"])
def test_every_signed_in_account_may_take_part(persona, name):
    assert persona(name).has_perm("voice.take_part")


def test_a_closed_account_may_not(person_in_recovery):
    person_in_recovery.is_active = False
    assert not person_in_recovery.has_perm("voice.take_part")


def test_a_commissioner_whose_role_has_ended_no_longer_runs_the_forum(commissioner):
    assert commissioner.has_perm("voice.run_forum")
    Membership.objects.filter(user=commissioner, role=Role.COMMISSIONER).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    forget_roles(commissioner)
    assert not commissioner.has_perm("voice.run_forum")
    assert not selectors.can_see_members_area(commissioner)
