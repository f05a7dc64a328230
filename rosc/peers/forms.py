"""Forms for peer mentoring. They check what was typed and say clearly what is wrong; the actions check
the same rules again, because other code calls them too."""

from __future__ import annotations

from typing import Any

from django import forms

from rosc.peers.actions import MAX_CAPACITY
from rosc.peers.models import SLOTS, CheckKind, Gender, GenderPreference, SessionMode, Substance, Topic

DATE_HINT = "For example 2026-03-27"
WAYS = [("in_person", "In person"), ("online", "Online or by phone")]


def _date(label: str, *, required: bool = True, help_text: str = DATE_HINT) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": f"Enter the {label.lower().removesuffix(' (optional)')}.",
            "invalid": "Enter a real date, like 2026-03-27.",
        },
    )


def _text(label: str, *, limit: int, required: bool = False, help_text: str = "", rows: int = 0) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else None,
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:].removesuffix(' (optional)')}.",
            "max_length": f"{label.removesuffix(' (optional)')} must be {limit} characters or fewer.",
        },
    )


def _minutes(label: str, low: int, high: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text="In minutes",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": f"Enter {label.lower()}.",
            "invalid": "Enter a whole number of minutes, like 45.",
            "min_value": f"Enter a number from {low} to {high}.",
            "max_value": f"Enter a number from {low} to {high}.",
        },
    )


def _checkboxes(
    label: str, choices: Any, *, help_text: str = "", required_message: str = ""
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=bool(required_message),
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": required_message, "invalid_choice": "Choose from the list."},
    )


class WaysMixin(forms.Form):
    ways = _checkboxes(
        "How can they meet?",
        WAYS,
        required_message="Choose in person, online, or both.",
        help_text="Choose all that apply",
    )


class ProfileForm(WaysMixin):
    lived_experience = _text(
        "Lived experience you are comfortable sharing (optional)",
        limit=2000,
        rows=5,
        help_text="Mentees and your coordinator can read this. Share only what you are happy for them to know.",
    )
    substances = _checkboxes(
        "Experience you can share (optional)", Substance.choices, help_text="Used to suggest people you could support"
    )
    languages = _text(
        "Languages you can mentor in",
        limit=200,
        required=True,
        help_text="Separate them with commas, like English, Polish",
    )
    gender = forms.ChoiceField(
        label="How do you describe your gender?",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you describe your gender."},
    )
    areas = _text(
        "Towns or districts where you can meet in person (optional if you meet only online)",
        limit=300,
        help_text="Separate them with commas, like Chelmsford, Maldon",
    )
    availability = _checkboxes("When can you usually meet? (optional)", SLOTS)
    capacity = forms.IntegerField(
        label="How many people can you mentor at once?",
        min_value=0,
        max_value=MAX_CAPACITY,
        help_text="Enter 0 to take no new mentees for now",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        error_messages={
            "required": "Enter how many people you can mentor at once.",
            "invalid": "Enter a whole number, like 3.",
            "min_value": f"Enter a number from 0 to {MAX_CAPACITY}.",
            "max_value": f"Enter a number from 0 to {MAX_CAPACITY}.",
        },
    )


class CheckForm(forms.Form):
    kind = forms.ChoiceField(
        label="Check or training",
        choices=CheckKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of check or training."},
    )
    title = _text("Name of the course (needed for other training)", limit=200)
    completed_on = _date("Date it was done")
    expires_on = _date("Date it runs out (optional for training)", required=False)


class SupervisorForm(forms.Form):
    supervisor = forms.ChoiceField(label="Supervisor", choices=[], required=False)

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["supervisor"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "No supervisor")] + [(str(u.pk), str(u)) for u in people]


class SupervisionForm(forms.Form):
    held_on = _date("Date of the session")
    minutes = _minutes("How long it lasted", 5, 480)
    covered = _text(
        "What you covered (optional)",
        limit=2000,
        rows=4,
        help_text="The mentor can ask to see this. Do not name the people they mentor.",
    )
    next_on = _date("Date of the next session (optional)", required=False)


class RequestForm(WaysMixin):
    organisation = forms.ChoiceField(
        label="Peer-support organisation",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the peer-support organisation."},
    )
    substances = _checkboxes(
        "Shared experience that would help (optional)",
        Substance.choices,
        help_text="Only what the person is happy for the peer organisation to know",
    )
    languages = _text("Languages they would like to use (optional)", limit=200, help_text="Like English, Polish")
    gender_preference = forms.ChoiceField(
        label="Would they like a mentor of a particular gender?",
        choices=GenderPreference.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    area = _text("Town or district where they could meet in person", limit=100)
    availability = _checkboxes("When can they usually meet? (optional)", SLOTS)
    note = _text(
        "Anything else the coordinator should know (optional)",
        limit=1000,
        rows=3,
        help_text="Keep it short. Do not include clinical details.",
    )

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(o.uuid), o.name) for o in organisations]


class SessionForm(forms.Form):
    held_on = _date("Date of the session")
    mode = forms.ChoiceField(
        label="How did you meet?",
        choices=SessionMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you met."},
    )
    minutes = _minutes("How long it lasted", 1, 480)
    topics = _checkboxes("What did you talk about?", Topic.choices, help_text="Choose all that apply")
    other_topic = _text("Something else (optional)", limit=200)
    next_steps = _text(
        "Agreed next steps (optional)",
        limit=2000,
        rows=4,
        help_text="The person and their care team can read this, as far as the person's consent allows.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("topics") and not (data.get("other_topic") or "").strip() and "topics" not in self.errors:
            self.add_error("topics", "Choose at least one topic, or describe what you talked about.")
        return data
