"""Forms built from an instrument's items, so the questions on screen are the published ones."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from rosc.outcomes.instruments import TOP_STAGES, Instrument, Item, validate

DATE_HINT = "For example, 2026-03-27."


def _choice_label(item: Item, value: int) -> str:
    names = dict(item.labels)
    return f"{value} \N{EN DASH} {names[value]}" if value in names else str(value)


def _field(item: Item) -> forms.Field:
    name = item.text.rstrip(".?")
    if item.kind == "scale":
        return forms.TypedChoiceField(
            label=item.text,
            choices=[(str(v), _choice_label(item, v)) for v in item.values],
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": f"{name}: choose a value from {item.minimum} to {item.maximum}."},
        )
    if item.kind == "yes_no":
        return forms.TypedChoiceField(
            label=f"{item.text} (past 28 days)",
            choices=[("1", "Yes"), ("0", "No")],
            coerce=lambda value: value == "1",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": f"{name}: answer yes or no."},
        )
    if item.kind == "days":
        label, hint = f"{item.text} (past 28 days)", f"A number from {item.minimum} to {item.maximum}."
        range_message = f"{name}: enter a number of days from {item.minimum} to {item.maximum}."
    elif item.kind == "rating":
        label, hint = f"{item.text} (0 to 20)", "0 is poor and 20 is good."
        range_message = f"{name}: enter a rating from {item.minimum} to {item.maximum}."
    else:
        label, hint = item.text, f"A whole number from {item.minimum} to {item.maximum}."
        range_message = f"{name}: enter a number from {item.minimum} to {item.maximum}."
    return forms.IntegerField(
        label=label,
        help_text=hint,
        required=False,
        min_value=item.minimum,
        max_value=item.maximum,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": f"{name}: enter a whole number, like 3.",
            "min_value": range_message,
            "max_value": range_message,
        },
    )


class MeasurementForm(forms.Form):
    """One instrument's questions; for staff, also the date it was taken (and the TOP stage)."""

    def __init__(self, *args: Any, instrument: Instrument, with_date: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        if instrument.code == "top":
            self.fields["stage"] = forms.ChoiceField(
                label="When is this TOP being completed?",
                choices=TOP_STAGES,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose whether this is the start of treatment, a review or exit."},
            )
        if with_date:
            self.fields["taken_on"] = forms.DateField(
                label="Date it was completed",
                help_text=DATE_HINT,
                initial=timezone.localdate,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={
                    "required": "Enter the date it was completed.",
                    "invalid": "Enter a real date, like 2026-03-27.",
                },
            )
        for item in instrument.items:
            self.fields[item.key] = _field(item)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Fields grouped by TOP section (one group for other instruments)."""
        from rosc.outcomes.instruments import TOP_SECTIONS

        if self.instrument.code != "top":
            return [("", [self[item.key] for item in self.instrument.items])]
        return [
            (label, [self[item.key] for item in self.instrument.items if item.section == code])
            for code, label in TOP_SECTIONS
        ]

    def header_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("stage", "taken_on") if name in self.fields]

    def clean_taken_on(self) -> date | None:
        value = self.cleaned_data.get("taken_on")
        today = timezone.localdate()
        if value and value > today:
            raise forms.ValidationError("The date it was completed must be today or in the past.")
        if value and value < today - timedelta(days=366 * 5):
            raise forms.ValidationError("The date it was completed must be within the last 5 years.")
        return value

    def answers(self) -> dict[str, Any]:
        data = {item.key: self.cleaned_data.get(item.key) for item in self.instrument.items}
        if "stage" in self.fields:
            data["stage"] = self.cleaned_data.get("stage")
        return {key: value for key, value in data.items() if value is not None}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for key, message in validate(self.instrument.code, self.answers()):
                self.add_error(key if key in self.fields else None, message)
        return cleaned
