"""Family members' own support: what a relative shares with them, their wellbeing
reminders, and family peer-support groups with sessions and attendance.

What a family member may see of their relative is never stored here: a
``FamilyLink`` points at the relative's purpose-specific ``Consent`` in the shared
record, and every read checks that consent at the moment of the read (see
``rosc.family.selectors.relative_view``). Invitation tokens are kept only as a
SHA-256 hash and are cleared when used.
"""

from __future__ import annotations

import uuid as uuid_lib

from django.db import models
from django.db.models import Q
from django.utils import timezone

from rosc.core.models import Organisation, User
from rosc.record.models import Consent, Person


class FamilyLink(models.Model):
    """A person in recovery shares part of their record with someone close to them."""

    uuid = models.UUIDField("public identifier", default=uuid_lib.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family_links")
    family_member = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="family_links"
    )
    name = models.CharField(max_length=100, help_text="The family member's name, as the person gave it.")
    relationship = models.CharField(max_length=60, help_text="For example mother, partner, friend.")
    invited_email = models.EmailField(blank=True, help_text="Cleared once the invitation is accepted.")
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    invited_at = models.DateTimeField(default=timezone.now)
    invitation_expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_illustrative = models.BooleanField(default=False, help_text="Demo data.")

    class Meta:
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(family_member__isnull=False),
                name="family_link_accepted_has_member",
            ),
        ]
        indexes = [models.Index(fields=["family_member", "ended_at"], name="family_link_member_idx")]

    def __str__(self) -> str:
        return f"Family link ({self.status()})"

    def status(self) -> str:
        moment = timezone.now()
        if self.ended_at is not None:
            return "ended"
        if self.accepted_at is None:
            return "invitation expired" if self.invitation_expires_at <= moment else "invited"
        return "sharing" if self.consent.is_live(moment) else "not sharing"


class FamilyPreference(models.Model):
    """A family member's own choices: a gentle monthly reminder to fill in a wellbeing check-in."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="family_preference")
    monthly_reminder = models.BooleanField(default=False)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "Family support preferences"


class FamilyGroup(models.Model):
    """A family peer-support group run by a family-support or peer-support organisation."""

    uuid = models.UUIDField("public identifier", default=uuid_lib.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="family_groups")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    where = models.CharField(max_length=200, help_text="A place, or 'Online'.")
    online = models.BooleanField(default=False)
    meets_when = models.CharField(max_length=200, help_text="For example 'Tuesdays, 7pm to 8:30pm, every two weeks'.")
    taking_new_members = models.BooleanField(default=True)
    facilitators = models.ManyToManyField(User, related_name="family_groups_facilitated", blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_illustrative = models.BooleanField(default=False, help_text="Demo data.")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", "Asked to join"
    MEMBER = "member", "Member"
    DECLINED = "declined", "Not able to join"
    LEFT = "left", "Left the group"


class GroupMember(models.Model):
    group = models.ForeignKey(FamilyGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="family_group_places")
    status = models.CharField(max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["group", "requested_at", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="family_group_member_once")]

    def __str__(self) -> str:
        return self.get_status_display()


class GroupSession(models.Model):
    group = models.ForeignKey(FamilyGroup, on_delete=models.CASCADE, related_name="sessions")
    on = models.DateField()
    topic = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group", "on", "id"]

    def __str__(self) -> str:
        return f"Session on {self.on:%Y-%m-%d}"


class Attendance(models.Model):
    """Someone came to a session (a row for each person who came)."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="family_attendance_once")]

    def __str__(self) -> str:
        return "Attendance"
