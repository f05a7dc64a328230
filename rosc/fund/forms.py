"""Forms for the Recovery Fund. They check what a person typed and say clearly
what is wrong; the actions check the rules again, because other code calls them too."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from rosc.fund import actions, secrecy
from rosc.fund.models import DeliveryStatus, Proposal, Round, RoundArea, Rule, VoteType


def _whole_pounds(label: str, *, required: bool = True, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=actions.MAX_BUDGET,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter the {label.lower().replace(' (optional)', '')} in whole pounds, like 5000.",
            "invalid": "Enter an amount in whole pounds, like 5000, without the £ sign or pence.",
            "min_value": "Enter an amount of £0 or more.",
            "max_value": f"Enter an amount of £{actions.MAX_BUDGET:,} or less.",
        },
    )


def _clean_pounds(data: Any) -> Any:
    """Let people type £5,000 as well as 5000."""
    if isinstance(data, str):
        return data.replace("£", "").replace(",", "").strip()
    return data


class PoundsForm(forms.Form):
    pound_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and args[0] is not None:
            data = args[0].copy()
            for name in self.pound_fields:
                if name in data:
                    data[name] = _clean_pounds(data[name])
            args = (data, *args[1:])
        super().__init__(*args, **kwargs)


def _area_choices(areas: list[RoundArea], *, every: str = "Every area of the round") -> list[tuple[str, str]]:
    return [("", every), *((str(area.pk), area.name) for area in areas)]


# --- Staff ----------------------------------------------------------------------------------------------------------


class RoundForm(PoundsForm):
    pound_fields = ("budget", "min_project_cost", "max_project_cost")

    name = forms.CharField(
        label="Name of the round",
        max_length=200,
        help_text="For example: Essex Recovery Fund, spring 2026.",
        error_messages={"required": "Enter the name of the round."},
    )
    description = forms.CharField(
        label="What the round is for",
        help_text="Shown on the round's public page. Say who can take part and what kind of projects it funds.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the round is for."},
    )
    budget = _whole_pounds("Budget", help_text="The money the community shares out, in whole pounds.")
    eligibility_rules = forms.CharField(
        label="Eligibility rules",
        help_text="What a project must meet to go on the ballot. Reviewers give a reason when one does not.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the eligibility rules."},
    )
    min_project_cost = _whole_pounds("Lowest project cost (optional)", required=False)
    max_project_cost = _whole_pounds(
        "Highest project cost (optional)", required=False, help_text="Leave empty for no limit below the budget."
    )
    areas = forms.CharField(
        label="Areas",
        help_text=(
            "One area a line: its name, a colon, then its postcode districts. For example: "
            "Chelmsford: CM1, CM2, CM3. Voters say which postcode district they live in."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        error_messages={"required": "Give at least one area, like 'Chelmsford: CM1, CM2, CM3'."},
    )
    vote_type = forms.ChoiceField(
        label="Type of ballot",
        choices=VoteType.choices,
        initial=VoteType.APPROVAL,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of ballot."},
    )
    points_per_voter = forms.IntegerField(
        label="Points each voter shares out (points ballots only)",
        min_value=2,
        max_value=actions.MAX_POINTS,
        initial=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter a whole number of points, like 10.",
            "min_value": "Each voter must have at least 2 points.",
            "max_value": f"Each voter can have at most {actions.MAX_POINTS} points.",
        },
    )
    rule = forms.ChoiceField(
        label="How the votes are counted",
        choices=Rule.choices,
        initial=Rule.EQUAL_SHARES_ADD1,
        widget=forms.RadioSelect,
        help_text="The results page also shows what the other way of counting would have funded.",
        error_messages={"required": "Choose how the votes are counted."},
    )
    voting_closes_on = forms.DateField(
        label="Date voting closes (optional until voting opens)",
        required=False,
        help_text="For example 2026-06-30.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the date voting closes, like 2026-06-30."},
    )
    voting_closes_time = forms.TimeField(
        label="Time voting closes",
        required=False,
        initial=time(18, 0),
        help_text="On the 24-hour clock, like 18:00.",
        widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}, format="%H:%M"),
        error_messages={"invalid": "Enter the time on the 24-hour clock, like 18:00."},
    )

    @classmethod
    def initial_for(cls, round: Round) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(round, name)
            for name in (
                "name",
                "description",
                "budget",
                "eligibility_rules",
                "min_project_cost",
                "max_project_cost",
                "vote_type",
                "points_per_voter",
                "rule",
            )
        }
        initial["areas"] = secrecy.format_areas(actions.round_areas(round))
        if round.voting_closes_at:
            local = timezone.localtime(round.voting_closes_at)
            initial["voting_closes_on"], initial["voting_closes_time"] = local.date(), local.time()
        return initial

    def clean_areas(self) -> list[tuple[str, list[str]]]:
        try:
            return secrecy.parse_areas(self.cleaned_data.get("areas", ""))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, at = data.get("voting_closes_on"), data.get("voting_closes_time")
        data["voting_closes_at"] = (
            timezone.make_aware(datetime.combine(day, at or time(18, 0))) if day is not None else None
        )
        return data

    def settings(self) -> actions.RoundSettings:
        data = self.cleaned_data
        return actions.RoundSettings(
            name=data["name"],
            description=data["description"],
            eligibility_rules=data["eligibility_rules"],
            budget=data["budget"],
            min_project_cost=data.get("min_project_cost") or 1,
            max_project_cost=data.get("max_project_cost"),
            vote_type=data["vote_type"],
            points_per_voter=data.get("points_per_voter") or 10,
            rule=data["rule"],
            voting_closes_at=data.get("voting_closes_at"),
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is the proposal eligible?",
        choices=[("eligible", "Yes, it goes on the ballot"), ("ineligible", "No, it does not meet the rules")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the proposal is eligible."},
    )
    reason = forms.CharField(
        label="Reason (published)",
        required=False,
        max_length=actions.REASON_LIMIT,
        help_text="Needed when it is not eligible. Say which rule it does not meet, kindly and plainly.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The reason must be {actions.REASON_LIMIT:,} characters or fewer."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "ineligible" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason the proposal is not eligible. It is published.")
        return data


class HideIdeaForm(forms.Form):
    reason = forms.CharField(
        label="Why hide this idea? (published)",
        max_length=300,
        help_text="For example: it names a person, or it is not about recovery.",
        error_messages={"required": "Enter why the idea is hidden.", "max_length": "Use 300 characters or fewer."},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Pabulib file (.pb)",
        error_messages={"required": "Choose a .pb file to upload.", "empty": "The file you chose is empty."},
    )


# --- Community ------------------------------------------------------------------------------------------------------


class IdeaForm(forms.Form):
    title = forms.CharField(
        label="Your idea in a few words",
        max_length=120,
        error_messages={"required": "Enter a short title for your idea.", "max_length": "Use 120 characters or fewer."},
    )
    description = forms.CharField(
        label="Tell us about it",
        max_length=2000,
        help_text="What would help people in recovery where you live? Do not name anyone.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your idea.", "max_length": "Use 2,000 characters or fewer."},
    )
    area = forms.ChoiceField(label="Where?", required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, areas: list[RoundArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _area_choices(areas)
        field.initial = ""


class ProposalForm(PoundsForm):
    pound_fields = ("cost",)

    title = forms.CharField(
        label="Name of the project",
        max_length=120,
        error_messages={"required": "Enter the name of the project.", "max_length": "Use 120 characters or fewer."},
    )
    summary = forms.CharField(
        label="Summary",
        max_length=500,
        help_text="One or two sentences. This is what voters see first.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a summary of the project.", "max_length": "Use 500 characters or fewer."},
    )
    delivers = forms.CharField(
        label="What will the project deliver, and for whom?",
        max_length=actions.TEXT_LIMIT,
        help_text="For example: 40 weekly walking group sessions for people in early recovery in Harlow.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the project will deliver.", "max_length": "Use fewer words."},
    )
    cost = _whole_pounds("Cost", help_text="The whole cost in pounds, like 2500.")
    area = forms.ChoiceField(label="Where will it happen?", required=False, widget=forms.RadioSelect)
    lead_name = forms.CharField(
        label="Who will lead the project?",
        max_length=120,
        help_text="A person or a group. This is published, so you can give a group's name instead of your own.",
        error_messages={"required": "Enter who will lead the project.", "max_length": "Use 120 characters or fewer."},
    )
    lived_experience = forms.CharField(
        label="How do people in recovery lead it?",
        max_length=actions.TEXT_LIMIT,
        help_text="Projects must be led by people with lived experience of recovery. This is published.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter how people in recovery lead the project.", "max_length": "Use fewer words."},
    )
    led_by_people_in_recovery = forms.BooleanField(
        label="I confirm that people in recovery lead this project",
        error_messages={"required": "Confirm that people in recovery lead the project."},
    )

    def __init__(self, *args: Any, areas: list[RoundArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _area_choices(areas)
        field.initial = ""

    def draft(self) -> actions.ProposalDraft:
        data = self.cleaned_data
        return actions.ProposalDraft(
            title=data["title"],
            summary=data["summary"],
            delivers=data["delivers"],
            cost=data["cost"],
            area_id=int(data["area"]) if data.get("area") else None,
            lead_name=data["lead_name"],
            lived_experience=data["lived_experience"],
        )


class EligibilityForm(forms.Form):
    postcode = forms.CharField(
        label="What is your postcode?",
        max_length=10,
        help_text="Or just the first part, like CM1. We keep only the area it is in, not your postcode.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}),
        error_messages={"required": "Enter your postcode, or the first part of it, like CM1."},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Your ballot code",
        max_length=40,
        help_text="The 20-letter code shown when you voted, like ABCD-EFGH-JKMN-PQRS-TVWX.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
        error_messages={"required": "Enter your ballot code."},
    )

    def clean_code(self) -> str:
        code = secrecy.normalise_code(self.cleaned_data.get("code", ""))
        if not secrecy.looks_like_code(code):
            raise forms.ValidationError("That ballot code is not right. It has 20 letters and numbers.")
        return code


class BallotForm(forms.Form):
    """The ballot paper: tick boxes for an approval round, points for a points round."""

    def __init__(self, *args: Any, round: Round, projects: list[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        self.projects = projects
        if round.is_cumulative:
            for project in projects:
                self.fields[f"project_{project.code}"] = forms.IntegerField(
                    label=project.title,
                    required=False,
                    min_value=0,
                    max_value=round.points_per_voter,
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
                    error_messages={
                        "invalid": f"Give “{project.title}” a whole number of points, like 3.",
                        "min_value": f"Points for “{project.title}” cannot be less than 0.",
                        "max_value": f"You have {round.points_per_voter} points in all.",
                    },
                )
        else:
            self.fields["choices"] = forms.MultipleChoiceField(
                label="Which projects do you support?",
                choices=[(project.code, project.title) for project in projects],
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": "Choose at least one project.",
                    "invalid_choice": "Your ballot has a project that is not on your ballot paper. Choose again.",
                },
            )

    def choices(self) -> dict[str, int]:
        if self.round.is_cumulative:
            return {
                project.code: self.cleaned_data.get(f"project_{project.code}") or 0
                for project in self.projects
                if self.cleaned_data.get(f"project_{project.code}")
            }
        return dict.fromkeys(self.cleaned_data.get("choices", []), 1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.round.is_cumulative and not self.errors:
            total = sum(data.get(f"project_{p.code}") or 0 for p in self.projects)
            if total == 0:
                raise forms.ValidationError("Give at least one point to a project.")
            if total > self.round.points_per_voter:
                raise forms.ValidationError(
                    f"You have {self.round.points_per_voter} points to share out and gave {total}. Take some away."
                )
        return data

    @staticmethod
    def data_for(round: Round, choices: dict[str, int]) -> dict[str, Any]:
        """Form data that shows ``choices`` again (for changing a ballot)."""
        if round.is_cumulative:
            return {f"project_{code}": points for code, points in choices.items()}
        return {"choices": list(choices)}


class DeliveryUpdateForm(PoundsForm):
    pound_fields = ("spent",)

    status = forms.ChoiceField(
        label="How is the project going?",
        choices=DeliveryStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the project is going."},
    )
    body = forms.CharField(
        label="Your update",
        max_length=2000,
        help_text="What has happened, who it has helped and what is next. Do not name anyone who took part.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your update.", "max_length": "Use 2,000 characters or fewer."},
    )
    spent = _whole_pounds("Spent so far (optional)", required=False, help_text="In whole pounds, like 1200.")
