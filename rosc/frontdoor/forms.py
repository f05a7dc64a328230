"""The front door's forms: one question a page, every one of them skippable.

Each question form knows how to show the answer already given
(``initial_from``) and how to turn what was posted into answers
(``answers_from``), so the views stay the same for every question.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from rosc.directory import geo, search
from rosc.frontdoor import answers as choices
from rosc.frontdoor.answers import Answers

NONE = "none"
TEXT_MAX = 60


def _choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return list(mapping.items())


def _example_place() -> str:
    area = settings.AREA_NAME.strip()
    return f"a town in {area}, like Basildon" if area == "Essex" else (f"a town in {area}" if area else "a town")


class Question(forms.Form):
    """A question page. ``slug`` names it in the address; ``title`` is its heading."""

    slug = ""
    title = ""
    hint = ""
    # Choice hints, by field and value, shown under each option.
    choice_hints: dict[str, dict[str, str]] = {}
    # A checkbox value shown after an "or", that cannot be ticked with the others.
    exclusive: dict[str, str] = {}
    # The answers this question sets.
    keys: tuple[str, ...] = ()

    def __init__(self, *args: Any, answers: Answers | None = None, **kwargs: Any) -> None:
        self.answers = answers or Answers()
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(self.answers)
        super().__init__(*args, **kwargs)

    def heading(self) -> str:
        return self.title

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {}

    def answers_from(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def skipped(cls) -> dict[str, Any]:
        """The answers to store when the question is skipped: each one empty."""
        empty = Answers().to_dict()
        return {name: empty[name] for name in cls.keys}


def _you(answers: Answers, you: str, them: str) -> str:
    return you if answers.who in ("", "me") else them


class DangerForm(Question):
    slug = "danger"
    title = "Is anyone in danger right now?"
    hint = "Tick all that apply."
    keys = ("danger",)
    exclusive = {"danger": NONE}

    danger = forms.MultipleChoiceField(
        label="Is anyone in danger right now?",
        choices=[*_choices(choices.DANGERS), (NONE, "No, nobody is in danger right now")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select if anyone is in danger right now, or select 'No'"},
    )

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {"danger": list(answers.danger)}

    def clean_danger(self) -> list[str]:
        picked = self.cleaned_data["danger"]
        if NONE in picked and len(picked) > 1:
            raise forms.ValidationError(
                "Select who is in danger, or select 'No, nobody is in danger right now', not both", code="both"
            )
        return [code for code in picked if code != NONE]

    def answers_from(self) -> dict[str, Any]:
        return {"danger": self.cleaned_data["danger"]}


class WhoForm(Question):
    slug = "who"
    title = "Who needs help?"
    keys = ("who", "relationship")
    choice_hints = {
        "who": {
            "someone": "For example your son or daughter, partner, parent or friend. There is support for you too.",
            "professional": "For example a teacher, GP or support worker.",
        }
    }

    who = forms.ChoiceField(
        label="Who needs help?",
        choices=_choices(choices.WHO),
        widget=forms.RadioSelect,
        error_messages={"required": "Select who needs help, or skip this question"},
    )

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {"who": answers.who}

    def answers_from(self) -> dict[str, Any]:
        who = self.cleaned_data["who"]
        found: dict[str, Any] = {"who": who}
        if who != "someone":
            found["relationship"] = ""
        return found


class RelationshipForm(Question):
    slug = "relationship"
    title = "How do you know them?"
    keys = ("relationship",)

    relationship = forms.ChoiceField(
        label="How do you know them?",
        choices=_choices(choices.RELATIONSHIPS),
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you know them, or skip this question"},
    )

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {"relationship": answers.relationship}

    def answers_from(self) -> dict[str, Any]:
        return {"relationship": self.cleaned_data["relationship"]}


class AgeForm(Question):
    slug = "age"
    keys = ("age",)

    age = forms.ChoiceField(
        label="How old are you?",
        choices=_choices(choices.AGES),
        widget=forms.RadioSelect,
        error_messages={"required": "Select an age, or skip this question"},
    )

    def heading(self) -> str:
        return _you(self.answers, "How old are you?", "How old are they?")

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {"age": answers.age}

    def answers_from(self) -> dict[str, Any]:
        return {"age": self.cleaned_data["age"]}


class SubstancesForm(Question):
    slug = "substances"
    hint = "Tick all that apply. Skip this question if you do not know."
    keys = ("substances",)

    substances = forms.MultipleChoiceField(
        label="What drink or drugs?",
        choices=_choices(choices.SUBSTANCES),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the drink or drugs, or skip this question"},
    )

    def heading(self) -> str:
        return _you(self.answers, "What drink or drugs do you want help with?", "What drink or drugs do they use?")

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {"substances": list(answers.substances)}

    def answers_from(self) -> dict[str, Any]:
        return {"substances": self.cleaned_data["substances"]}


class UrgencyForm(Question):
    slug = "how-soon"
    title = "How soon do you want help?"
    keys = ("urgency",)

    urgency = forms.ChoiceField(
        label="How soon do you want help?",
        choices=_choices(choices.URGENCY),
        widget=forms.RadioSelect,
        error_messages={"required": "Select how soon you want help, or skip this question"},
    )

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {"urgency": answers.urgency}

    def answers_from(self) -> dict[str, Any]:
        return {"urgency": self.cleaned_data["urgency"]}


class OtherNeedsForm(Question):
    slug = "what-else"
    hint = "Tick all that apply. We use this to add the right kinds of help to the plan."
    keys = ("other_needs",)
    exclusive = {"other_needs": NONE}

    other_needs = forms.MultipleChoiceField(
        label="Is anything else going on?",
        choices=[*_choices(choices.OTHER_NEEDS), (NONE, "No, nothing else")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what else is going on, or select 'No, nothing else'"},
    )

    def heading(self) -> str:
        return _you(self.answers, "Is anything else going on for you?", "Is anything else going on for them?")

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {"other_needs": list(answers.other_needs)}

    def clean_other_needs(self) -> list[str]:
        picked = self.cleaned_data["other_needs"]
        if NONE in picked and len(picked) > 1:
            raise forms.ValidationError(
                "Select what else is going on, or select 'No, nothing else', not both", code="both"
            )
        return [code for code in picked if code != NONE]

    def answers_from(self) -> dict[str, Any]:
        return {"other_needs": self.cleaned_data["other_needs"]}


class WhereForm(Question):
    slug = "where"
    title = "Where should we look for services?"
    keys = ("place", "latitude", "longitude", "online_ok")

    where = forms.CharField(
        label="Postcode or town",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-20"}),
    )
    online_ok = forms.BooleanField(label="Online or by phone is fine", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["where"].help_text = f"For example SS14 1AB, SS14 or {_example_place()}."
        self.origin: search.Origin | None = None

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {"where": answers.place, "online_ok": answers.online_ok}

    def clean_where(self) -> str:
        text = " ".join(str(self.cleaned_data.get("where") or "").split())
        if not text:
            return ""
        if len(text) > TEXT_MAX:
            raise forms.ValidationError(
                "Enter %(max)s characters or fewer, like a postcode or a town name",
                code="max_length",
                params={"max": TEXT_MAX},
            )
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
                "We could not find that place. Enter a postcode, like SS14 1AB, or %(town)s",
                code="unknown_place",
                params={"town": _example_place()},
            ) from error
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("where") and not data.get("online_ok"):
            self.add_error(
                "where", "Enter a postcode or town, or tick 'Online or by phone is fine', or skip this question"
            )
        return data

    def answers_from(self) -> dict[str, Any]:
        origin = self.origin
        if origin is None:
            return {"place": "", "latitude": None, "longitude": None, "online_ok": True}
        try:
            # A postcode: keep only its district, never the full postcode.
            label = geo.outcode_of(self.cleaned_data["where"])
        except geo.PostcodeNotRecognised:
            label = origin.label
        return {
            "place": label,
            "latitude": round(origin.latitude, 4),
            "longitude": round(origin.longitude, 4),
            "online_ok": bool(self.cleaned_data.get("online_ok")),
        }


class HowForm(Question):
    slug = "how"
    title = "How would you like to get support?"
    hint = "Tick all that suit. Leave them all empty if you do not mind."
    keys = ("modes", "evenings_weekends")

    modes = forms.MultipleChoiceField(
        label="How would you like to get support?",
        choices=_choices(choices.MODES),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    evenings_weekends = forms.BooleanField(label="Evenings or weekends suit me best", required=False)

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {"modes": list(answers.modes), "evenings_weekends": answers.evenings_weekends}

    def answers_from(self) -> dict[str, Any]:
        return {"modes": self.cleaned_data["modes"], "evenings_weekends": bool(self.cleaned_data["evenings_weekends"])}


class PeopleForm(Question):
    slug = "who-to-talk-to"
    title = "Who would you like to talk to?"
    hint = "All of these are up to you. Leave them empty if you do not mind."
    keys = ("worker_gender", "language", "lived_experience")

    worker_gender = forms.ChoiceField(
        label="Would you rather talk to a woman or a man?",
        choices=_choices(choices.GENDERS),
        widget=forms.RadioSelect,
        required=False,
    )
    language = forms.ChoiceField(
        label="Would you like to talk in a language other than English?",
        choices=[("", "English is fine"), *_choices(choices.LANGUAGES)],
        required=False,
    )
    lived_experience = forms.BooleanField(
        label="I would like to talk to someone who has been through it themselves (lived experience)",
        required=False,
    )

    def initial_from(self, answers: Answers) -> dict[str, Any]:
        return {
            "worker_gender": answers.worker_gender,
            "language": answers.language,
            "lived_experience": answers.lived_experience,
        }

    def answers_from(self) -> dict[str, Any]:
        gender = self.cleaned_data.get("worker_gender") or ""
        return {
            "worker_gender": "" if gender == "any" else gender,
            "language": self.cleaned_data.get("language") or "",
            "lived_experience": bool(self.cleaned_data.get("lived_experience")),
        }


QUESTIONS: tuple[type[Question], ...] = (
    DangerForm,
    WhoForm,
    RelationshipForm,
    AgeForm,
    SubstancesForm,
    UrgencyForm,
    OtherNeedsForm,
    WhereForm,
    HowForm,
    PeopleForm,
)
QUESTION_BY_SLUG: dict[str, type[Question]] = {question.slug: question for question in QUESTIONS}


def applies(question: type[Question], answers: Answers) -> bool:
    """Whether a question is asked, given the answers so far."""
    if question is RelationshipForm:
        return answers.who == "someone"
    return True


def flow(answers: Answers) -> list[type[Question]]:
    return [question for question in QUESTIONS if applies(question, answers)]


class SendLinkForm(forms.Form):
    """Where to send the link to a pathway. The address is used once and not kept."""

    channel = forms.ChoiceField(
        label="How should we send it?",
        choices=[("email", "Email"), ("sms", "Text message")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select email or text message"},
    )
    email = forms.CharField(
        label="Email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"max_length": "Enter an email address of 254 characters or fewer"},
    )
    mobile = forms.CharField(
        label="UK mobile number",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"}),
        error_messages={"max_length": "Enter a UK mobile number, like 07700 900 982"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel = data.get("channel")
        if channel == "email" and not (data.get("email") or "").strip():
            self.add_error("email", "Enter the email address to send the link to")
        if channel == "sms" and not (data.get("mobile") or "").strip():
            self.add_error("mobile", "Enter the mobile number to send the link to")
        return data


# --- Asking for support -----------------------------------------------------------------------------------------

CONTACT_METHODS = {
    "call": "Phone call",
    "text": "Text message",
    "email": "Email",
    "none": "Do not contact me. I will get in touch with them myself",
}
SAFE_TIMES = {
    "mornings": "Weekday mornings",
    "afternoons": "Weekday afternoons",
    "evenings": "Evenings, after 6pm",
    "weekends": "Weekends",
}
YES_NO = [("yes", "Yes"), ("no", "No")]
NAME_MAX = 200
# How many services one request can go to.
MAX_SERVICES = 5


class ChooseServicesForm(forms.Form):
    services = forms.MultipleChoiceField(
        label="Which services would you like to hear from?",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one service",
            "invalid_choice": "Select services from the list",
        },
    )

    def __init__(self, *args: Any, choices_: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["services"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices_

    def clean_services(self) -> list[str]:
        picked = self.cleaned_data["services"]
        if len(picked) > MAX_SERVICES:
            raise forms.ValidationError(
                "Select %(max)s services or fewer. You can ask others later.",
                code="too_many",
                params={"max": MAX_SERVICES},
            )
        return picked


class AboutYouForm(forms.Form):
    name = forms.CharField(
        label="What is your name?",
        help_text="The name services should use when they get in touch. It can be just your first name.",
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your name",
            "max_length": f"Enter a name of {NAME_MAX} characters or fewer",
        },
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter your name", code="required")
        if any(ord(ch) < 32 for ch in name):
            raise forms.ValidationError("Enter your name using letters, spaces and punctuation", code="invalid")
        return name


class ContactForm(forms.Form):
    method = forms.ChoiceField(
        label="How should the services get in touch?",
        choices=list(CONTACT_METHODS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the services should get in touch"},
    )
    phone = forms.CharField(
        label="Phone number",
        help_text="For a phone call or a text message. For a text, use a mobile number.",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"}),
        error_messages={"max_length": "Enter a phone number, like 07700 900 982"},
    )
    email = forms.CharField(
        label="Email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"max_length": "Enter an email address of 254 characters or fewer"},
    )
    times = forms.MultipleChoiceField(
        label="When is it safe to contact you?",
        help_text="Leave these empty if any time is fine.",
        choices=list(SAFE_TIMES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    voicemail = forms.ChoiceField(
        label="Is it safe to leave you a voicemail?",
        help_text="If you do not say, services will not leave one.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    letters = forms.ChoiceField(
        label="Is it safe to send you letters?",
        help_text="If you do not say, services will not send any.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        from rosc.core.errors import ActionRefused
        from rosc.frontdoor.actions import clean_email, clean_mobile, clean_phone

        data = super().clean() or {}
        method = data.get("method")
        try:
            if method in ("call", "text") and not (data.get("phone") or "").strip():
                self.add_error("phone", "Enter the phone number to use")
            elif method == "text":
                data["phone"] = clean_mobile(data.get("phone") or "")
            elif method == "call":
                data["phone"] = clean_phone(data.get("phone") or "")
        except ActionRefused as refused:
            self.add_error("phone", refused.message)
        try:
            if method == "email" and not (data.get("email") or "").strip():
                self.add_error("email", "Enter the email address to use")
            elif method == "email":
                data["email"] = clean_email(data.get("email") or "")
        except ActionRefused as refused:
            self.add_error("email", refused.message)
        if method == "none":
            data["phone"] = data["email"] = ""
        elif method in ("call", "text"):
            data["email"] = ""
        elif method == "email":
            data["phone"] = ""
        return data


class SendRequestForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=100)
    agree = forms.BooleanField(
        label="I agree to share these details with the services I chose",
        error_messages={"required": "Tick the box to agree to share your details, or go back to your plan"},
    )
