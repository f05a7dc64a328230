"""The public search form. It is a GET form, so it works without JavaScript
and a search can be bookmarked or shared."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings

from rosc.directory import search
from rosc.directory.selectors import SearchRequest

MILES_IN_KM = 1.609344
DISTANCE_CHOICES = [("5", "5 miles"), ("10", "10 miles"), ("25", "25 miles"), ("50", "50 miles")]
DEFAULT_MILES = "10"
MAX_MILES = 100
MODE_CHOICES = [("in_person", "In person"), ("online", "Online"), ("phone", "By phone")]
DAY_CHOICES = [("", "Any day"), *((code, name) for code, name in search.DAY_NAMES.items())]


def _miles_of(choice: tuple[str, str]) -> float:
    return float(choice[0])


def _example_place() -> str:
    area = settings.AREA_NAME.strip()
    return f"a town in {area}" if area else "a town"


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label="What help are you looking for?",
        help_text="For example: detox, AA meetings, help for my family",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "true", "autocomplete": "off"}),
    )
    where = forms.CharField(
        label="Postcode or town",
        help_text="For example SS14 1AB, SS14 or Basildon",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-20"}),
    )
    distance = forms.ChoiceField(
        label="Distance", choices=DISTANCE_CHOICES, required=False, initial=DEFAULT_MILES, widget=forms.Select
    )
    domains = forms.MultipleChoiceField(
        label="Kind of help", choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )
    needs = forms.MultipleChoiceField(
        label="Who or what it is for", choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )
    modes = forms.MultipleChoiceField(
        label="How you can get help", choices=MODE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    day = forms.ChoiceField(label="Open on", choices=DAY_CHOICES, required=False)
    open_now = forms.BooleanField(label="Open now", required=False)
    age = forms.IntegerField(
        label="Age of the person who needs help",
        help_text="Leave this empty to see services for all ages.",
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter an age in numbers, like 35",
            "min_value": "Enter an age of 0 or more",
            "max_value": "Enter an age of 120 or less",
        },
    )
    capacity = forms.BooleanField(
        label="Only show services with places free or a short wait",
        help_text=f"A short wait is {search.SHORT_WAIT_WEEKS} weeks or less.",
        required=False,
    )

    def __init__(self, *args: Any, terms: Sequence[search.TermInfo] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_distance_asked_for()
        self._set_choices("domains", [(t.code, t.name) for t in terms if t.kind == "domain"])
        self._set_choices("needs", [(t.code, t.name) for t in terms if t.kind == "need"])
        self.origin: search.Origin | None = None

    def _offer_distance_asked_for(self) -> None:
        """A link may ask for a distance the list does not offer, like 15.5 miles
        (25 km): accept any number of miles up to MAX_MILES and show it as chosen."""
        asked = str(self.data.get("distance") or "").strip() if self.is_bound else ""
        if not asked or asked in dict(DISTANCE_CHOICES):
            return
        self.fields["distance"].error_messages["invalid_choice"] = (
            f"Choose a distance, or give a number of miles up to {MAX_MILES}"
        )
        try:
            miles = float(asked)
        except ValueError:
            return
        if 0 < miles <= MAX_MILES:
            shown = f"{miles:g}"
            self._set_choices("distance", sorted([*DISTANCE_CHOICES, (asked, f"{shown} miles")], key=_miles_of))

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_where(self) -> str:
        text = " ".join(str(self.cleaned_data.get("where") or "").split())
        if not text:
            return ""
        try:
            self.origin = search.find_place(text)
        except search.PlaceAmbiguous as error:
            raise forms.ValidationError(
                "There is more than one place called %(name)s. Enter a postcode instead, like SS14 1AB",
                code="ambiguous",
                params={"name": text},
            ) from error
        except search.PlaceNotFound as error:
            raise forms.ValidationError(
                "Enter a real postcode, like SS14 1AB, or %(town)s",
                code="unknown_place",
                params={"town": _example_place()},
            ) from error
        return text

    def filters_used(self) -> bool:
        """True when any of the 'more filters' are set, so they start open."""
        if not self.is_bound:
            return False
        names = ("domains", "needs", "modes", "day", "open_now", "age", "capacity")
        return any(self.data.get(name) for name in names) or any(self.errors.get(name) for name in names)

    def to_request(self) -> SearchRequest:
        data = self.cleaned_data
        miles = float(data.get("distance") or DEFAULT_MILES)
        return SearchRequest(
            text=data.get("q") or "",
            domains=tuple(data.get("domains") or ()),
            needs=tuple(data.get("needs") or ()),
            origin=self.origin,
            radius_km=miles * MILES_IN_KM,
            modes=tuple(data.get("modes") or ()),
            day=data.get("day") or "",
            open_now=bool(data.get("open_now")),
            age=data.get("age"),
            capacity_or_short_wait=bool(data.get("capacity")),
        )
