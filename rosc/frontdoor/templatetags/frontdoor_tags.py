"""Template helpers for the front door's question pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


@register.inclusion_tag("frontdoor/includes/question_field.html")
def question_field(field: BoundField, heading: str, hint: str = "", hints: Any = None, exclusive: str = "") -> dict:
    """A radios or checkboxes question whose legend is the page's heading, GOV.UK style,
    with a hint under any option and an "or" before an option that cannot be ticked with others."""
    radio = field.widget_type == "radioselect"
    value = field.value()
    if value is None:
        chosen: set[str] = set()
    elif isinstance(value, list | tuple):
        chosen = {str(item) for item in value}
    else:
        chosen = {str(value)}
    hints = hints or {}
    items = []
    for index, (choice_value, label) in enumerate(field.field.choices):  # type: ignore[attr-defined]
        text = str(choice_value)
        items.append(
            {
                "id": f"{field.auto_id}_{index}",
                "value": text,
                "label": label,
                "hint": hints.get(text, ""),
                "checked": text in chosen,
                "exclusive": bool(exclusive) and text == exclusive,
            }
        )
    described = " ".join(
        part
        for part in (f"{field.auto_id}-hint" if hint else "", f"{field.auto_id}-error" if field.errors else "")
        if part
    )
    return {
        "field": field,
        "heading": heading,
        "hint": hint,
        "items": items,
        "kind": "radios" if radio else "checkboxes",
        "input_type": "radio" if radio else "checkbox",
        "described": described,
    }
