"""Scoped reads for the core app. Views read through these, never straight
from the models, so that access rules and read auditing live in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from rosc.core.audit import audit_read
from rosc.core.models import AuditEvent, Membership, Notification, Organisation, User


def organisations_public() -> QuerySet[Organisation]:
    """Organisations are public information."""
    return Organisation.objects.all().order_by("name")


def organisation_counts_by_kind() -> dict[str, int]:
    """How many organisations of each kind: one query, whatever the number."""
    rows = Organisation.objects.values("kind").annotate(total=Count("id")).order_by()
    return {row["kind"]: row["total"] for row in rows}


def organisations_for_admin(*, actor: User) -> QuerySet[Organisation]:
    if not actor.has_perm("core.list_organisations"):
        raise PermissionDenied
    return Organisation.objects.all().order_by("name")


def organisation_for_team(*, actor: User, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not actor.has_perm("core.view_team", organisation):
        # Same answer whether it exists or not: no probing for organisations.
        raise PermissionDenied
    return organisation


def team_members(*, actor: User, organisation: Organisation) -> QuerySet[Membership]:
    if not actor.has_perm("core.view_team", organisation):
        raise PermissionDenied
    return (
        Membership.objects.active()
        .filter(organisation=organisation)
        .select_related("user", "organisation")
        .order_by("role", "user__email")
    )


def membership_for_change(*, actor: User, membership_id: int) -> Membership:
    membership = Membership.objects.select_related("organisation", "user").filter(pk=membership_id).first()
    if membership is None or not actor.has_perm("core.manage_team", membership.organisation):
        raise PermissionDenied
    return membership


def memberships_of(*, actor: User) -> QuerySet[Membership]:
    """The signed-in user's own current roles."""
    return Membership.objects.active().filter(user=actor).select_related("organisation")


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def is_empty(self) -> bool:
        return not any((self.actor, self.action, self.object_type, self.object_id, self.date_from, self.date_to))


def audit_search(*, actor: User, filters: AuditFilters, request: HttpRequest | None = None) -> QuerySet[AuditEvent]:
    """Search the audit log. The search itself is audited."""
    if not actor.has_perm("core.search_audit"):
        raise PermissionDenied
    events = AuditEvent.objects.select_related("actor")
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        events = events.filter(at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz))
    if filters.date_to:
        events = events.filter(at__lte=datetime.combine(filters.date_to, time.max, tzinfo=tz))
    detail: dict[str, Any] = {
        "filters": [
            name
            for name in ("actor", "action", "object_type", "object_id", "date_from", "date_to")
            if getattr(filters, name)
        ]
    }
    audit_read(
        actor=actor,
        action="audit.searched",
        purpose="information governance",
        object_type="core.auditevent",
        request=request,
        details=detail,
    )
    return events.order_by("-at", "-id")


def notifications_recent(*, actor: User, limit: int = 200) -> QuerySet[Notification]:
    if not actor.has_perm("core.view_notifications"):
        raise PermissionDenied
    return Notification.objects.prefetch_related("attempts").order_by("-created_at", "-id")[:limit]
