"""Writes for the core app. Every action runs in one transaction and writes
its audit row inside it; side effects fire on commit."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import Membership, Organisation, PublicRole, Role, User
from rosc.core.notifications import notification_queue
from rosc.core.permissions import forget_roles

# Roles only a platform administrator may grant.
ADMIN_ONLY_ROLES = frozenset({Role.ADMINISTRATOR, Role.IG_LEAD, Role.COMMISSIONER})


def membership_add(
    *, actor: User, organisation: Organisation, email: str, role: str, request: HttpRequest | None = None
) -> Membership:
    """Give an existing account a staff role in an organisation."""
    if not actor.has_perm("core.manage_team", organisation):
        raise PermissionDenied
    if role not in Role.values:
        raise ActionRefused("Choose a role from the list.", field="role")
    if role in ADMIN_ONLY_ROLES and not actor.has_perm("core.list_organisations"):
        raise ActionRefused("Only a platform administrator can give that role.", field="role")
    member = User.objects.filter(email__iexact=email.strip()).first()
    if member is None:
        raise ActionRefused("No account uses that email address. Ask them to create an account first.", field="email")
    with transaction.atomic():
        existing = Membership.objects.select_for_update().filter(user=member, organisation=organisation, role=role)
        current = existing.first()
        if current is not None and current.ends_on is None:
            raise ActionRefused(f"{member.email} already has that role here.", field="email")
        if current is not None:
            current.starts_on = timezone.localdate()
            current.ends_on = None
            current.save(update_fields=["starts_on", "ends_on"])
            membership = current
        else:
            membership = Membership.objects.create(user=member, organisation=organisation, role=role)
        audit_write(
            actor=actor,
            action="membership.added",
            target=membership,
            purpose="team management",
            request=request,
            details={"organisation_id": organisation.pk, "user_id": member.pk, "role": role},
        )
        notification_queue(
            channel="email",
            to=member.email,
            subject=f"You have a new role in {organisation.name}",
            body=(
                f"You have been given the role '{membership.get_role_display()}' in {organisation.name} "
                "on Open ROSC. Sign in to see what you can now do."
            ),
            reason="membership_added",
            recipient=member,
        )
    forget_roles(member)
    return membership


def membership_end(*, actor: User, membership: Membership, request: HttpRequest | None = None) -> Membership:
    """End a staff role today. The row is kept for the record."""
    if not actor.has_perm("core.manage_team", membership.organisation):
        raise PermissionDenied
    if membership.role in ADMIN_ONLY_ROLES and not actor.has_perm("core.list_organisations"):
        raise ActionRefused("Only a platform administrator can end that role.")
    if membership.user_id == actor.pk and membership.role == Role.ADMINISTRATOR:
        raise ActionRefused("You cannot end your own administrator role. Ask another administrator.")
    with transaction.atomic():
        membership.ends_on = timezone.localdate() - timedelta(days=1)
        membership.save(update_fields=["ends_on"])
        audit_write(
            actor=actor,
            action="membership.ended",
            target=membership,
            purpose="team management",
            request=request,
            details={
                "organisation_id": membership.organisation_id,
                "user_id": membership.user_id,
                "role": membership.role,
            },
        )
    return membership


def account_update_profile(
    *, actor: User, display_name: str, public_role: str, request: HttpRequest | None = None
) -> User:
    """Change the signed-in person's own display name and what they use Open ROSC for."""
    if public_role not in PublicRole.values:
        raise ActionRefused("Choose one of the options.", field="public_role")
    display_name = display_name.strip()
    if len(display_name) > 80:
        raise ActionRefused("Display name must be 80 characters or fewer.", field="display_name")
    with transaction.atomic():
        changed = [
            name
            for name, value in (("display_name", display_name), ("public_role", public_role))
            if getattr(actor, name) != value
        ]
        actor.display_name = display_name
        actor.public_role = public_role
        if changed:
            actor.save(update_fields=changed)
        audit_write(
            actor=actor,
            action="account.profile_updated",
            target=actor,
            purpose="own account",
            request=request,
            details={"fields": changed},
        )
    return actor
