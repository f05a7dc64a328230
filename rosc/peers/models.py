"""Peer mentoring: mentor profiles and their checks, supervision, requests for a mentor, peer sessions.

Peer sessions are kept apart from the record's clinical notes (their own table and pages) and are shown to
the person's care team only as far as the person's consent covers their plan (``Category.PLAN``).
"""

from __future__ import annotations

import uuid as uuid_lib
from datetime import date, timedelta

from django.db import models
from django.utils import timezone

from rosc.core.models import Organisation, User
from rosc.record.models import Person


class Substance(models.TextChoices):
    ALCOHOL = "alcohol", "Alcohol"
    OPIOIDS = "opioids", "Heroin or other opioids"
    COCAINE = "cocaine", "Cocaine or crack"
    CANNABIS = "cannabis", "Cannabis"
    BENZODIAZEPINES = "benzodiazepines", "Benzodiazepines or prescribed medicines"
    STIMULANTS = "stimulants", "Amphetamines, ketamine or other drugs"
    GAMBLING = "gambling", "Gambling"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    NOT_SAID = "not_said", "Prefer not to say"


class GenderPreference(models.TextChoices):
    NONE = "", "No preference"
    WOMAN = "woman", "A woman"
    MAN = "man", "A man"
    NON_BINARY = "non_binary", "A non-binary mentor"


DAYS = [("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday"), ("thu", "Thursday"), ("fri", "Friday"),
        ("sat", "Saturday"), ("sun", "Sunday")]  # fmt: skip
TIMES = [("am", "morning"), ("pm", "afternoon"), ("eve", "evening")]
SLOTS: list[tuple[str, str]] = [(f"{d}_{t}", f"{day} {time}") for d, day in DAYS for t, time in TIMES]
SLOT_LABELS = dict(SLOTS)


class CheckKind(models.TextChoices):
    DBS = "dbs", "Enhanced DBS check"
    SAFEGUARDING = "safeguarding", "Safeguarding training"
    FOUNDATION = "foundation", "Peer mentoring foundation course"
    NALOXONE = "naloxone", "Naloxone training"
    OTHER = "other", "Other training"


# Without these in date, a mentor gets no new mentees.
REQUIRED_CHECKS = (CheckKind.DBS, CheckKind.SAFEGUARDING, CheckKind.FOUNDATION)


def split_words(text: str) -> list[str]:
    """'Chelmsford, Maldon' -> ['Chelmsford', 'Maldon'] (commas or new lines)."""
    parts = [p.strip() for p in text.replace("\n", ",").split(",")]
    seen: dict[str, str] = {}
    for part in parts:
        if part and part.lower() not in seen:
            seen[part.lower()] = part
    return list(seen.values())


class MentorProfile(models.Model):
    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentor_profiles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mentor_profiles")
    lived_experience = models.TextField(blank=True, help_text="What they are comfortable sharing with mentees.")
    substances = models.JSONField(default=list, blank=True)
    languages = models.CharField(max_length=200, blank=True, default="English")
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_SAID)
    areas = models.CharField(max_length=300, blank=True, help_text="Towns or districts, separated by commas.")
    in_person = models.BooleanField(default=True)
    online = models.BooleanField(default=True)
    availability = models.JSONField(default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(default=2)
    supervisor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="supervisees")
    is_illustrative = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__display_name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="peers_one_profile_per_org")]

    def __str__(self) -> str:
        return self.user.display_name or self.user.email

    @property
    def language_list(self) -> list[str]:
        return split_words(self.languages)

    @property
    def area_list(self) -> list[str]:
        return split_words(self.areas)

    def substance_labels(self) -> list[str]:
        return [Substance(s).label for s in self.substances if s in Substance.values]

    def availability_labels(self) -> list[str]:
        return [SLOT_LABELS[s] for s in self.availability if s in SLOT_LABELS]


class MentorCheck(models.Model):
    """A DBS check or a training course, with the date it was done and when it runs out."""

    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=16, choices=CheckKind.choices)
    title = models.CharField(max_length=200, blank=True)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    reminded_for = models.DateField(null=True, blank=True, help_text="The expiry date a reminder was sent for.")

    class Meta:
        ordering = ["kind", "-completed_on"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def in_date(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.completed_on <= day and (self.expires_on is None or self.expires_on >= day)

    def status(self, on: date | None = None, warn_days: int = 30) -> str:
        day = on or timezone.localdate()
        if self.expires_on is not None and self.expires_on < day:
            return "expired"
        if self.expires_on is not None and self.expires_on <= day + timedelta(days=warn_days):
            return "expiring"
        return "in_date"


class SupervisionSession(models.Model):
    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="supervision")
    supervisor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    covered = models.TextField(blank=True)
    next_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"Supervision {self.held_on}"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting"
    MATCHED = "matched", "Matched"
    CLOSED = "closed", "Closed"


class MentorRequest(models.Model):
    """A person waiting for a peer mentor at a peer-support organisation."""

    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentor_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mentor_requests")
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_by_organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    substances = models.JSONField(default=list, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    gender_preference = models.CharField(max_length=16, choices=GenderPreference.choices, blank=True, default="")
    area = models.CharField(max_length=100, blank=True)
    in_person_ok = models.BooleanField(default=True)
    online_ok = models.BooleanField(default=True)
    availability = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    matched_profile = models.ForeignKey(
        MentorProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="matched_requests"
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    matched_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=models.Q(status="open"),
                name="peers_one_open_request_per_person_and_org",
            )
        ]

    def __str__(self) -> str:
        return f"Request {self.uuid}"

    def substance_labels(self) -> list[str]:
        return [Substance(s).label for s in self.substances if s in Substance.values]

    def availability_labels(self) -> list[str]:
        return [SLOT_LABELS[s] for s in self.availability if s in SLOT_LABELS]


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    TEXT = "text", "Text or messages"


class Topic(models.TextChoices):
    WELLBEING = "wellbeing", "How they are feeling"
    CRAVINGS = "cravings", "Cravings and hard days"
    MUTUAL_AID = "mutual_aid", "Mutual aid and recovery groups"
    FAMILY = "family", "Family and relationships"
    HOUSING = "housing", "Housing"
    WORK = "work", "Work, training or volunteering"
    MONEY = "money", "Money and benefits"
    HEALTH = "health", "Health appointments"
    ACTIVITIES = "activities", "Activities and community"


class PeerSession(models.Model):
    """A mentor's note of one session with their mentee: not a clinical note."""

    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="peer_sessions")
    mentor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="peer_sessions")
    mentor_label = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField()
    mode = models.CharField(max_length=16, choices=SessionMode.choices)
    minutes = models.PositiveSmallIntegerField()
    topics = models.JSONField(default=list, blank=True)
    other_topic = models.CharField(max_length=200, blank=True)
    next_steps = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"Peer session {self.held_on}"

    def topic_labels(self) -> list[str]:
        labels = [Topic(t).label for t in self.topics if t in Topic.values]
        if self.other_topic:
            labels.append(self.other_topic)
        return labels
