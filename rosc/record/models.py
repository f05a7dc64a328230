"""The shared recovery record: the person, their care team, their consents,
one recovery plan, notes, the disclosure log, break-glass access and
data-protection rights requests.

Nothing here is read straight from views: reads go through
``rosc.record.access`` and ``rosc.record.selectors`` (which check the care
team and consent, audit the read and log the disclosure) and writes through
``rosc.record.actions``.
"""

from __future__ import annotations

import uuid as uuid_lib
from datetime import date, datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from rosc.core.models import Organisation, OrganisationKind, User
from rosc.record.categories import Category


class CreatedVia(models.TextChoices):
    PRACTITIONER = "practitioner", "Added by a practitioner"
    FRONT_DOOR = "front_door", "Asked for support online"


class PersonQuerySet(models.QuerySet["Person"]):
    def current(self) -> PersonQuerySet:
        """Records that have not been erased."""
        return self.filter(erased_at__isnull=True)


class Person(models.Model):
    """Someone seeking or in recovery: the minimum the care team needs."""

    uuid = models.UUIDField("public identifier", default=uuid_lib.uuid4, unique=True, editable=False)
    full_name = models.CharField(max_length=200)
    preferred_name = models.CharField(max_length=100, blank=True, help_text="What they like to be called.")
    date_of_birth = models.DateField(null=True, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=60, blank=True, help_text="Preferred language, if not English.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    contact_notes = models.CharField(
        max_length=300, blank=True, help_text="How and when it is safe to get in touch, in their words."
    )
    area = models.CharField(max_length=100, blank=True, help_text="Town or district where they live.")
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    account = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="recovery_record"
    )
    created_via = models.CharField(max_length=16, choices=CreatedVia.choices, default=CreatedVia.PRACTITIONER)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    restricted_at = models.DateTimeField(
        null=True, blank=True, help_text="Processing restricted on a rights request: kept, but no one works with it."
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    is_illustrative = models.BooleanField(default=False, help_text="Demo data: not a real person.")

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"], condition=~Q(nhs_number=""), name="record_person_nhs_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["full_name", "date_of_birth"], name="record_person_name_dob_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.erased_at:
            return "Erased record"
        return self.preferred_name or self.full_name


class TeamRole(models.TextChoices):
    KEYWORKER = "keyworker", "Keyworker"
    PRACTITIONER = "practitioner", "Practitioner"
    SERVICE = "service", "Service involved"
    PEER_MENTOR = "peer_mentor", "Peer mentor"
    FAMILY = "family", "Family member or friend"


class CareTeamQuerySet(models.QuerySet["CareTeamMember"]):
    def active(self, on: date | None = None) -> CareTeamQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(ended__isnull=True) | Q(ended__gte=day), started__lte=day)


class CareTeamMember(models.Model):
    """An organisation, a named worker, a peer mentor or a family member around the person.

    Organisations (with or without a named worker) give access to the record,
    subject to consent. Family members the person chooses to involve are
    recorded by name and relationship and have no organisation: they see
    nothing through the team; what may be shared with them needs a
    purpose-specific consent.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="care_team")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="care_team_places"
    )
    worker = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="care_team_places")
    name = models.CharField(max_length=200, blank=True, help_text="A family member's name.")
    relationship = models.CharField(max_length=100, blank=True, help_text="For example mother, partner, friend.")
    role = models.CharField(max_length=16, choices=TeamRole.choices)
    started = models.DateField(default=timezone.localdate)
    ended = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    objects = CareTeamQuerySet.as_manager()

    class Meta:
        ordering = ["person", "started", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="family") | Q(organisation__isnull=False),
                name="record_careteam_org_unless_family",
            ),
            models.CheckConstraint(condition=~Q(role="family") | ~Q(name=""), name="record_careteam_family_has_name"),
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=models.F("started")),
                name="record_careteam_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "person"], name="record_careteam_org_idx")]

    def __str__(self) -> str:
        who = self.name or (str(self.worker) if self.worker else "") or str(self.organisation)
        return f"{self.get_role_display()}: {who}"

    def is_active_on(self, day: date) -> bool:
        return self.started <= day and (self.ended is None or self.ended >= day)


class ConsentKind(models.TextChoices):
    CARE_COORDINATION = "care_coordination", "Care coordination"
    SPECIFIC = "specific", "Purpose-specific"


class ConsentGivenHow(models.TextChoices):
    VERBAL = "verbal", "Said so (verbal)"
    WRITTEN = "written", "In writing (signed form)"
    ONLINE = "online", "Online, by the person"


CATEGORY_FIELDS = {category: f"covers_{category.value}" for category in Category}


class ConsentQuerySet(models.QuerySet["Consent"]):
    def live(self, at: datetime | None = None) -> ConsentQuerySet:
        """Given, not yet expired and not withdrawn."""
        moment = at or timezone.now()
        return self.filter(withdrawn_at__isnull=True, given_at__lte=moment, expires_at__gt=moment)

    def covering(self, category: str) -> ConsentQuerySet:
        return self.filter(**{CATEGORY_FIELDS[Category(category)]: True})


class Consent(models.Model):
    """What the person agreed may be shared, with whom, for how long.

    A care-coordination consent names recipients on the platform
    (organisations, or every organisation of a kind) and the categories they
    may see. A purpose-specific consent covers sharing beyond care (a family
    member, an employer, a court): its recipient is described in words and
    it opens nothing on the platform; workers record what they share under it.
    Withdrawal takes effect at once: every check reads ``withdrawn_at``.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=24, choices=ConsentKind.choices)
    recipient_organisations = models.ManyToManyField(Organisation, blank=True, related_name="+")
    recipient_description = models.CharField(
        max_length=200, blank=True, help_text="Who, for a purpose-specific consent: for example 'my employer'."
    )
    purpose = models.CharField(max_length=300, blank=True, help_text="Why, for a purpose-specific consent.")
    covers_contact = models.BooleanField(default=False)
    covers_plan = models.BooleanField(default=False)
    covers_referrals = models.BooleanField(default=False)
    covers_outcomes = models.BooleanField(default=False)
    covers_notes = models.BooleanField(default=False)
    given_at = models.DateTimeField(default=timezone.now)
    given_how = models.CharField(max_length=16, choices=ConsentGivenHow.choices)
    expires_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("given_at")), name="record_consent_expires_after_given"
            ),
            models.CheckConstraint(
                condition=Q(covers_contact=True)
                | Q(covers_plan=True)
                | Q(covers_referrals=True)
                | Q(covers_outcomes=True)
                | Q(covers_notes=True),
                name="record_consent_covers_something",
            ),
        ]
        indexes = [models.Index(fields=["person", "withdrawn_at", "expires_at"], name="record_consent_live_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} consent"

    @property
    def categories(self) -> list[str]:
        return [category.value for category, field in CATEGORY_FIELDS.items() if getattr(self, field)]

    @property
    def category_labels(self) -> list[str]:
        return [Category(value).label for value in self.categories]

    @property
    def recipient_kinds(self) -> list[str]:
        return [row.kind for row in self.recipient_kind_rows.all()]

    @property
    def recipient_kind_labels(self) -> list[str]:
        return [OrganisationKind(kind).label for kind in self.recipient_kinds]

    def covers_category(self, category: str) -> bool:
        return bool(getattr(self, CATEGORY_FIELDS[Category(category)]))

    def is_live(self, at: datetime | None = None) -> bool:
        moment = at or timezone.now()
        return self.withdrawn_at is None and self.given_at <= moment < self.expires_at

    def status(self, at: datetime | None = None) -> str:
        moment = at or timezone.now()
        if self.withdrawn_at is not None:
            return "withdrawn"
        if self.expires_at <= moment:
            return "expired"
        if self.given_at > moment:
            return "not yet started"
        return "live"


class ConsentRecipientKind(models.Model):
    """Every organisation of this kind is a recipient (for example 'housing')."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="recipient_kind_rows")
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)

    class Meta:
        ordering = ["consent", "kind"]
        constraints = [models.UniqueConstraint(fields=["consent", "kind"], name="record_consent_kind_unique")]

    def __str__(self) -> str:
        return self.get_kind_display()


class BreakGlassReview(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"


class BreakGlassQuerySet(models.QuerySet["BreakGlass"]):
    def live(self, at: datetime | None = None) -> BreakGlassQuerySet:
        moment = at or timezone.now()
        return self.filter(started_at__lte=moment, expires_at__gt=moment)


class BreakGlass(models.Model):
    """Emergency access for safeguarding, without consent: one worker, one person,
    a stated reason, a few hours, always reviewed by the information-governance lead."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    review = models.CharField(max_length=16, choices=BreakGlassReview.choices, default=BreakGlassReview.PENDING)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "break-glass accesses"
        indexes = [models.Index(fields=["person", "user", "expires_at"], name="record_breakglass_live_idx")]

    def __str__(self) -> str:
        return f"Break-glass access ({self.get_review_display()})"

    def is_live(self, at: datetime | None = None) -> bool:
        moment = at or timezone.now()
        return self.started_at <= moment < self.expires_at


IDENTITY = "identity"
# The disclosure log also records when only the name and date of birth were shown
# (the care team and consent page, or a caseload row awaiting consent).
DISCLOSURE_CATEGORIES = [(IDENTITY, "Name and date of birth"), *Category.choices]


class DisclosureHow(models.TextChoices):
    VIEWED = "viewed", "Seen in the shared record"
    SHARED = "shared", "Sent or told to them"


class Disclosure(models.Model):
    """One entry in the person's disclosure log: who saw or received which part
    of their information, when and why. The person can read it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disclosures")
    viewer = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    viewer_label = models.CharField(max_length=200, blank=True, help_text="Their name at the time.")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recipient_description = models.CharField(max_length=200, blank=True, help_text="Someone outside Open ROSC.")
    category = models.CharField(max_length=16, choices=DISCLOSURE_CATEGORIES)
    purpose = models.CharField(max_length=200)
    how = models.CharField(max_length=8, choices=DisclosureHow.choices, default=DisclosureHow.VIEWED)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    break_glass = models.ForeignKey(BreakGlass, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"], name="record_disclosure_person_idx"),
            models.Index(fields=["viewer", "purpose", "at"], name="record_disclosure_viewer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.get_how_display().lower()}"


class LifeDomain(models.TextChoices):
    SUBSTANCE_USE = "substance_use", "Drink and drugs"
    PHYSICAL_HEALTH = "physical_health", "Physical health"
    MENTAL_HEALTH = "mental_health", "Mental health"
    HOUSING = "housing", "Housing"
    MONEY_AND_WORK = "money_and_work", "Money and work"
    FAMILY = "family", "Family and relationships"
    COMMUNITY = "community", "Community and purpose"
    LEGAL = "legal", "Legal"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    STOPPED = "stopped", "No longer a goal"


class Goal(models.Model):
    """One goal of the recovery plan, in the person's own words."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(max_length=24, choices=LifeDomain.choices)
    in_own_words = models.TextField(help_text="The goal as the person says it.")
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_worker = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_on = models.DateField()
    status = models.CharField(max_length=16, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["domain", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_organisation__isnull=False) | Q(owner_worker__isnull=False),
                name="record_goal_has_owner",
            ),
        ]
        indexes = [models.Index(fields=["status", "review_on"], name="record_goal_review_idx")]

    def __str__(self) -> str:
        return f"{self.get_domain_display()} goal"


class GoalAction(models.Model):
    """A step towards a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    who = models.CharField(max_length=200, blank=True, help_text="Who will do it, in words.")
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["goal", "done_on", "due_on", "id"]

    def __str__(self) -> str:
        return "Action"


class GoalUpdate(models.Model):
    """Progress on a goal, from anyone in the team (or a change to the goal itself)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    status = models.CharField(max_length=16, choices=GoalStatus.choices, blank=True, help_text="Status set, if any.")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return "Progress update"


class PlanReviewReminder(models.Model):
    """Owners of a goal were reminded that its review is due: once per review date."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reminders")
    review_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "review_on"], name="record_reminder_once_per_review"),
        ]

    def __str__(self) -> str:
        return f"Review reminder for {self.review_on:%Y-%m-%d}"


class NoteKind(models.TextChoices):
    CONTACT = "contact", "Contact with the person"
    KEYWORKER = "keyworker", "Keyworker note"
    COUNSELLING = "counselling", "Counselling note (seen only by your organisation)"


SENSITIVE_NOTE_KINDS = frozenset({NoteKind.COUNSELLING})


class Note(models.Model):
    """A contact or keyworker note. Counselling notes stay with their author's organisation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    text = models.TextField()
    happened_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["person", "created_at"], name="record_note_person_idx")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_sensitive(self) -> bool:
        return self.kind in SENSITIVE_NOTE_KINDS


class RightsRequestKind(models.TextChoices):
    ACCESS = "access", "A copy of everything held (access)"
    RECTIFICATION = "rectification", "Correct something (rectification)"
    RESTRICTION = "restriction", "Stop using it for now (restriction)"
    ERASURE = "erasure", "Delete it (erasure)"


class RightsRequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused, with reasons"


class RightsRequest(models.Model):
    """A data-protection request about a person's record, handled by an
    administrator or the information-governance lead."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rights_requests")
    kind = models.CharField(max_length=16, choices=RightsRequestKind.choices)
    status = models.CharField(max_length=8, choices=RightsRequestStatus.choices, default=RightsRequestStatus.OPEN)
    received_on = models.DateField(default=timezone.localdate)
    details = models.TextField(blank=True, help_text="What the person asked for, in their words.")
    outcome = models.TextField(blank=True)
    opened_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    handled_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def due_on(self) -> date:
        """One calendar month to answer (UK GDPR article 12(3)); 30 days is the safe reading."""
        return self.received_on + timedelta(days=30)
