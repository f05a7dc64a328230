"""Form inputs, selects and text areas are written out in Python (``govuk._widget_html``)
instead of through Django's widget templates: the markup must be exactly the same."""

from __future__ import annotations

import itertools

import pytest
from django import forms
from django.utils.safestring import mark_safe

from rosc.core.templatetags.govuk import _INPUT_TEMPLATES, _SELECT_TEMPLATE, _TEXTAREA_TEMPLATE, _widget_html


class EveryWidget(forms.Form):
    name = forms.CharField(max_length=20, help_text="Your name")
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    age = forms.IntegerField(required=False, min_value=0, max_value=120)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    site = forms.URLField(required=False, assume_scheme="https")
    phone = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "tel", "data-x": mark_safe("&amp;")}))
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    agree = forms.BooleanField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    colour = forms.ChoiceField(choices=[("", "Pick one"), ("r", "Red & <pink>"), ("g", 'Green "go"')])
    grouped = forms.ChoiceField(
        choices=[("Warm", [("r", "Red"), ("o", "Orange")]), ("Cold", [("b", "Blue")]), ("x", "Other")],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")], required=False)
    maybe = forms.NullBooleanField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "spellcheck": False}))
    off = forms.CharField(required=False, disabled=True, initial="fixed")


BOUND = {
    "name": 'Jo "Jojo" <b>&',
    "email": "not-an-email",
    "age": "-3",
    "secret": "s3cret&",
    "phone": "01632 960000",
    "day": "2026-11-28",
    "agree": "on",
    "hidden": "h<i>",
    "colour": "g",
    "grouped": "o",
    "many": ["1", "3"],
    "maybe": "true",
    "notes": "Line one\nline <two> & three",
}
EXTRA_ATTRS = [{}, {"class": "govuk-input"}, {"class": "govuk-input", "aria-describedby": "x-hint", "autofocus": True}]


@pytest.mark.parametrize("data", [None, BOUND, {"agree": ""}], ids=["unbound", "bound", "empty"])
def test_every_widget_is_written_exactly_as_django_writes_it(data):
    form = EveryWidget(data)
    form.is_valid()  # so that fields with errors carry aria-invalid
    # Every widget here is one that is written in Python, so no comparison is Django against itself.
    written_in_python = (*_INPUT_TEMPLATES, _SELECT_TEMPLATE, _TEXTAREA_TEMPLATE)
    assert {name for name, field in form.fields.items() if field.widget.template_name in written_in_python} == set(
        form.fields
    )
    if data is BOUND:
        assert {"email", "age"} <= set(form.errors)
    for name, attrs in itertools.product(form.fields, EXTRA_ATTRS):
        field = form[name]
        widget = field.field.widget
        assert str(_widget_html(field, widget, dict(attrs))) == str(field.as_widget(widget=widget, attrs=dict(attrs)))


def test_a_bound_form_shows_what_was_typed_escaped():
    form = EveryWidget(BOUND)
    html = str(_widget_html(form["name"], form["name"].field.widget, {}))
    assert 'value="Jo &quot;Jojo&quot; &lt;b&gt;&amp;"' in html
    select = str(_widget_html(form["grouped"], form["grouped"].field.widget, {}))
    assert '<optgroup label="Warm">' in select
    assert '<option value="o" selected>Orange</option>' in select
