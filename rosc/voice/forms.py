"""Forms for Community Voice. They check what a person typed and say clearly what is wrong; the
actions check the same rules again, because other code can call them too."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from rosc.voice import workflow
from rosc.voice.actions import HIDE_REASON_MAX, LINK_MAX, MINUTES_MAX, PLACE_MAX
from rosc.voice.models import DETAIL_MAX, DISPLAY_NAME_MAX, TITLE_MAX, Item, ItemStatus, MeetingMode, Member

NO_PERSONAL_DETAILS = "Do not include anyone's personal details or health information."

# How each answer is offered to the person giving it.
ANSWER_LABELS = {
    ItemStatus.UNDER_CONSIDERATION: "Under consideration: the forum is looking at it",
    ItemStatus.WE_WILL: "We will: say what will be done, who owns it and by when",
    ItemStatus.WE_DID: "We did: say what was done, who did it and when",
    ItemStatus.WE_CANNOT: "We cannot: say why not and who decided",
    ItemStatus.REVIEWED: "Reviewed: say what the forum made of the research",
}


def _too_long(what: str, limit: int) -> str:
    return f"{what} must be {limit:,} characters or fewer."


def _date_field(label: str, help_text: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter a real date, for example 2026-03-27."},
    )


def _link_field(label: str, help_text: str) -> forms.URLField:
    return forms.URLField(
        label=label,
        max_length=LINK_MAX,
        help_text=help_text,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
        error_messages={
            "required": "Enter a link to where it can be read.",
            "invalid": "Enter a link in the right format, like https://www.example.org/report",
            "max_length": _too_long("The link", LINK_MAX),
        },
    )


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=DISPLAY_NAME_MAX,
        help_text=(
            "Other members and the public see this name next to what you raise. It does not have to be your "
            "real name, and it can be different from the name on your account. Do not use your email address."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the name you want other members to see.",
            "max_length": _too_long("Your display name", DISPLAY_NAME_MAX),
        },
    )

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if "@" in name:
            raise forms.ValidationError("A display name cannot contain @. Do not use your email address.")
        return name


class RaiseForm(forms.Form):
    title = forms.CharField(
        label="What is it about?",
        max_length=TITLE_MAX,
        help_text="A short title, for example 'Evening peer support in Harlow'.",
        error_messages={
            "required": "Enter a short title for what you are raising.",
            "max_length": _too_long("The title", TITLE_MAX),
        },
    )
    detail = forms.CharField(
        label="What would you like the forum to know or change?",
        max_length=DETAIL_MAX,
        help_text=f"Say what happens now and what would make it better. {NO_PERSONAL_DETAILS}",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Say what you would like the forum to know or change.",
            "max_length": _too_long("What you are raising", DETAIL_MAX),
        },
    )


class LogFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everything the forum has taken up")]
        + [
            (status.value, status.label)
            for status in (ItemStatus.UNDER_CONSIDERATION, ItemStatus.WE_WILL, ItemStatus.WE_DID, ItemStatus.WE_CANNOT)
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the options."},
    )


class MeetingForm(forms.Form):
    title = forms.CharField(
        label="Name of the meeting",
        max_length=TITLE_MAX,
        help_text="For example 'Spring meeting 2026'.",
        error_messages={
            "required": "Enter a name for the meeting, for example 'Spring meeting 2026'.",
            "max_length": _too_long("The name", TITLE_MAX),
        },
    )
    starts_on = forms.DateField(
        label="Date",
        help_text="For example 2026-03-27.",
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the date of the meeting.",
            "invalid": "Enter a real date, for example 2026-03-27.",
        },
    )
    starts_at_time = forms.TimeField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 18:30.",
        widget=forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"}, format="%H:%M"),
        error_messages={
            "required": "Enter the time the meeting starts.",
            "invalid": "Enter a time on the 24-hour clock, like 18:30.",
        },
    )
    mode = forms.ChoiceField(
        label="How do people take part?",
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how people take part.", "invalid_choice": "Choose how people take part."},
    )
    place = forms.CharField(
        label="Where, or how to join online",
        max_length=PLACE_MAX,
        help_text="For example 'Chelmsford Recovery Space, main room', or 'Online: members get the link by email'.",
        error_messages={
            "required": "Say where the meeting is, or how to join it online.",
            "max_length": _too_long("Where it meets", PLACE_MAX),
        },
    )

    @classmethod
    def initial_for(cls, meeting: Any) -> dict[str, Any]:
        local = timezone.localtime(meeting.starts_at)
        return {
            "title": meeting.title,
            "starts_on": local.date(),
            "starts_at_time": local.time().replace(second=0, microsecond=0),
            "mode": meeting.mode,
            "place": meeting.place,
        }

    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["starts_on"], data["starts_at_time"]))


class AgendaForm(forms.Form):
    title = forms.CharField(
        label="Other agenda item",
        max_length=TITLE_MAX,
        help_text="For example 'Welcome and introductions' or 'Update from the Recovery Fund'.",
        error_messages={
            "required": "Enter what the agenda item is about.",
            "max_length": _too_long("It", TITLE_MAX),
        },
    )


class PaperForm(forms.Form):
    title = forms.CharField(
        label="Title of the paper",
        max_length=TITLE_MAX,
        error_messages={"required": "Enter the title of the paper.", "max_length": _too_long("The title", TITLE_MAX)},
    )
    link = _link_field(
        "Link to the paper",
        "Where members can read it, for example a shared document. Papers are shared as links, not uploads.",
    )


class AttendanceForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label="Members present",
        help_text="Select everyone who took part, in person or online.",
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose members from the list.", "invalid_pk_value": "Choose from the list."},
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = members


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes",
        required=False,
        max_length=MINUTES_MAX,
        help_text=(
            "Who chaired, what was discussed and what was agreed. Refer to members by their display names. "
            f"{NO_PERSONAL_DETAILS}"
        ),
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"max_length": _too_long("The minutes", MINUTES_MAX)},
    )


class _AnswerFields(forms.Form):
    """The answer to an item: its new status, the words shown on the log, the owner and the dates."""

    owner = forms.CharField(
        label="Who is responsible",
        required=False,
        max_length=workflow.OWNER_MAX,
        help_text="A team, organisation or role, for example 'Commissioning team' or 'Harlow Recovery Space'.",
        error_messages={"max_length": _too_long("Who is responsible", workflow.OWNER_MAX)},
    )
    due_on = _date_field("Done by (for 'we will')", "The date it will be done by, for example 2026-06-30.")
    done_on = _date_field("Date done (for 'we did')", "The date it was done, for example 2026-03-27.")

    def check_answer(self, item: Item | None, status: str, response: str, response_field: str) -> None:
        if item is None or not status:
            return
        data = self.cleaned_data
        problems = workflow.response_problems(
            kind=item.kind,
            status=item.status,
            to=status,
            response=response,
            owner=data.get("owner") or "",
            due_on=data.get("due_on"),
            done_on=data.get("done_on"),
            today=timezone.localdate(),
        )
        for field, message in problems.items():
            target = response_field if field == "response" else field
            if target in self.fields and target not in self.errors:
                self.add_error(target, message)


class AnswerForm(_AnswerFields):
    field_order = ["status", "response", "owner", "due_on", "done_on"]

    status = forms.ChoiceField(
        label="Answer",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an answer.", "invalid_choice": "Choose one of the answers offered."},
    )
    response = forms.CharField(
        label="What the public log says",
        required=False,
        max_length=workflow.RESPONSE_MAX,
        help_text=f"What will be done, what was done, or why it cannot be done. {NO_PERSONAL_DETAILS}",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _too_long("The answer", workflow.RESPONSE_MAX)},
    )

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s, ANSWER_LABELS[ItemStatus(s)]) for s in workflow.next_statuses(item.kind, item.status)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "status" in data:
            self.check_answer(self.item, data["status"], data.get("response") or "", "response")
        return data


class DecisionForm(_AnswerFields):
    field_order = ["item", "text", "status", "owner", "due_on", "done_on"]

    item = forms.TypedChoiceField(
        label="Which agenda item is it about?",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        error_messages={"invalid_choice": "Choose an item from this meeting's agenda."},
    )
    text = forms.CharField(
        label="What the meeting decided",
        max_length=workflow.RESPONSE_MAX,
        help_text=(
            "If the decision answers the item, these words are its answer on the public 'you said, we did' log. "
            f"{NO_PERSONAL_DETAILS}"
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Say what the meeting decided.",
            "max_length": _too_long("The decision", workflow.RESPONSE_MAX),
        },
    )
    status = forms.ChoiceField(
        label="What does it mean for the item?",
        required=False,
        choices=[("", "No answer yet: the item stays as it is")]
        + [(s.value, ANSWER_LABELS[s]) for s in (ItemStatus.WE_WILL, ItemStatus.WE_DID, ItemStatus.WE_CANNOT)]
        + [(ItemStatus.REVIEWED.value, ANSWER_LABELS[ItemStatus.REVIEWED])],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the options."},
    )

    def __init__(self, *args: Any, items: list[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        field = self.fields["item"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Not about one item")] + [
            (item.pk, f"{item.title} ({item.get_status_display().lower()})") for item in items
        ]

    def chosen_item(self) -> Item | None:
        item_id = self.cleaned_data.get("item")
        return self.items.get(item_id) if item_id is not None else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status") or ""
        if status and "item" in data and data["item"] is None:
            self.add_error("item", "Choose the item that this answer is for.")
        elif "item" in data:
            self.check_answer(self.chosen_item(), status, data.get("text") or "", "text")
        return data


class HideForm(forms.Form):
    reason = forms.CharField(
        label="Why are you hiding it?",
        max_length=HIDE_REASON_MAX,
        help_text="Its author sees this reason. For example 'It names a member of staff'.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why the item is hidden. Its author will see this.",
            "max_length": _too_long("The reason", HIDE_REASON_MAX),
        },
    )


class RunnerItemFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *ItemStatus.choices])
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), (workflow.REQUEST, "Community requests"), (workflow.RESEARCH, "Research")],
    )
    hidden = forms.BooleanField(label="Show hidden items only", required=False)
