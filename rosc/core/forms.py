"""GOV.UK form rendering: every Django form renders GOV.UK markup, with the
error summary and inline errors, because the fields render themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from rosc.core.models import PublicRole


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class SignupExtraForm(forms.Form):
    """Extra questions on the sign-up page."""

    # allauth builds the sign-up form on top of this one: ask for the email
    # address and password first, then the optional questions.
    field_order = ["email", "password1", "password2", "display_name", "public_role"]

    display_name = forms.CharField(
        label="Display name (optional)",
        max_length=80,
        required=False,
        help_text="The name other people see. It does not have to be your real name.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )
    public_role = forms.ChoiceField(
        label="What brings you here? (optional)",
        choices=PublicRole.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def signup(self, request: Any, user: Any) -> None:
        user.display_name = self.cleaned_data.get("display_name", "")
        user.public_role = self.cleaned_data.get("public_role", "")
        user.save(update_fields=["display_name", "public_role"])


class ProfileForm(forms.Form):
    display_name = SignupExtraForm.base_fields["display_name"]
    public_role = forms.ChoiceField(
        label="What do you use Open ROSC for?", choices=PublicRole.choices, required=False, widget=forms.RadioSelect
    )


class MembershipAddForm(forms.Form):
    email = forms.EmailField(
        label="Email address of their account",
        help_text="They need an Open ROSC account already.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(label="Role", choices=[], widget=forms.RadioSelect)

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = roles


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="Who (email contains)", required=False, max_length=254)
    action = forms.CharField(
        label="Action (starts with)", required=False, max_length=64, help_text="For example auth. or membership."
    )
    object_type = forms.CharField(label="Record type", required=False, max_length=64)
    object_id = forms.CharField(label="Record id", required=False, max_length=64)
    date_from = forms.DateField(
        label="From date",
        required=False,
        help_text="For example 2026-11-28",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label="To date",
        required=False,
        help_text="For example 2026-11-28",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date.")
        return data
