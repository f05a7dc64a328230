"""A survey's results, counted in a handful of queries and suppressed.

Everything a results page, a published finding, the evidence pages and the
CSV export show comes from :class:`SurveyResults`, which holds suppressed
numbers only: it is safe to store (a finding keeps a copy made when it is
published) and to publish. Free text never enters it; free-text questions
contribute the themes researchers tagged and how many answers have each.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count

from rosc.research import suppression
from rosc.research.models import Answer, Question, QuestionKind, Response, ResponseMode, Survey, Theme
from rosc.research.suppression import Cell, CellStatus

NOTES = {
    QuestionKind.MULTIPLE_CHOICE: "People could choose more than one answer, so the numbers can add up to more "
    "than the number who answered.",
    QuestionKind.FREE_TEXT: "Themes found by the community researcher in people's own words. One answer can have "
    "more than one theme, or none.",
}


@dataclass(frozen=True)
class ResultRow:
    """One answer or theme. ``display`` is what to print: the count, "fewer than 5" or "not shown"."""

    label: str
    status: str
    display: str
    count: int | None = None
    percent: int | None = None

    @property
    def is_shown(self) -> bool:
        return self.status == CellStatus.SHOWN


@dataclass(frozen=True)
class QuestionResult:
    number: int
    text: str
    kind: str
    answered: int | None
    withheld: bool
    rows: list[ResultRow] = field(default_factory=list)
    question_id: int | None = None

    @property
    def kind_label(self) -> str:
        return QuestionKind(self.kind).label

    @property
    def note(self) -> str:
        return NOTES.get(QuestionKind(self.kind), "")

    @property
    def is_free_text(self) -> bool:
        return self.kind == QuestionKind.FREE_TEXT


@dataclass(frozen=True)
class SurveyResults:
    title: str
    threshold: int
    withheld: bool
    responses: int | None
    modes: list[ResultRow] = field(default_factory=list)
    questions: list[QuestionResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SurveyResults:
        return cls(
            title=data["title"],
            threshold=data["threshold"],
            withheld=data["withheld"],
            responses=data["responses"],
            modes=[ResultRow(**row) for row in data.get("modes", [])],
            questions=[
                QuestionResult(
                    **{key: value for key, value in question.items() if key != "rows"},
                    rows=[ResultRow(**row) for row in question.get("rows", [])],
                )
                for question in data.get("questions", [])
            ],
        )


def _rows(
    labels: list[str], table: suppression.Table, counts: list[int], out_of: int, threshold: int
) -> list[ResultRow]:
    return [
        _row(label, cell, count, out_of, threshold)
        for label, cell, count in zip(labels, table.cells, counts, strict=True)
    ]


def _row(label: str, cell: Cell, count: int, out_of: int, threshold: int) -> ResultRow:
    if cell.status is CellStatus.FEWER_THAN:
        return ResultRow(label=label, status=cell.status.value, display=f"fewer than {threshold}")
    if cell.status is CellStatus.NOT_SHOWN:
        return ResultRow(label=label, status=cell.status.value, display="not shown")
    percent = round(100 * count / out_of) if out_of else 0
    return ResultRow(label=label, status=CellStatus.SHOWN.value, display=str(count), count=count, percent=percent)


def survey_results(survey: Survey, *, threshold: int) -> SurveyResults:
    """Count and suppress. Five queries whatever the size of the survey."""
    by_mode: dict[str, int] = dict(
        Response.objects.filter(survey=survey)
        .values("mode")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("mode", "n")
    )
    total = sum(by_mode.values())
    if not suppression.may_publish_total(total, threshold):
        return SurveyResults(title=survey.title, threshold=threshold, withheld=True, responses=None)

    mode_counts = [by_mode.get(mode.value, 0) for mode in ResponseMode]
    mode_table = suppression.suppress_partition(mode_counts, threshold)
    modes = (
        []
        if mode_table.withheld
        else _rows([mode.label for mode in ResponseMode], mode_table, mode_counts, total, threshold)
    )

    questions = list(Question.objects.filter(survey=survey).order_by("position", "id"))
    answers = Answer.objects.filter(question__survey=survey)
    answered = dict(
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
        .values_list("question_id", "n")
    )
    choice_counts: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, choice, n in (
        answers.filter(choice__isnull=False)
        .values("question_id", "choice")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("question_id", "choice", "n")
    ):
        if choice is not None:
            choice_counts[question_id][choice] = n
    themes_by_question: dict[int, list[Theme]] = defaultdict(list)
    for theme in Theme.objects.filter(question__survey=survey).annotate(n=Count("answers")):
        themes_by_question[theme.question_id].append(theme)

    results = []
    for number, question in enumerate(questions, start=1):
        people = answered.get(question.pk, 0)
        if not suppression.may_publish_total(people, threshold):
            results.append(
                QuestionResult(
                    number=number,
                    text=question.text,
                    kind=question.kind,
                    answered=None,
                    withheld=True,
                    question_id=question.pk,
                )
            )
            continue
        if question.is_free_text:
            themes = themes_by_question.get(question.pk, [])
            labels = [theme.name for theme in themes]
            counts = [getattr(theme, "n", 0) for theme in themes]
            table = suppression.suppress_overlapping(counts, people, threshold)
        else:
            labels = [label for _, label in question.choices()]
            counts = [choice_counts[question.pk].get(value, 0) for value, _ in question.choices()]
            if question.kind == QuestionKind.MULTIPLE_CHOICE:
                table = suppression.suppress_overlapping(counts, people, threshold)
            else:
                table = suppression.suppress_partition(counts, threshold)
        results.append(
            QuestionResult(
                number=number,
                text=question.text,
                kind=question.kind,
                answered=people,
                withheld=table.withheld,
                rows=[] if table.withheld else _rows(labels, table, counts, people, threshold),
                question_id=question.pk,
            )
        )
    return SurveyResults(
        title=survey.title, threshold=threshold, withheld=False, responses=total, modes=modes, questions=results
    )


# --- CSV -----------------------------------------------------------------------

CSV_HEADER = ["Survey", "Question number", "Question", "Answer or theme", "Number of people", "Percentage", "Note"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> str:
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def results_csv(results: SurveyResults) -> str:
    """The suppressed results as CSV, one row per answer or theme."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    note = f"Numbers below {results.threshold} are shown as 'fewer than {results.threshold}'."
    title = results.title
    if results.withheld:
        writer.writerow(
            [_safe(title), "", "", "All responses", f"fewer than {results.threshold}", "", "Results not shown."]
        )
        return out.getvalue()
    writer.writerow([_safe(title), "", "", "All responses", results.responses, "", note])
    for row in results.modes:
        writer.writerow([_safe(title), "", "", _safe(row.label), row.display, _percent(row), ""])
    for question in results.questions:
        if question.withheld:
            writer.writerow(
                [
                    _safe(title),
                    question.number,
                    _safe(question.text),
                    "",
                    "",
                    "",
                    "Not shown: too few people answered.",
                ]
            )
            continue
        writer.writerow(
            [_safe(title), question.number, _safe(question.text), "People who answered", question.answered, "", ""]
        )
        for row in question.rows:
            writer.writerow(
                [
                    _safe(title),
                    question.number,
                    _safe(question.text),
                    _safe(row.label),
                    row.display,
                    _percent(row),
                    question.note,
                ]
            )
    return out.getvalue()


def _percent(row: ResultRow) -> str:
    return f"{row.percent}%" if row.is_shown and row.percent is not None else ""
