"""Template helpers for GOV.UK markup."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_ERROR_MODIFIERS = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
}


@register.simple_tag
def govuk_widget(field: BoundField, css_class: str) -> SafeString:
    """Render the field's own widget with GOV.UK classes and ARIA links to its hint and error."""
    classes = [css_class]
    if field.errors and css_class in _ERROR_MODIFIERS:
        classes.append(_ERROR_MODIFIERS[css_class])
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, Any] = {"class": " ".join(classes)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("core/forms/error_summary.html")
def govuk_error_summary(*forms: Any) -> dict[str, Any]:
    """The error summary for the top of a page: each message links to its field."""
    items = []
    for form in forms:
        if form is None or not getattr(form, "errors", None):
            continue
        for error in form.non_field_errors():
            items.append({"text": error, "href": ""})
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
