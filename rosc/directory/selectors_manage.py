"""Scoped reads for the staff pages where service managers keep listings true.

A service manager sees the services of every organisation where they hold the
service-manager role today; an administrator sees every service. A listing
"needs checking" when nobody has confirmed it for more than
``settings.ROSC_LISTING_STALE_DAYS`` days (90 unless set), or when nobody has
ever confirmed it. Services closed for good never need checking.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from rosc.core.models import Membership, Notification, Organisation, Role, User
from rosc.core.permissions import is_administrator, roles_of
from rosc.directory.models import CapacityUnit, Service, ServiceCapacity, ServiceStatus


def stale_days() -> int:
    return settings.ROSC_LISTING_STALE_DAYS


def stale_cutoff(now: datetime | None = None) -> datetime:
    """Listings last confirmed before this moment need checking."""
    return (now or timezone.now()) - timedelta(days=stale_days())


def stale_q(now: datetime | None = None) -> Q:
    """Filter for listings that need checking: never confirmed, or not for a while."""
    not_confirmed = Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=stale_cutoff(now))
    return not_confirmed & ~Q(status=ServiceStatus.DEFUNCT)


def is_stale(service: Service, *, cutoff: datetime) -> bool:
    if service.status == ServiceStatus.DEFUNCT:
        return False
    return service.last_verified_at is None or service.last_verified_at < cutoff


def managed_organisation_ids(actor: User) -> set[int]:
    """Organisations where the actor is a service manager today."""
    return {org_id for org_id, roles in roles_of(actor).items() if Role.SERVICE_MANAGER in roles}


def _services_visible_to(actor: User) -> QuerySet[Service]:
    if not actor.has_perm("directory.manage_listings"):
        raise PermissionDenied
    services = Service.objects.all()
    if not is_administrator(actor):
        services = services.filter(organisation_id__in=managed_organisation_ids(actor))
    return services


def listings_for(*, actor: User, organisation_id: int | None = None, needs_checking: bool = False) -> QuerySet[Service]:
    """The listings the actor looks after, with what the list page shows, in a
    fixed number of queries however many there are."""
    services = _services_visible_to(actor)
    if organisation_id is not None:
        services = services.filter(organisation_id=organisation_id)
    if needs_checking:
        services = services.filter(stale_q())
    return (
        services.select_related("organisation", "last_verified_by")
        .prefetch_related(Prefetch("capacities", queryset=ServiceCapacity.objects.order_by("unit")))
        .order_by("organisation__name", "name", "id")
    )


def listing_organisations_for(*, actor: User) -> QuerySet[Organisation]:
    """Organisations the actor can filter the list by."""
    if not actor.has_perm("directory.manage_listings"):
        raise PermissionDenied
    organisations = Organisation.objects.filter(services__isnull=False).distinct()
    if not is_administrator(actor):
        organisations = organisations.filter(pk__in=managed_organisation_ids(actor))
    return organisations.order_by("name")


def stale_listing_count(*, actor: User) -> int:
    """How many of the actor's listings need checking (0 for people who look after none)."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("directory.manage_listings"):
        return 0
    return _services_visible_to(actor).filter(stale_q()).count()


def service_for_edit(*, actor: User, service_id: uuid.UUID | str) -> Service:
    """A service the actor may change. Unknown and forbidden look the same."""
    service = Service.objects.select_related("organisation", "last_verified_by").filter(pk=service_id).first()
    if service is None or not actor.has_perm("directory.edit_service", service):
        raise PermissionDenied
    return service


def capacity_rows(service: Service) -> dict[str, ServiceCapacity]:
    """The service's capacity rows by unit."""
    return {row.unit: row for row in ServiceCapacity.objects.filter(service=service)}


def capacity_summary(capacities: Iterable[ServiceCapacity]) -> str:
    """Plain-English capacity and wait, for example "3 of 10 beds free, 2 weeks' wait"."""
    by_unit = {row.unit: row for row in capacities}
    parts = []
    for unit, noun in ((CapacityUnit.BEDS, "bed"), (CapacityUnit.PLACES, "place")):
        row = by_unit.get(unit)
        if row is None or (row.available is None and row.maximum is None):
            continue
        if row.available is None:
            parts.append(f"{row.maximum} {noun}s")
        elif row.maximum is None:
            parts.append(f"{row.available} {noun}{'' if row.available == 1 else 's'} free")
        else:
            parts.append(f"{row.available} of {row.maximum} {noun}s free")
    wait = by_unit.get(CapacityUnit.WAIT_WEEKS)
    if wait is not None and wait.available is not None:
        if wait.available == 0:
            parts.append("no wait")
        else:
            parts.append(f"{wait.available} week{'' if wait.available == 1 else 's'}' wait")
    return ", ".join(parts)


@dataclass(frozen=True)
class ManagerReminder:
    """One reminder to one service manager: the listings that need checking."""

    manager: User
    services_by_organisation: dict[str, list[str]]

    @property
    def count(self) -> int:
        return sum(len(names) for names in self.services_by_organisation.values())


def stale_reminders_due(*, now: datetime | None = None, reason: str, quiet_days: int = 7) -> list[ManagerReminder]:
    """Who should be reminded about stale listings now, and about which.

    Managers reminded (a notification with ``reason``) within ``quiet_days``
    are left out. Runs a fixed number of queries.
    """
    now = now or timezone.now()
    stale = (
        Service.objects.filter(stale_q(now))
        .order_by("organisation__name", "name")
        .values_list("organisation_id", "organisation__name", "name")
    )
    by_org: dict[int, tuple[str, list[str]]] = {}
    for org_id, org_name, name in stale:
        by_org.setdefault(org_id, (org_name, []))[1].append(name)
    if not by_org:
        return []
    recently = set(
        Notification.objects.filter(
            reason=reason, recipient__isnull=False, created_at__gte=now - timedelta(days=quiet_days)
        ).values_list("recipient_id", flat=True)
    )
    memberships = (
        Membership.objects.active()
        .filter(role=Role.SERVICE_MANAGER, organisation_id__in=by_org.keys(), user__is_active=True)
        .exclude(user_id__in=recently)
        .select_related("user")
        .order_by("user__email", "organisation__name")
    )
    reminders: dict[int, ManagerReminder] = {}
    for membership in memberships:
        reminder = reminders.setdefault(
            membership.user_id, ManagerReminder(manager=membership.user, services_by_organisation={})
        )
        org_name, names = by_org[membership.organisation_id]
        reminder.services_by_organisation[org_name] = names
    return list(reminders.values())
