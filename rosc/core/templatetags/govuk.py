"""Template helpers for GOV.UK markup."""

from __future__ import annotations

import copy
from typing import Any

from django import forms as django_forms
from django import template
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BoundField
from django.forms.utils import ErrorList
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString

register = template.Library()

_ERROR_MODIFIERS = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
}

# Plain-English versions of the error messages that django-allauth and
# Django's password validators give, keyed by the error's code.
_PLAIN_ERRORS_BY_CODE = {
    "email_password_mismatch": "Your email address or password is not right. Check them and try again.",
    "too_many_login_attempts": "You have tried to sign in too many times. Try again later.",
    "incorrect_code": "That code did not work. Check the code in your app and try again.",
    "incorrect_password": "That password is not right. Try again.",
    "enter_current_password": "Enter your current password.",
    "duplicate_email": "You have already added this email address.",
    "email_taken": "Another account uses this email address.",
    "cannot_remove_primary_email": "You cannot remove your main email address.",
    "unverified_primary_email": "You need to confirm your main email address first.",
    "invalid_password_reset": "This link to reset your password does not work. Ask for a new one.",
    "account_inactive": "This account is closed. Contact us if you think this is wrong.",
    "rate_limited": "You have tried too many times. Wait a few minutes, then try again.",
    "same_as_current": "The new value must be different from the one you have now.",
    "max_email_addresses": "You cannot add any more email addresses.",
    "cannot_delete_authenticator": "You cannot turn off two-step verification on this account.",
    "cannot_generate_recovery_codes": "Set up an authenticator app first. Then you can get recovery codes.",
    "unverified_email": "Confirm your email address first. Then you can set up two-step verification.",
    "add_email_blocked": "You cannot add an email address while two-step verification is on.",
    "password_too_short": "Your password is too short. Use %(min_length)d characters or more.",
    "password_too_common": "This password is too common. Choose a different one.",
    "password_too_similar": "Your password is too like your %(verbose_name)s. Choose a different one.",
    "password_entirely_numeric": "Your password cannot be only numbers.",
}
# Some allauth messages have no code, so match them on their text.
_PLAIN_ERRORS_BY_TEXT = {
    "You must type the same password each time.": "The passwords do not match. Type the same password twice.",
}
_EMAIL_FORMAT_ERROR = "Enter an email address in the right format, like name@example.com"


def _widget_type(widget: Any) -> str:
    return str(widget.attrs.get("type") or getattr(widget, "input_type", "") or "")


@register.simple_tag
def govuk_widget(field: BoundField, css_class: str) -> SafeString:
    """Render the field's own widget with GOV.UK classes and ARIA links to its hint and error.

    Placeholders are left out (the label and hint say what to enter), and
    email, password and one-time-code inputs get the attributes GOV.UK uses.
    """
    classes = [css_class]
    if field.errors and css_class in _ERROR_MODIFIERS:
        classes.append(_ERROR_MODIFIERS[css_class])
    widget = field.field.widget
    existing = widget.attrs.get("class")
    if existing:
        classes.append(existing)
    input_type = _widget_type(widget)
    autocomplete = widget.attrs.get("autocomplete", "")
    attrs: dict[str, Any] = {}
    if input_type in ("email", "password") or autocomplete == "one-time-code":
        attrs["spellcheck"] = "false"
        attrs["autocapitalize"] = "none"
    if input_type == "password":
        classes.append("govuk-password-input__input govuk-js-password-input-input")
    if autocomplete == "one-time-code":
        classes.append("govuk-input--width-10 govuk-input--extra-letter-spacing")
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs["class"] = " ".join(classes)
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if "placeholder" in widget.attrs:
        widget = copy.copy(widget)
        widget.attrs = {k: v for k, v in widget.attrs.items() if k != "placeholder"}
    return _widget_html(field, widget, attrs)


# Django's own templates for these widgets are short; they are written out here
# in Python with the very same output, because a page of form fields otherwise
# spends much of its time rendering one small template for each input and option.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "email", "number", "password", "url", "tel", "search", "date", "checkbox", "hidden")
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _text(value: Any) -> Any:
    """As ``{{ value|stringformat:'s' }}`` shows a value."""
    return conditional_escape(value if isinstance(value, SafeData) else str(value))


def _attrs_html(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html writes attributes."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
        )
    return "".join(parts)


def _widget_html(field: BoundField, widget: Any, attrs: dict[str, Any]) -> SafeString:
    """``field.as_widget(widget=widget, attrs=attrs)``, written out in Python for
    inputs, selects and text areas; any other widget renders its own template."""
    template_name = widget.template_name
    if field.field.localize or template_name not in (*_INPUT_TEMPLATES, _SELECT_TEMPLATE, _TEXTAREA_TEMPLATE):
        return field.as_widget(widget=widget, attrs=attrs)
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name = conditional_escape(context["name"])
    own = _attrs_html(context["attrs"])
    if template_name == _SELECT_TEMPLATE:
        parts = [f'<select name="{name}"{own}>']
        for group_name, options, _index in context["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                if option["template_name"] != _OPTION_TEMPLATE:
                    return field.as_widget(widget=widget, attrs=attrs)
                parts.append(
                    f'\n  <option value="{_text(option["value"])}"{_attrs_html(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return SafeString("".join(parts))
    if template_name == _TEXTAREA_TEMPLATE:
        value = context["value"]
        shown = conditional_escape(value) if value else ""
        return SafeString(f'<textarea name="{name}"{own}>\n{shown}</textarea>')
    value = context["value"]
    shown = f' value="{_text(value)}"' if value is not None else ""
    return SafeString(f'<input type="{conditional_escape(context["type"])}" name="{name}"{shown}{own}>')


def _plain_error(error: ValidationError, field: Any, overrides: dict[str, str]) -> ValidationError:
    code = error.code or ""
    if code and code in overrides:
        return ValidationError(overrides[code], code=code)
    if code == "invalid" and isinstance(field, django_forms.EmailField):
        return ValidationError(_EMAIL_FORMAT_ERROR, code=code)
    if code in _PLAIN_ERRORS_BY_CODE:
        text = _PLAIN_ERRORS_BY_CODE[code]
        try:
            text = text % (error.params or {})
        except (KeyError, TypeError, ValueError):
            return error
        return ValidationError(text, code=code)
    try:
        message = str(error.message % error.params) if error.params else str(error.message)
    except (KeyError, TypeError, ValueError):
        return error
    if message in _PLAIN_ERRORS_BY_TEXT:
        return ValidationError(_PLAIN_ERRORS_BY_TEXT[message], code=code or None)
    return error


@register.simple_tag
def govuk_copy(form: Any, **copy_text: str) -> str:
    """Give a form plain-English labels, hints and error messages for this page.

    Keyword arguments are ``<field>__label``, ``<field>__hint`` and
    ``<field>__<error code>`` (for example ``login__required``); non-field
    errors use ``form__<error code>``. Known django-allauth and password
    messages are rewritten in plain English too. Only this form instance
    changes. Use it before the error summary and the form.
    """
    if form is None or not hasattr(form, "fields"):
        return ""
    per_field: dict[str, dict[str, str]] = {}
    for key, value in copy_text.items():
        name, _, part = key.rpartition("__")
        if name:
            per_field.setdefault(name, {})[part] = value
    for name, parts in per_field.items():
        if name in form.fields:
            # Bound fields copy the label and hint when first made (for
            # example while the form is checked), so change both.
            bound = form[name]
            if "label" in parts:
                form.fields[name].label = bound.label = parts["label"]
            if "hint" in parts:
                form.fields[name].help_text = bound.help_text = parts["hint"]
    if form.is_bound and form.errors:
        for name, errors in list(form.errors.items()):
            is_form = name == NON_FIELD_ERRORS
            overrides = per_field.get("form" if is_form else name, {})
            field = None if is_form else form.fields.get(name)
            new = [_plain_error(error, field, overrides) for error in errors.as_data()]
            form.errors[name] = ErrorList(new, error_class=errors.error_class, renderer=errors.renderer)
    return ""


@register.filter
def govuk_chunks(value: Any, size: int = 4) -> str:
    """Split a long code into groups, for example ``ABCD EFGH``, so it is easier to copy."""
    text = str(value or "")
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


@register.inclusion_tag("core/forms/error_summary.html")
def govuk_error_summary(*forms: Any) -> dict[str, Any]:
    """The error summary for the top of a page: each message links to its field.

    Errors about the whole form link to its first field, if it has one.
    """
    items = []
    for form in forms:
        if form is None or not getattr(form, "errors", None):
            continue
        first = ""
        visible = form.visible_fields() if hasattr(form, "visible_fields") else []
        if visible:
            bound = visible[0]
            first = (
                f"#{bound.auto_id}_0"
                if bound.widget_type in ("radioselect", "checkboxselectmultiple")
                else f"#{bound.auto_id}"
            )
        for error in form.non_field_errors():
            items.append({"text": error, "href": first})
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            target = bound.auto_id
            if bound.widget_type in ("radioselect", "checkboxselectmultiple"):
                target = f"{bound.auto_id}_0"
            for error in errors:
                items.append({"text": error, "href": f"#{target}"})
    return {"errors": items}


@register.simple_tag
def govuk_choice_items(field: BoundField) -> SafeString:
    """The items of a GOV.UK radios or checkboxes group, built in one pass.

    The same markup as looping over ``field.subwidgets`` in a template, at a
    fraction of the cost: a search form has dozens of checkboxes on every page.
    Ids follow Django's (``<auto id>_<index>``), so labels and errors line up.
    """
    radio = field.widget_type == "radioselect"
    kind = "radios" if radio else "checkboxes"
    input_type = "radio" if radio else "checkbox"
    value = field.value()
    if value is None:
        chosen: set[str] = set()
    elif isinstance(value, list | tuple):
        chosen = {str(item) for item in value}
    else:
        chosen = {str(value)}
    auto_id = field.auto_id
    items = []
    for index, (choice_value, label) in enumerate(field.field.choices):  # type: ignore[attr-defined]
        text = str(choice_value)
        items.append(
            format_html(
                '<div class="govuk-{}__item"><input class="govuk-{}__input" id="{}_{}" name="{}" type="{}" '
                'value="{}"{}><label class="govuk-label govuk-{}__label" for="{}_{}">{}</label></div>',
                kind,
                kind,
                auto_id,
                index,
                field.html_name,
                input_type,
                text,
                SafeString(" checked") if text in chosen else "",
                kind,
                auto_id,
                index,
                label,
            )
        )
    return SafeString("".join(items))
