"""Forms of continuing care. They say plainly what is wrong; the actions check the same rules again."""

from __future__ import annotations

from typing import Any

from django import forms

from rosc.continuing import rules
from rosc.continuing.models import AlertOutcome, ContactHow, DischargeReason
from rosc.continuing.questions import questions_for

ON_DEMAND = "on_demand"


def barc10_items() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """BARC-10's items and answers, from the outcomes area (the instrument is defined once, there)."""
    from rosc.outcomes.instruments import BARC10

    return [(item.key, item.text, [(str(value), label) for value, label in item.labels]) for item in BARC10.items]


class CheckInForm(forms.Form):
    """One page of radios: the check-in's questions."""

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions_for(kind):
            self.fields[question.code] = forms.ChoiceField(
                label=question.text,
                help_text=question.hint,
                choices=question.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Answer the question: {question.text}",
                    "invalid_choice": f"Choose one of the answers to: {question.text}",
                },
            )
        if kind == "quarterly":
            for number, (key, text, choices) in enumerate(barc10_items()):
                self.fields[f"barc10_{key}"] = forms.ChoiceField(
                    label=text,
                    help_text="How much do you agree? (Brief Assessment of Recovery Capital, BARC-10)"
                    if number == 0
                    else "",
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": f"Say how much you agree: {text}",
                        "invalid_choice": f"Say how much you agree: {text}",
                    },
                )


class StartPlanForm(forms.Form):
    why = forms.ChoiceField(
        label="Why is continuing care starting?",
        choices=[(ON_DEMAND, "They asked for it, or it suits them now (not a discharge)"), *DischargeReason.choices],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select why continuing care is starting.",
            "invalid_choice": "Select why continuing care is starting.",
        },
    )
    started_on = forms.DateField(
        label="Date treatment ended, or today",
        help_text="The first check-in is a week after this. For example 2026-03-27.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date treatment ended.",
            "invalid": "Enter a real date, like 2026-03-27.",
        },
    )
    channel = forms.ChoiceField(
        label="How should check-in links be sent?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how check-in links should be sent.",
            "invalid_choice": "Select how check-in links should be sent, from the ways shown.",
        },
    )
    person_agreed = forms.BooleanField(
        label="They agreed to get check-ins this way",
        error_messages={"required": "Confirm that they agreed to check-ins sent this way."},
    )

    def __init__(self, *args: Any, channels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["channel"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = channels


class SettingsForm(forms.Form):
    weekly_weeks = forms.IntegerField(label="Weekly check-ins for how many weeks", min_value=1, max_value=52)
    monthly_until_month = forms.IntegerField(
        label="Monthly check-ins until which month",
        min_value=0,
        max_value=36,
        help_text="12 is the end of the first year.",
    )
    quarterly_until_month = forms.IntegerField(
        label="Quarterly recovery check-ups until which month", min_value=0, max_value=60, help_text="24 is two years."
    )
    link_days = forms.IntegerField(label="Days a check-in link works", min_value=1, max_value=28)
    ack_hours_urgent = forms.IntegerField(label="Hours to pick up an urgent alert", min_value=1, max_value=336)
    ack_hours_high = forms.IntegerField(label="Hours to pick up a high alert", min_value=1, max_value=336)
    ack_hours_routine = forms.IntegerField(label="Hours to pick up a routine alert", min_value=1, max_value=336)
    duty_worker = forms.ChoiceField(
        label="Duty worker",
        help_text="Alerts nobody picks up in time go to them.",
        choices=[],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a duty worker from your service's team."},
    )

    def __init__(self, *args: Any, workers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["duty_worker"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "No duty worker (tell the service managers)"), *workers]
        for rule in rules.RULES:
            for name, default in rule.parameters.items():
                self.fields[f"{rule.code}__{name}"] = forms.IntegerField(
                    label=f"{rule.description} {rule.parameter_labels[name]}",
                    min_value=0,
                    max_value=10,
                    help_text=f"Default {default}.",
                )
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField):
                field.error_messages = {
                    "required": f"Enter a number for: {field.label}.",
                    "invalid": f"Enter a whole number for: {field.label}.",
                    "min_value": f"{field.label}: the number must be {field.min_value} or more.",
                    "max_value": f"{field.label}: the number must be {field.max_value} or fewer.",
                }
                field.widget.attrs.update({"class": "govuk-input--width-3", "inputmode": "numeric"})
            del name

    def rule_parameters(self) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {}
        for rule in rules.RULES:
            for name in rule.parameters:
                found.setdefault(rule.code, {})[name] = self.cleaned_data[f"{rule.code}__{name}"]
        return found


class ContactForm(forms.Form):
    how = forms.ChoiceField(
        label="How did you contact them?",
        choices=ContactHow.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you contacted them.",
            "invalid_choice": "Select how you contacted them.",
        },
    )
    happened_at = forms.DateTimeField(
        label="When",
        help_text="Date and time, for example 2026-03-27 14:30.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "Enter when you contacted them.",
            "invalid": "Enter a date and time, like 2026-03-27 14:30.",
        },
    )
    note = forms.CharField(
        label="What happened (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The note must be 2000 characters or fewer."},
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What was the outcome?",
        choices=AlertOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome.", "invalid_choice": "Select the outcome."},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The note must be 2000 characters or fewer."},
    )


class ReferBackForm(forms.Form):
    service = forms.ChoiceField(
        label="Which service?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the service to refer them to.",
            "invalid_choice": "Select the service to refer them to.",
        },
    )
    need = forms.CharField(
        label="What they need",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The receiving service and the person can read this.",
        error_messages={"required": "Say what they need.", "max_length": "This must be 2000 characters or fewer."},
    )

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = services
