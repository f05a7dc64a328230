"""The service directory, modelled on HSDS 3.0 as profiled by Open Referral UK.

Identifiers are UUIDs so that they can be published and imported as ORUK
ids. A few denormalised fields on ``Service`` (delivery modes, county-wide,
capacity and wait, ``search_text``) exist so that search stays fast at
national scale; actions keep them, and the search index ``SearchPlace``, in step
(see ``actions.service_reindex``).

The directory is public information: it knows no person.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from rosc.core.models import Organisation, User


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name_plural = "taxonomies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TermKind(models.TextChoices):
    DOMAIN = "domain", "Kind of help"
    NEED = "need", "Need or circumstance"
    OTHER = "other", "Other"


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    code = models.SlugField(max_length=80, help_text="Stable short code, for example 'inpatient-detox'.")
    name = models.CharField(max_length=200)
    description = models.TextField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    term_uri = models.URLField(blank=True)
    kind = models.CharField(max_length=16, choices=TermKind.choices, default=TermKind.OTHER)
    synonyms = models.TextField(
        blank=True, help_text="Words and phrases people type for this term, one per line (lower case)."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["taxonomy", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_term_code_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def synonym_list(self) -> list[str]:
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Open"
    INACTIVE = "inactive", "Not running"
    DEFUNCT = "defunct", "Closed for good"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class Service(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=300)
    description = models.TextField()
    what_to_expect = models.TextField(
        blank=True, help_text="What happens when someone contacts the service, in plain English."
    )
    eligibility = models.TextField(blank=True, help_text="Who the service is for, in plain English.")
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=24, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    status_note = models.CharField(max_length=300, blank=True, help_text="For example why it is closed and until when.")
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    alert = models.TextField(blank=True)
    offers_in_person = models.BooleanField(default=True)
    offers_online = models.BooleanField(default=False)
    offers_phone = models.BooleanField(default=False)
    is_county_wide = models.BooleanField(
        default=False, help_text="Serves the whole area, so it is shown whatever the postcode."
    )
    is_illustrative = models.BooleanField(default=False, help_text="Demo data that does not describe a real service.")
    # Denormalised from ServiceCapacity for fast filtering.
    has_capacity = models.BooleanField(null=True, blank=True)
    wait_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    # Denormalised: whether any of its locations is a place you can visit (not online only).
    has_place = models.BooleanField(default=False, editable=False)
    # Lower-case words from name, description, organisation and terms (with synonyms) for text search.
    search_text = models.TextField(blank=True, editable=False)
    # Computed by the database: a candidate for "use it from anywhere" in a search near a place
    # (covers the whole area, or works online or by phone with no place to visit). Few services
    # are, so a search reads them through this column's index instead of every service with a need.
    always_listed = models.GeneratedField(
        # Django resolves a Q as a boolean expression; the type stubs only name Expression.
        expression=Q(is_county_wide=True)  # type: ignore[arg-type]
        | ((Q(offers_online=True) | Q(offers_phone=True)) & Q(has_place=False)),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    terms = models.ManyToManyField(TaxonomyTerm, through="Attribute", related_name="services")
    last_modified = models.DateTimeField(default=timezone.now, db_index=True)
    last_verified_at = models.DateTimeField(null=True, blank=True)
    last_verified_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "is_county_wide"], name="service_status_wide_idx"),
            models.Index(fields=["status", "has_place"], name="service_status_place_idx"),
            # Partial, so that SQLite can use it for a bare "WHERE always_listed" as well.
            models.Index(fields=["status"], condition=Q(always_listed=True), name="service_always_listed_idx"),
            models.Index(fields=["status"], condition=Q(has_place=False), name="service_no_place_idx"),
            models.Index(fields=["organisation", "name"], name="service_org_name_idx"),
            # The API lists services by name: this reads a page in order instead of sorting them all.
            models.Index(fields=["name", "id", "status"], name="service_name_order_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """HSDS attribute: tags a service with a taxonomy term."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "taxonomy_term"], name="attribute_unique")]
        indexes = [models.Index(fields=["taxonomy_term", "service"], name="attribute_term_service_idx")]

    def __str__(self) -> str:
        return f"{self.service_id} → {self.taxonomy_term_id}"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place you can visit"
    POSTAL = "postal", "A postal address"
    VIRTUAL = "virtual", "Online"


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location_type = models.CharField(max_length=16, choices=LocationType.choices, default=LocationType.PHYSICAL)
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    transport = models.TextField(blank=True, help_text="How to get there: buses, trains, parking.")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    outcode = models.CharField(max_length=8, blank=True, db_index=True, help_text="Postcode district, e.g. SS14.")
    # Grid cell of the coordinates (geo.cell_of), kept by save() and by bulk writers.
    geocell = models.IntegerField(null=True, blank=True, editable=False)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        # Covers the search's bounding-box query so it never reads the table rows.
        indexes = [
            models.Index(fields=["latitude", "longitude", "location_type", "id"], name="location_box_idx"),
            models.Index(
                fields=["geocell", "latitude", "longitude", "location_type", "id", "outcode"], name="location_cell_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        from rosc.directory.geo import cell_of

        self.geocell = cell_of(self.latitude, self.longitude)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ("latitude" in update_fields or "longitude" in update_fields):
            kwargs["update_fields"] = {*update_fields, "geocell"}
        super().save(*args, **kwargs)


class Address(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=200)
    address_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=12)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(max_length=16, choices=LocationType.choices, default=LocationType.PHYSICAL)

    class Meta:
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(part for part in (self.address_1, self.city, self.postal_code) if part)


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_at_location_unique"),
        ]
        indexes = [models.Index(fields=["location", "service"], name="sal_location_service_idx")]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class SearchPlace(models.Model):
    """The search index for "near a place": one row for each taxonomy tag of a
    service at each place of it that has coordinates (and, for services listed
    whatever the place that have no place to visit, one row per tag with no place).

    A search starts from the terms asked for and the grid cells around the
    place, so it reads only the places of services that match, instead of every
    place in the area and then each one's tags. Rows are derived, never edited:
    ``search_index.rebuild`` writes them from the tags, places and service flags,
    and ``actions.service_reindex`` (and the bulk writers) call it whenever
    those change. Removing a tag or a service's place removes its rows at once.
    """

    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="+")
    service_at_location = models.ForeignKey(ServiceAtLocation, null=True, on_delete=models.CASCADE, related_name="+")
    # Copies, for the index: the rows above own them.
    term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    service = models.ForeignKey(Service, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    location = models.ForeignKey(
        Location, null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    geocell = models.IntegerField(null=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    always_listed = models.BooleanField()

    class Meta:
        indexes = [
            # Covers the search near a place: terms, then grid cells, then the box.
            models.Index(
                fields=["term", "geocell", "latitude", "longitude", "service", "location"],
                name="searchplace_near_idx",
            ),
            models.Index(fields=["term", "service"], condition=Q(always_listed=True), name="searchplace_anywhere_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.term_id} at {self.location_id or 'anywhere'}"


class Accessibility(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(blank=True)

    class Meta:
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description[:60]


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return self.name or self.title or str(self.id)


class Phone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40)
    description = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.number


class Weekday(models.TextChoices):
    MO = "MO", "Monday"
    TU = "TU", "Tuesday"
    WE = "WE", "Wednesday"
    TH = "TH", "Thursday"
    FR = "FR", "Friday"
    SA = "SA", "Saturday"
    SU = "SU", "Sunday"


class Schedule(models.Model):
    """RRULE-style opening times: ``freq`` WEEKLY with ``byday`` like 'MO,WE'."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=8, choices=[("WEEKLY", "Weekly"), ("MONTHLY", "Monthly")], default="WEEKLY")
    interval = models.PositiveSmallIntegerField(default=1)
    byday = models.CharField(max_length=40, blank=True, help_text="Comma-separated days: MO,TU,WE,TH,FR,SA,SU.")
    bymonthday = models.CharField(max_length=40, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    attending_type = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["service", "byday", "opens_at"]
        # A service's own times (no place) are read by service and a null place: without both
        # columns in one index SQLite picks the place index, where nearly every row is null.
        indexes = [models.Index(fields=["service", "service_at_location"], name="schedule_service_place_idx")]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"

    @property
    def days(self) -> list[str]:
        return [day.strip() for day in self.byday.split(",") if day.strip()]


class ServiceArea(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=200)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=40, blank=True)
    uri = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=12, blank=True, help_text="ISO 639 code, e.g. 'en' or 'pl'.")
    note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


class CostOption(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=300, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.option or self.amount_description


class CapacityUnit(models.TextChoices):
    BEDS = "beds", "Beds"
    PLACES = "places", "Places"
    WAIT_WEEKS = "wait_weeks", "Weeks to first appointment"


class ServiceCapacity(models.Model):
    """HSDS 3.1 service_capacity: beds, places or the wait to be seen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="capacities")
    unit = models.CharField(max_length=16, choices=CapacityUnit.choices)
    available = models.PositiveIntegerField(null=True, blank=True)
    maximum = models.PositiveIntegerField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "service capacities"
        constraints = [models.UniqueConstraint(fields=["service", "unit"], name="service_capacity_unit_unique")]

    def __str__(self) -> str:
        return f"{self.get_unit_display()}: {self.available}"
