"""The audit service: the only way rows reach the append-only audit log.

Actions call :func:`audit_write` inside their own transaction so the change
and its audit row commit or roll back together. Selectors that read
sensitive records call :func:`audit_read`. ``details`` may hold identifiers,
field names and counts only: values are checked so that free text (which
could carry special-category data) cannot slip in.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest

from rosc.core.models import AuditEvent

_SAFE_TEXT = re.compile(r"^[A-Za-z0-9_.:@+\-]{0,80}$")


class UnsafeAuditDetail(ValueError):
    pass


class AuditOutsideTransaction(RuntimeError):
    pass


def _check_details(details: dict[str, Any]) -> dict[str, Any]:
    for key, value in details.items():
        if not isinstance(key, str) or not _SAFE_TEXT.match(key):
            raise UnsafeAuditDetail(f"Audit detail key {key!r} is not a plain identifier.")
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item is None or isinstance(item, bool | int):
                continue
            if isinstance(item, str) and _SAFE_TEXT.match(item):
                continue
            raise UnsafeAuditDetail(
                f"Audit detail {key!r} must be an id, a code or a number, not free text or {type(item).__name__}."
            )
    return dict(details)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ``ROSC_TRUSTED_PROXY_COUNT``
    proxies the address the outermost trusted proxy saw."""
    if request is None:
        return None
    proxies = settings.ROSC_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _record(
    *,
    actor: Any,
    action: str,
    target: Model | None,
    object_type: str,
    object_id: str | int,
    purpose: str,
    request: HttpRequest | None,
    details: dict[str, Any] | None,
) -> AuditEvent:
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
    real_actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=real_actor,
        actor_label=getattr(real_actor, "email", "") if real_actor else "anonymous",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        purpose=purpose,
        ip_address=client_ip(request),
        details=_check_details(details or {}),
    )


def audit_write(
    *,
    actor: Any,
    action: str,
    target: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    purpose: str = "",
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a change. Must run inside the action's transaction."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(f"audit_write({action!r}) must be called inside transaction.atomic().")
    return _record(
        actor=actor,
        action=action,
        target=target,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        request=request,
        details=details,
    )


def audit_read(
    *,
    actor: Any,
    action: str,
    purpose: str,
    target: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a read of sensitive information, with the reason it was read."""
    if not purpose:
        raise ValueError("A sensitive read needs a purpose.")
    with transaction.atomic():
        return _record(
            actor=actor,
            action=action,
            target=target,
            object_type=object_type,
            object_id=object_id,
            purpose=purpose,
            request=request,
            details=details,
        )
