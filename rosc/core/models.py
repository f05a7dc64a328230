"""What every Open ROSC app shares: users, organisations, roles and the audit log."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is needed.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class PublicRole(models.TextChoices):
    """What a member of the public uses Open ROSC for (no organisation needed)."""

    NONE = "", "Not said"
    PERSON_IN_RECOVERY = "person_in_recovery", "Person seeking or in recovery"
    FAMILY_MEMBER = "family_member", "Family member or friend"
    COMMUNITY_MEMBER = "community_member", "Community member"


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. Signs in by email; staff roles come from memberships."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=80, blank=True, help_text="The name other people see. It does not have to be your real name."
    )
    public_role = models.CharField(max_length=32, choices=PublicRole.choices, blank=True, default="")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    # Permissions come only from memberships through the rules layer: there is
    # no superuser who bypasses it, whatever the is_superuser flag says.
    def has_perm(self, perm: str, obj: Any = None) -> bool:
        from django.contrib.auth import get_backends
        from django.core.exceptions import PermissionDenied

        if not self.is_active:
            return False
        for backend in get_backends():
            if not hasattr(backend, "has_perm"):
                continue
            try:
                if backend.has_perm(self, perm, obj):
                    return True
            except PermissionDenied:
                return False
        return False

    def has_perms(self, perm_list: Any, obj: Any = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return False

    @property
    def is_staff(self) -> bool:
        """Django's admin flag; Open ROSC has no Django admin, so never staff there."""
        return False

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)


class OrganisationKind(models.TextChoices):
    TREATMENT = "treatment", "Treatment provider"
    INPATIENT_DETOX = "inpatient_detox", "Inpatient detox"
    PEER_SUPPORT = "peer_support", "Peer-support charity"
    MENTAL_HEALTH = "mental_health", "Mental health service"
    HOUSING = "housing", "Housing"
    EMPLOYMENT = "employment", "Employment"
    FAMILY_SUPPORT = "family_support", "Family support"
    RECOVERY_COMMUNITY = "recovery_community", "Recovery community"
    COMMISSIONER = "commissioner", "Council or ICB commissioner"
    COMMUNITY = "community", "Community organisation"
    OTHER = "other", "Other organisation"


class Organisation(models.Model):
    uuid = models.UUIDField(
        "public identifier", default=uuid_lib.uuid4, unique=True, editable=False, help_text="Published as the ORUK id."
    )
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    area = models.CharField(max_length=100, blank=True, help_text="Town or district it mainly serves.")
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    is_illustrative = models.BooleanField(
        default=False, help_text="Demo data that does not describe a real organisation."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner or keyworker"
    SERVICE_MANAGER = "service_manager", "Service manager"
    PEER_MENTOR = "peer_mentor", "Peer mentor"
    COMMISSIONER = "commissioner", "Commissioner"
    COMMUNITY_RESEARCHER = "community_researcher", "Community researcher"
    IG_LEAD = "ig_lead", "Information-governance lead"
    ADMINISTRATOR = "administrator", "Platform administrator"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        today = timezone.localdate()
        return self.filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today), starts_on__lte=today)


class Membership(models.Model):
    """A staff role held by a user in an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at {self.organisation}"


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    """One append-only row per sensitive action or read.

    Records who, what, which object, why and from where. ``details`` holds
    identifiers and field names only, never special-category values.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True, help_text="Email at the time, kept if the user goes.")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Waiting to retry"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One email or text message. Bodies say what happened and where to sign in,
    never the sensitive detail itself."""

    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    reason = models.CharField(max_length=64, help_text="Why it was sent, for example 'referral_received'.")
    recipient = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} ({self.reason}) {self.get_status_display()}"


class NotificationAttempt(models.Model):
    """Every delivery attempt is kept, so nothing is silently lost."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    succeeded = models.BooleanField()
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["notification", "number"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "number"], name="notification_attempt_unique"),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} {'succeeded' if self.succeeded else 'failed'}"
