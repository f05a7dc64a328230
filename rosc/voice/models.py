"""Community Voice: the forum through which the recovery community co-produces services.

Members take part under a display name. They raise items between meetings; community researchers
send findings for review. The forum meets quarterly: each meeting has an agenda, papers (links),
attendance, minutes (draft, then published) and decisions. Every community request is tracked to
an answer on the public "you said, we did" log (see ``rosc.voice.workflow``).

Co-production never touches clinical records: nothing here refers to a person's care.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from rosc.core.models import User
from rosc.voice import workflow

DISPLAY_NAME_MAX = 40
TITLE_MAX = 150
DETAIL_MAX = 2000


class Member(models.Model):
    """A person who has joined Community Voice. The row is kept when they leave, so that the items
    they raised still show the name they raised them under."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="voice_member")
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = [Lower("display_name")]
        constraints = [
            models.UniqueConstraint(Lower("display_name"), name="voice_member_display_name_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class ItemKind(models.TextChoices):
    REQUEST = workflow.REQUEST, "Community request"
    RESEARCH = workflow.RESEARCH, "Research for review"


class ItemStatus(models.TextChoices):
    RAISED = workflow.RAISED, "Raised"
    UNDER_CONSIDERATION = workflow.UNDER_CONSIDERATION, "Under consideration"
    WE_WILL = workflow.WE_WILL, "We will"
    WE_DID = workflow.WE_DID, "We did"
    WE_CANNOT = workflow.WE_CANNOT, "We cannot"
    REVIEWED = workflow.REVIEWED, "Reviewed"


class ItemQuerySet(models.QuerySet["Item"]):
    def shown(self) -> ItemQuerySet:
        return self.filter(hidden_at__isnull=True)

    def requests(self) -> ItemQuerySet:
        return self.filter(kind=ItemKind.REQUEST)

    def research(self) -> ItemQuerySet:
        return self.filter(kind=ItemKind.RESEARCH)


class Item(models.Model):
    """Something for the forum: a request a member raised ("you said"), or research for review."""

    kind = models.CharField(max_length=16, choices=ItemKind.choices, default=ItemKind.REQUEST)
    title = models.CharField(max_length=TITLE_MAX)
    detail = models.TextField(max_length=DETAIL_MAX)
    link = models.URLField(max_length=500, blank=True, help_text="Where research for review can be read.")
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(
        max_length=DISPLAY_NAME_MAX + 40, help_text="The name shown, as it was when the item was raised."
    )
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)

    status = models.CharField(max_length=24, choices=ItemStatus.choices, default=ItemStatus.RAISED, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    considered_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True, help_text="What will be done, what was done or why not.")
    owner = models.CharField(max_length=workflow.OWNER_MAX, blank=True)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    hidden_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    is_illustrative = models.BooleanField(default=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"], name="voice_item_kind_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_overdue(self) -> bool:
        return workflow.is_overdue(self.status, self.due_on, timezone.localdate())

    @property
    def is_final(self) -> bool:
        return self.status in workflow.FINAL


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "In person and online"


class MinutesStatus(models.TextChoices):
    NONE = "", "Not written"
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Meeting(models.Model):
    """One quarterly meeting of the forum."""

    title = models.CharField(max_length=TITLE_MAX)
    starts_at = models.DateTimeField(db_index=True)
    mode = models.CharField(max_length=16, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    place = models.CharField(max_length=200, blank=True, help_text="Where it meets, or how to join online.")
    minutes = models.TextField(blank=True)
    minutes_status = models.CharField(max_length=16, choices=MinutesStatus.choices, blank=True, default="")
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    minutes_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def minutes_published(self) -> bool:
        return self.minutes_status == MinutesStatus.PUBLISHED


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=TITLE_MAX)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_entries")

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "item"], name="voice_agenda_item_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return self.title


class Paper(models.Model):
    """A paper for a meeting: a title and a link to where it can be read."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=TITLE_MAX)
    link = models.URLField(max_length=500)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "added_at", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A member who was present at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        ordering = ["meeting", "member__display_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="voice_attendance_once")]

    def __str__(self) -> str:
        return f"{self.member} at {self.meeting}"


class Decision(models.Model):
    """What a meeting decided, usually about an item (it then gives the item its answer)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    text = models.TextField(max_length=workflow.RESPONSE_MAX)
    status = models.CharField(max_length=24, choices=ItemStatus.choices, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "recorded_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
