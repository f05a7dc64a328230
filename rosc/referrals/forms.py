"""Forms for referrals. They check what a person typed and say clearly what is
wrong; the actions check the same rules again, because other code calls them too."""

from __future__ import annotations

from typing import Any

from django import forms

from rosc.referrals.actions import MIN_EXCEPTION_REASON, NEED_MAX, TEXT_MAX
from rosc.referrals.models import Basis, DeclineReason, Outcome
from rosc.referrals.selectors import INBOX_VIEWS, SENT_VIEWS

VERSION_ERRORS = {
    "required": "This page is out of date. Open the referral again and try again.",
    "invalid": "This page is out of date. Open the referral again and try again.",
}


def _text_area(
    label: str, *, required: bool, help_text: str = "", rows: int = 4, limit: int = TEXT_MAX, required_message: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message or f"Enter {label[0].lower()}{label[1:]}.",
            "max_length": f"{label} must be {limit} characters or fewer.",
        },
    )


class VersionForm(forms.Form):
    """Every change carries the version of the referral the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)


class NoteForm(VersionForm):
    note = _text_area(
        "Note (optional)",
        required=False,
        help_text="The sender and the person can read this.",
        rows=3,
    )


class DeclineForm(VersionForm):
    reason = forms.ChoiceField(
        label="Why are you declining this referral?",
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you are declining the referral."},
    )
    explanation = _text_area(
        "Explain your decision",
        required=True,
        help_text="The sender and the person can read this. Say what might help instead.",
        required_message="Explain your decision to the sender and the person.",
    )


class CompleteForm(VersionForm):
    outcome = forms.ChoiceField(
        label="What was the outcome?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome."},
    )
    note = _text_area(
        "What happened (optional if the outcome is not 'Other')",
        required=False,
        help_text="The sender and the person can read this.",
        rows=3,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", "Say what happened, because the outcome is 'Other'.")
        return data


class WithdrawForm(VersionForm):
    reason = _text_area(
        "Why are you withdrawing this referral?",
        required=True,
        help_text="The receiving service and the person can read this.",
        required_message="Say why you are withdrawing the referral.",
    )


class CommentForm(forms.Form):
    text = _text_area(
        "Add a comment",
        required=True,
        help_text="Everyone who can see this referral can read it, including the person.",
        required_message="Enter your comment.",
    )


class FindServiceForm(forms.Form):
    q = forms.CharField(
        label="Search the directory",
        max_length=100,
        help_text="For example 'housing Harlow' or 'peer support'.",
        error_messages={"required": "Enter words to search for, like 'housing' or 'peer support'."},
    )


class FindPersonForm(forms.Form):
    q = forms.CharField(label="Name", max_length=100, required=False)


def _basis_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Is there a reason it must be sent without consent?",
        choices=[
            (Basis.SAFEGUARDING.value, "Yes: to safeguard the person or someone else"),
            (Basis.VITAL_INTERESTS.value, "Yes: to protect someone's life (vital interests)"),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text="Only if you cannot wait for consent. The information-governance lead reviews every one.",
    )


def _exception_field() -> forms.CharField:
    return forms.CharField(
        label="Why it cannot wait for consent",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"At least {MIN_EXCEPTION_REASON} characters. The information-governance lead reads this.",
        error_messages={"max_length": f"The reason must be {TEXT_MAX} characters or fewer."},
    )


def _clean_exception(form: forms.Form, data: dict[str, Any]) -> None:
    if form.needs_exception:  # type: ignore[attr-defined]
        basis = data.get("basis")
        reason = (data.get("exception_reason") or "").strip()
        if not basis:
            form.add_error(
                "basis",
                "The person has not consented to referrals going to this organisation. Record their consent "
                "first, or select the exception that applies.",
            )
        elif len(reason) < MIN_EXCEPTION_REASON:
            form.add_error(
                "exception_reason",
                f"Explain why it cannot wait for consent, in at least {MIN_EXCEPTION_REASON} characters.",
            )
        data["basis"] = basis or Basis.CONSENT
    else:
        data["basis"] = Basis.CONSENT
        data["exception_reason"] = ""


class SendForm(forms.Form):
    sender_organisation = forms.TypedChoiceField(
        label="Which organisation are you referring from?",
        coerce=int,
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation you are referring from."},
    )
    need = _text_area(
        "What help do they need from this service?",
        required=True,
        help_text="Write it so the person could read it: they will see it. Share only what the service needs.",
        rows=6,
        limit=NEED_MAX,
        required_message="Say what help they need from this service.",
    )
    tell_person = forms.MultipleChoiceField(
        label="How does the person want to hear about changes to this referral?",
        help_text="Ask them. Select none if they do not want messages. They can change this later.",
        choices=[("email", "Email"), ("sms", "Text message")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    basis = _basis_field()
    exception_reason = _exception_field()

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], needs_exception: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_exception = needs_exception
        field = self.fields["sender_organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = organisations
        self.only_organisation = organisations[0][0] if len(organisations) == 1 else None
        if self.only_organisation is not None:
            # Nothing to choose: the one organisation refers.
            field.widget = forms.HiddenInput()
            field.required = False
            self.initial.setdefault("sender_organisation", self.only_organisation)
        if not needs_exception:
            del self.fields["basis"]
            del self.fields["exception_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.only_organisation is not None and "sender_organisation" not in self.errors:
            data["sender_organisation"] = self.only_organisation
        _clean_exception(self, data)
        return data


class RerouteForm(VersionForm):
    note = _text_area(
        "Why are you passing it on?",
        required=True,
        help_text="The sender, the new service and the person can read this.",
        required_message="Say why you are passing the referral on.",
    )
    basis = _basis_field()
    exception_reason = _exception_field()

    def __init__(self, *args: Any, needs_exception: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_exception = needs_exception
        if not needs_exception:
            del self.fields["basis"]
            del self.fields["exception_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _clean_exception(self, data)
        return data


class PersonUpdatesForm(forms.Form):
    ways = forms.MultipleChoiceField(
        label="How do you want to hear about changes to this referral?",
        help_text="Select none if you do not want messages. You can always look here.",
        choices=[("email", "Email"), ("sms", "Text message")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class InboxFilterForm(forms.Form):
    view = forms.ChoiceField(choices=list(INBOX_VIEWS.items()), required=False, widget=forms.HiddenInput)
    organisation = forms.TypedChoiceField(
        label="Organisation", coerce=int, required=False, choices=[], empty_value=None
    )
    service = forms.ChoiceField(label="Service", required=False, choices=[])

    def __init__(
        self, *args: Any, organisations: list[tuple[int, str]], services: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        service = self.fields["service"]
        assert isinstance(organisation, forms.TypedChoiceField)
        assert isinstance(service, forms.ChoiceField)
        organisation.choices = [("", "All your organisations"), *organisations]
        service.choices = [("", "All services"), *services]


class SentFilterForm(forms.Form):
    view = forms.ChoiceField(choices=list(SENT_VIEWS.items()), required=False, widget=forms.HiddenInput)


class ExceptionReviewForm(forms.Form):
    note = _text_area(
        "What did the review find?",
        required=True,
        help_text="For example whether the exception was justified, and anything the team should learn.",
        required_message="Say what the review found.",
    )
