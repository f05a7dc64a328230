"""Forms for the staff pages where service managers keep listings true.

They check what a person typed and say clearly what is wrong; the actions
check the same rules again, because other code can call them too.
"""

from __future__ import annotations

from typing import Any

from django import forms

from rosc.directory.actions_manage import (
    MAX_AGE_YEARS,
    MAX_CAPACITY,
    MAX_WAIT_WEEKS,
    STATUS_NOTE_MAX,
    CapacityFigures,
)
from rosc.directory.models import CapacityUnit, Service

MODES = [
    ("offers_in_person", "In person"),
    ("offers_online", "Online, for example by video call"),
    ("offers_phone", "By phone"),
]


def _age_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_AGE_YEARS,
        help_text="In years. Leave empty if there is no limit.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the age as a whole number of years, like 18.",
            "min_value": "Age cannot be less than 0.",
            "max_value": f"Age must be {MAX_AGE_YEARS} or less.",
        },
    )


class ServiceDetailsForm(forms.Form):
    name = forms.CharField(
        label="Name of the service",
        max_length=300,
        error_messages={"required": "Enter the name of the service."},
    )
    description = forms.CharField(
        label="What the service does",
        help_text="Say who runs it and how it helps, in plain English.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter a description of the service."},
    )
    what_to_expect = forms.CharField(
        label="What happens when someone contacts you (optional)",
        help_text="For example: 'We will call you back within 2 working days to arrange a first chat.'",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    eligibility = forms.CharField(
        label="Who the service is for (optional)",
        help_text="For example: 'Adults who live in Essex and want help with alcohol.'",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fees = forms.CharField(
        label="Cost (optional)",
        help_text="Leave empty if the service is free.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    url = forms.URLField(
        label="Website (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
        error_messages={"invalid": "Enter a website address in the right format, like https://www.example.org"},
    )
    email = forms.EmailField(
        label="Email address for enquiries (optional)",
        required=False,
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com"},
    )
    minimum_age = _age_field("Minimum age (optional)")
    maximum_age = _age_field("Maximum age (optional)")
    modes = forms.MultipleChoiceField(
        label="How can people use the service?",
        help_text="Select all that apply.",
        choices=MODES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one way people can use the service."},
    )
    is_county_wide = forms.BooleanField(
        label="It serves the whole county",
        help_text="It is then shown whatever postcode someone searches for.",
        required=False,
    )

    @classmethod
    def initial_for(cls, service: Service) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(service, name) for name in cls.base_fields if name != "modes"}
        initial["modes"] = [name for name, _ in MODES if getattr(service, name)]
        return initial

    def clean_maximum_age(self) -> int | None:
        # Fields clean in order, so the minimum age is already known here.
        minimum, maximum = self.cleaned_data.get("minimum_age"), self.cleaned_data.get("maximum_age")
        if minimum is not None and maximum is not None and maximum < minimum:
            raise forms.ValidationError("Maximum age must be the same as or more than the minimum age.")
        return maximum

    def changes(self) -> dict[str, Any]:
        """The cleaned answers as the model's field names and values."""
        data = dict(self.cleaned_data)
        modes = set(data.pop("modes", []))
        for name, _ in MODES:
            data[name] = name in modes
        return data


def _count_field(label: str, *, limit: int, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=limit,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "invalid": "Enter a whole number, like 3.",
            "min_value": "Enter a number that is 0 or more.",
            "max_value": f"Enter a number that is {limit:,} or less.",
        },
    )


class CapacityForm(forms.Form):
    # Totals come before what is free, so that each "free now" answer can be checked against its total.
    beds_maximum = _count_field("Beds in total", limit=MAX_CAPACITY, help_text="Leave empty if you do not have beds.")
    beds_available = _count_field("Beds free now", limit=MAX_CAPACITY)
    places_maximum = _count_field(
        "Places in total", limit=MAX_CAPACITY, help_text="For example places on a group or programme."
    )
    places_available = _count_field("Places free now", limit=MAX_CAPACITY)
    wait_weeks_available = _count_field(
        "Weeks to a first appointment",
        limit=MAX_WAIT_WEEKS,
        help_text="How long most people wait to be seen, in weeks. Enter 0 if there is no wait.",
    )

    UNITS = (CapacityUnit.BEDS, CapacityUnit.PLACES)

    @classmethod
    def initial_for(cls, rows: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for unit in cls.UNITS:
            row = rows.get(unit)
            if row is not None:
                initial[f"{unit}_available"] = row.available
                initial[f"{unit}_maximum"] = row.maximum
        wait = rows.get(CapacityUnit.WAIT_WEEKS)
        if wait is not None:
            initial["wait_weeks_available"] = wait.available
        return initial

    def _available_within_total(self, unit: str) -> int | None:
        available, maximum = self.cleaned_data.get(f"{unit}_available"), self.cleaned_data.get(f"{unit}_maximum")
        if available is not None and maximum is not None and available > maximum:
            noun = CapacityUnit(unit).label.lower()
            raise forms.ValidationError(f"{noun.capitalize()} free now cannot be more than {noun} in total.")
        return available

    def clean_beds_available(self) -> int | None:
        return self._available_within_total(CapacityUnit.BEDS)

    def clean_places_available(self) -> int | None:
        return self._available_within_total(CapacityUnit.PLACES)

    def capacity(self) -> dict[str, CapacityFigures]:
        data = self.cleaned_data
        figures: dict[str, CapacityFigures] = {
            unit: CapacityFigures(available=data.get(f"{unit}_available"), maximum=data.get(f"{unit}_maximum"))
            for unit in self.UNITS
        }
        figures[CapacityUnit.WAIT_WEEKS] = CapacityFigures(available=data.get("wait_weeks_available"))
        return figures


class CloseForm(forms.Form):
    note = forms.CharField(
        label="What should the public see?",
        help_text="Say why it is closed and when it will open again, for example 'Closed for refurbishment until "
        "5 January'. Do not include anyone's personal details.",
        max_length=STATUS_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter a note for the public, for example why it is closed and until when.",
            "max_length": f"The note must be {STATUS_NOTE_MAX} characters or fewer.",
        },
    )


class ListingFilterForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label="Organisation", required=False, coerce=int, empty_value=None, choices=[]
    )
    needs_checking = forms.BooleanField(label="Only show listings that need checking", required=False)

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "All organisations"), *organisations]
