"""Front door data: kept pathways and requests for support.

A kept pathway holds only the answers, which identify nobody (a place is a
postcode district or a town), under the hash of an unguessable token; the
token itself is only ever in the link given to the person. Nothing that
identifies anyone is stored here: when a person asks for support, their
details go to the shared recovery record (``rosc.record``) and the referrals
(``rosc.referrals``), and a support request keeps only the links between them.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# Days a kept pathway lasts, unless the person ends it sooner.
DEFAULT_PATHWAY_DAYS = 90


def new_token() -> str:
    """A long random token for a link (256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """How a token is stored: a SHA-256 digest. The token is random and long, so a
    plain digest is enough; the database never holds a working link."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def pathway_days() -> int:
    return int(getattr(settings, "ROSC_FRONTDOOR_PATHWAY_DAYS", DEFAULT_PATHWAY_DAYS))


def default_expiry() -> datetime:
    return timezone.now() + timedelta(days=pathway_days())


class PathwayQuerySet(models.QuerySet["Pathway"]):
    def live(self) -> PathwayQuerySet:
        return self.filter(expires_at__gt=timezone.now())


class Pathway(models.Model):
    """A pathway someone chose to keep: their answers, found again through a link."""

    token_hash = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict, help_text="The answers, which identify nobody.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_expiry, db_index=True)
    links_sent = models.PositiveSmallIntegerField(default=0, help_text="Emails and texts of the link sent.")

    objects = PathwayQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Pathway {self.pk} (until {self.expires_at:%Y-%m-%d})"

    @property
    def is_live(self) -> bool:
        return self.expires_at > timezone.now()


DEFAULT_STATUS_DAYS = 180


def status_days() -> int:
    return int(getattr(settings, "ROSC_FRONTDOOR_STATUS_DAYS", DEFAULT_STATUS_DAYS))


def default_status_expiry() -> datetime:
    return timezone.now() + timedelta(days=status_days())


class SupportRequest(models.Model):
    """A request for support sent from a pathway: only what is needed to show its status.

    The person's details, consent and referrals live in the shared record and the
    referrals. ``form_token_hash`` is the one-time token of the form that sent it,
    so a form sent twice finds this row instead of sending again.
    """

    form_token_hash = models.CharField(max_length=64, unique=True)
    status_token_hash = models.CharField(max_length=64, unique=True)
    # Set in the same transaction that claims the form token.
    person = models.ForeignKey("record.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    services_asked = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    status_expires_at = models.DateTimeField(default=default_status_expiry, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Request for support {self.pk}"
