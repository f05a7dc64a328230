"""Forms for family support. Each field renders GOV.UK markup itself (see rosc/core/forms.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from rosc.family import policy


def _required(message: str) -> dict[str, str]:
    return {"required": message}


class Ons4Form(forms.Form):
    """The four ONS personal wellbeing questions, each 0 to 10, built from the instrument itself."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from rosc.outcomes.instruments import ONS4

        super().__init__(*args, **kwargs)
        for item in ONS4.items:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.text,
                help_text="0 means not at all, 10 means completely.",
                choices=[(value, str(value)) for value in item.values],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                error_messages=_required("Choose a number from 0 to 10 for this question."),
            )


class ReminderForm(forms.Form):
    monthly_reminder = forms.TypedChoiceField(
        label="Would you like a monthly email reminding you to fill in a wellbeing check-in?",
        choices=[("yes", "Yes, remind me once a month"), ("no", "No, thank you")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="The email only says it is time for a check-in. You can change this at any time.",
        error_messages=_required("Choose whether you would like a reminder."),
    )


class InviteForm(forms.Form):
    name = forms.CharField(
        label="Their name",
        max_length=100,
        error_messages=_required("Enter their name."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    relationship = forms.CharField(
        label="How are they related to you?",
        help_text="For example mum, partner, brother, friend.",
        max_length=60,
        error_messages=_required("Enter how they are related to you, for example mum."),
    )
    email = forms.EmailField(
        label="Their email address",
        help_text="We will email them a link to accept. It works once, for 14 days.",
        error_messages=_required("Enter their email address."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    categories = forms.MultipleChoiceField(
        label="What would you like to share with them?",
        help_text="Select all that apply. They will never see your notes, scores or contact details.",
        choices=list(policy.SHAREABLE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required("Select at least one thing to share."),
    )
    months = forms.TypedChoiceField(
        label="For how long?",
        help_text="You can stop sharing at any time before then.",
        choices=list(policy.DURATIONS.items()),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=_required("Choose how long to share for."),
    )


class GroupForm(forms.Form):
    organisation = forms.TypedChoiceField(label="Organisation running the group", choices=[], coerce=int)
    name = forms.CharField(
        label="Name of the group", max_length=120, error_messages=_required("Enter the group's name.")
    )
    where = forms.CharField(
        label="Where it meets",
        help_text="A place people can find, or 'Online'.",
        max_length=200,
        error_messages=_required("Enter where the group meets, or 'Online'."),
    )
    online = forms.BooleanField(label="It meets online", required=False)
    meets_when = forms.CharField(
        label="When it meets",
        help_text="For example 'Tuesdays, 7pm to 8:30pm, every two weeks'.",
        max_length=200,
        error_messages=_required("Enter when the group meets."),
    )
    description = forms.CharField(
        label="What the group is for (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    taking_new_members = forms.BooleanField(label="Family members can ask to join", required=False, initial=True)

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = organisations
        field.widget = forms.RadioSelect() if len(organisations) > 1 else forms.HiddenInput()
        if len(organisations) == 1:
            self.initial.setdefault("organisation", organisations[0][0])


class SessionForm(forms.Form):
    on = forms.DateField(
        label="Date of the session",
        help_text="For example 2027-03-27",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date of the session.", "invalid": "Enter a real date, like 2027-03-27."},
    )
    topic = forms.CharField(label="Topic (optional)", required=False, max_length=200)


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label="Who came?", choices=[], coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = people
