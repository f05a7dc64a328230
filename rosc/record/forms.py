"""Forms of the shared recovery record.

They say clearly what is wrong with what someone typed; the actions check
the same rules again (and raise ``ActionRefused``), because other code calls
them too.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from rosc.core.models import Organisation, OrganisationKind
from rosc.record.actions import BREAK_GLASS_MAX_HOURS, MAX_CONSENT_DAYS, ConsentTerms
from rosc.record.categories import Category
from rosc.record.models import (
    ConsentGivenHow,
    ConsentKind,
    GoalStatus,
    LifeDomain,
    NoteKind,
    RightsRequestKind,
    TeamRole,
)
from rosc.record.nhs import is_valid_nhs_number, normalise_nhs_number

DATE_HINT = "For example 2026-03-27"
CONSENT_KINDS = [(kind.value, kind.label) for kind in OrganisationKind if kind != OrganisationKind.COMMISSIONER]


def _date_field(label: str, *, required: bool = True, help_text: str = DATE_HINT) -> forms.DateField:
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


def _text(label: str, *, max_length: int, required: bool = False, help_text: str = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
        error_messages={"max_length": f"{label.removesuffix(' (optional)')} must be {max_length} characters or fewer."},
    )


def _area(
    label: str,
    *,
    required: bool = True,
    rows: int = 4,
    help_text: str = "",
    max_length: int = 5000,
    required_message: str = "",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message or f"Enter {label.lower()}.",
            "max_length": f"This must be {max_length} characters or fewer.",
        },
    )


def end_of_day(day: date) -> datetime:
    """Consent given 'until 31 March' lasts to the end of that day."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class PersonDetailsForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={
            "required": "Enter their full name.",
            "max_length": "Full name must be 200 characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    preferred_name = _text("What they like to be called (optional)", max_length=100, autocomplete="off")
    date_of_birth = _date_field("Date of birth", help_text="For example 1987-06-21")
    pronouns = _text("Pronouns (optional)", max_length=40, help_text="For example she/her, he/him, they/them.")
    language = _text("Preferred language (optional)", max_length=60, help_text="If not English.")
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com"},
    )
    phone = _text("Phone number (optional)", max_length=30, type="tel", autocomplete="off")
    contact_notes = _text(
        "How and when it is safe to get in touch (optional)",
        max_length=300,
        help_text="In their words, for example 'Text only, after 6pm. Do not leave voicemails.'",
    )
    area = _text("Town or area where they live (optional)", max_length=100)
    nhs_number = _text(
        "NHS number (optional)",
        max_length=14,
        help_text="10 digits, for example 943 476 5919. Only if they are happy to give it.",
        inputmode="numeric",
        spellcheck="false",
    )

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data.get("nhs_number", "")
        if value and not is_valid_nhs_number(value):
            raise forms.ValidationError(
                "Enter a valid NHS number: 10 digits, like 943 476 5919. Check it against a letter from the NHS."
            )
        return normalise_nhs_number(value)

    def clean_date_of_birth(self) -> date | None:
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past.")
        return value

    @classmethod
    def initial_for(cls, person: Any) -> dict[str, Any]:
        return {name: getattr(person, name) for name in cls.base_fields}


class ConsentFieldsMixin(forms.Form):
    """What is shared, until when, and how the person agreed."""

    categories = forms.MultipleChoiceField(
        label="What information they agree to share",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one kind of information they agree to share."},
    )
    expires_on = _date_field(
        "Date consent ends",
        help_text="Up to 3 years from today, for example 2027-03-31. Consent lasts to the end of that day.",
    )
    given_how = forms.ChoiceField(
        label="How they gave consent",
        choices=[(v, label) for v, label in ConsentGivenHow.choices if v != ConsentGivenHow.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they gave their consent."},
    )

    def clean_expires_on(self) -> date | None:
        value = self.cleaned_data.get("expires_on")
        today = timezone.localdate()
        if value is None:
            return value
        if value < today:
            raise forms.ValidationError("The date consent ends must be today or in the future.")
        if value > today + timedelta(days=MAX_CONSENT_DAYS - 1):
            raise forms.ValidationError("Consent can last 3 years at most. Choose an earlier date.")
        return value


class CareConsentForm(ConsentFieldsMixin):
    organisations = forms.MultipleChoiceField(
        label="Organisations they agree to share with",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation_kinds = forms.MultipleChoiceField(
        label="Or every service of these kinds (optional)",
        required=False,
        choices=CONSENT_KINDS,
        widget=forms.CheckboxSelectMultiple,
        help_text="For example every housing service, so a new housing worker can join without a new consent.",
    )
    field_order = ["organisations", "organisation_kinds", "categories", "expires_on", "given_how"]

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._organisations = {str(org.pk): org for org in organisations}
        field = self.fields["organisations"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(org.pk), org.name) for org in organisations]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organisations") and not data.get("organisation_kinds") and "organisations" not in self.errors:
            self.add_error(
                "organisations", "Select at least one organisation or kind of service they agree to share with."
            )
        return data

    def terms(self) -> ConsentTerms:
        data = self.cleaned_data
        return ConsentTerms(
            kind=ConsentKind.CARE_COORDINATION,
            categories=data["categories"],
            expires_at=end_of_day(data["expires_on"]),
            given_how=data["given_how"],
            organisations=[self._organisations[pk] for pk in data.get("organisations", [])],
            organisation_kinds=data.get("organisation_kinds", []),
        )


class SpecificConsentForm(ConsentFieldsMixin):
    recipient_description = _text(
        "Who the information may be shared with",
        max_length=200,
        required=True,
        help_text="For example 'Their mother, Ann' or 'Their employer, Acme Ltd' or 'Chelmsford Crown Court'.",
    )
    purpose = _area(
        "What it may be used for",
        rows=3,
        max_length=300,
        help_text="For example 'To support a phased return to work'.",
        required_message="Enter what the information may be used for.",
    )
    field_order = ["recipient_description", "purpose", "categories", "expires_on", "given_how"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_description"].error_messages["required"] = (
            "Enter who the information may be shared with."
        )

    def terms(self) -> ConsentTerms:
        data = self.cleaned_data
        return ConsentTerms(
            kind=ConsentKind.SPECIFIC,
            categories=data["categories"],
            expires_at=end_of_day(data["expires_on"]),
            given_how=data["given_how"],
            recipient_description=data["recipient_description"],
            purpose=data["purpose"],
        )


class NewPersonForm(PersonDetailsForm, CareConsentForm):
    """A new record and the consent the person gave for it, on one page."""

    field_order = [
        *PersonDetailsForm.base_fields,
        "organisations",
        "organisation_kinds",
        "categories",
        "expires_on",
        "given_how",
    ]

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, organisations=organisations, **kwargs)
        self.fields["organisations"].label = "Organisations they agree to share with"
        self.fields["organisations"].help_text = "Your organisation is in their care team from the start."

    def person_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PersonDetailsForm.base_fields}


class TeamMemberForm(forms.Form):
    role = forms.ChoiceField(
        label="Role in the care team",
        choices=TeamRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role in the care team."},
    )
    organisation = forms.ChoiceField(
        label="Organisation (not for family members)",
        required=False,
        choices=[],
    )
    worker_email = forms.EmailField(
        label="Named worker's Open ROSC email (optional; needed for a peer mentor)",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com"},
    )
    name = _text("Family member's or friend's name (family only)", max_length=200)
    relationship = _text(
        "Relationship to the person (family only, optional)",
        max_length=100,
        help_text="For example mother, partner, friend.",
    )
    started = _date_field("Start date (optional)", required=False, help_text="Leave empty for today. " + DATE_HINT)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._organisations = {str(org.pk): org for org in organisations}
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose an organisation"), *[(str(org.pk), org.name) for org in organisations]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == TeamRole.FAMILY:
            if not data.get("name"):
                self.add_error("name", "Enter the family member's or friend's name.")
            if data.get("organisation"):
                self.add_error("organisation", "Leave the organisation empty for a family member or friend.")
        elif role:
            if not data.get("organisation"):
                self.add_error("organisation", "Choose the organisation.")
            if role == TeamRole.PEER_MENTOR and not data.get("worker_email"):
                self.add_error("worker_email", "Enter the peer mentor's Open ROSC email address.")
        return data

    def chosen_organisation(self) -> Organisation | None:
        return self._organisations.get(self.cleaned_data.get("organisation") or "")


class GoalForm(forms.Form):
    domain = forms.ChoiceField(
        label="Part of life",
        choices=LifeDomain.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which part of life the goal is about."},
    )
    in_own_words = _area(
        "The goal, in their own words",
        help_text="Write what they said, for example 'I want to be able to take my kids to school again'.",
        max_length=1000,
        required_message="Enter the goal in their own words.",
    )
    owner = forms.ChoiceField(
        label="Who owns this goal",
        choices=[],
        help_text="The service or worker who makes sure it moves forward.",
        error_messages={"required": "Choose who owns this goal."},
    )
    review_on = _date_field("Review date", help_text="When to look at it together again, for example 2026-06-30.")
    status = forms.ChoiceField(
        label="Status",
        choices=GoalStatus.choices,
        widget=forms.RadioSelect,
        initial=GoalStatus.ACTIVE,
        error_messages={"required": "Select the status of the goal."},
    )

    def __init__(self, *args: Any, owners: list[tuple[str, str]], with_status: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose an owner"), *owners]
        if not with_status:
            del self.fields["status"]

    def clean_review_on(self) -> date | None:
        value = self.cleaned_data.get("review_on")
        if value and value > timezone.localdate() + timedelta(days=366 * 2):
            raise forms.ValidationError("Review the goal within 2 years.")
        return value


class GoalActionForm(forms.Form):
    description = _text("What will be done", max_length=300, required=True)
    who = _text("Who will do it (optional)", max_length=200, help_text="For example 'Sam, with Priya'.")
    due_on = _date_field("By when (optional)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["required"] = "Enter what will be done."


class ProgressForm(forms.Form):
    text = _area("What has happened", rows=4, max_length=2000, required_message="Enter what has happened.")
    status = forms.ChoiceField(
        label="Change the status of the goal (optional)",
        required=False,
        choices=[("", "Leave it as it is"), *GoalStatus.choices],
        widget=forms.RadioSelect,
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of note",
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of note."},
    )
    happened_on = _date_field("Date of the contact", help_text=DATE_HINT)
    text = _area("Note", rows=6, max_length=10000, required_message="Enter the note.")

    def clean_happened_on(self) -> date | None:
        value = self.cleaned_data.get("happened_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date of the contact cannot be in the future.")
        return value


class IdentifyForm(forms.Form):
    """Exact identifiers only, so nobody can browse for people."""

    nhs_number = _text(
        "NHS number",
        max_length=14,
        inputmode="numeric",
        spellcheck="false",
        help_text="10 digits. Or give their full name and date of birth below.",
    )
    full_name = _text("Full name", max_length=200, spellcheck="false", autocomplete="off")
    date_of_birth = _date_field("Date of birth", required=False, help_text="For example 1987-06-21")

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data.get("nhs_number", "")
        if value and not is_valid_nhs_number(value):
            raise forms.ValidationError("Enter a valid NHS number: 10 digits, like 943 476 5919.")
        return normalise_nhs_number(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if not data.get("nhs_number") and not (data.get("full_name") and data.get("date_of_birth")):
            self.add_error("nhs_number", "Enter their NHS number, or their full name and date of birth.")
        return data


class BreakGlassForm(IdentifyForm):
    organisation = forms.ChoiceField(
        label="You are acting for", choices=[], error_messages={"required": "Choose the organisation you act for."}
    )
    reason = _area(
        "The safeguarding concern",
        rows=5,
        max_length=2000,
        help_text="Say why you need to see this record now without their consent. The information-governance "
        "lead will review it.",
        required_message="Enter the safeguarding concern.",
    )
    hours = forms.TypedChoiceField(
        label="How long you need access",
        coerce=int,
        choices=[(1, "1 hour"), (4, "4 hours"), (BREAK_GLASS_MAX_HOURS, f"{BREAK_GLASS_MAX_HOURS} hours")],
        initial=4,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how long you need access."},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._organisations = {str(org.pk): org for org in organisations}
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(org.pk), org.name) for org in organisations]
        if len(organisations) == 1:
            field.initial = str(organisations[0].pk)
            field.widget = forms.HiddenInput()
            field.required = False

    def clean_organisation(self) -> str:
        value = self.cleaned_data.get("organisation") or ""
        if not value and len(self._organisations) == 1:
            return next(iter(self._organisations))
        return value

    def chosen_organisation(self) -> Organisation:
        return self._organisations[self.cleaned_data["organisation"]]


class BreakGlassReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the access justified?",
        choices=[("justified", "Yes, justified"), ("not_justified", "No, not justified")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the access was justified."},
    )
    note = _area(
        "Review note",
        required=False,
        rows=4,
        max_length=2000,
        help_text="Needed when it was not justified: say what happens next.",
    )


class RightsRequestForm(IdentifyForm):
    kind = forms.ChoiceField(
        label="What they are asking for",
        choices=RightsRequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what they are asking for."},
    )
    received_on = _date_field("Date the request was received", help_text=DATE_HINT)
    details = _area("What they asked for, in their words (optional)", required=False, rows=4, max_length=4000)

    def clean_received_on(self) -> date | None:
        value = self.cleaned_data.get("received_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date received cannot be in the future.")
        return value


class RightsCloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Outcome",
        choices=[("done", "Done"), ("refused", "Refused, with reasons")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome."},
    )
    outcome = _area(
        "What was done, or why it was refused",
        rows=4,
        max_length=4000,
        required_message="Enter what was done, or why it was refused.",
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that the record's details, plan, notes and consents will be deleted for good",
        error_messages={"required": "Confirm that you understand the record will be deleted for good."},
    )


class SendLinkForm(forms.Form):
    channel = forms.ChoiceField(
        label="How to send it",
        choices=[("email", "Email"), ("sms", "Text message")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how to send the link."},
    )


class SharedForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label="What you shared",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what you shared."},
    )

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["categories"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(c, Category(c).label) for c in categories]
